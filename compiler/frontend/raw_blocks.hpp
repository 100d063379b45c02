#pragma once
// Internal to the frontend: the layout of VERBATIM and COMMENT tokens. nocmodl ends
// such a block at the first later line whose first word is the END keyword.

#include <optional>
#include <string_view>

namespace ranvier::frontend {

// For a raw-block token's text ("VERBATIM ... \n  ENDVERBATIM rest"), the offset just
// past the line break that precedes the END line, or nothing when the block is
// unterminated (it ran to the end of the file).
std::optional<std::size_t> rawBlockBodyEnd(std::string_view tokenText, std::string_view endWord);

}  // namespace ranvier::frontend
