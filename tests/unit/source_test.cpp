#include <gtest/gtest.h>

#include "support/source.hpp"

namespace ranvier {
namespace {

TEST(SourceFile, LinesAndColumnsOfAsciiText) {
  SourceFile file("a.mod", "ab\ncd\r\nef\rgh");
  EXPECT_EQ(file.lineCount(), 4u);
  EXPECT_EQ(file.lineText(2), "cd");
  EXPECT_EQ(file.lineText(4), "gh");
  SourceLocation at = file.locationOfOffset(4);  // 'd'
  EXPECT_EQ(at.line, 2u);
  EXPECT_EQ(at.column, 2u);
  EXPECT_EQ(at.offset, 4u);
  EXPECT_EQ(file.locationOfOffset(10).line, 4u);  // 'g' after a lone CR
}

TEST(SourceFile, ColumnsCountCharactersNotBytes) {
  // "µ" is two bytes in UTF-8; the lexer sees one character.
  SourceFile file("u.mod", "x = 1 : 5 µm\ny");
  EXPECT_EQ(file.codePoints().size(), file.text().size() - 1);
  const std::size_t yIndex = file.codePoints().size() - 1;
  SourceLocation y = file.locationOfCharacter(yIndex);
  EXPECT_EQ(y.line, 2u);
  EXPECT_EQ(y.column, 1u);
  EXPECT_EQ(y.offset, file.text().size() - 1);
  SourceLocation m = file.locationOfCharacter(11);  // the 'm' after µ
  EXPECT_EQ(m.column, 12u);
  EXPECT_EQ(m.offset, 12u);
}

TEST(SourceFile, InvalidUtf8BytesAreOneCharacterEach) {
  std::string text = "a\xff\xfe" "b";
  SourceFile file("bad.mod", text);
  ASSERT_EQ(file.codePoints().size(), 4u);
  EXPECT_EQ(file.codePoints()[1], 0xFFFDu);
  EXPECT_EQ(file.locationOfCharacter(3).offset, 3u);
}

TEST(SourceFile, LoadReportsMissingFilesAndDirectories) {
  EXPECT_NE(SourceFile::load("/definitely/not/here.mod").error, "");
  EXPECT_NE(SourceFile::load("/").error.find("directory"), std::string::npos);
}

TEST(BinaryDetection, NulByteAndGarbageAreBinaryLatin1CommentIsNot) {
  auto nul = detectBinary(std::string("NEURON {\0}", 10));
  ASSERT_NE(nul, nullptr);
  EXPECT_EQ(nul->offset, 8u);
  std::string garbage(4096, '\0');
  for (std::size_t i = 0; i < garbage.size(); ++i) garbage[i] = static_cast<char>(0x80 + (i * 7) % 120);
  EXPECT_NE(detectBinary(garbage), nullptr);
  EXPECT_EQ(detectBinary("TITLE x\n: caf\xe9 comment in Latin-1\nNEURON { SUFFIX x }\n"), nullptr);
}

}  // namespace
}  // namespace ranvier
