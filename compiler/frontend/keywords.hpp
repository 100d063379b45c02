#pragma once
// Internal to the frontend: NMODL's reserved words and their token types. The
// lexer reads every word as an ID; words found here become keyword tokens.

#include <cstddef>
#include <span>
#include <string_view>

namespace ranvier::frontend {

struct Keyword {
  std::string_view text;
  std::size_t tokenType;
  bool startsTopLevelBlock;  // NEURON, PARAMETER, BREAKPOINT, FUNCTION, ...
};

std::span<const Keyword> keywords();

// The keyword token type for `word`, or 0 when it is not reserved.
std::size_t keywordTokenType(std::string_view word);

// The spelling of a keyword token type ("if" for IF), or "" for other tokens.
std::string_view keywordSpelling(std::size_t tokenType);

bool startsTopLevelBlock(std::string_view word);

}  // namespace ranvier::frontend
