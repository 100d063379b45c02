// The tree solve takes different paths for the same cell depending on what shares its
// group (a lone cable is a chain; identical cells side by side are vector runs; two are
// solved node by node). All must give the same numbers, bit for bit: that is what makes
// results independent of the number of threads.
#include <cmath>
#include <random>
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
  std::int32_t chainLevels = 0;            // of part 0
  std::int32_t groupNodes = 0;             // of part 0, idle nodes included
  std::vector<std::int32_t> position;      // of part 0: where each node went
  std::size_t nodes = 0;                   // the summary's count
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
  const sim::TreeSolver solver(built.network->part(0).group().nodes);
  out.runs = solver.runs();
  out.chainLevels = solver.chainLevels();
  out.groupNodes = built.network->part(0).group().nodes.count;
  out.position = built.network->part(0).group().nodes.position;
  out.nodes = built.nodes;
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

// A depth of 8 nodes or more is filled up to whole cache lines with idle nodes, so that
// the next depth starts on one; the idle nodes change nothing: 9 or 13 single-compartment
// cells give the bits of one alone, and their groups are still chains of 3 levels.
TEST(TreeSolver, DepthsArePaddedToCacheLinesWithoutChangingResults) {
  const char *const soma = "{ name = \"a\", L = 20, diam = 20, nseg = 1 }";
  const Simulated alone = simulate(model(soma, 1), 1);
  EXPECT_EQ(alone.groupNodes, 3);  // fewer than 8 a depth: no padding
  for (int cells : {9, 13}) {
    SCOPED_TRACE(cells);
    const Simulated group = simulate(model(soma, cells), 1);
    EXPECT_EQ(group.groupNodes, 3 * 16);
    EXPECT_EQ(group.nodes, static_cast<std::size_t>(3 * cells));
    EXPECT_EQ(group.chainLevels, 3);
    std::vector<int> perDepth(3, 0);
    for (std::int32_t p : group.position) {
      ASSERT_LT(p, 48);
      ASSERT_LT(p % 16, cells);  // real nodes first in each depth, idle ones after
      ++perDepth[static_cast<std::size_t>(p / 16)];
    }
    EXPECT_EQ(perDepth, std::vector<int>(3, cells));
    ASSERT_GT(alone.rows.size(), 1000u);
    EXPECT_TRUE(alone.rows == group.rows);
  }
}

TEST(TreeSolver, ABranchedCellGivesTheSameBitsAloneAndInAGroup) {
  const Simulated alone = simulate(model(kBranched, 1), 1);
  const Simulated six = simulate(model(kBranched, 6), 1);
  const Simulated three = simulate(model(kBranched, 6), 3);
  EXPECT_TRUE(alone.rows == six.rows);
  EXPECT_TRUE(alone.rows == three.rows);
}

// Nodes of `cells` unbranched cells of `levels` nodes each, level by level (the
// builder's depth order), with random coefficients of the signs discretisation gives.
sim::Nodes chainNodes(std::int32_t cells, std::int32_t levels, unsigned seed) {
  sim::Nodes n;
  n.count = cells * levels;
  const auto size = static_cast<std::size_t>(n.count);
  for (runtime::AlignedArray *array : {&n.v, &n.rhs, &n.d, &n.area, &n.diam, &n.a, &n.b, &n.cm, &n.ab, &n.inverseD, &n.bOverD}) {
    *array = runtime::AlignedArray(size);
  }
  std::mt19937_64 random(seed);
  std::uniform_real_distribution<double> uniform(0.1, 1.0);
  for (std::int32_t i = 0; i < n.count; ++i) {
    const auto k = static_cast<std::size_t>(i);
    n.parent.push_back(i < cells ? -1 : i - cells);
    n.v.data()[k] = -65 + 30 * uniform(random);
    n.rhs.data()[k] = uniform(random) - 0.5;
    n.d.data()[k] = uniform(random);
    n.a.data()[k] = i < cells ? 0 : -uniform(random);
    n.b.data()[k] = i < cells ? 0 : -uniform(random);
    n.ab.data()[k] = n.a.data()[k] * n.b.data()[k];
    n.cm.data()[k] = i >= (levels - 1) * cells ? 0 : uniform(random);  // the 1-end: no membrane
  }
  return n;
}

TEST(TreeSolver, SingleCompartmentCellsTakeTheFusedPathWithTheSameBits) {
  for (std::int32_t levels : {2, 3, 4}) {
    for (std::int32_t cells : {1, 3, 4, 13, 64}) {
      sim::Nodes fused = chainNodes(cells, levels, static_cast<unsigned>(levels * 100 + cells));
      sim::Nodes apart = chainNodes(cells, levels, static_cast<unsigned>(levels * 100 + cells));
      const sim::TreeSolver solver(fused);
      ASSERT_EQ(solver.chainLevels(), levels) << cells << " cells";
      solver.assembleAndSolve(fused, 0.001 / 0.025);
      solver.assemble(apart, 0.001 / 0.025);
      solver.solve(apart);
      for (std::int32_t i = 0; i < fused.count; ++i) {
        const auto k = static_cast<std::size_t>(i);
        ASSERT_EQ(fused.rhs.data()[k], apart.rhs.data()[k]) << levels << " levels, " << cells << " cells, node " << i;
        ASSERT_EQ(fused.d.data()[k], apart.d.data()[k]) << levels << " levels, " << cells << " cells, node " << i;
      }
    }
  }
  // Chains too long: the general path.
  EXPECT_EQ(sim::TreeSolver(chainNodes(8, 5, 1)).chainLevels(), 0);
  EXPECT_EQ(sim::TreeSolver(chainNodes(1, 5, 1)).chainLevels(), 0);
}

// A group of single-compartment cells alone (the fused path) and sharing its group with
// a cable (the general runs): the same traces.
TEST(TreeSolver, ASingleCompartmentCellGivesTheSameBitsWithAndWithoutACableBeside) {
  std::string somata = model("{ name = \"a\", L = 20, diam = 20, nseg = 1 }", 8);
  somata.replace(somata.find("a(0)"), 4, "a(0.5)");
  const Simulated alone = simulate(somata, 1);
  std::string mixed = somata;
  mixed.insert(mixed.find("[output]"), "[cell.cable]\nsections = [" + std::string(kCable) +
                                          "]\ninsert = [ { mechanism = \"hh\" } ]\n\n[population.q]\ncell = \"cable\"\ncount = 1\n\n");
  const Simulated beside = simulate(mixed, 1);
  EXPECT_EQ(alone.chainLevels, 3);  // NEURON's root node, the segment, the 1-end
  EXPECT_EQ(beside.chainLevels, 0);
  ASSERT_GT(alone.rows.size(), 1000u);
  EXPECT_TRUE(alone.rows == beside.rows);
  double highest = -100;
  for (const auto &row : alone.rows) highest = std::max(highest, row[1]);
  EXPECT_GT(highest, 0);  // it fired
}

}  // namespace
}  // namespace ranvier
