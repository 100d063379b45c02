// Cells cut into pieces for several threads (split_cells = "auto", issue 10): the pieces
// are eliminated on their threads and joined through a reduced system, which is a direct
// method, so every voltage must equal the unsplit run's up to round-off.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <random>
#include <thread>
#include <unistd.h>

#include <gtest/gtest.h>

#include "model_text_test.hpp"

#include "catalogue.hpp"
#include "model/build.hpp"
#include "model/model.hpp"
#include "sim/step_barrier.hpp"
#include "sim/tree_partition.hpp"
#include "trace_rows.hpp"

namespace ranvier {
namespace {

// ---- the partition ----------------------------------------------------------------

std::vector<std::int32_t> randomTree(std::size_t n, std::mt19937 &rng, double chainBias) {
  std::vector<std::int32_t> parent(n, -1);
  std::bernoulli_distribution chain(chainBias);
  for (std::size_t i = 1; i < n; ++i) {
    parent[i] = chain(rng) ? static_cast<std::int32_t>(i - 1) : std::uniform_int_distribution<std::int32_t>(0, static_cast<std::int32_t>(i - 1))(rng);
  }
  return parent;
}

// What makes a partition solvable piece by piece: the pieces and the interface nodes
// cover the tree once; a piece is connected below its top, hangs from its `upper` and
// has at most one interface node below it, and is no dearer than the target unless it
// is a single node.
void expectValidPartition(const sim::TreePartition &tp, const std::vector<std::int32_t> &parent, const std::vector<double> &cost, double target) {
  const std::size_t n = parent.size();
  std::vector<int> seen(n, 0);
  for (std::int32_t s : tp.interfaces) {
    ++seen[static_cast<std::size_t>(s)];
    EXPECT_EQ(tp.pieceOf[static_cast<std::size_t>(s)], -1);
  }
  for (std::size_t k = 0; k < tp.pieces.size(); ++k) {
    const auto &piece = tp.pieces[k];
    ASSERT_FALSE(piece.nodes.empty());
    EXPECT_EQ(piece.nodes.front(), piece.top);
    EXPECT_EQ(parent[static_cast<std::size_t>(piece.top)], piece.upper);
    EXPECT_TRUE(std::is_sorted(piece.nodes.begin(), piece.nodes.end()));
    double sum = 0;
    for (std::int32_t x : piece.nodes) {
      ++seen[static_cast<std::size_t>(x)];
      EXPECT_EQ(tp.pieceOf[static_cast<std::size_t>(x)], static_cast<std::int32_t>(k));
      if (x != piece.top) {
        EXPECT_EQ(tp.pieceOf[static_cast<std::size_t>(parent[static_cast<std::size_t>(x)])], static_cast<std::int32_t>(k));
      }
      sum += cost[static_cast<std::size_t>(x)];
    }
    EXPECT_DOUBLE_EQ(sum, piece.cost);
    EXPECT_TRUE(piece.cost < target || piece.nodes.size() == 1) << piece.cost;
    int below = 0;
    for (std::int32_t s : tp.interfaces) {
      const std::int32_t p = parent[static_cast<std::size_t>(s)];
      if (p >= 0 && tp.pieceOf[static_cast<std::size_t>(p)] == static_cast<std::int32_t>(k)) {
        ++below;
        EXPECT_EQ(piece.lower, s);
      }
    }
    EXPECT_LE(below, 1);
    if (below == 0) {
      EXPECT_EQ(piece.lower, -1);
    }
    const auto path = tp.backbone(piece, parent);
    if (piece.lower >= 0) {
      ASSERT_FALSE(path.empty());
      EXPECT_EQ(path.front(), parent[static_cast<std::size_t>(piece.lower)]);
      EXPECT_EQ(path.back(), piece.top);
    }
  }
  for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(seen[i], 1) << "node " << i;
}

TEST(TreePartition, RandomTreesGiveSolvablePieces) {
  std::mt19937 rng(7);
  for (int round = 0; round < 200; ++round) {
    const std::size_t n = std::uniform_int_distribution<std::size_t>(1, 600)(rng);
    const auto parent = randomTree(n, rng, round % 3 == 0 ? 0.9 : 0.3);
    std::vector<double> cost(n);
    for (double &c : cost) c = std::uniform_int_distribution<int>(1, 5)(rng);
    const double total = std::accumulate(cost.begin(), cost.end(), 0.0);
    const double target = total / std::uniform_int_distribution<int>(1, 16)(rng);
    SCOPED_TRACE("round " + std::to_string(round) + ", " + std::to_string(n) + " nodes, target " + std::to_string(target));
    expectValidPartition(sim::partitionTree(parent, cost, target), parent, cost, target);
  }
}

TEST(TreePartition, ACheapTreeStaysWholeAndACableIsCutEvenly) {
  std::vector<std::int32_t> cable(1000);
  std::iota(cable.begin(), cable.end(), -1);
  const std::vector<double> ones(1000, 1.0);
  EXPECT_FALSE(sim::partitionTree(cable, ones, 1000.5).split());
  const auto tp = sim::partitionTree(cable, ones, 100);
  ASSERT_TRUE(tp.split());
  // cut every 100 nodes from the far end: 900, 800, ..., 100, and the root (what hangs
  // from it reaches 100 too)
  EXPECT_EQ(tp.interfaces, (std::vector<std::int32_t>{0, 100, 200, 300, 400, 500, 600, 700, 800, 900}));
  for (const auto &piece : tp.pieces) EXPECT_LE(piece.cost, 99.0 + 1e-9);
  EXPECT_THROW(sim::partitionTree(std::vector<std::int32_t>{-1, 2, 0}, std::vector<double>(3, 1.0), 1), std::invalid_argument);
}

TEST(StepBarrier, MeetsEveryStepAndABreakReleasesTheOthers) {
  sim::StepBarrier barrier(3);
  std::atomic<int> counter{0};
  std::vector<int> seen(3, 0);
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < 3; ++t) {
      threads.emplace_back([&, t] {
        for (int step = 0; step < 2000; ++step) {
          counter.fetch_add(1);
          ASSERT_TRUE(barrier.arriveAndWait());
          // everyone has counted this step before anyone counts the next
          if (counter.load() < 3 * (step + 1)) seen[static_cast<std::size_t>(t)] = 1;
          ASSERT_TRUE(barrier.arriveAndWait());
        }
      });
    }
  }
  EXPECT_EQ(counter.load(), 6000);
  EXPECT_EQ(seen, std::vector<int>(3, 0));
  std::atomic<int> released{0};
  {
    std::vector<std::jthread> waiting;
    for (int t = 0; t < 2; ++t) waiting.emplace_back([&] { released += barrier.arriveAndWait() ? 0 : 1; });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    barrier.breakAll();
  }
  EXPECT_EQ(released.load(), 2);
  EXPECT_FALSE(barrier.arriveAndWait());  // broken until reset
  barrier.reset();
}

// The completion step (the ranks' voltage exchange) runs once per meeting, on the last
// to arrive, before anyone goes on; when it returns false, the barrier breaks for all.
TEST(StepBarrier, TheLastToArriveRunsTheCompletionFirst) {
  sim::StepBarrier barrier(3);
  int completions = 0;  // written only inside the completion
  std::atomic<int> behind{0};
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < 3; ++t) {
      threads.emplace_back([&] {
        for (int step = 0; step < 500; ++step) {
          ASSERT_TRUE(barrier.arriveAndWait([&] { return ++completions > 0; }));
          if (completions < step + 1) behind.fetch_add(1);  // went on before this meeting's completion
          ASSERT_TRUE(barrier.arriveAndWait());
        }
      });
    }
  }
  EXPECT_EQ(completions, 500);
  EXPECT_EQ(behind.load(), 0);
  std::atomic<int> told{0};
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < 3; ++t) threads.emplace_back([&] { told += barrier.arriveAndWait([] { return false; }) ? 0 : 1; });
  }
  EXPECT_EQ(told.load(), 3);
  barrier.reset();
}

// ---- whole runs ---------------------------------------------------------------------

struct Ran {
  std::vector<std::vector<double>> rows;
  std::vector<sim::Spike> spikes;
  std::vector<model::SplitCellSummary> splits;
  std::size_t parts = 0;
  std::vector<double> partCost;
};

class SplitCells : public test::ModelTextTest {
protected:
  SplitCells() : ModelTextTest("ranvier-split") {}

  Ran simulate(model::Model m, int threads) {
    m.threads = threads;
    tool::JitCatalogue catalogue(m.mechanismPaths, jit::JitOptions{});
    model::BuiltModel built = model::build(m, catalogue);
    Ran out;
    out.splits = built.splitCells;
    out.parts = built.network->partCount();
    out.partCost = built.partCost;
    for (const model::TraceProbe &p : built.traces.at(0).probes) built.network->addProbe(p.part, p.value);
    for (std::int32_t gid = 0; gid < built.gidCount; ++gid) built.network->recordSource(gid);
    test::TraceRows rows(out.rows);
    built.network->initialize(rows);
    built.network->run(std::llround(m.tstop / m.dt), rows);
    out.spikes = built.network->spikes();
    return out;
  }

  // Runs with 1 thread (whole) and with 2, 3 and 4 (split): same times, voltages within
  // `tolerance`, spikes at the same steps.
  void expectSplitRunsEqualTheWhole(const std::string &text, double tolerance = 1e-9) {
    const model::Model m = load(text);
    const Ran whole = simulate(m, 1);
    ASSERT_TRUE(whole.splits.empty());
    double highest = -1e9;
    for (const auto &row : whole.rows) highest = std::max(highest, *std::max_element(row.begin() + 1, row.end()));
    EXPECT_GT(highest, 0) << "the cell should fire, so that the comparison covers spikes";
    for (int threads : {2, 3, 4}) {
      SCOPED_TRACE(std::to_string(threads) + " threads");
      const Ran split = simulate(m, threads);
      ASSERT_EQ(split.splits.size(), 1u) << "the cell was not split";
      EXPECT_EQ(split.parts, static_cast<std::size_t>(threads));
      EXPECT_GE(split.splits[0].pieces, static_cast<std::size_t>(threads));
      for (double c : split.splits[0].partCost) EXPECT_GT(c, 0) << "a thread without a piece";
      ASSERT_EQ(split.rows.size(), whole.rows.size());
      double worst = 0;
      for (std::size_t r = 0; r < whole.rows.size(); ++r) {
        ASSERT_EQ(split.rows[r].size(), whole.rows[r].size());
        EXPECT_EQ(split.rows[r][0], whole.rows[r][0]);
        for (std::size_t c = 1; c < whole.rows[r].size(); ++c) worst = std::max(worst, std::abs(split.rows[r][c] - whole.rows[r][c]));
      }
      EXPECT_LE(worst, tolerance);
      ASSERT_EQ(split.spikes.size(), whole.spikes.size());
      for (std::size_t k = 0; k < whole.spikes.size(); ++k) {
        EXPECT_EQ(split.spikes[k].source, whole.spikes[k].source);
        EXPECT_EQ(split.spikes[k].time, whole.spikes[k].time);
      }
    }
  }

};

std::string withRecords(const std::string &cell, const std::vector<std::string> &at) {
  std::string text = "[simulation]\ntstop = 100\ndt = 0.025\n\n" + cell + "\n[population.p]\ncell = \"c\"\ncount = 1\n\n[output]\ntraces = \"v.csv\"\n";
  for (const std::string &a : at) text += "\n[[record]]\nvariable = \"v\"\nat = \"p[0]." + a + "\"\n";
  return text;
}

const char *const kCable =
    "[cell.c]\nspike_source = { at = \"a(0.5)\", threshold = 0 }\nsections = [ { name = \"a\", L = 6000, diam = 1, nseg = 1200, Ra = 35.4 } ]\n"
    "insert = [ { mechanism = \"hh\" } ]\n"
    "points = [ { name = \"stim\", mechanism = \"IClamp\", at = \"a(0)\", del = 1, dur = 1e9, amp = 0.3 } ]\n";

TEST_F(SplitCells, AnUnbranchedCable) { expectSplitRunsEqualTheWhole(withRecords(kCable, {"a(0)", "a(0.25)", "a(0.5)", "a(0.75)", "a(1)"})); }

TEST_F(SplitCells, AnUnbranchedCableWithCrankNicolson) {  // v += 2 dv, on the nodes and on every thread's interface copies
  std::string text = withRecords(kCable, {"a(0)", "a(0.5)", "a(1)"});
  text.replace(text.find("dt = 0.025"), 10, "dt = 0.025\nsecondorder = 2");
  expectSplitRunsEqualTheWhole(text);
}

// A split cell joined by a gap junction to a small cell: the Gap on the cable's far end
// (on some piece's thread) reads the small cell's v, and the small cell's Gap reads the
// far end's v, each a copy handed over once per step across threads.
TEST_F(SplitCells, AGapJunctionToASplitCell) {
  std::string text = withRecords(kCable, {"a(0)", "a(1)"});
  text += "\n[cell.s]\nsections = [ { name = \"soma\", L = 20, diam = 20 } ]\ninsert = [ { mechanism = \"hh\" } ]\n"
          "[population.q]\ncell = \"s\"\ncount = 1\n"
          "[[point]]\nname = \"far\"\nmechanism = \"Gap\"\nat = \"p[0].a(1)\"\ng = 0.05\n"
          "[[point]]\nname = \"near\"\nmechanism = \"Gap\"\nat = \"q[0].soma(0.5)\"\ng = 0.05\n"
          "[[pointer]]\npointer = \"far.vgap\"\ntarget = \"v\"\ntarget_at = \"q[0].soma(0.5)\"\n"
          "[[pointer]]\npointer = \"near.vgap\"\ntarget = \"v\"\ntarget_at = \"p[0].a(1)\"\n"
          "[[record]]\nvariable = \"v\"\nat = \"q[0].soma(0.5)\"\n";
  expectSplitRunsEqualTheWhole(text);
}

// Depth 9: 511 sections of 3 segments, hh everywhere, driven at the root.
std::string binaryTree() {
  std::string sections = "{ name = \"s0\", L = 20, diam = 20, nseg = 1 }";
  for (int k = 1; k < 511; ++k) {
    const int level = static_cast<int>(std::log2(k + 1));
    sections += ", { name = \"s" + std::to_string(k) + "\", parent = \"s" + std::to_string((k - 1) / 2) + "(1)\", L = 80, diam = " +
                std::to_string(std::max(0.6, 4 * std::pow(0.8, level))) + ", nseg = 3 }";
  }
  return "[cell.c]\nspike_source = { at = \"s0(0.5)\", threshold = 0 }\nsections = [ " + sections + " ]\ninsert = [ { mechanism = \"hh\" } ]\n" +
         "points = [ { name = \"stim\", mechanism = \"IClamp\", at = \"s0(0.5)\", del = 1, dur = 1e9, amp = 1.5 } ]\n";
}

TEST_F(SplitCells, ABalancedBinaryTree) { expectSplitRunsEqualTheWhole(withRecords(binaryTree(), {"s0(0.5)", "s3(1)", "s200(0.5)", "s510(1)"})); }

// A mechanism whose POINTERs point within the cell (an insert entry's pointers) keeps
// the cell whole: its kernels read and write other nodes than their own.
TEST_F(SplitCells, PointersInsideACellKeepItWhole) {
  model::Model m = load(withRecords(binaryTree(), {"s0(0.5)"}));
  m.threads = 2;
  tool::JitCatalogue catalogue(m.mechanismPaths, jit::JitOptions{});
  EXPECT_EQ(model::build(m, catalogue).splitCells.size(), 1u);
  m.mechanismPaths.push_back(std::string(RANVIER_SOURCE_DIR) + "/tests/mod/pointer");
  model::Insertion vcopy{"vcopy", {"all"}, {}, {model::InsertionPointer{"src", "v", model::parseLocation("s0(0.5)", {}), {}}}, {}};
  m.templates.at("c").insertions.push_back(vcopy);
  tool::JitCatalogue withPointers(m.mechanismPaths, jit::JitOptions{});
  EXPECT_TRUE(model::build(m, withPointers).splitCells.empty());
}

TEST_F(SplitCells, ABranchedSwcCell) {
  // examples/swc-cell's morphology, finely discretised; active soma, passive tree with a
  // synapse far out on an apical branch.
  const std::string swc = std::string(RANVIER_SOURCE_DIR) + "/examples/swc-cell/cell.swc";
  expectSplitRunsEqualTheWhole(withRecords("[cell.c]\nmorphology = \"" + swc +
                                               "\"\nRa = 100\nd_lambda = 0.004\nspike_source = { at = \"soma[0](0.5)\", threshold = 0 }\n"
                                               "insert = [ { mechanism = \"hh\", where = \"soma\" }, { mechanism = \"cal\", where = \"soma\" }, { mechanism = \"capool\", where = \"soma\" },"
                                               " { mechanism = \"hh\", where = \"axon\" }, { mechanism = \"pas\", where = [\"dend\", \"apic\"], g = \"1e-4 S/cm2\", e = -65 } ]\n"
                                               "points = [ { name = \"stim\", mechanism = \"IClamp\", at = \"soma[0](0.5)\", del = 2, dur = 1e9, amp = 0.8 },"
                                               " { name = \"syn\", mechanism = \"ExpSyn\", at = \"apic[1](0.5)\", tau = 2, e = 0 } ]\n",
                                           {"soma[0](0.5)", "apic[1](0.5)", "axon[0](1)", "dend[0](0.5)"}));
}

TEST_F(SplitCells, LargeAndSmallCellsOfOneNetworkMix) {
  // One large cell and twenty small ones, connected both ways: whole cells cannot
  // balance two or three threads, so the large one is split and its pieces share
  // threads with the small cells.
  const std::string text = "[simulation]\ntstop = 100\ndt = 0.025\n\n" + binaryTree() +
                           "\n[cell.small]\nspike_source = { at = \"soma(0.5)\", threshold = 0 }\n"
                           "sections = [ { name = \"soma\", L = 20, diam = 20 }, { name = \"dend\", parent = \"soma(1)\", L = 200, diam = 1, nseg = 5 } ]\n"
                           "insert = [ { mechanism = \"hh\", where = \"soma\" }, { mechanism = \"pas\", where = \"dend\" } ]\n"
                           "points = [ { name = \"syn\", mechanism = \"ExpSyn\", at = \"dend(0.5)\", tau = 2, e = 0 } ]\n\n"
                           "[population.big]\ncell = \"c\"\ncount = 1\n\n[population.small]\ncell = \"small\"\ncount = 20\n\n"
                           "[[netcon]]\nsource = \"big\"\ntarget = \"small.syn\"\nrule = \"all_to_all\"\nweight = \"0.02 uS\"\ndelay = 2\n\n"
                           "[output]\ntraces = \"v.csv\"\n\n[[record]]\nvariable = \"v\"\nat = \"big[0].s0(0.5)\"\n\n[[record]]\nvariable = \"v\"\nat = \"small[7].soma(0.5)\"\n";
  model::Model m = load(text);
  m.splitCells = false;
  const Ran whole = simulate(m, 2);
  EXPECT_TRUE(whole.splits.empty());
  EXPECT_GT(whole.spikes.size(), 20u) << "the small cells should fire too";
  m.splitCells = true;
  for (int threads : {2, 3}) {
    SCOPED_TRACE(std::to_string(threads) + " threads");
    const Ran split = simulate(m, threads);
    ASSERT_EQ(split.splits.size(), 1u);
    EXPECT_EQ(split.splits[0].cell, "big[0]");
    const double most = *std::max_element(split.partCost.begin(), split.partCost.end());
    const double mean = std::accumulate(split.partCost.begin(), split.partCost.end(), 0.0) / static_cast<double>(threads);
    EXPECT_LT(most / mean, 1.1) << "the planned load is not balanced";
    ASSERT_EQ(split.rows.size(), whole.rows.size());
    for (std::size_t r = 0; r < whole.rows.size(); ++r) {
      for (std::size_t c = 1; c < whole.rows[r].size(); ++c) ASSERT_NEAR(split.rows[r][c], whole.rows[r][c], 1e-9) << "row " << r;
    }
    ASSERT_EQ(split.spikes.size(), whole.spikes.size());
    for (std::size_t k = 0; k < whole.spikes.size(); ++k) EXPECT_EQ(split.spikes[k].time, whole.spikes[k].time);
  }
}

TEST_F(SplitCells, AThreadThatFailsStopsTheOthersInsteadOfHangingThem) {
  // A mechanism that fails at t > 5 ms on one far branch: the thread holding that piece
  // stops; the others, waiting for it at the step barrier, must stop too, and the error
  // reported is the failing mechanism's.
  std::filesystem::create_directories(dir_ / "mods");
  std::ofstream(dir_ / "mods" / "failing.mod") << "NEURON {\n  SUFFIX failing\n  THREADSAFE\n}\nASSIGNED { a[2] }\n"
                                                  "BREAKPOINT {\n  LOCAL k\n  if (t > 5) {\n    k = 7\n    a[k] = 1\n  }\n}\n";
  std::string text = withRecords(binaryTree(), {"s0(0.5)"});
  const std::string hhOnly = "insert = [ { mechanism = \"hh\" } ]";
  text.replace(text.find(hhOnly), hhOnly.size(), "insert = [ { mechanism = \"hh\" }, { mechanism = \"failing\", where = \"s510\" } ]");
  text += "\n[mechanisms]\npaths = [\"mods\"]\n";
  const model::Model m = load(text);
  for (int threads : {2, 3}) {
    SCOPED_TRACE(std::to_string(threads) + " threads");
    try {
      simulate(m, threads);
      ADD_FAILURE() << "the run should have stopped";
    } catch (const sim::SimulationError &e) {
      EXPECT_NE(std::string(e.what()).find("failing"), std::string::npos) << e.what();
      EXPECT_EQ(std::string(e.what()).find("another thread"), std::string::npos) << e.what();
    }
  }
}

TEST_F(SplitCells, OffKeepsEveryCellWhole) {
  model::Model m = load(withRecords(binaryTree(), {"s0(0.5)"}));
  m.splitCells = false;
  const Ran run = simulate(m, 2);
  EXPECT_TRUE(run.splits.empty());
  EXPECT_EQ(run.parts, 1u);  // one cell: one thread
}

}  // namespace
}  // namespace ranvier
