// Bad input is a first-class case: every malformed file gives errors with a
// location, and no input crashes or hangs the parser.

#include <chrono>
#include <fstream>
#include <random>
#include <sstream>

#include "test_support.hpp"

namespace ranvier::test {
namespace {

// Expects a parse failure whose first error is at line:column and mentions `words`.
void expectError(const std::string &text, std::uint32_t line, std::uint32_t column,
                 const std::string &words) {
  auto p = parseText(text);
  ASSERT_FALSE(p->ok()) << "accepted:\n" << text;
  const Diagnostic *e = p->firstError();
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->range.begin.line, line) << p->allMessages();
  EXPECT_EQ(e->range.begin.column, column) << p->allMessages();
  EXPECT_NE((e->message + " " + e->hint).find(words), std::string::npos) << p->allMessages();
}

TEST(BadInput, TruncatedBlockPointsAtTheEndAndTheOpenBrace) {
  auto p = parseText("NEURON {\n  SUFFIX x\n");
  ASSERT_FALSE(p->ok());
  const Diagnostic *e = p->firstError();
  EXPECT_NE(e->message.find("end of file"), std::string::npos) << p->allMessages();
  ASSERT_EQ(e->notes.size(), 1u);
  EXPECT_EQ(e->notes[0].range.begin.line, 1u);
  EXPECT_EQ(e->notes[0].range.begin.column, 8u);
}

TEST(BadInput, MissingCloseBraceBeforeNextBlockSaysSo) {
  expectError("NEURON { SUFFIX x\nPARAMETER { a = 1 }\n", 2, 1, "'}' missing");
}

TEST(BadInput, ExtraCloseBrace) { expectError("NEURON { SUFFIX x }\n}\n", 2, 1, "unexpected '}'"); }

TEST(BadInput, UnknownAndMisspelledKeywords) {
  expectError("BREAKPONT { x = 1 }\n", 1, 1, "did you mean 'BREAKPOINT'?");
  expectError("neuron { SUFFIX x }\n", 1, 1, "upper case");
  expectError("NEURON { SUFIX x }\n", 1, 10, "did you mean 'SUFFIX'?");
}

TEST(BadInput, MalformedNumbers) {
  expectError("PARAMETER { a = 1e }\n", 1, 17, "exponent has no digits");
  expectError("PARAMETER { a = 1.2.3 }\n", 1, 17, "more than one decimal point");
  expectError("PARAMETER { a = 1e+ }\n", 1, 17, "malformed number");
  expectError("PARAMETER { a = 1e999 }\n", 1, 17, "too large");
}

TEST(BadInput, StrayCharacters) {
  expectError("BREAKPOINT { x = 1; }\n", 1, 19, "';'");
  expectError("BREAKPOINT { x = $y }\n", 1, 18, "'$'");
  expectError(std::string("NEURON { SUFFIX a\0 }", 20), 1, 18, "NUL byte");
}

TEST(BadInput, UnterminatedCommentVerbatimAndString) {
  expectError("NEURON { SUFFIX x }\nCOMMENT\n never closed\n", 2, 1, "COMMENT is never closed");
  expectError("VERBATIM\n int x;\n", 1, 1, "VERBATIM is never closed");
  expectError("BREAKPOINT { printf(\"abc) }\n", 1, 21, "missing closing");
}

TEST(BadInput, UnitWithoutClosingParenthesis) {
  expectError("PARAMETER {\n a = 1 (mV\n b = 2 (ms)\n}\n", 2, 8, "no ')'");
}

TEST(BadInput, DeclarationsThatTheirBlockDoesNotAllow) {
  expectError("ASSIGNED { x = 1 }\n", 1, 16, "not allowed in an ASSIGNED");
  expectError("CONSTANT { c }\n", 1, 12, "needs a value");
  expectError("PARAMETER { p FROM 0 TO 1 }\n", 1, 20, "FROM ... TO");
  expectError("STATE { s <0, 1> }\n", 1, 11, "only PARAMETERs");
}

TEST(BadInput, StatementFormsNocmodlRejects) {
  expectError("NEURON { USEION na VALENCE 1 }\n", 1, 10, "READ or WRITE");
  expectError("NET_RECEIVE(w) { WATCH (v == 1) 2 }\n", 1, 25, "'>' or '<'");
  expectError("DERIVATIVE d SOLVEFOR m { m' = 1 }\n", 1, 14, "SOLVEFOR");
}

TEST(BadInput, SeveralErrorsInOneFileAreAllReported) {
  auto p = parseText("PARAMETER { a = 1e }\nBREAKPOINT { x = 1; }\nSTATE { s $ }\n");
  EXPECT_GE(p->diagnostics.errorCount(), 3u) << p->allMessages();
}

// Deep nesting must end in an error or a result, never a stack overflow.
TEST(BadInput, TenThousandNestedParentheses) {
  const std::string expression = std::string(10000, '(') + "x" + std::string(10000, ')');
  auto p = parseText("BREAKPOINT { y = " + expression + " }");
  ASSERT_FALSE(p->ok());
  EXPECT_NE(p->firstError()->message.find("nesting too deep"), std::string::npos) << p->allMessages();
}

TEST(BadInput, TenThousandNestedBlocksUnaryMinusesAndPowers) {
  std::string blocks = "BREAKPOINT { ";
  for (int i = 0; i < 10000; ++i) blocks += "if (a) { ";
  blocks += std::string(10000, '}') + " }";
  EXPECT_FALSE(parseText(blocks)->ok());
  std::string minuses;
  for (int i = 0; i < 10000; ++i) minuses += "- ";
  EXPECT_FALSE(parseText("BREAKPOINT { y = " + minuses + "x }")->ok());
  std::string powers = "x";
  for (int i = 0; i < 10000; ++i) powers += "^x";
  EXPECT_FALSE(parseText("BREAKPOINT { y = " + powers + " }")->ok());
}

TEST(BadInput, ModestNestingIsFine) {
  const std::string expression = std::string(100, '(') + "x" + std::string(100, ')');
  EXPECT_TRUE(parseText("BREAKPOINT { y = " + expression + " }")->ok());
}

TEST(BadInput, RandomBytesNeverCrash) {
  std::mt19937 rng(20261121);
  const std::string alphabet = "{}()[]<>=~+-*/^'\":?,.@!&|;$ \n\tabcxyzEe019_"
                               "NEURON SUFFIX PARAMETER STATE BREAKPOINT COMMENT VERBATIM ENDCOMMENT";
  for (int round = 0; round < 300; ++round) {
    std::string text;
    const std::size_t length = rng() % 400;
    const bool binary = round % 3 == 0;
    for (std::size_t i = 0; i < length; ++i) {
      text.push_back(binary ? static_cast<char>(rng() % 256) : alphabet[rng() % alphabet.size()]);
    }
    auto p = parseText(text);
    if (!p->ok()) {
      const Diagnostic *e = p->firstError();
      ASSERT_NE(e, nullptr) << "failed without an error for round " << round;
      EXPECT_TRUE(e->range.valid()) << "error without a location: " << e->message;
    }
  }
}

TEST(BadInput, EveryPrefixOfARealMechanismIsHandled) {
  std::ifstream in(sourceDir() / "mechanisms" / "hh.mod");
  ASSERT_TRUE(in) << "mechanisms/hh.mod is missing";
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  ASSERT_TRUE(parseText(text)->ok());
  std::size_t failures = 0;
  for (std::size_t length = 0; length < text.size(); length += 13) {
    auto p = parseText(text.substr(0, length));
    if (!p->ok()) {
      ++failures;
      ASSERT_NE(p->firstError(), nullptr) << "prefix " << length;
    }
  }
  EXPECT_GT(failures, 0u);
}

TEST(BadInput, TenMegabyteFiles) {
  std::string valid = "PARAMETER {\n";
  for (int i = 0; valid.size() < 10'000'000; ++i) valid += "  p" + std::to_string(i) + " = " + std::to_string(i) + " (mV) <0, 1e9>\n";
  valid += "}\n";
  const auto start = std::chrono::steady_clock::now();
  auto good = parseText(valid);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(good->ok()) << good->allMessages();
  EXPECT_GT(onlyItem<ast::DeclarationBlock>(*good).declarations.size(), 300000u);
  EXPECT_LT(seconds, 60.0);  // a hang guard, not a benchmark (see bench/)

  std::string garbage;
  for (int i = 0; garbage.size() < 10'000'000; ++i) garbage += "} ( = ~ NEURON 1e x' <-> ";
  auto bad = std::make_unique<Parsed>();
  bad->file = std::make_unique<SourceFile>("garbage.mod", garbage);
  DiagnosticEngine limited(50);
  EXPECT_EQ(frontend::parse(*bad->file, limited), nullptr);
  EXPECT_EQ(limited.diagnostics().size(), 50u);
}

TEST(BadInput, FilesInTheBadCorpusAreRejected) {
  const auto files = modFilesUnder(sourceDir() / "tests" / "mod" / "bad");
  ASSERT_FALSE(files.empty());
  for (const auto &path : files) {
    auto loaded = SourceFile::load(path);
    ASSERT_TRUE(loaded.file) << path;
    DiagnosticEngine diagnostics;
    auto program = frontend::parse(*loaded.file, diagnostics);
    EXPECT_EQ(program, nullptr) << path << " was accepted";
    EXPECT_TRUE(diagnostics.hasErrors()) << path;
  }
}

}  // namespace
}  // namespace ranvier::test
