#include "frontend/parser.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "NMODLLexer.h"
#include "NMODLParser.h"
#include "frontend/ast_builder.hpp"
#include "frontend/keywords.hpp"
#include "frontend/raw_blocks.hpp"
#include "frontend/syntax_errors.hpp"

namespace ranvier::frontend {
namespace {

using P = grammar::NMODLParser;

// ANTLR reads characters from the decoded text SourceFile already holds, so token
// indices are character indices into SourceFile::codePoints().
class SourceCharStream final : public antlr4::ANTLRInputStream {
public:
  explicit SourceCharStream(const SourceFile &file) {
    _data.assign(file.codePoints().begin(), file.codePoints().end());
    name = file.name();
  }
};

// Words come out of the grammar's lexer as IDs; reserved ones become keywords here.
// VERBATIM and COMMENT keywords are extended over their blocks' raw text, TITLE and
// line comments to the end of their line.
class KeywordLexer final : public grammar::NMODLLexer {
public:
  using NMODLLexer::NMODLLexer;

  std::unique_ptr<antlr4::Token> nextToken() override {
    std::unique_ptr<antlr4::Token> next = NMODLLexer::nextToken();
    if (next->getType() == P::VERBATIM) {
      extendOverRawBlock(*this, static_cast<antlr4::CommonToken &>(*next), "ENDVERBATIM");
    } else if (next->getType() == P::COMMENT_BLOCK) {
      extendOverRawBlock(*this, static_cast<antlr4::CommonToken &>(*next), "ENDCOMMENT");
    } else if (next->getType() == P::TITLE || next->getType() == P::LINE_COMMENT) {
      extendToEndOfLine(*this, static_cast<antlr4::CommonToken &>(*next));
    } else if (next->getType() == P::ID) {
      if (std::size_t keyword = keywordTokenType(next->getText())) {
        static_cast<antlr4::CommonToken *>(next.get())->setType(keyword);
      }
    }
    return next;
  }
};

struct NestingTooDeep {
  antlr4::Token *token;
};

// The generated parser is recursive descent: nesting costs stack. Counting rule
// depth on entry turns hostile nesting into an error instead of a crash.
class GuardedParser final : public P {
public:
  GuardedParser(antlr4::TokenStream *input, unsigned maxDepth) : P(input), maxDepth_(maxDepth) {}

  void enterRule(antlr4::ParserRuleContext *context, size_t state, size_t rule) override {
    P::enterRule(context, state, rule);
    check(context);
  }
  void enterRecursionRule(antlr4::ParserRuleContext *context, size_t state, size_t rule,
                          int precedence) override {
    P::enterRecursionRule(context, state, rule, precedence);
    check(context);
  }

private:
  unsigned maxDepth_;

  void check(antlr4::ParserRuleContext *context) {
    unsigned depth = 0;
    for (antlr4::tree::ParseTree *c = context; c != nullptr; c = c->parent) {
      if (++depth > maxDepth_) throw NestingTooDeep{getCurrentToken()};
    }
  }
};

bool endsAtEof(const Diagnostic &d, const SourceFile &file) {
  return d.range.begin.offset >= file.text().size();
}

}  // namespace

std::unique_ptr<ast::Program> parse(const SourceFile &file, DiagnosticEngine &diagnostics,
                                    const ParseOptions &options) {
  SourceCharStream chars(file);
  KeywordLexer lexer(&chars);
  lexer.removeErrorListeners();
  antlr4::CommonTokenStream tokens(&lexer);
  GuardedParser parser(&tokens, options.maxNesting);
  parser.removeErrorListeners();
  SyntaxErrorCollector collector(file);
  parser.addErrorListener(&collector);

  // Fast SLL prediction first; only on failure, the exact (slower) LL mode, which
  // also gives the right error positions.
  P::ProgramContext *tree = nullptr;
  std::vector<Diagnostic> errors;
  try {
    parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
        antlr4::atn::PredictionMode::SLL);
    parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
    try {
      tree = parser.program();
    } catch (const antlr4::ParseCancellationException &) {
      tokens.seek(0);
      parser.reset();
      parser.setErrorHandler(std::make_shared<antlr4::DefaultErrorStrategy>());
      parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
          antlr4::atn::PredictionMode::LL);
      tree = parser.program();
    }
  } catch (const NestingTooDeep &deep) {
    errors.push_back(Diagnostic{
        Severity::Error, rangeOf(file, deep.token),
        fmt::format("nesting too deep: blocks, parentheses and operators nest beyond the "
                    "parser's limit ({} grammar levels; a parenthesis costs two)",
                    options.maxNesting),
        "split the expression or block into smaller pieces", {}, {}});
    tree = nullptr;
  } catch (const std::exception &e) {
    // The ANTLR runtime signals some internal states by exceptions; none should
    // reach a user as a crash.
    errors.push_back(Diagnostic{Severity::Error, SourceRange{&file, file.locationOfOffset(0), {}},
                                fmt::format("internal parser error: {}", e.what()),
                                "please report this file to the Ranvier developers", {}, {}});
    tree = nullptr;
  }
  errors.insert(errors.end(), collector.errors().begin(), collector.errors().end());

  tokens.fill();
  std::vector<Diagnostic> lexical = lexicalErrors(file, tokens.getTokens());
  const bool lostToEnd = std::any_of(lexical.begin(), lexical.end(), [](const Diagnostic &d) {
    return d.message.find("never closed") != std::string::npos;
  });
  if (lostToEnd) {  // errors at the end of the file are consequences, not causes
    std::erase_if(errors, [&](const Diagnostic &d) { return endsAtEof(d, file); });
  }
  for (Diagnostic &d : errors) {
    if (endsAtEof(d, file)) noteUnclosedBrace(d, file, tokens.getTokens());
  }
  errors.insert(errors.end(), lexical.begin(), lexical.end());
  std::stable_sort(errors.begin(), errors.end(), [](const Diagnostic &a, const Diagnostic &b) {
    return a.range.begin.offset < b.range.begin.offset;
  });

  for (Diagnostic &d : errors) diagnostics.report(d.severity, d.range, d.message) = std::move(d);
  if (!errors.empty() || tree == nullptr) return nullptr;

  const std::size_t before = diagnostics.errorCount();
  auto program = buildAst(*tree, file, diagnostics, BuildLimits{});
  return diagnostics.errorCount() == before ? std::move(program) : nullptr;
}

}  // namespace ranvier::frontend
