#pragma once
// Internal to the frontend: turning ANTLR's view of a syntax error into a message a
// person can act on, and the lexical errors (stray characters, malformed numbers,
// unterminated COMMENT/VERBATIM/strings) found in the token stream.

#include <vector>

#include "NMODLParser.h"
#include "support/diagnostics.hpp"

namespace ranvier::frontend {

// Collects syntax errors; they are sorted and merged with the lexical ones later.
class SyntaxErrorCollector final : public antlr4::BaseErrorListener {
public:
  explicit SyntaxErrorCollector(const SourceFile &file) : file_(file) {}

  void syntaxError(antlr4::Recognizer *recognizer, antlr4::Token *offending, size_t line,
                   size_t charPositionInLine, const std::string &msg,
                   std::exception_ptr e) override;

  std::vector<Diagnostic> &errors() { return errors_; }

private:
  const SourceFile &file_;
  std::vector<Diagnostic> errors_;
};

// Errors in the tokens themselves. Returns them in file order.
std::vector<Diagnostic> lexicalErrors(const SourceFile &file,
                                      const std::vector<antlr4::Token *> &tokens);

// Token types whose errors lexicalErrors() reports; syntax errors at such tokens
// are duplicates and are dropped.
bool isLexicalErrorToken(std::size_t tokenType);

// Adds, to an error at the end of the file, a note at the '{' left open.
void noteUnclosedBrace(Diagnostic &error, const SourceFile &file,
                       const std::vector<antlr4::Token *> &tokens);

}  // namespace ranvier::frontend
