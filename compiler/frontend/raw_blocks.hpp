#pragma once
// Internal to the frontend: VERBATIM and COMMENT blocks. nocmodl reads them line by
// line: the block ends at the first line whose first word is the END keyword (the
// rest of the opening keyword's line counts as a line), and the rest of that END
// line is ignored. The grammar matches only the keyword; this reads the text.

#include <optional>
#include <string_view>

#include "antlr4-runtime.h"

namespace ranvier::frontend {

// Extends `token` (a VERBATIM or COMMENT keyword the lexer just matched) over the
// block's text, through the END line and its line break, or to the end of the input.
void extendOverRawBlock(antlr4::Lexer &lexer, antlr4::CommonToken &token, std::string_view endWord);

// Extends `token` (a TITLE or a ':' / '?' comment start) to the end of its line.
void extendToEndOfLine(antlr4::Lexer &lexer, antlr4::CommonToken &token);

// For a raw-block token's text, the offset where the END line starts (the text
// between the keyword and there is the block's content), or nothing when the block
// is unterminated.
std::optional<std::size_t> rawBlockBodyEnd(std::string_view tokenText, std::string_view keyword,
                                           std::string_view endWord);

}  // namespace ranvier::frontend
