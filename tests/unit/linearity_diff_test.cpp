// ODE linearity (for mechlint's euler rewrite) and unified diffs.

#include <random>
#include <sstream>

#include "analysis/linearity.hpp"
#include "cli_support.hpp"
#include "support/text_edit.hpp"
#include "test_support.hpp"

namespace ranvier::test {
namespace {

bool linear(const std::string &body) {
  auto p = parseText("DERIVATIVE d {\n" + body + "\n}\n");
  EXPECT_TRUE(p->ok()) << p->allMessages();
  return analysis::allOdesLinear(ast::cast<ast::NamedBlock>(*p->program->items.at(0)));
}

TEST(Linearity, LinearInTheirOwnState) {
  EXPECT_TRUE(linear("m' = (minf - m) / mtau"));
  EXPECT_TRUE(linear("m' = alpha * (1 - m) - beta * m"));
  EXPECT_TRUE(linear("rates(v) m' = -m / tau + exp(v)"));
  EXPECT_TRUE(linear("LOCAL a a = 2 * k m' = a - m"));
  EXPECT_TRUE(linear("c' = k * c^1"));
}

TEST(Linearity, NotLinearEvenThroughIntermediates) {
  EXPECT_FALSE(linear("m' = -m * m"));
  EXPECT_FALSE(linear("m' = 1 / m"));
  EXPECT_FALSE(linear("m' = exp(m)"));
  EXPECT_FALSE(linear("c' = -c^2"));
  // The example: nocmodl's cnexp accepts it, but it is not linear in c.
  EXPECT_FALSE(linear("p = k * c / (c + kd) c' = p - c / tau"));
  EXPECT_FALSE(linear("if (c > 1) { q = c } else { q = 0 } c' = q"));
  // A later assignment does not change an earlier ODE.
  EXPECT_TRUE(linear("c' = p - c / tau p = c * c"));
}

// Applies a unified diff to `text`; what a patch tool would do.
std::string applyUnifiedDiff(const std::string &text, const std::string &diff) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line + "\n");
  std::vector<std::string> out;
  std::size_t next = 0;  // next unread line of `text`
  std::istringstream patch(diff);
  std::string line;
  std::getline(patch, line);  // ---
  std::getline(patch, line);  // +++
  while (std::getline(patch, line)) {
    if (line.rfind("@@ -", 0) == 0) {
      const std::size_t start = std::stoul(line.substr(4));
      const std::size_t from = start == 0 ? 0 : start - 1;
      while (next < from) out.push_back(lines[next++]);
    } else if (line[0] == ' ') {
      EXPECT_EQ(lines.at(next), line.substr(1) + "\n");
      out.push_back(lines[next++]);
    } else if (line[0] == '-') {
      EXPECT_EQ(lines.at(next), line.substr(1) + "\n");
      ++next;
    } else if (line[0] == '+') {
      out.push_back(line.substr(1) + "\n");
    }
  }
  while (next < lines.size()) out.push_back(lines[next++]);
  std::string result;
  for (const std::string &l : out) result += l;
  return result;
}

TEST(UnifiedDiff, IsAPatchThatTurnsOneTextIntoTheOther) {
  std::mt19937 rng(7);
  for (int round = 0; round < 200; ++round) {
    std::string a, b;
    const int lines = 1 + static_cast<int>(rng() % 60);
    for (int i = 0; i < lines; ++i) {
      const std::string line = "line " + std::to_string(rng() % 12) + "\n";
      const unsigned what = rng() % 10;
      if (what != 0) a += line;
      if (what != 1) b += (what == 2 ? "changed " : "") + line;
    }
    const std::string diff = unifiedDiff(a, b, "a", "b");
    EXPECT_EQ(diff.empty(), a == b);
    if (!diff.empty()) {
      EXPECT_EQ(applyUnifiedDiff(a, diff), b) << "round " << round << "\n" << diff;
    }
  }
}

TEST(UnifiedDiff, SameLayoutAsDiffU) {
  if (std::system("command -v diff > /dev/null 2>&1") != 0) GTEST_SKIP() << "diff not installed";
  const auto dir = freshDirectory("unified_diff");
  // One changed line with context, and two changes 6 lines apart (one hunk) and 7
  // lines apart (two hunks), as diff -u lays them out.
  std::string a;
  for (int i = 1; i <= 30; ++i) a += "l" + std::to_string(i) + "\n";
  for (const auto &[x, y] : {std::pair{3, 10}, std::pair{3, 11}, std::pair{1, 30}}) {
    std::string b = a;
    for (int n : {y, x}) {
      const std::string target = "l" + std::to_string(n) + "\n";
      b.replace(b.find(target), target.size(), "L" + std::to_string(n) + "\n");
    }
    writeFile(dir / "a", a);
    writeFile(dir / "b", b);
    CliRun expected = runCommand("diff -u --label a --label b '" + (dir / "a").string() + "' '" + (dir / "b").string() + "'");
    EXPECT_EQ(unifiedDiff(a, b, "a", "b"), expected.output);
  }
}

TEST(TextEdits, ApplyInAnyOrder) {
  EXPECT_EQ(applyEdits("abcdef", {{4, 1, "E"}, {0, 0, ">"}, {1, 2, ""}}), ">adEf");
}

}  // namespace
}  // namespace ranvier::test
