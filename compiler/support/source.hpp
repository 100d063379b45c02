#pragma once
// Source text and positions in it. Every diagnostic and AST node points into a
// SourceFile through a SourceRange: byte offsets (for tools that rewrite files, such
// as mechlint --fix) plus the line and column a person reads (1-based; columns
// count characters, not bytes).

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ranvier {

struct SourceLocation {
  std::uint32_t offset = 0;  // byte offset from the start of the file
  std::uint32_t line = 0;    // 1-based; 0 means "no location"
  std::uint32_t column = 0;  // 1-based, in characters

  bool valid() const { return line != 0; }
  friend bool operator==(const SourceLocation &, const SourceLocation &) = default;
};

class SourceFile;

// A half-open byte range [begin, end) in one file.
struct SourceRange {
  const SourceFile *file = nullptr;
  SourceLocation begin;
  SourceLocation end;

  bool valid() const { return file != nullptr && begin.valid(); }
};

// One file's text, immutable once loaded. Characters are decoded from UTF-8;
// bytes that are not valid UTF-8 count as one character each (U+FFFD), so any
// input, binary included, has well-defined positions.
class SourceFile {
public:
  SourceFile(std::string name, std::string text);

  const std::string &name() const { return name_; }
  std::string_view text() const { return text_; }

  // The decoded characters (Unicode code points), what the lexer reads.
  const std::vector<std::uint32_t> &codePoints() const { return codePoints_; }

  // Location of the character with the given index in codePoints() (index ==
  // size() gives the end of the file).
  SourceLocation locationOfCharacter(std::size_t index) const;
  SourceLocation locationOfOffset(std::uint32_t byteOffset) const;

  // The text of a 1-based line without its line terminator.
  std::string_view lineText(std::uint32_t line) const;
  std::uint32_t lineCount() const { return static_cast<std::uint32_t>(lineStarts_.size()); }

  std::string_view slice(const SourceRange &range) const;

  // Loading from disk. The error string is empty on success.
  struct LoadResult {
    std::unique_ptr<SourceFile> file;
    std::string error;
  };
  static LoadResult load(const std::filesystem::path &path);

private:
  std::string name_;
  std::string text_;
  std::vector<std::uint32_t> codePoints_;
  std::vector<std::uint32_t> byteOfCharacter_;  // empty when the text is pure ASCII
  std::vector<std::uint32_t> lineStarts_;       // byte offsets of line starts

  std::uint32_t byteOf(std::size_t characterIndex) const;
};

// Where binary data starts, if the text is not a plausible source file: the byte
// offset of the first NUL, or of invalid UTF-8 when a large part of it is invalid.
struct BinaryEvidence {
  std::uint32_t offset;
  std::string reason;
};
std::unique_ptr<BinaryEvidence> detectBinary(std::string_view text);

}  // namespace ranvier
