#include "support/source.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>

namespace ranvier {
namespace {

constexpr std::uint32_t kReplacement = 0xFFFD;

// Decodes one UTF-8 sequence at text[i]; returns its length (>= 1) and the code
// point, or length 1 and U+FFFD for an invalid byte.
std::size_t decodeUtf8(std::string_view text, std::size_t i, std::uint32_t &cp) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  }
  std::size_t len = 0;
  std::uint32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    cp = kReplacement;
    return 1;
  }
  if (i + len > text.size()) {
    cp = kReplacement;
    return 1;
  }
  for (std::size_t k = 1; k < len; ++k) {
    unsigned char b = byte(i + k);
    if ((b & 0xC0) != 0x80) {
      cp = kReplacement;
      return 1;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    cp = kReplacement;
    return 1;
  }
  return len;
}

}  // namespace

SourceFile::SourceFile(std::string name, std::string text)
    : name_(std::move(name)), text_(std::move(text)) {
  const bool ascii = std::all_of(text_.begin(), text_.end(),
                                 [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  codePoints_.reserve(text_.size());
  if (ascii) {
    for (char c : text_) codePoints_.push_back(static_cast<unsigned char>(c));
  } else {
    byteOfCharacter_.reserve(text_.size() + 1);
    for (std::size_t i = 0; i < text_.size();) {
      std::uint32_t cp = 0;
      std::size_t len = decodeUtf8(text_, i, cp);
      codePoints_.push_back(cp);
      byteOfCharacter_.push_back(static_cast<std::uint32_t>(i));
      i += len;
    }
    byteOfCharacter_.push_back(static_cast<std::uint32_t>(text_.size()));
  }
  lineStarts_.push_back(0);
  for (std::size_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') {
      lineStarts_.push_back(static_cast<std::uint32_t>(i + 1));
    } else if (text_[i] == '\r' && (i + 1 == text_.size() || text_[i + 1] != '\n')) {
      lineStarts_.push_back(static_cast<std::uint32_t>(i + 1));
    }
  }
}

std::uint32_t SourceFile::byteOf(std::size_t characterIndex) const {
  if (byteOfCharacter_.empty()) {
    return static_cast<std::uint32_t>(std::min(characterIndex, text_.size()));
  }
  return byteOfCharacter_[std::min(characterIndex, byteOfCharacter_.size() - 1)];
}

SourceLocation SourceFile::locationOfCharacter(std::size_t index) const {
  return locationOfOffset(byteOf(index));
}

SourceLocation SourceFile::locationOfOffset(std::uint32_t byteOffset) const {
  byteOffset = std::min<std::uint32_t>(byteOffset, static_cast<std::uint32_t>(text_.size()));
  auto it = std::upper_bound(lineStarts_.begin(), lineStarts_.end(), byteOffset);
  const auto lineIndex = static_cast<std::uint32_t>(it - lineStarts_.begin() - 1);
  const std::uint32_t lineStart = lineStarts_[lineIndex];
  // Column in characters: count UTF-8 lead bytes between the line start and the offset.
  std::uint32_t column = 1;
  if (byteOfCharacter_.empty()) {
    column += byteOffset - lineStart;
  } else {
    auto first = std::lower_bound(byteOfCharacter_.begin(), byteOfCharacter_.end(), lineStart);
    auto last = std::lower_bound(byteOfCharacter_.begin(), byteOfCharacter_.end(), byteOffset);
    column += static_cast<std::uint32_t>(last - first);
  }
  return SourceLocation{byteOffset, lineIndex + 1, column};
}

std::string_view SourceFile::lineText(std::uint32_t line) const {
  if (line == 0 || line > lineStarts_.size()) return {};
  std::size_t begin = lineStarts_[line - 1];
  std::size_t end = line < lineStarts_.size() ? lineStarts_[line] : text_.size();
  std::string_view view(text_.data() + begin, end - begin);
  while (!view.empty() && (view.back() == '\n' || view.back() == '\r')) view.remove_suffix(1);
  return view;
}

std::string_view SourceFile::slice(const SourceRange &range) const {
  std::size_t begin = std::min<std::size_t>(range.begin.offset, text_.size());
  std::size_t end = std::clamp<std::size_t>(range.end.offset, begin, text_.size());
  return std::string_view(text_).substr(begin, end - begin);
}

SourceFile::LoadResult SourceFile::load(const std::filesystem::path &path) {
  std::error_code ec;
  auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    return {nullptr, "no such file"};
  }
  if (std::filesystem::is_directory(status)) {
    return {nullptr, "is a directory, not a file"};
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return {nullptr, "cannot open for reading (permission denied?)"};
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    return {nullptr, "read error"};
  }
  return {std::make_unique<SourceFile>(path.string(), std::move(buffer).str()), {}};
}

std::unique_ptr<BinaryEvidence> detectBinary(std::string_view text) {
  if (auto nul = text.find('\0'); nul != std::string_view::npos) {
    return std::make_unique<BinaryEvidence>(
        BinaryEvidence{static_cast<std::uint32_t>(nul), "contains a NUL byte"});
  }
  // Latin-1 comments in old files are common and harmless; many invalid bytes are not.
  std::size_t invalid = 0;
  std::size_t firstInvalid = text.size();
  for (std::size_t i = 0; i < text.size();) {
    std::uint32_t cp = 0;
    std::size_t len = decodeUtf8(text, i, cp);
    if (cp == kReplacement && len == 1) {
      ++invalid;
      firstInvalid = std::min(firstInvalid, i);
    }
    i += len;
  }
  if (invalid > 64 && invalid * 10 > text.size()) {
    return std::make_unique<BinaryEvidence>(BinaryEvidence{
        static_cast<std::uint32_t>(firstInvalid), "is mostly not text (invalid UTF-8)"});
  }
  return nullptr;
}

}  // namespace ranvier
