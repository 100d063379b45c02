// POINTERs that read another cell's v across threads (sim::VoltageTransfer): gap
// junctions whose cells run on different threads read the voltages each step through a
// copy, and the run equals the one-thread run bit for bit. POINTERs that a kernel after
// the voltage update reads, or that kernels write, still join their cells on one thread.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <unistd.h>

#include <gtest/gtest.h>

#include "model_text_test.hpp"

#include "catalogue.hpp"
#include "model/build.hpp"
#include "model/model.hpp"
#include "golden_csv.hpp"
#include "trace_rows.hpp"

namespace ranvier {
namespace {

class VoltageTransfer : public test::ModelTextTest {
protected:
  VoltageTransfer() : ModelTextTest("ranvier-transfer") {}

  // A ring of `cells` hh cells, each joined to both neighbours by Gaps (the form for many
  // cells), ring[0] stimulated; `extra` is appended (more entries).
  static std::string gapRing(int cells, const std::string &extra = "") {
    std::ostringstream s;
    s << "[simulation]\ntstop = 40\ndt = 0.025\nthreads = 1\n"
      << "[cell.hh]\nsections = [{ name = \"soma\", L = 20, diam = 20 }]\ninsert = [{ mechanism = \"hh\", where = \"soma\" }]\n"
      << "spike_source = { at = \"soma(0.5)\", threshold = 0 }\n"
      << "points = [{ name = \"next\", mechanism = \"Gap\", at = \"soma(0.5)\", g = 0.01 }, { name = \"prev\", mechanism = \"Gap\", at = \"soma(0.5)\", g = 0.01 }]\n"
      << "[population.ring]\ncell = \"hh\"\ncount = " << cells << "\n"
      << "[[point]]\nname = \"stim\"\nmechanism = \"IClamp\"\nat = \"ring[0].soma(0.5)\"\ndel = 2\ndur = 1e9\namp = 0.3\n"
      << "[[pointer]]\npointer = \"ring.next.vgap\"\ntarget = \"v\"\ntarget_at = \"ring.soma(0.5)\"\noffset = 1\n"
      << "[[pointer]]\npointer = \"ring.prev.vgap\"\ntarget = \"v\"\ntarget_at = \"ring.soma(0.5)\"\noffset = -1\n"
      << extra;
    for (int k = 0; k < cells; ++k) s << "[[record]]\nvariable = \"v\"\nat = \"ring[" << k << "].soma(0.5)\"\n";
    return s.str();
  }

  // The model with 1 thread, then 2 and 3: the same rows, bit for bit; every part
  // exchanges voltages.
  void expectSameOnSeveralThreads(model::Model m);
};

TEST_F(VoltageTransfer, AGapRingOnSeveralThreadsEqualsOneThreadBitForBit) {
  for (const char *order : {"0", "2"}) {  // implicit Euler, Crank-Nicolson
    SCOPED_TRACE(std::string("secondorder = ") + order);
    std::string text = gapRing(9);
    text.replace(text.find("dt = 0.025"), 10, std::string("dt = 0.025\nsecondorder = ") + order);
    expectSameOnSeveralThreads(load(text));
  }
}

// Gap junctions and NetCons together: the ring's cells also excite their next neighbour
// through ExpSyns (the exchange interval and the per-step hand-over interleave).
TEST_F(VoltageTransfer, GapJunctionsWithSynapsesOnSeveralThreadsEqualOneThread) {
  std::string text = gapRing(9, "[[netcon]]\nsource = \"ring\"\ntarget = \"ring.syn\"\nrule = \"ring\"\nweight = 0.002\ndelay = 1.5\n");
  const std::string points = "points = [{ name = \"next\",";
  text.replace(text.find(points), points.size(), "points = [{ name = \"syn\", mechanism = \"ExpSyn\", at = \"soma(0.5)\" }, { name = \"next\",");
  expectSameOnSeveralThreads(load(text));
}

void VoltageTransfer::expectSameOnSeveralThreads(model::Model m) {
  tool::JitCatalogue mechanisms(m.mechanismPaths, jit::JitOptions{});
  const auto one = test::simulateModel(m, mechanisms);
  double peak = -100;
  for (const auto &row : one) peak = std::max(peak, row[1 + 5]);  // ring[5]: the excitation went round
  EXPECT_GT(peak, 0);
  for (int threads : {2, 3}) {
    SCOPED_TRACE(std::to_string(threads) + " threads");
    m.threads = threads;
    model::BuiltModel built = model::build(m, mechanisms);
    EXPECT_TRUE(built.warnings.empty()) << built.warnings.front();
    ASSERT_EQ(built.network->partCount(), static_cast<std::size_t>(threads));
    for (std::size_t p = 0; p < built.network->partCount(); ++p) {
      EXPECT_GT(built.partCost[p], 0) << "part " << p << " holds no cells";
      EXPECT_NE(built.network->part(p).transfer(), nullptr) << "part " << p << " exchanges no voltages";
    }
    const auto many = test::runFirstTrace(built, m.tstop);
    ASSERT_EQ(many.size(), one.size());
    for (std::size_t r = 0; r < one.size(); ++r) ASSERT_EQ(many[r], one[r]) << "row " << r;
  }
}

// Neighbours in gid order share a thread: of a ring's 2n junction sides, only the four at
// the two boundaries between the halves read a voltage of the other thread.
TEST_F(VoltageTransfer, RingNeighboursMostlyShareAThread) {
  model::Model m = load(gapRing(40));
  m.threads = 2;
  tool::JitCatalogue mechanisms(m.mechanismPaths, jit::JitOptions{});
  model::BuiltModel built = model::build(m, mechanisms);
  ASSERT_EQ(built.network->partCount(), 2u);
  EXPECT_EQ(built.network->part(0).transfer()->exports() + built.network->part(1).transfer()->exports(), 4u);
  EXPECT_NEAR(built.partCost[0], built.partCost[1], 0.1 * built.partCost[0]);
}

// threads = 0 means one per core, but a gap network too small to gain from threads
// that meet every step runs on fewer, and says why; a network with enough work per
// core, or an explicit count, gets what it asks for.
TEST_F(VoltageTransfer, UnsetThreadsGiveASmallGapNetworkFewerThreads) {
  const unsigned cores = std::thread::hardware_concurrency();
  if (cores < 2) GTEST_SKIP() << "one core: nothing to choose";
  auto build = [&](int cells, int threads) {
    model::Model m = load(gapRing(cells));
    m.threads = threads;
    tool::JitCatalogue mechanisms(m.mechanismPaths, jit::JitOptions{});
    return model::build(m, mechanisms);
  };
  model::BuiltModel small = build(40, 0);
  EXPECT_EQ(small.network->partCount(), 1u);
  EXPECT_NE(small.fewerThreads.find("1 of " + std::to_string(cores) + " cores"), std::string::npos) << small.fewerThreads;

  model::BuiltModel large = build(static_cast<int>(150 * cores), 0);  // 6 units a cell: 900 a core
  EXPECT_EQ(large.network->partCount(), cores);
  EXPECT_EQ(large.fewerThreads, "");

  model::BuiltModel asked = build(40, 2);
  EXPECT_EQ(asked.network->partCount(), 2u);
  EXPECT_EQ(asked.fewerThreads, "");
}

// vcopy reads its POINTER in its state kernel (no current: NEURON runs such a BREAKPOINT
// after the voltage update), where the other thread may be changing v: the cells it joins
// stay together on thread 0, and the run says so.
TEST_F(VoltageTransfer, APointerReadAfterTheVoltageUpdateStillJoinsItsCells) {
  const std::string copies = std::string("[mechanisms]\npaths = [\"") + test::sourceDir() + "/tests/mod/pointer\"]\n" +
                             "[[pointer]]\npointer = \"vcopy.src\"\nat = \"ring[0].soma(0.5)\"\ntarget = \"v\"\ntarget_at = \"ring[5].soma(0.5)\"\n";
  // one copier cell, of its own population, reads the Gap ring's ring[5]
  std::string text = gapRing(8, copies);
  text.replace(text.find("ring[0].soma(0.5)\"\ntarget = \"v\"\ntarget_at = \"ring[5]"), 7, "copy[0]");
  text += "[[record]]\nvariable = \"vcopy.copy\"\nat = \"copy[0].soma(0.5)\"\n[population.copy]\ncell = \"copier\"\ncount = 1\n"
          "[cell.copier]\nsections = [{ name = \"soma\", L = 20, diam = 20 }]\ninsert = [{ mechanism = \"pas\" }, { mechanism = \"vcopy\" }]\n";
  model::Model m = load(text);
  tool::JitCatalogue mechanisms(m.mechanismPaths, jit::JitOptions{});
  const auto one = test::simulateModel(m, mechanisms);
  m.threads = 2;
  model::BuiltModel built = model::build(m, mechanisms);
  ASSERT_EQ(built.warnings.size(), 1u);
  EXPECT_NE(built.warnings[0].find("the 2 cell(s) that [[pointer]] entries join run on thread 0: vcopy reads its POINTER src in SOLVE, after v is updated"),
            std::string::npos)
      << built.warnings[0];
  EXPECT_EQ(test::runFirstTrace(built, m.tstop), one);
}

// A thread that fails stops the others at the voltage exchange instead of hanging them;
// the error reported is the failing mechanism's. Only ring[5] fails (at t > 0).
TEST_F(VoltageTransfer, AThreadThatFailsStopsTheOthers) {
  std::filesystem::create_directories(dir_ / "mods");
  std::ofstream(dir_ / "mods" / "failing.mod") << "NEURON {\n  SUFFIX failing\n  RANGE after\n  THREADSAFE\n}\nPARAMETER { after = 1e9 }\nASSIGNED { a[2] }\n"
                                                  "BREAKPOINT {\n  LOCAL k\n  if (t > after) {\n    k = 7\n    a[k] = 1\n  }\n}\n";
  std::string text = gapRing(6, "[mechanisms]\npaths = [\"mods\"]\n");
  const std::string hhOnly = "insert = [{ mechanism = \"hh\", where = \"soma\" }]";
  text.replace(text.find(hhOnly), hhOnly.size(), "insert = [{ mechanism = \"hh\", where = \"soma\" }, { mechanism = \"failing\", after = \"1e9 - 2e8 * i\" }]");
  model::Model m = load(text);
  tool::JitCatalogue mechanisms(m.mechanismPaths, jit::JitOptions{});
  for (int threads : {1, 2, 3}) {
    SCOPED_TRACE(std::to_string(threads) + " threads");
    m.threads = threads;
    try {
      test::simulateModel(m, mechanisms);
      ADD_FAILURE() << "the run should have stopped";
    } catch (const sim::SimulationError &e) {
      EXPECT_NE(std::string(e.what()).find("failing"), std::string::npos) << e.what();
      EXPECT_EQ(std::string(e.what()).find("another thread"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace ranvier
