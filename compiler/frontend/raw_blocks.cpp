#include "frontend/raw_blocks.hpp"

#include <cctype>

namespace ranvier::frontend {

std::optional<std::size_t> rawBlockBodyEnd(std::string_view text, std::string_view endWord) {
  // The lexer guarantees the END line, if present, is the token's last line,
  // followed by its own line break unless the file ends there.
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  const std::size_t lastBreak = text.find_last_of("\r\n");
  if (lastBreak == std::string_view::npos) return std::nullopt;
  std::size_t i = lastBreak + 1;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
  if (text.substr(i, endWord.size()) != endWord) return std::nullopt;
  const std::size_t after = i + endWord.size();
  if (after < text.size() && (std::isalnum(static_cast<unsigned char>(text[after])) || text[after] == '_')) {
    return std::nullopt;
  }
  return lastBreak + 1;
}

}  // namespace ranvier::frontend
