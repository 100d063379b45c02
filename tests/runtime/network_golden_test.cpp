// The example networks against NEURON 8.2.2 (tests/golden/network, made by
// scripts/neuron/reference_network.py): the ring of NEURON's tutorial and the
// 1000-cell network, spike for spike, with 1 and 2 threads.
#include <cmath>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "catalogue.hpp"
#include "golden_csv.hpp"
#include "model/build.hpp"

namespace ranvier {
namespace {

struct Reference {
  double time;
  std::int32_t gid;
};

std::vector<Reference> readSpikes(const std::string &name) {
  std::ifstream in(test::sourceDir() + "/tests/golden/network/" + name);
  if (!in) throw std::runtime_error("cannot read tests/golden/network/" + name);
  std::vector<Reference> out;
  double t = 0;
  std::int32_t gid = 0;
  while (in >> t >> gid) out.push_back({t, gid});
  return out;
}

std::vector<sim::Spike> simulate(const std::string &example, double tstop, int threads) {
  model::Model m = model::loadModel(test::sourceDir() + "/examples/" + example);
  m.threads = threads;
  tool::JitCatalogue catalogue(m.mechanismPaths, jit::JitOptions{});
  model::BuiltModel built = model::build(m, catalogue);
  EXPECT_EQ(built.network->partCount(), static_cast<std::size_t>(threads));
  sim::RunObserver quiet;
  built.network->initialize(quiet);
  built.network->run(std::llround(tstop / built.dt), quiet);
  return built.network->spikes();
}

// Same gids in the same order, times within `tolerance` (NEURON's are the crossing
// step's t, ours too: they differ by accumulated rounding of t at most).
void expectSameSpikes(const std::vector<sim::Spike> &ours, const std::vector<Reference> &neuron, double tolerance) {
  ASSERT_EQ(ours.size(), neuron.size());
  double worst = 0;
  for (std::size_t i = 0; i < ours.size(); ++i) {
    ASSERT_EQ(ours[i].source, neuron[i].gid) << "spike " << i << " at " << neuron[i].time << " ms";
    worst = std::max(worst, std::abs(ours[i].time - neuron[i].time));
  }
  EXPECT_LT(worst, tolerance);
}

TEST(NetworkGolden, RingMatchesNeuron) {
  const auto neuron = readSpikes("ring_spikes.txt");
  for (int threads : {1, 2}) expectSameSpikes(simulate("ring/ring.toml", 100, threads), neuron, 1e-9);
}

TEST(NetworkGolden, ThousandCellNetworkMatchesNeuronFor200ms) {
  std::vector<Reference> neuron = readSpikes("net_spikes.txt");
  std::erase_if(neuron, [](const Reference &r) { return r.time > 200; });
  ASSERT_GT(neuron.size(), 500u);  // the network is active
  const auto one = simulate("network/net.toml", 200, 1);
  expectSameSpikes(one, neuron, 1e-6);
  EXPECT_EQ(simulate("network/net.toml", 200, 2), one);  // bit for bit
}

}  // namespace
}  // namespace ranvier
