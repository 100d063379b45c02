// The mechc command line: exit status 0 ok, 1 errors in the input, 2 usage or I/O.

#include <fstream>

#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "test_support.hpp"

namespace ranvier::test {
namespace {

CliRun mechc(const std::string &arguments) { return runCommand(std::string(MECHC_PATH) + " " + arguments); }

std::string tempFile(const std::string &name, const std::string &contents) {
  const auto path = std::filesystem::temp_directory_path() / ("mechc_cli_" + name);
  std::ofstream(path, std::ios::binary) << contents;
  return path.string();
}

const std::string kGood = "NEURON { SUFFIX leak NONSPECIFIC_CURRENT i RANGE g }\n"
                          "PARAMETER { g = .001 (S/cm2) }\nASSIGNED { v (mV) i (mA/cm2) }\n"
                          "BREAKPOINT { i = g * (v + 65) }\n";

TEST(MechcCli, VersionAndHelp) {
  CliRun version = mechc("--version");
  EXPECT_EQ(version.status, 0);
  EXPECT_NE(version.output.find("mechc (Ranvier)"), std::string::npos);
  EXPECT_EQ(mechc("--help").status, 0);
}

TEST(MechcCli, UsageErrorsExitWithTwo) {
  EXPECT_EQ(mechc("").status, 2);
  EXPECT_EQ(mechc("--no-such-option x.mod").status, 2);
  EXPECT_EQ(mechc("--color=sometimes x.mod").status, 2);
  const std::string good = tempFile("good.mod", kGood);
  EXPECT_EQ(mechc("--dump-ast " + good + " " + good).status, 2);
}

TEST(MechcCli, IoErrorsExitWithTwoAndNameTheFile) {
  CliRun missing = mechc("--check /no/such/file.mod");
  EXPECT_EQ(missing.status, 2);
  EXPECT_NE(missing.output.find("/no/such/file.mod: no such file"), std::string::npos);
  CliRun directory = mechc("--check /tmp");
  EXPECT_EQ(directory.status, 2);
  EXPECT_NE(directory.output.find("directory"), std::string::npos);
}

TEST(MechcCli, GoodFileIsQuietAndExitsZero) {
  CliRun run = mechc("--check " + tempFile("good.mod", kGood));
  EXPECT_EQ(run.status, 0) << run.output;
  EXPECT_EQ(run.output, "");
}

TEST(MechcCli, BadInputExitsWithOneAndShowsTheLocation) {
  const std::string bad = tempFile("bad.mod", "NEURON {\n  SUFFIX x\n  RANGE a b\n}\n");
  CliRun run = mechc("--check --color=never " + bad);
  EXPECT_EQ(run.status, 1);
  EXPECT_NE(run.output.find("mechc_cli_bad.mod:3:11: error: unexpected name 'b'"), std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("    3 |   RANGE a b\n"), std::string::npos) << run.output;
}

// --check reports what solving the equations finds, not only the front end's errors:
// these files parse and pass semantic analysis, and fail to compile.
TEST(MechcCli, CheckReportsSolverErrors) {
  const std::string head = "NEURON { SUFFIX x }\nSTATE { y }\nBREAKPOINT { SOLVE s METHOD ";
  const std::string ode = " }\nDERIVATIVE s { y' = (1 - y)*(1 + y*y) }\n";
  CliRun euler = mechc("--check --color=never " + tempFile("euler.mod", head + "euler" + ode));
  EXPECT_EQ(euler.status, 1) << euler.output;
  EXPECT_NE(euler.output.find("mechc_cli_euler.mod:3:29: error: METHOD euler is not supported"), std::string::npos) << euler.output;
  CliRun cnexp = mechc("--check --color=never " + tempFile("cnexp.mod", head + "cnexp" + ode));
  EXPECT_EQ(cnexp.status, 0) << cnexp.output;  // derivimplicit instead, as nocmodl does
  EXPECT_NE(cnexp.output.find("warning: the equation for y' is not linear in y, so cnexp cannot solve it"), std::string::npos) << cnexp.output;
  CliRun adams = mechc("--check --color=never " + tempFile("adams.mod", head + "adams" + ode));
  EXPECT_EQ(adams.status, 1) << adams.output;
  EXPECT_NE(adams.output.find("error: METHOD adams is not supported"), std::string::npos) << adams.output;
  CliRun implicit = mechc("--check " + tempFile("implicit.mod", head + "derivimplicit" + ode));
  EXPECT_EQ(implicit.status, 0) << implicit.output;
}

TEST(MechcCli, EmptyBinaryAndCommentOnlyFilesAreErrors) {
  CliRun empty = mechc("--check " + tempFile("empty.mod", ""));
  EXPECT_EQ(empty.status, 1);
  EXPECT_NE(empty.output.find("empty"), std::string::npos);
  CliRun binary = mechc("--check " + tempFile("binary.mod", std::string("\x7f" "ELF\x02\x01\x01\0\0\0", 10)));
  EXPECT_EQ(binary.status, 1);
  EXPECT_NE(binary.output.find("not an NMODL text file"), std::string::npos);
  CliRun comments = mechc("--check " + tempFile("comments.mod", ": nothing\nCOMMENT\nx\nENDCOMMENT\n"));
  EXPECT_EQ(comments.status, 1);
}

TEST(MechcCli, SeveralFilesGetASummaryAndTheWorstStatus) {
  CliRun run = mechc("--check " + tempFile("good.mod", kGood) + " " + tempFile("bad2.mod", "NEURON {"));
  EXPECT_EQ(run.status, 1);
  EXPECT_NE(run.output.find("2 files checked: 1 ok, 1 with errors"), std::string::npos) << run.output;
}

TEST(MechcCli, DumpAstIsJsonAndPrintReparses) {
  const std::string good = tempFile("good.mod", kGood);
  CliRun dump = mechc("--dump-ast " + good);
  ASSERT_EQ(dump.status, 0) << dump.output;
  auto json = nlohmann::json::parse(dump.output);
  EXPECT_EQ(json["kind"], "Program");
  EXPECT_EQ(json["items"].size(), 4u);
  CliRun printed = mechc("--print " + good);
  ASSERT_EQ(printed.status, 0);
  CliRun again = mechc("--check " + tempFile("printed.mod", printed.output));
  EXPECT_EQ(again.status, 0) << again.output;
}

TEST(MechcCli, ExplainThreads) {
  CliRun run = mechc("--explain-threads " + (sourceDir() / "mechanisms" / "hh.mod").string());
  EXPECT_EQ(run.status, 0) << run.output;
  EXPECT_NE(run.output.find("SUFFIX hh: safe (THREADSAFE)"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("GLOBAL minf         per-instance"), std::string::npos) << run.output;
}

TEST(MechcCli, EmitKernels) {
  CliRun run = mechc("--emit-kernels " + tempFile("leak.mod", kGood));
  EXPECT_EQ(run.status, 0) << run.output;
  EXPECT_NE(run.output.find("current current():"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("node_rhs = node_rhs - rhs"), std::string::npos) << run.output;

  CliRun euler = mechc("--emit-kernels " + (sourceDir() / "tests/mod/constructs/solve_method_euler.mod").string());
  EXPECT_EQ(euler.status, 1) << euler.output;
  EXPECT_NE(euler.output.find("solve_method_euler.mod:20:24: error: METHOD euler is not supported"),
            std::string::npos) << euler.output;

  CliRun two = mechc("--emit-kernels " + tempFile("a.mod", kGood) + " " + tempFile("b.mod", kGood));
  EXPECT_EQ(two.status, 2) << two.output;
}

TEST(MechcCli, ReadsStandardInput) {
  CliRun run = mechc("--check - < " + tempFile("stdin.mod", kGood));
  EXPECT_EQ(run.status, 0) << run.output;
}

}  // namespace
}  // namespace ranvier::test
