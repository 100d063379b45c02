#include "frontend/raw_blocks.hpp"

#include <cctype>

namespace ranvier::frontend {
namespace {

bool isWordCharacter(std::size_t c) {
  return c < 128 && (std::isalnum(static_cast<int>(c)) || c == '_');
}
bool isBlank(std::size_t c) { return c == ' ' || c == '\t'; }
bool isLineBreak(std::size_t c) { return c == '\n' || c == '\r'; }

}  // namespace

void extendOverRawBlock(antlr4::Lexer &lexer, antlr4::CommonToken &token, std::string_view endWord) {
  antlr4::CharStream &input = *lexer.getInputStream();
  auto *simulator = lexer.getInterpreter<antlr4::atn::LexerATNSimulator>();
  auto consume = [&] { simulator->consume(&input); };  // keeps line and column right
  auto next = [&](ssize_t k) { return input.LA(k); };
  auto consumeLineBreak = [&] {
    const bool cr = next(1) == '\r';
    consume();
    if (cr && next(1) == '\n') consume();
  };

  while (true) {
    while (isBlank(next(1))) consume();
    bool endLine = true;
    for (std::size_t i = 0; i < endWord.size() && endLine; ++i) {
      endLine = next(static_cast<ssize_t>(i + 1)) == static_cast<std::size_t>(endWord[i]);
    }
    endLine = endLine && !isWordCharacter(next(static_cast<ssize_t>(endWord.size() + 1)));
    while (next(1) != antlr4::Token::EOF && !isLineBreak(next(1))) consume();
    if (next(1) == antlr4::Token::EOF) break;
    consumeLineBreak();
    if (endLine) break;
  }
  token.setStopIndex(input.index() - 1);
}

void extendToEndOfLine(antlr4::Lexer &lexer, antlr4::CommonToken &token) {
  antlr4::CharStream &input = *lexer.getInputStream();
  auto *simulator = lexer.getInterpreter<antlr4::atn::LexerATNSimulator>();
  while (input.LA(1) != antlr4::Token::EOF && !isLineBreak(input.LA(1))) simulator->consume(&input);
  token.setStopIndex(input.index() - 1);
}

std::optional<std::size_t> rawBlockBodyEnd(std::string_view text, std::string_view keyword,
                                           std::string_view endWord) {
  while (text.size() > keyword.size() && isLineBreak(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  const std::size_t lastBreak = text.find_last_of("\r\n");
  std::size_t lineStart = lastBreak == std::string_view::npos || lastBreak < keyword.size()
                              ? keyword.size()
                              : lastBreak + 1;
  std::size_t i = lineStart;
  while (i < text.size() && isBlank(static_cast<unsigned char>(text[i]))) ++i;
  if (text.substr(i, endWord.size()) != endWord) return std::nullopt;
  const std::size_t after = i + endWord.size();
  if (after < text.size() && isWordCharacter(static_cast<unsigned char>(text[after]))) return std::nullopt;
  return lineStart;
}

}  // namespace ranvier::frontend
