// mechlint end to end: the interactive prompt, --fix, --dry-run, --check, JSON.

#include <nlohmann/json.hpp>

#include "analysis/thread_safety.hpp"
#include "ast/json.hpp"
#include "cli_support.hpp"
#include "sema/analyze.hpp"
#include "test_support.hpp"

namespace ranvier::test {
namespace {

const std::string kFixable = "NEURON {\r\n    SUFFIX g  : keeps its comment\r\n    GLOBAL q\r\n}\r\n"
                             "ASSIGNED { q }\r\nINITIAL { q = 1 }\r\n";
const std::string kSafe = "NEURON { SUFFIX s RANGE x }\nASSIGNED { x }\nINITIAL { x = 1 }\n";
const std::string kUnsafe = "NEURON { SUFFIX u POINTER p }\nASSIGNED { p }\n";
const std::string kEuler = "NEURON { SUFFIX e }\nPARAMETER { tau = 2 (ms) }\nSTATE { m }\n"
                           "BREAKPOINT { SOLVE d METHOD euler }\nDERIVATIVE d { m' = (1 - m) / tau }\n";

std::string mechlint(const std::string &arguments, const std::filesystem::path &dir,
                     const std::string &input = "") {
  const std::string feed = input.empty() ? " < /dev/null" : " < " + (dir / "answers.txt").string();
  if (!input.empty()) writeFile(dir / "answers.txt", input);
  return "cd '" + dir.string() + "' && " + MECHLINT_PATH + " --color=never " + arguments + feed;
}

TEST(MechlintCli, CheckExitCodesFollowTheVerdicts) {
  const auto dir = freshDirectory("mechlint_check");
  writeFile(dir / "safe.mod", kSafe);
  writeFile(dir / "fixable.mod", kFixable);
  EXPECT_EQ(runCommand(mechlint("--check safe.mod", dir)).status, 0);
  CliRun fixable = runCommand(mechlint("--check fixable.mod", dir));
  EXPECT_EQ(fixable.status, 1);
  EXPECT_NE(fixable.output.find("fixable.mod: fixable"), std::string::npos) << fixable.output;
  EXPECT_NE(fixable.output.find("fixable.mod:6:11: warning: GLOBAL 'q' is assigned here"), std::string::npos);
  EXPECT_EQ(readFile(dir / "fixable.mod"), kFixable);  // --check writes nothing
  writeFile(dir / "broken.mod", "NEURON { SUFFIX");
  EXPECT_EQ(runCommand(mechlint("--check safe.mod broken.mod", dir)).status, 2);
  EXPECT_EQ(runCommand(mechlint("--check missing.mod", dir)).status, 2);
  // Default: every .mod file of the directory.
  EXPECT_EQ(runCommand(mechlint("--check", dir)).status, 2);
}

TEST(MechlintCli, JsonReport) {
  const auto dir = freshDirectory("mechlint_json");
  writeFile(dir / "a.mod", kFixable);
  writeFile(dir / "b.mod", kUnsafe);
  CliRun run = runCommand(mechlint("--check --format json a.mod b.mod", dir) + " 2>/dev/null");
  EXPECT_EQ(run.status, 1);
  auto report = nlohmann::json::parse(run.output);
  ASSERT_EQ(report.size(), 2u);
  EXPECT_EQ(report[0]["file"], "a.mod");
  EXPECT_EQ(report[0]["verdict"], "fixable");
  EXPECT_EQ(report[0]["findings"][0]["kind"], "global-assigned");
  EXPECT_EQ(report[0]["findings"][0]["line"], 6);
  EXPECT_EQ(report[0]["findings"][0]["column"], 11);
  EXPECT_EQ(report[1]["verdict"], "unsafe");
  EXPECT_EQ(report[1]["findings"][0]["kind"], "pointer");
}

// mkthreadsafe's way with a POINTER: the author examines it and answers y; the
// THREADSAFE that adds comes first in the NEURON block, so the file is then safe, with
// the POINTER kept as a note.
TEST(MechlintCli, AnsweringYesForAPointerMakesTheFileSafe) {
  const auto dir = freshDirectory("mechlint_pointer_vouched");
  writeFile(dir / "u.mod", kUnsafe);
  EXPECT_EQ(runCommand(mechlint("--check u.mod", dir)).status, 1);
  CliRun asked = runCommand(mechlint("u.mod", dir, "y\n"));
  EXPECT_NE(asked.output.find("Add THREADSAFE? [y][n]"), std::string::npos) << asked.output;
  ASSERT_NE(readFile(dir / "u.mod").find("THREADSAFE"), std::string::npos);

  CliRun check = runCommand(mechlint("--check u.mod", dir));
  EXPECT_EQ(check.status, 0) << check.output;
  EXPECT_NE(check.output.find("u.mod: safe"), std::string::npos) << check.output;
  EXPECT_NE(check.output.find("note: POINTER p"), std::string::npos) << check.output;
  EXPECT_NE(check.output.find("vouches"), std::string::npos) << check.output;
  auto report = nlohmann::json::parse(runCommand(mechlint("--check --format json u.mod", dir)).output);
  EXPECT_EQ(report[0]["verdict"], "safe");
  EXPECT_EQ(report[0]["findings"][0]["vouched"], true);
}

TEST(MechlintCli, InteractiveYesNoAndEndOfInput) {
  const auto dir = freshDirectory("mechlint_interactive");
  writeFile(dir / "a.mod", kFixable);
  writeFile(dir / "b.mod", kFixable);
  writeFile(dir / "c.mod", kFixable);
  CliRun run = runCommand(mechlint("a.mod b.mod", dir, "y\nn\n"));
  EXPECT_NE(run.output.find("Add THREADSAFE? [y][n]"), std::string::npos) << run.output;
  // y: THREADSAFE inserted, everything else byte for byte (CRLF, comment, spacing).
  EXPECT_EQ(readFile(dir / "a.mod"),
            "NEURON {\r\n    SUFFIX g  : keeps its comment\r\n    THREADSAFE\r\n    GLOBAL q\r\n}\r\n"
            "ASSIGNED { q }\r\nINITIAL { q = 1 }\r\n");
  EXPECT_EQ(readFile(dir / "b.mod"), kFixable);  // n: untouched
  runCommand(mechlint("c.mod", dir));             // end of input: nothing changes, no hang
  EXPECT_EQ(readFile(dir / "c.mod"), kFixable);
  for (const auto &entry : std::filesystem::directory_iterator(dir)) {
    EXPECT_EQ(entry.path().filename().string().find(".mechlint-"), std::string::npos) << "temporary file left";
  }
}

TEST(MechlintCli, FixRewritesEulerAndAddsThreadsafeWithADiff) {
  const auto dir = freshDirectory("mechlint_fix");
  writeFile(dir / "e.mod", kEuler);
  writeFile(dir / "one.mod", "NEURON { SUFFIX one GLOBAL q }\nASSIGNED { q }\nINITIAL { q = 1 }\n");
  CliRun dry = runCommand(mechlint("--dry-run e.mod", dir));
  EXPECT_NE(dry.output.find("-BREAKPOINT { SOLVE d METHOD euler }"), std::string::npos) << dry.output;
  EXPECT_NE(dry.output.find("+BREAKPOINT { SOLVE d METHOD cnexp }"), std::string::npos) << dry.output;
  EXPECT_EQ(readFile(dir / "e.mod"), kEuler);  // --dry-run writes nothing
  CliRun fix = runCommand(mechlint("--fix e.mod one.mod", dir));
  EXPECT_NE(readFile(dir / "e.mod").find("METHOD cnexp"), std::string::npos);
  EXPECT_EQ(readFile(dir / "one.mod"), "NEURON { SUFFIX one THREADSAFE GLOBAL q }\nASSIGNED { q }\nINITIAL { q = 1 }\n");
  EXPECT_EQ(runCommand(mechlint("--check e.mod one.mod", dir)).status, 0) << fix.output;
}

TEST(MechlintCli, UnparseableFilesAreNeverTouched) {
  const auto dir = freshDirectory("mechlint_broken");
  const std::string broken = "NEURON { SUFFIX b GLOBAL q }\nINITIAL { q = }\n";
  writeFile(dir / "b.mod", broken);
  EXPECT_EQ(runCommand(mechlint("--fix b.mod", dir)).status, 2);
  EXPECT_EQ(readFile(dir / "b.mod"), broken);
}

// --fix on every file of ours: the result parses, its AST is the original's apart
// from THREADSAFE and the solve method, and what --fix meant to make safe is safe.
TEST(MechlintCli, FixedFilesKeepTheirMeaning) {
  const auto dir = freshDirectory("mechlint_corpus");
  std::size_t fixed = 0;
  auto files = modFilesUnder(sourceDir() / "tests" / "mod" / "constructs");
  auto probes = modFilesUnder(sourceDir() / "tests" / "golden" / "nocmodl-threadsafe" / "probes-src");
  files.insert(files.end(), probes.begin(), probes.end());
  for (const auto &path : files) {
    std::filesystem::copy_file(path, dir / path.filename(), std::filesystem::copy_options::overwrite_existing);
  }
  std::filesystem::copy(sourceDir() / "tests" / "mod" / "constructs" / "inc", dir / "inc");
  for (const auto &path : files) {
    const auto copy = dir / path.filename();
    const std::string before = readFile(copy);
    if (!parseText(before)->ok()) continue;  // probes that are deliberately wrong
    runCommand(mechlint("--fix " + path.filename().string(), dir));
    const std::string after = readFile(copy);
    if (after == before) continue;
    ++fixed;
    auto original = parseText(before);
    auto changed = parseText(after);
    ASSERT_TRUE(changed->ok()) << path << "\n" << changed->allMessages();
    auto strip = [](nlohmann::json j) {
      for (auto &item : j["items"]) {
        if (item["kind"] == "NeuronBlock") {
          auto &s = item["statements"];
          s.erase(std::remove_if(s.begin(), s.end(), [](const nlohmann::json &x) { return x["kind"] == "ThreadsafeStmt"; }), s.end());
        }
      }
      std::string text = j.dump();
      for (const char *method : {"\"cnexp\"", "\"derivimplicit\"", "\"sparse\""}) {
        for (auto at = text.find(method); at != std::string::npos; at = text.find(method)) text.replace(at, std::string(method).size(), "\"euler\"");
      }
      return text;
    };
    EXPECT_EQ(strip(ast::toJson(*original->program, {.locations = false})),
              strip(ast::toJson(*changed->program, {.locations = false}))) << path;
    auto mechanism = sema::analyze(*changed->program, changed->diagnostics);
    const auto safety = analysis::analyzeThreadSafety(*mechanism);
    for (const analysis::Finding &f : safety.findings) {
      EXPECT_NE(f.kind, analysis::FindingKind::Euler) << path;
      if (mechanism->threadsafe) {
        EXPECT_TRUE(f.fixedByThreadsafe || safety.verdict != analysis::Verdict::Safe);
      }
    }
  }
  EXPECT_GT(fixed, 20u);
}

}  // namespace
}  // namespace ranvier::test
