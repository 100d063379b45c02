// NET_RECEIVE's arguments are the NetCon's weight vector (NEURON): what the block assigns
// to them is that connection's state and persists from one event to the next (STDP
// synapses keep their traces there). Two connections into one target keep separate
// counts.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include <gtest/gtest.h>

#include "catalogue.hpp"
#include "model/build.hpp"
#include "trace_rows.hpp"

namespace ranvier {
namespace {

const char *const kCounter = R"(NEURON {
  POINT_PROCESS Counter
  RANGE last, seen
  THREADSAFE
}
ASSIGNED { last seen }
INITIAL { last = 0 seen = 0 }
NET_RECEIVE (w, n) {
  INITIAL { n = 10 * w }
  n = n + 1
  last = n
  seen = seen + 1
}
)";

const char *const kModel = R"TOML([simulation]
tstop = 30
[mechanisms]
paths = ["mods"]
[cell.c]
sections = [ { name = "soma", L = 10, diam = 10 } ]
points = [ { name = "k", mechanism = "Counter", at = "soma(0.5)" } ]
[population.cell]
cell = "c"
[population.a]
mechanism = "NetStim"
number = 3
start = 1
interval = 10
noise = 0
[population.b]
mechanism = "NetStim"
number = 2
start = 5
interval = 10
noise = 0
[[netcon]]
source = "a"
target = "cell.k"
weight = [1, 0]
delay = 1
[[netcon]]
source = "b"
target = "cell.k"
weight = [2, 0]
delay = 1
)TOML";

TEST(NetConState, WeightArgumentsAreTheConnectionsState) {
  const auto dir = std::filesystem::temp_directory_path() / ("ranvier-netcon-state-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir / "mods");
  std::ofstream(dir / "mods" / "counter.mod") << kCounter;
  std::ofstream(dir / "m.toml") << kModel;
  model::Model m = model::loadModel(dir / "m.toml");
  tool::JitCatalogue catalogue(m.mechanismPaths, jit::JitOptions{});
  model::BuiltModel built = model::build(m, catalogue);
  std::filesystem::remove_all(dir);
  sim::CellGroup &g = built.network->part(0).group();
  const std::int32_t counter = g.findMechanism("Counter");
  ASSERT_GE(counter, 0);
  auto &set = *g.mechanisms[static_cast<std::size_t>(counter)];
  const double *last = &set.instances.value(*set.instances.variable("last"), 0);
  const double *seen = &set.instances.value(*set.instances.variable("seen"), 0);
  built.network->addProbe(0, last);
  built.network->addProbe(0, seen);
  std::vector<std::vector<double>> rows;
  test::TraceRows observer(rows);
  built.network->initialize(observer);
  built.network->run(std::llround(30 / m.dt), observer);
  // Events: a at 2, 12, 22 (its count starts at 10); b at 6, 16 (starts at 20).
  std::vector<double> sequence;
  double previousSeen = 0;
  for (const auto &row : rows) {
    if (row[2] != previousSeen) sequence.push_back(row[1]);
    previousSeen = row[2];
  }
  EXPECT_EQ(sequence, (std::vector<double>{11, 21, 12, 22, 13}));
}

}  // namespace
}  // namespace ranvier
