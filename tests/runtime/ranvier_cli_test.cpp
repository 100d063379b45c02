// The `ranvier` command line: exit codes, messages, outputs, --dry-run, interruption.
#include <csignal>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "../unit/cli_support.hpp"
#include "golden_csv.hpp"

namespace ranvier {
namespace {

const std::string kRanvier = RANVIER_PATH;

std::string cacheOption(const std::filesystem::path &dir) { return " --cache-dir " + (dir / "cache").string(); }

TEST(RanvierCli, RunsAnExampleAndWritesItsTraces) {
  const auto dir = test::freshDirectory("cli_run");
  const auto run = test::runCommand(kRanvier + " run " + test::sourceDir() + "/examples/hh-soma/soma.toml -o " + dir.string() + cacheOption(dir));
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_NE(run.output.find("60 ms simulated"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("2401 rows"), std::string::npos) << run.output;
  const test::Csv csv = test::readCsv((dir / "hh-soma.csv").string());
  EXPECT_EQ(csv.header, (std::vector<std::string>{"t", "v", "m", "h", "n", "ina", "ik", "iclamp_i"}));
  EXPECT_EQ(csv.rows.size(), 2401u);
  // The second run finds the compiled mechanisms in the cache.
  const auto again = test::runCommand(kRanvier + " run " + test::sourceDir() + "/examples/hh-soma/soma.toml -o " + dir.string() + cacheOption(dir));
  EXPECT_NE(again.output.find("0 compiled, 2 cached"), std::string::npos) << again.output;
}

TEST(RanvierCli, DryRunChecksWithoutSimulating) {
  const auto dir = test::freshDirectory("cli_dry");
  const auto run = test::runCommand("cd " + dir.string() + " && " + kRanvier + " run --dry-run " + test::sourceDir() + "/examples/swc-cell/cell.toml" + cacheOption(dir));
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_NE(run.output.find("ok: 1 cell(s), 109 node(s)"), std::string::npos) << run.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "swc-cell.csv"));
}

TEST(RanvierCli, BadModelsExitNonZeroWithFileAndLine) {
  const auto dir = test::freshDirectory("cli_bad");
  test::writeFile(dir / "bad.toml", "[simulation]\ntstop = 5\n\n[cell.c]\nsections = [{ name = \"soma\" }]\ninsert = [{ mechanism = \"hhh\" }]\n");
  const auto run = test::runCommand(kRanvier + " run " + (dir / "bad.toml").string() + cacheOption(dir));
  EXPECT_EQ(run.status, 1);
  EXPECT_NE(run.output.find("bad.toml:6:"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("unknown mechanism 'hhh'"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("hint: did you mean 'hh'?"), std::string::npos) << run.output;
  EXPECT_NE(test::runCommand(kRanvier + " run " + (dir / "missing.toml").string()).status, 0);
  EXPECT_NE(test::runCommand(kRanvier).status, 0);
  EXPECT_NE(test::runCommand(kRanvier + " run " + (dir / "bad.toml").string() + " --tstop -3").status, 0);
}

// SIGINT stops the run between steps; what was simulated so far is in the trace file.
TEST(RanvierCli, AnInterruptedRunKeepsItsOutput) {
  const auto dir = test::freshDirectory("cli_interrupt");
  const std::string command = kRanvier + " run " + test::sourceDir() + "/examples/hh-cable/cable.toml --tstop 100000 -q -o " + dir.string() +
                              cacheOption(dir) + " & echo $! > " + (dir / "pid").string() + "; wait";
  std::thread runner([&] { test::runCommand(command); });
  const auto trace = dir / "cable.csv";
  for (int i = 0; i < 200 && !(std::filesystem::exists(trace) && std::filesystem::file_size(trace) > 200000); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::ifstream pidFile(dir / "pid");
  pid_t pid = 0;
  pidFile >> pid;
  ASSERT_GT(pid, 0);
  kill(pid, SIGINT);
  runner.join();
  const test::Csv csv = test::readCsv(trace.string());
  ASSERT_GT(csv.rows.size(), 100u);
  // Rows are complete and consecutive up to the end.
  for (std::size_t r = 0; r < csv.rows.size(); ++r) ASSERT_EQ(csv.rows[r].size(), csv.header.size()) << r;
  EXPECT_LT(csv.number(csv.rows.size() - 1, 0), 100000.0);
}

}  // namespace
}  // namespace ranvier
