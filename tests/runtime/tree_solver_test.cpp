// The tree solve takes different paths for the same cell depending on what shares its
// group (a lone cable is a chain; identical cells side by side are vector runs; two are
// solved node by node). All must give the same numbers, bit for bit: that is what makes
// results independent of the number of threads.
#include <cmath>
#include <filesystem>
#include <unistd.h>
#include <fstream>

#include <gtest/gtest.h>

#include "catalogue.hpp"
#include "model/build.hpp"
#include "sim/tree_solver.hpp"
#include "trace_rows.hpp"

namespace ranvier {
namespace {

// Cells of one template: an hh cable, or a branched cell (soma, two dendrites, one with
// a side branch), each stimulated at its start.
std::string model(const std::string &sections, int count) {
  return "[simulation]\ntstop = 30\n\n[cell.c]\nsections = [" + sections +
         "]\ninsert = [ { mechanism = \"hh\" } ]\n"
         "points = [ { name = \"stim\", mechanism = \"IClamp\", at = \"a(0)\", del = 1, dur = 1e9, amp = \"0.3 + 0.1 * gid\" } ]\n\n"
         "[population.p]\ncell = \"c\"\ncount = " +
         std::to_string(count) + "\n\n[output]\ntraces = \"v.csv\"\n\n[[record]]\nvariable = \"v\"\nat = \"p[0].a(0.9)\"\n\n[[record]]\nvariable = \"v\"\nat = \"p[0].a(0.3)\"\n";
}

const char *const kCable = "{ name = \"a\", L = 3000, diam = 1, nseg = 300, Ra = 35.4 }";
const char *const kBranched =
    "{ name = \"a\", L = 20, diam = 20, nseg = 1 }, { name = \"d1\", parent = \"a(1)\", L = 400, diam = 2, nseg = 40 },"
    "{ name = \"d2\", parent = \"a(0.5)\", L = 300, diam = 1, nseg = 31 }, { name = \"d3\", parent = \"d1(0.5)\", L = 200, diam = 1, nseg = 17 }";

struct Simulated {
  std::vector<std::vector<double>> rows;
  std::vector<sim::TreeSolver::Run> runs;  // of part 0
};

Simulated simulate(const std::string &text, int threads) {
  const auto dir = std::filesystem::temp_directory_path() / ("ranvier-tree-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    std::ofstream(dir / "m.toml") << text;
  }
  model::Model m = model::loadModel(dir / "m.toml");
  std::filesystem::remove_all(dir);
  m.threads = threads;
  tool::JitCatalogue catalogue(m.mechanismPaths, jit::JitOptions{});
  model::BuiltModel built = model::build(m, catalogue);
  Simulated out;
  out.runs = sim::TreeSolver(built.network->part(0).group().nodes).runs();
  for (const model::TraceProbe &p : built.traces.at(0).probes) built.network->addProbe(p.part, p.value);
  test::TraceRows rows(out.rows);
  built.network->initialize(rows);
  built.network->run(std::llround(m.tstop / m.dt), rows);
  return out;
}

bool hasRun(const Simulated &r, bool (*kind)(std::int32_t)) {
  for (const auto &run : r.runs) {
    if (kind(run.offset)) return true;
  }
  return false;
}

TEST(TreeSolver, ACableGivesTheSameBitsAloneSideBySideAndInPairs) {
  const Simulated alone = simulate(model(kCable, 1), 1);
  const Simulated four = simulate(model(kCable, 4), 1);     // 4 cables in one group: vector runs
  const Simulated pairs = simulate(model(kCable, 4), 2);    // 2 per group: node by node
  EXPECT_TRUE(hasRun(alone, [](std::int32_t o) { return o == sim::TreeSolver::kChain; }));
  EXPECT_TRUE(hasRun(four, [](std::int32_t o) { return o > 0; }));
  EXPECT_FALSE(hasRun(pairs, [](std::int32_t o) { return o > 0 || o == sim::TreeSolver::kChain; }));
  ASSERT_GT(alone.rows.size(), 1000u);
  EXPECT_TRUE(alone.rows == four.rows);
  EXPECT_TRUE(alone.rows == pairs.rows);
  double highest = -100;
  for (const auto &row : alone.rows) highest = std::max(highest, row[1]);
  EXPECT_GT(highest, 0);  // the cable fired: the comparison covers spikes
}

TEST(TreeSolver, ABranchedCellGivesTheSameBitsAloneAndInAGroup) {
  const Simulated alone = simulate(model(kBranched, 1), 1);
  const Simulated six = simulate(model(kBranched, 6), 1);
  const Simulated three = simulate(model(kBranched, 6), 3);
  EXPECT_TRUE(alone.rows == six.rows);
  EXPECT_TRUE(alone.rows == three.rows);
}

}  // namespace
}  // namespace ranvier
