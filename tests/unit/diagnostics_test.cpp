#include <gtest/gtest.h>

#include "support/diagnostics.hpp"

namespace ranvier {
namespace {

TEST(Diagnostics, RendersLocationSourceLineCaretAndHint) {
  SourceFile file("m.mod", "PARAMETER {\n\tgbar = 1e\n}\n");
  DiagnosticEngine engine;
  SourceRange where{&file, file.locationOfOffset(20), file.locationOfOffset(22)};
  engine.error(where, "malformed number").withHint("write digits");
  ASSERT_EQ(engine.errorCount(), 1u);
  const std::string text = render(engine.diagnostics()[0]);
  EXPECT_EQ(text,
            "m.mod:2:9: error: malformed number\n"
            "    2 | \tgbar = 1e\n"
            "      | \t       ^~\n"
            "help: write digits\n");
}

TEST(Diagnostics, NotesFollowTheirError) {
  SourceFile file("n.mod", "A {\nB\n");
  DiagnosticEngine engine;
  engine.error({&file, file.locationOfOffset(6), file.locationOfOffset(6)}, "unexpected end of file")
      .withNote({&file, file.locationOfOffset(2), file.locationOfOffset(3)}, "this '{' is never closed");
  const std::string text = render(engine.diagnostics()[0]);
  EXPECT_NE(text.find("n.mod:3:1: error: unexpected end of file"), std::string::npos);
  EXPECT_NE(text.find("n.mod:1:3: note: this '{' is never closed"), std::string::npos);
}

TEST(Diagnostics, ErrorLimitKeepsCountingButStopsStoring) {
  DiagnosticEngine engine(2);
  for (int i = 0; i < 5; ++i) engine.error({}, "e");
  engine.warning({}, "w");
  EXPECT_EQ(engine.errorCount(), 5u);
  EXPECT_EQ(engine.suppressedErrors(), 3u);
  EXPECT_EQ(engine.diagnostics().size(), 3u);  // two errors and the warning
  EXPECT_EQ(engine.warningCount(), 1u);
}

TEST(Diagnostics, ControlCharactersAndInvalidUtf8AreNotPrintedRaw) {
  SourceFile file("c.mod", std::string("a\x1b[31m\xff b", 9));
  DiagnosticEngine engine;
  engine.error({&file, file.locationOfOffset(8), file.locationOfOffset(9)}, "x");
  const std::string text = render(engine.diagnostics()[0]);
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  EXPECT_EQ(text.find('\xff'), std::string::npos);
}

TEST(Diagnostics, FileLessMessagesHaveNoLocation) {
  SourceFile file("e.mod", "");
  DiagnosticEngine engine;
  engine.error({&file, {}, {}}, "file is empty");
  EXPECT_EQ(render(engine.diagnostics()[0]), "e.mod: error: file is empty\n");
}

}  // namespace
}  // namespace ranvier
