// A distributed run, with ranks as threads (sim::LocalRanks, the same code paths an MPI
// run takes): each rank builds only the cells it owns (gid mod ranks) and the
// connections that end on them, only spikes that other ranks listen to travel through
// the communicator, and each rank keeps its own cells' spikes: together they must equal
// the single-process run's bit for bit.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <thread>
#include <unistd.h>

#include <gtest/gtest.h>

#include "catalogue.hpp"
#include "golden_csv.hpp"
#include "model/build.hpp"
#include "sim/local_ranks.hpp"

namespace ranvier {
namespace {

std::vector<sim::Spike> single(const model::Model &m, tool::JitCatalogue &catalogue, double tstop) {
  model::BuiltModel built = model::build(m, catalogue);
  sim::RunObserver quiet;
  built.network->initialize(quiet);
  built.network->run(std::llround(tstop / built.dt), quiet);
  return built.network->spikes();
}

struct RankResult {
  std::vector<sim::Spike> spikes;
  std::size_t cells = 0, connections = 0;
  double cost = 0;  // the complexity of the cells it built
  sim::RunReport report;
  std::string error;
};

std::vector<RankResult> distributed(const model::Model &m, tool::JitCatalogue &catalogue, double tstop, int ranks) {
  sim::LocalRanks shared(ranks);
  std::vector<RankResult> out(static_cast<std::size_t>(ranks));
  {
    std::vector<std::jthread> threads;
    for (int r = 0; r < ranks; ++r) {
      threads.emplace_back([&, r] {
        RankResult &result = out[static_cast<std::size_t>(r)];
        try {
          model::BuiltModel built = model::build(m, catalogue, &shared.rank(r));
          result.cells = built.cells + built.artificialCells;
          result.connections = built.connections;
          sim::RunObserver quiet;
          built.network->initialize(quiet);
          built.network->run(std::llround(tstop / built.dt), quiet);
          result.spikes = built.network->spikes();
          result.report = built.network->report();
          for (double c : built.partCost) result.cost += c;
        } catch (const std::exception &e) {
          result.error = e.what();
        }
      });
    }
  }
  return out;
}

// Every rank's spikes, merged as rank 0 merges the spike files.
std::vector<sim::Spike> merged(const std::vector<RankResult> &results) {
  std::vector<sim::Spike> all;
  for (const RankResult &r : results) all.insert(all.end(), r.spikes.begin(), r.spikes.end());
  std::sort(all.begin(), all.end());
  return all;
}

void expectSameAsSingle(model::Model m, double tstop, std::size_t cells, std::size_t connections, int threads = 1) {
  m.threads = threads;
  tool::JitCatalogue catalogue(m.mechanismPaths, jit::JitOptions{});
  const std::vector<sim::Spike> whole = single(m, catalogue, tstop);  // also compiles every mechanism first
  ASSERT_FALSE(whole.empty());
  for (int ranks : {2, 3}) {
    const auto results = distributed(m, catalogue, tstop, ranks);
    std::size_t totalCells = 0, totalConnections = 0;
    for (int r = 0; r < ranks; ++r) {
      const RankResult &res = results[static_cast<std::size_t>(r)];
      ASSERT_TRUE(res.error.empty()) << "rank " << r << ": " << res.error;
      totalCells += res.cells;
      totalConnections += res.connections;
      EXPECT_EQ(res.report.spikes, static_cast<std::int64_t>(res.spikes.size())) << "a rank keeps the spikes of its own cells";
      EXPECT_LE(res.report.spikesSent, res.report.spikes);
    }
    EXPECT_TRUE(merged(results) == whole) << m.file << " on " << ranks << " ranks";
    EXPECT_EQ(totalCells, cells) << "every cell on exactly one rank";
    EXPECT_EQ(totalConnections, connections) << "every connection on exactly one rank";
  }
}

model::Model example(const std::string &path) { return model::loadModel(test::sourceDir() + "/examples/" + path); }

TEST(Distributed, RingOnTwoAndThreeRanksGivesTheSingleProcessSpikes) { expectSameAsSingle(example("ring/ring.toml"), 100, 6, 6); }

// Points of `mechanism` on ring[a] and ring[b] of the ring example, each POINTER `name`
// at the other cell's soma v, for the pairs (1, 4) and (2, 3): round robin puts each
// pair on two ranks.
model::Model ringWithPointerPairs(const std::string &mechanism, const std::string &name, double g) {
  model::Model m = example("ring/ring.toml");
  m.mechanismPaths.push_back(test::sourceDir() + "/tests/mod/pointer");
  const std::pair<int, int> pairs[] = {{1, 4}, {2, 3}};
  for (const auto &[a, b] : pairs) {
    for (const auto &[from, to] : {std::pair{a, b}, std::pair{b, a}}) {
      model::PointSpec point;
      point.name = "p" + std::to_string(from) + "_" + std::to_string(to);
      point.mechanism = mechanism;
      point.location = model::parseLocation("ring[" + std::to_string(from) + "].soma(0.5)", {});
      if (g > 0) point.parameters.push_back(model::ParameterSetting{"g", {model::Value{g, "", std::nullopt, {}}}, {}});
      m.points.push_back(point);
      model::PointerSpec pointer;
      pointer.pointer = point.name + "." + name;
      pointer.target = "v";
      pointer.targetLocation = model::parseLocation("ring[" + std::to_string(to) + "].soma(0.5)", {});
      m.pointers.push_back(pointer);
    }
  }
  return m;
}

// Optional reads its POINTER in its state kernel (after the voltage update): the cells
// such a POINTER joins go to one rank, and the spikes are the single process's.
TEST(Distributed, CellsJoinedByPointersShareARank) {
  expectSameAsSingle(ringWithPointerPairs("Optional", "p", 0), 100, 6, 6);
}

// Gap junctions (Gaps reading the other cell's v, only in BREAKPOINT's current) between
// cells on different ranks: the ranks exchange those voltages every step, and the
// spikes are the single process's, bit for bit; with two threads per rank too.
TEST(Distributed, GapJunctionsAcrossRanksGiveTheSingleProcessSpikes) {
  const model::Model m = ringWithPointerPairs("Gap", "vgap", 0.02);
  model::Model none = m;
  none.points.erase(none.points.end() - 4, none.points.end());
  none.pointers.clear();
  tool::JitCatalogue catalogue(m.mechanismPaths, jit::JitOptions{});
  ASSERT_NE(single(m, catalogue, 100), single(none, catalogue, 100)) << "the junctions change nothing: the test could not fail";
  expectSameAsSingle(m, 100, 6, 6);
  expectSameAsSingle(m, 100, 6, 6, 2);
  // a side that tests nrn_pointing(vgap) sees its POINTER set when it reads another rank's v
  const model::Model tested = ringWithPointerPairs("GapOpt", "vgap", 0.02);
  ASSERT_EQ(single(tested, catalogue, 100), single(m, catalogue, 100));
  expectSameAsSingle(tested, 100, 6, 6);
}

// A recorded variable of a point process is recorded by the rank of the point's cell:
// gb sits on b[0], gid 1, which is rank 1's of 2 (rank 0 once took it, and crashed).
TEST(Distributed, APointsRecordingIsItsCellsRank) {
  const model::Model m = example("gap-junction/gap.toml");
  tool::JitCatalogue catalogue(m.mechanismPaths, jit::JitOptions{});
  sim::LocalRanks shared(2);
  std::vector<std::vector<std::string>> probes(2);
  std::vector<std::vector<int>> columnRanks(2);
  {
    std::vector<std::jthread> threads;
    for (int r = 0; r < 2; ++r) {
      threads.emplace_back([&, r] {
        const model::BuiltModel built = model::build(m, catalogue, &shared.rank(r));
        for (const model::TraceProbe &p : built.traces.at(0).probes) probes[static_cast<std::size_t>(r)].push_back(p.name);
        columnRanks[static_cast<std::size_t>(r)] = built.traces.at(0).columnRank;
      });
    }
  }
  EXPECT_EQ(probes[0], (std::vector<std::string>{"va", "ia"}));
  EXPECT_EQ(probes[1], (std::vector<std::string>{"vb", "ib"}));
  EXPECT_EQ(columnRanks[0], (std::vector<int>{0, 1, 0, 1}));
  EXPECT_EQ(columnRanks[1], columnRanks[0]);
}

// A rank that fails stops the others at the next voltage exchange instead of leaving
// them waiting in it; the failing rank reports the mechanism's error.
TEST(Distributed, ARankThatFailsStopsTheVoltageExchange) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("ranvier-failing-rank-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "failing.mod") << "NEURON {\n  POINT_PROCESS Failing\n  RANGE after\n  THREADSAFE\n}\nPARAMETER { after = 20 }\n"
                                        "ASSIGNED { a[2] }\nBREAKPOINT {\n  LOCAL k\n  if (t > after) {\n    k = 7\n    a[k] = 1\n  }\n}\n";
  model::Model m = ringWithPointerPairs("Gap", "vgap", 0.02);
  m.mechanismPaths.push_back(dir.string());
  model::PointSpec failing;
  failing.name = "failing";
  failing.mechanism = "Failing";
  failing.location = model::parseLocation("ring[3].soma(0.5)", {});
  m.points.push_back(failing);
  tool::JitCatalogue catalogue(m.mechanismPaths, jit::JitOptions{});
  for (int threads : {1, 2}) {
    m.threads = threads;
    for (int ranks : {2, 3}) {
      SCOPED_TRACE(std::to_string(ranks) + " ranks, " + std::to_string(threads) + " thread(s) each");
      const auto results = distributed(m, catalogue, 100, ranks);
      // ring[3]'s rank reports the error (cells go to ranks in gid blocks with gap junctions)
      const auto failed = std::count_if(results.begin(), results.end(), [](const RankResult &r) { return r.error.find("Failing") != std::string::npos; });
      EXPECT_EQ(failed, 1);
      for (const RankResult &r : results) EXPECT_LT(r.report.wall, 5.0) << "a rank did not stop with the others";
    }
  }
  std::filesystem::remove_all(dir);
}

TEST(Distributed, ThousandCellNetworkOnTwoAndThreeRanksGivesTheSingleProcessSpikes) {
  expectSameAsSingle(example("network/net.toml"), 50, 1000, 100000);
}

TEST(Distributed, PlainSpikeEncodingGivesTheSameSpikes) {
  model::Model m = example("network/net.toml");
  m.spikeCompression = false;
  expectSameAsSingle(m, 30, 1000, 100000);
}

// Spikes nobody elsewhere listens to stay home: cells that only connect within their
// own rank's share send nothing.
TEST(Distributed, OnlySpikesWithTargetsOnOtherRanksTravel) {
  model::Model m = example("network/net.toml");
  m.threads = 1;
  tool::JitCatalogue catalogue(m.mechanismPaths, jit::JitOptions{});
  (void)single(m, catalogue, 1);
  // Each exc cell drives only its own synapse: no spike is needed on another rank.
  m.netcons.resize(1);
  m.netcons[0].rule = model::ConnectionRule::OneToOne;
  m.netcons[0].autapses = true;
  m.netcons[0].targets.resize(1);  // exc -> exc.esyn, cell i to itself
  const auto results = distributed(m, catalogue, 50, 2);
  std::int64_t fired = 0;
  for (const RankResult &r : results) {
    ASSERT_TRUE(r.error.empty()) << r.error;
    EXPECT_EQ(r.report.spikesSent, 0);
    EXPECT_EQ(r.report.bytesSent, 0);
    fired += r.report.spikes;
  }
  EXPECT_GT(fired, 0);
}

// Six heavy cells (about 60 light ones' complexity each) and 200 light ones on 4
// ranks: round-robin gives two ranks two heavy cells and as many light ones as the
// others; balanced fills the ranks with one heavy cell up with light ones.
TEST(Distributed, BalancedDistributionEvensOutHeavyCells) {
  model::Model m = example("network/net.toml");
  m.threads = 1;
  model::CellTemplate heavy = m.templates.at("ballstick");
  heavy.name = "heavy";
  for (cell::Section &sec : heavy.morphology.sections) sec.nseg = sec.name == "dend" ? 801 : sec.nseg;
  m.templates["heavy"] = heavy;
  m.populations[0].count = 6;  // exc: the heavy cells
  m.populations[0].cellTemplate = "heavy";
  m.populations[1].count = 200;
  for (model::NetConSpec &n : m.netcons) n.indegree = 2;
  tool::JitCatalogue catalogue(m.mechanismPaths, jit::JitOptions{});
  const std::vector<sim::Spike> whole = single(m, catalogue, 40);
  auto imbalance = [](const std::vector<RankResult> &results) {
    double most = 0, sum = 0;
    for (const RankResult &r : results) {
      most = std::max(most, r.cost);
      sum += r.cost;
    }
    return most / (sum / static_cast<double>(results.size()));
  };
  const auto roundRobin = distributed(m, catalogue, 40, 4);
  m.distribution = model::Distribution::Balanced;
  const auto balanced = distributed(m, catalogue, 40, 4);
  for (const auto *results : {&roundRobin, &balanced}) {
    for (const RankResult &r : *results) ASSERT_TRUE(r.error.empty()) << r.error;
    EXPECT_TRUE(merged(*results) == whole);
  }
  EXPECT_GT(imbalance(roundRobin), 1.15);
  EXPECT_LT(imbalance(balanced), 1.02);
}

}  // namespace
}  // namespace ranvier
