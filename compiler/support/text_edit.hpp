#pragma once
// Edits to source text by byte offset (what fixers produce, so that everything they
// do not touch stays byte for byte), and unified diffs to show them.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ranvier {

struct TextEdit {
  std::uint32_t offset = 0;
  std::uint32_t length = 0;  // bytes replaced; 0 for an insertion
  std::string replacement;
};

// Applies non-overlapping edits (in any order) to `text`.
std::string applyEdits(std::string_view text, std::vector<TextEdit> edits);

// A unified diff (`diff -u` format, 3 lines of context) between two texts; empty
// when they are equal.
std::string unifiedDiff(std::string_view before, std::string_view after, std::string_view beforeName,
                        std::string_view afterName);

}  // namespace ranvier
