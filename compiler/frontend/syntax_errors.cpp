#include "frontend/syntax_errors.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <string_view>

#include <fmt/format.h>

#include "frontend/ast_builder.hpp"
#include "frontend/keywords.hpp"
#include "frontend/raw_blocks.hpp"

namespace ranvier::frontend {

using P = grammar::NMODLParser;

namespace {

// A character as it can be shown inside quotes in a message.
std::string showCharacter(std::string_view text) {
  if (text.size() == 1) {
    auto c = static_cast<unsigned char>(text[0]);
    if (c == 0) return "NUL byte (U+0000)";
    if (c < 0x20 || c == 0x7F) return fmt::format("control character U+{:04X}", c);
  }
  return fmt::format("'{}'", text);
}

std::string showToken(const antlr4::Token *token) {
  if (token == nullptr || token->getType() == antlr4::Token::EOF) return "end of file";
  std::string text = token->getText();
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  switch (token->getType()) {
  case P::ID: return fmt::format("name '{}'", text);
  case P::INTEGER:
  case P::REAL: return fmt::format("number '{}'", text);
  case P::PRIME: return fmt::format("derivative '{}'", text);
  case P::STRING: return fmt::format("string {}", text);
  case P::VERBATIM: return "VERBATIM block";
  case P::TITLE: return "TITLE";
  default: return showCharacter(text);
  }
}

std::string showExpected(const antlr4::dfa::Vocabulary &vocabulary, std::size_t type) {
  if (std::string_view keyword = keywordSpelling(type); !keyword.empty()) {
    return fmt::format("'{}'", keyword);
  }
  switch (type) {
  case antlr4::Token::EOF: return "end of file";
  case P::ID: return "a name";
  case P::INTEGER: return "an integer";
  case P::REAL: return "a number";
  case P::PRIME: return "a derivative (x')";
  case P::STRING: return "a string";
  case P::VERBATIM: return "VERBATIM";
  case P::TITLE: return "TITLE";
  case P::REPRESENTS: return "REPRESENTS <ontology id>";
  default: return vocabulary.getDisplayName(type);
  }
}

// "in the PARAMETER block", "in DERIVATIVE states", "at top level", ...
std::string whereIn(antlr4::RuleContext *context) {
  for (antlr4::tree::ParseTree *c = context; c != nullptr; c = c->parent) {
    auto *rule = dynamic_cast<antlr4::ParserRuleContext *>(c);
    if (rule == nullptr || rule->getStart() == nullptr) continue;
    const std::string keyword = rule->getStart()->getText();
    std::string name;
    for (antlr4::tree::ParseTree *child : rule->children) {
      auto *terminal = dynamic_cast<antlr4::tree::TerminalNode *>(child);
      if (terminal != nullptr && terminal->getSymbol()->getType() == P::ID) {
        name = terminal->getText();
        break;
      }
    }
    switch (rule->getRuleIndex()) {
    case P::RuleNeuronBlock: return "in the NEURON block";
    case P::RuleUnitsBlock: return "in the UNITS block";
    case P::RuleDeclarationBlock:
    case P::RuleIndependentBlock:
    case P::RuleBodyBlock: return fmt::format("in the {} block", keyword);
    case P::RuleNamedBlock:
    case P::RuleCallableBlock:
    case P::RuleFunctionTableBlock:
      return name.empty() ? fmt::format("in a {} block", keyword)
                          : fmt::format("in {} {}", keyword, name);
    case P::RuleNetReceiveBlock: return "in NET_RECEIVE";
    case P::RuleBeforeAfterBlock: return fmt::format("in a {} block", keyword);
    case P::RuleProgram:
    case P::RuleTopItem: return "at top level";
    default: break;
    }
  }
  return "";
}

// What the parser could have accepted, in words, or "" when the list is too long
// to help.
std::string expectedList(antlr4::Parser &parser) {
  antlr4::misc::IntervalSet expected;
  try {
    expected = parser.getExpectedTokens();
  } catch (...) {
    return "";
  }
  std::vector<std::string> words;
  std::set<std::string> seen;
  for (std::size_t type : expected.toList()) {
    std::string word = showExpected(parser.getVocabulary(), type);
    if (type == P::INTEGER && expected.contains(static_cast<std::size_t>(P::REAL))) continue;  // "a number" covers it
    if (seen.insert(word).second) words.push_back(std::move(word));
  }
  if (words.empty()) return "";
  if (words.size() > 6) {  // too many to list: say what kind of thing was due
    switch (parser.getContext()->getRuleIndex()) {
    case P::RuleExpr:
    case P::RulePrimary:
    case P::RuleArgument: return "an expression";
    case P::RuleBlock:
    case P::RuleStatement: return "a statement or '}'";
    case P::RuleDeclarationBlock:
    case P::RuleVarDecl: return "a declaration or '}'";
    case P::RuleNeuronBlock:
    case P::RuleNeuronStmt: return "SUFFIX, USEION, RANGE, GLOBAL, ... or '}'";
    case P::RuleProgram:
    case P::RuleTopItem: return "a block such as NEURON, PARAMETER or BREAKPOINT";
    default: return "";
    }
  }
  if (words.size() == 1) return words[0];
  std::string list;
  for (std::size_t i = 0; i < words.size(); ++i) {
    list += words[i];
    if (i + 2 < words.size()) list += ", ";
    else if (i + 2 == words.size()) list += " or ";
  }
  return list;
}

std::size_t editDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t next = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = row[j];
      row[j] = next;
    }
  }
  return row[b.size()];
}

// For a name where a keyword was due: "did you mean 'PARAMETER'?"
std::string keywordHint(std::string_view word) {
  std::string upper(word);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  std::string_view best;
  std::size_t bestDistance = 3;
  for (const Keyword &keyword : keywords()) {
    if (keyword.text.size() < 4 || !std::isupper(static_cast<unsigned char>(keyword.text[0]))) continue;
    if (keyword.text == upper) {
      return fmt::format("NMODL keywords are upper case: did you mean '{}'?", keyword.text);
    }
    std::size_t d = editDistance(upper, keyword.text);
    if (d < bestDistance) bestDistance = d, best = keyword.text;
  }
  return best.empty() ? "" : fmt::format("did you mean '{}'?", best);
}

}  // namespace

void SyntaxErrorCollector::syntaxError(antlr4::Recognizer *recognizer, antlr4::Token *offending,
                                       size_t, size_t, const std::string &msg, std::exception_ptr) {
  if (offending != nullptr && isLexicalErrorToken(offending->getType())) return;
  auto *parser = dynamic_cast<antlr4::Parser *>(recognizer);
  if (parser == nullptr) {  // the lexer: cannot happen with ERROR_CHAR, but stay safe
    errors_.push_back(Diagnostic{Severity::Error, rangeOf(file_, offending), msg, {}, {}, {}});
    return;
  }
  // Units end on their line; a missing ')' shows up lines later. Point at the '('.
  for (antlr4::tree::ParseTree *c = parser->getContext(); c != nullptr; c = c->parent) {
    auto *rule = dynamic_cast<antlr4::ParserRuleContext *>(c);
    if (rule != nullptr && rule->getRuleIndex() == P::RuleUnit && offending != nullptr &&
        rule->getStart()->getLine() < offending->getLine()) {
      errors_.push_back(Diagnostic{Severity::Error, rangeOf(file_, rule->getStart()),
                                   "this unit has no ')' on its line",
                                   "units are written in parentheses on one line, as in (mV)", {}, {}});
      return;
    }
  }
  std::string where = whereIn(parser->getContext());
  std::string message = fmt::format("unexpected {}", showToken(offending));
  if (!where.empty()) message += " " + where;
  if (std::string expected = expectedList(*parser); !expected.empty()) {
    message += "; expected " + expected;
  }
  Diagnostic error{Severity::Error, rangeOf(file_, offending), std::move(message), {}, {}, {}};
  if (offending != nullptr && offending->getType() == P::ID) {
    error.hint = keywordHint(offending->getText());
  }
  if (offending != nullptr && startsTopLevelBlock(offending->getText()) && where != "at top level") {
    error.hint = fmt::format("{} starts a top-level block: is a '}}' missing before it?",
                             offending->getText());
  }
  errors_.push_back(std::move(error));
}

bool isLexicalErrorToken(std::size_t tokenType) {
  return tokenType == P::ERROR_CHAR || tokenType == P::MALFORMED_NUMBER ||
         tokenType == P::UNTERMINATED_STRING;
}

std::vector<Diagnostic> lexicalErrors(const SourceFile &file,
                                      const std::vector<antlr4::Token *> &tokens) {
  std::vector<Diagnostic> errors;
  auto report = [&](const antlr4::Token *token, std::string message, std::string hint = {}) {
    errors.push_back(Diagnostic{Severity::Error, rangeOf(file, token), std::move(message),
                                std::move(hint), {}, {}});
  };
  auto unterminated = [&](const antlr4::Token *token, std::string_view open, std::string_view close) {
    if (rawBlockBodyEnd(token->getText(), open, close)) return;
    Diagnostic d{Severity::Error, rangeOf(file, token), fmt::format("{} is never closed", open),
                 fmt::format("add {} on a line of its own where the block ends", close), {}, {}};
    d.range.end = file.locationOfOffset(d.range.begin.offset + static_cast<std::uint32_t>(open.size()));
    errors.push_back(std::move(d));
  };
  for (const antlr4::Token *token : tokens) {
    switch (token->getType()) {
    case P::ERROR_CHAR: {
      const std::string text = token->getText();
      std::string hint;
      if (text == ";") hint = "NMODL needs no ';' between statements; remove it";
      else if (static_cast<unsigned char>(text[0]) >= 0x80)
        hint = "non-ASCII characters may appear only in comments";
      report(token, fmt::format("unexpected {}", showCharacter(text)), hint);
      break;
    }
    case P::MALFORMED_NUMBER: {
      const std::string text = token->getText();
      const bool twoDots = std::count(text.begin(), text.end(), '.') > 1;
      report(token,
             fmt::format("malformed number '{}': {}", text,
                         twoDots ? "more than one decimal point" : "the exponent has no digits"),
             twoDots ? "" : "write the exponent's digits, as in 1e-3");
      break;
    }
    case P::UNTERMINATED_STRING:
      report(token, "missing closing '\"'", "a string ends on the line where it starts");
      break;
    case P::COMMENT_BLOCK: unterminated(token, "COMMENT", "ENDCOMMENT"); break;
    case P::VERBATIM: unterminated(token, "VERBATIM", "ENDVERBATIM"); break;
    default: break;
    }
  }
  return errors;
}

void noteUnclosedBrace(Diagnostic &error, const SourceFile &file,
                       const std::vector<antlr4::Token *> &tokens) {
  std::vector<const antlr4::Token *> open;
  for (const antlr4::Token *token : tokens) {
    if (token->getChannel() != antlr4::Token::DEFAULT_CHANNEL) continue;
    const std::string text = token->getType() == antlr4::Token::EOF ? "" : token->getText();
    if (text == "{") open.push_back(token);
    else if (text == "}" && !open.empty()) open.pop_back();
  }
  if (!open.empty()) {
    error.withNote(rangeOf(file, open.back()), "this '{' is never closed");
  }
}

}  // namespace ranvier::frontend
