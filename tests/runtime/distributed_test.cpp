// A distributed run, with ranks as threads (sim::LocalRanks, the same code paths an MPI
// run takes): each rank builds only the cells it owns (gid mod ranks) and the
// connections that end on them, spikes travel through the communicator, and every rank
// ends with the whole spike list, which must equal the single-process run's bit for bit.
#include <cmath>
#include <thread>

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
        } catch (const std::exception &e) {
          result.error = e.what();
        }
      });
    }
  }
  return out;
}

void expectSameAsSingle(const std::string &example, double tstop, std::size_t cells, std::size_t connections) {
  model::Model m = model::loadModel(test::sourceDir() + "/examples/" + example);
  m.threads = 1;
  tool::JitCatalogue catalogue(m.mechanismPaths, jit::JitOptions{});
  const std::vector<sim::Spike> whole = single(m, catalogue, tstop);  // also compiles every mechanism first
  ASSERT_FALSE(whole.empty());
  for (int ranks : {2, 3}) {
    const auto results = distributed(m, catalogue, tstop, ranks);
    std::size_t totalCells = 0, totalConnections = 0;
    for (int r = 0; r < ranks; ++r) {
      const RankResult &res = results[static_cast<std::size_t>(r)];
      ASSERT_TRUE(res.error.empty()) << "rank " << r << ": " << res.error;
      EXPECT_TRUE(res.spikes == whole) << example << ", rank " << r << " of " << ranks;
      totalCells += res.cells;
      totalConnections += res.connections;
    }
    EXPECT_EQ(totalCells, cells) << "every cell on exactly one rank";
    EXPECT_EQ(totalConnections, connections) << "every connection on exactly one rank";
  }
}

TEST(Distributed, RingOnTwoAndThreeRanksGivesTheSingleProcessSpikes) { expectSameAsSingle("ring/ring.toml", 100, 6, 6); }

TEST(Distributed, ThousandCellNetworkOnTwoAndThreeRanksGivesTheSingleProcessSpikes) {
  expectSameAsSingle("network/net.toml", 50, 1000, 100000);
}

}  // namespace
}  // namespace ranvier
