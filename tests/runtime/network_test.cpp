// Networks: populations, connections and their exchange between threads. Models are
// written into a temporary directory, built with the JIT catalogue and run through
// sim::Network (or the `ranvier` command). Spike times are exact where the model makes
// them so (artificial cells, a ring whose spikes fall on steps).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>
#include <unistd.h>

#include "../unit/cli_support.hpp"
#include "catalogue.hpp"
#include "golden_csv.hpp"
#include "trace_rows.hpp"
#include "model/build.hpp"

namespace ranvier::model {
namespace {

const std::string kRanvier = RANVIER_PATH;

// The ring of /tmp/ringtest (and examples/ring): 5 ball-and-stick cells, each driving
// the next through an ExpSyn with delay 5, started by a NetStim at 9 ms.
const char *const kRing = R"TOML([simulation]
tstop = 100
dt = 0.025
v_init = -65

[cell.ballstick]
sections = [
  { name = "soma", L = 12.6157, diam = 12.6157, nseg = 1 },
  { name = "dend", parent = "soma(1)", L = 200, diam = 1, nseg = 101 },
]
Ra = 100
cm = 1
insert = [
  { mechanism = "hh", where = "soma" },
  { mechanism = "pas", where = "dend", g = 0.001, e = -65 },
]
spike_source = { at = "soma(0.5)", threshold = 10 }
points = [ { name = "syn", mechanism = "ExpSyn", at = "dend(0.5)", tau = 2 } ]

[population.ring]
cell = "ballstick"
count = 5

[population.stim]
mechanism = "NetStim"
number = 1
start = 9
noise = 0

[[netcon]]
source = "ring"
target = "ring.syn"
rule = "ring"
weight = 0.01
delay = 5

[[netcon]]
source = "stim"
target = "ring[0].syn"
weight = 0.004
delay = 1

[output]
spikes = "spikes.txt"
spike_precision = 3
)TOML";

// What the ring fires in 100 ms (NEURON gives the same): time, gid.
const std::vector<std::pair<double, int>> kRingSpikes{
    {9, 5},     {12.65, 0}, {19.25, 1}, {25.85, 2}, {32.45, 3}, {39.05, 4}, {45.65, 0}, {52.25, 1},
    {58.85, 2}, {65.45, 3}, {72.05, 4}, {78.65, 0}, {85.25, 1}, {91.85, 2}, {98.45, 3}};

// Built-in mechanisms, compiled once for the whole file.
tool::JitCatalogue &builtins() {
  static tool::JitCatalogue catalogue({}, jit::JitOptions{});
  return catalogue;
}

using Rows = test::TraceRows;

struct Ran {
  std::unique_ptr<tool::JitCatalogue> catalogue;  // for user mechanisms; outlives `built`
  BuiltModel built;
  std::vector<std::vector<double>> rows;  // t, then every probe of every trace file
  std::vector<sim::Spike> spikes;
};

constexpr int kAsInTheFile = -1;

std::unique_ptr<Ran> buildModel(Model m, int threads) {
  if (threads != kAsInTheFile) m.threads = threads;
  auto ran = std::make_unique<Ran>();
  tool::JitCatalogue *catalogue = &builtins();
  if (!m.mechanismPaths.empty()) {
    ran->catalogue = std::make_unique<tool::JitCatalogue>(m.mechanismPaths, jit::JitOptions{});
    catalogue = ran->catalogue.get();
  }
  ran->built = build(m, *catalogue);
  return ran;
}

std::unique_ptr<Ran> simulate(const Model &m, int threads) {
  auto ran = buildModel(m, threads);
  sim::Network &network = *ran->built.network;
  for (const TraceFile &f : ran->built.traces) {
    for (const TraceProbe &p : f.probes) network.addProbe(p.part, p.value);
  }
  Rows rows(ran->rows);
  network.initialize(rows);
  network.run(std::llround(m.tstop / m.dt), rows);
  ran->spikes = network.spikes();
  return ran;
}

int lineOf(const std::string &text, const std::string &needle, std::size_t occurrence = 0) {
  std::size_t at = text.find(needle);
  for (std::size_t k = 0; k < occurrence && at != std::string::npos; ++k) at = text.find(needle, at + 1);
  EXPECT_NE(at, std::string::npos) << needle;
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(std::min(at, text.size())), '\n'));
}

std::string replaced(std::string text, const std::string &from, const std::string &to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at == std::string::npos) return text;
  return text.replace(at, from.size(), to);
}

std::string describe(const std::vector<sim::Spike> &spikes) {
  std::ostringstream out;
  out.precision(17);
  for (const sim::Spike &s : spikes) out << s.time << " " << s.source << "\n";
  return out.str();
}

void expectSpikes(const std::vector<sim::Spike> &spikes, const std::vector<std::pair<double, int>> &expected, double tolerance) {
  ASSERT_EQ(spikes.size(), expected.size()) << describe(spikes);
  for (std::size_t k = 0; k < expected.size(); ++k) {
    EXPECT_EQ(spikes[k].source, expected[k].second) << "spike " << k << "\n" << describe(spikes);
    EXPECT_NEAR(spikes[k].time, expected[k].first, tolerance) << "spike " << k;
  }
}

class NetworkModels : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("ranvier-network-" + std::to_string(::getpid()) + "-" +
                                                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path write(const std::string &text, const std::string &name = "model.toml") {
    const auto path = dir_ / name;
    std::ofstream(path) << text;
    return path;
  }
  Model load(const std::string &text) { return loadModel(write(text)); }
  // Loads and builds with `threads`; the error, if any.
  std::optional<ModelError> error(const std::string &text, int threads = 1) {
    try {
      buildModel(load(text), threads);
    } catch (const ModelError &e) {
      return e;
    }
    return std::nullopt;
  }
  void expectError(const std::string &text, int line, const std::string &message, const std::string &hint, int threads = 1) {
    const auto e = error(text, threads);
    ASSERT_TRUE(e) << "no error for:\n" << text;
    EXPECT_EQ(e->where().line, line) << e->formatted();
    EXPECT_EQ(e->where().file, (dir_ / "model.toml").string()) << e->formatted();
    EXPECT_NE(e->message().find(message), std::string::npos) << e->formatted();
    EXPECT_NE(e->hint().find(hint), std::string::npos) << e->formatted();
  }
  std::filesystem::path dir_;
};

// ---- a. the ring ---------------------------------------------------------------------

TEST_F(NetworkModels, RingFiresInTurn) {
  const Model m = load(kRing);
  for (int threads : {1, 2}) {
    SCOPED_TRACE(std::to_string(threads) + " thread(s)");
    const auto ran = simulate(m, threads);
    const BuiltModel &b = ran->built;
    EXPECT_EQ(b.network->partCount(), static_cast<std::size_t>(threads));
    EXPECT_EQ(b.gidCount, 6);
    EXPECT_EQ(b.cells, 5u);
    EXPECT_EQ(b.artificialCells, 1u);
    EXPECT_EQ(b.connections, 6u);
    EXPECT_EQ(b.minimumDelay, 1);
    EXPECT_EQ(b.network->intervalSteps(), 40);
    EXPECT_TRUE(b.warnings.empty());
    expectSpikes(ran->spikes, kRingSpikes, 1e-9);
  }
}

TEST_F(NetworkModels, RingSpikesDoNotDependOnThreads) {
  const Model m = load(kRing);
  const auto one = simulate(m, 1), two = simulate(m, 2), three = simulate(m, 3);
  ASSERT_EQ(one->spikes.size(), kRingSpikes.size());
  EXPECT_EQ(three->built.network->partCount(), 3u);
  EXPECT_TRUE(one->spikes == two->spikes) << describe(one->spikes) << "\n" << describe(two->spikes);
  EXPECT_TRUE(one->spikes == three->spikes) << describe(one->spikes) << "\n" << describe(three->spikes);
}

// run() may be called in pieces that do not end on exchange intervals (40 steps here):
// the spikes of the last interval of one piece reach their targets in the next.
TEST_F(NetworkModels, RingRunInPiecesGivesTheSameSpikes) {
  const Model m = load(kRing);
  const auto whole = simulate(m, 2);
  auto pieces = buildModel(m, 2);
  sim::Network &net = *pieces->built.network;
  sim::RunObserver quiet;
  net.initialize(quiet);
  EXPECT_EQ(net.run(1001, quiet), 1001);
  EXPECT_EQ(net.run(7, quiet), 7);
  EXPECT_EQ(net.run(2992, quiet), 2992);
  EXPECT_EQ(net.stepsDone(), 4000);
  EXPECT_TRUE(net.spikes() == whole->spikes) << describe(net.spikes()) << "\n" << describe(whole->spikes);
  // initialize() starts over.
  net.initialize(quiet);
  net.run(4000, quiet);
  EXPECT_TRUE(net.spikes() == whole->spikes) << describe(net.spikes());
}

// ---- b. determinism through the command line -------------------------------------------

std::string readAll(const std::filesystem::path &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string expectedSpikeFile(int decimals) {
  std::string out;
  for (const auto &[time, gid] : kRingSpikes) {
    char line[64];
    std::snprintf(line, sizeof line, "%.*f\t%d\n", decimals, time, gid);
    out += line;
  }
  return out;
}

TEST_F(NetworkModels, CommandLineSpikeFilesAreIdenticalForAnyThreads) {
  const auto model = write(replaced(kRing, "spike_precision = 3\n", ""));  // the default precision
  const std::string cache = " --cache-dir " + (dir_ / "cache").string();
  std::vector<std::string> files;
  for (int threads : {1, 2, 3}) {
    const auto spikes = dir_ / ("spikes" + std::to_string(threads) + ".txt");
    const auto run = test::runCommand(kRanvier + " run " + model.string() + " -q -o " + dir_.string() + " --threads " + std::to_string(threads) +
                                      " --spikes " + spikes.string() + cache);
    ASSERT_EQ(run.status, 0) << run.output;
    files.push_back(readAll(spikes));
  }
  EXPECT_EQ(files[0], expectedSpikeFile(3));
  EXPECT_EQ(files[1], files[0]);
  EXPECT_EQ(files[2], files[0]);
  const std::regex line(R"([0-9]+\.[0-9]{3}\t[0-9]+)");
  std::istringstream lines(files[0]);
  for (std::string l; std::getline(lines, l);) EXPECT_TRUE(std::regex_match(l, line)) << l;

  // [output] spike_precision = 5
  const auto five = write(replaced(kRing, "spike_precision = 3", "spike_precision = 5"), "five.toml");
  const auto spikes = dir_ / "five.txt";
  const auto run = test::runCommand(kRanvier + " run " + five.string() + " -q -o " + dir_.string() + " --threads 2 --spikes " + spikes.string() + cache);
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_EQ(readAll(spikes), expectedSpikeFile(5));
  EXPECT_EQ(readAll(spikes).substr(0, 16), "9.00000\t5\n12.650");
}

// ---- c. event ordering -----------------------------------------------------------------

// Two NetStims firing together into one ExpSyn and one IntFire1, with the same delay.
const char *const kSimultaneous = R"TOML([simulation]
tstop = 12
dt = 0.025

[cell.passive]
sections = [ { name = "soma", L = 20, diam = 20 } ]
insert = [ { mechanism = "pas", g = 0.0001, e = -65 } ]

[population.neuron]
cell = "passive"

[population.a]
mechanism = "NetStim"
number = 1
start = 5
noise = 0

[population.b]
mechanism = "NetStim"
number = 1
start = 5
noise = 0

[population.integ]
mechanism = "IntFire1"
tau = 10

[[point]]
name = "syn"
mechanism = "ExpSyn"
at = "neuron[0].soma(0.5)"
tau = 2

[[netcon]]
source = "a"
target = "syn"
weight = 0.001
delay = 2

[[netcon]]
source = "b"
target = "syn"
weight = 0.002
delay = 2

[[netcon]]
source = ["a", "b"]
target = "integ"
weight = 0.6
delay = 2

[[record]]
variable = "syn.g"
)TOML";

TEST_F(NetworkModels, SimultaneousEventsArriveInTheSameStep) {
  const Model m = load(kSimultaneous);
  const auto one = simulate(m, 1), two = simulate(m, 2);
  // With two threads the synapse's cell is on one part and the NetStims on the other.
  sim::Network &net = *two->built.network;
  ASSERT_EQ(net.partCount(), 2u);
  ASSERT_EQ(two->built.traces.at(0).probes.at(0).part, 0u);
  const std::int32_t stims = net.part(1).group().findMechanism("NetStim");
  ASSERT_GE(stims, 0);
  EXPECT_EQ(net.part(1).group().mechanisms[static_cast<std::size_t>(stims)]->instances.count(), 2);
  EXPECT_LT(net.part(1).group().findMechanism("ExpSyn"), 0);

  for (const Ran *ran : {one.get(), two.get()}) {
    SCOPED_TRACE(std::to_string(ran->built.network->partCount()) + " thread(s)");
    // gids: neuron 0, a 1, b 2, integ 3. 0.6 + 0.6 > 1 only when both arrive at once.
    expectSpikes(ran->spikes, {{5, 1}, {5, 2}, {7, 3}}, 0);
    // g jumps by both weights in one step (the one starting at t = 7), then decays.
    std::size_t first = 0;
    while (first < ran->rows.size() && ran->rows[first][1] == 0) ++first;
    ASSERT_LT(first, ran->rows.size());
    EXPECT_NEAR(ran->rows[first][0], 7.025, 1e-9);
    const double decay = std::exp(-0.025 / 2);
    EXPECT_NEAR(ran->rows[first][1], 0.003 * decay, 1e-15);
    EXPECT_NEAR(ran->rows[first + 1][1], 0.003 * decay * decay, 1e-15);
  }
  ASSERT_EQ(one->rows.size(), two->rows.size());
  for (std::size_t r = 0; r < one->rows.size(); ++r) ASSERT_EQ(one->rows[r], two->rows[r]) << "row " << r;
}

TEST_F(NetworkModels, SelfEventsOfANetStimFallOnTheirTimes) {
  const Model m = load(R"TOML([simulation]
tstop = 30
dt = 0.025

[population.train]
mechanism = "NetStim"
number = 5
interval = 3
start = 2
noise = 0

[population.early]
mechanism = "NetStim"
number = 2
interval = 4
start = 0
noise = 0
)TOML");
  for (int threads : {1, 2}) {
    SCOPED_TRACE(std::to_string(threads) + " thread(s)");
    const auto ran = simulate(m, threads);
    // start + k*interval exactly, 5 of them; a train starting at 0 fires at t = 0.
    expectSpikes(ran->spikes, {{0, 1}, {2, 0}, {4, 1}, {5, 0}, {8, 0}, {11, 0}, {14, 0}}, 0);
  }
}

// A chain: stim -> chain[0] -> chain[1] -> ... -> chain[5], each link 5 ms.
std::string chainModel() {
  std::string text = kRing;
  text = replaced(text, "[population.ring]\ncell = \"ballstick\"\ncount = 5", "[population.chain]\ncell = \"ballstick\"\ncount = 6");
  text = replaced(text, "source = \"ring\"\ntarget = \"ring.syn\"\nrule = \"ring\"", "source = \"chain[0:5]\"\ntarget = \"chain[1:6].syn\"\nrule = \"one_to_one\"");
  text = replaced(text, "target = \"ring[0].syn\"", "target = \"chain[0].syn\"");
  text = replaced(text, "tstop = 100", "tstop = 50");
  for (int k = 0; k < 6; ++k) {
    text += "\n[[record]]\nvariable = \"v\"\nat = \"chain[" + std::to_string(k) + "].soma(0.5)\"\n";
  }
  return text;
}

TEST_F(NetworkModels, EventsCrossThreadBoundaries) {
  const Model m = load(chainModel());
  const auto one = simulate(m, 1), two = simulate(m, 2), three = simulate(m, 3);
  // Consecutive cells of the chain are on different parts (the probe of each cell's v
  // belongs to the part that holds the cell).
  const auto &probes = two->built.traces.at(0).probes;
  ASSERT_EQ(probes.size(), 6u);
  for (std::size_t k = 0; k + 1 < probes.size(); ++k) EXPECT_NE(probes[k].part, probes[k + 1].part) << "chain[" << k << "]";
  ASSERT_EQ(two->built.partCost.size(), 2u);
  for (std::size_t p = 0; p < 2; ++p) {
    const sim::CellGroup &g = two->built.network->part(p).group();
    const std::int32_t syn = g.findMechanism("ExpSyn");
    ASSERT_GE(syn, 0);
    EXPECT_EQ(g.mechanisms[static_cast<std::size_t>(syn)]->instances.count(), 3) << "part " << p;
  }
  // stim (gid 6) at 9; then each cell 6.6 ms after the one before, as in the ring.
  expectSpikes(one->spikes, {{9, 6}, {12.65, 0}, {19.25, 1}, {25.85, 2}, {32.45, 3}, {39.05, 4}, {45.65, 5}}, 1e-9);
  EXPECT_TRUE(one->spikes == two->spikes) << describe(one->spikes) << "\n" << describe(two->spikes);
  EXPECT_TRUE(one->spikes == three->spikes) << describe(one->spikes) << "\n" << describe(three->spikes);
  ASSERT_EQ(one->rows.size(), two->rows.size());
  for (std::size_t r = 0; r < one->rows.size(); r += 97) ASSERT_EQ(one->rows[r], two->rows[r]) << "row " << r;
}

// ---- d. delays below dt ----------------------------------------------------------------

std::string ringWithShortcut(const std::string &delay) {
  return replaced(kRing, "[output]", "[[netcon]]\nsource = \"ring[0]\"\ntarget = \"ring[1].syn\"\nweight = 0.01\ndelay = " + delay + "\n\n[output]");
}

TEST_F(NetworkModels, DelaysBelowDtNeedOneThread) {
  for (const std::string delay : {"0", "0.01"}) {
    SCOPED_TRACE("delay " + delay);
    const std::string text = ringWithShortcut(delay);
    const int line = lineOf(text, "[[netcon]]", 2);
    expectError(text, line, "the connection from ring[0] to ring[1].syn has delay " + delay + " ms, below dt = 0.025 ms", "--threads 1", 2);
    // threads = 1 in the file: the same
    expectError(replaced(text, "v_init = -65", "v_init = -65\nthreads = 2"), line + 1, "has delay " + delay + " ms", "more than one thread", kAsInTheFile);
  }
}

TEST_F(NetworkModels, DelaysBelowDtAreImmediateWithOneThread) {
  const auto zero = simulate(load(ringWithShortcut("0")), 1);
  const auto small = simulate(load(ringWithShortcut("0.01")), 1);
  const auto step = simulate(load(ringWithShortcut("0.025")), 1);
  EXPECT_EQ(step->built.network->intervalSteps(), 1);
  EXPECT_EQ(zero->built.network->intervalSteps(), 40);
  auto firstOf = [](const Ran &ran, int gid) {
    for (const sim::Spike &s : ran.spikes) {
      if (s.source == gid) return s.time;
    }
    return -1.0;
  };
  // ring[0] fires at 12.65 as before; ring[1] now follows it at once instead of 5 ms later.
  EXPECT_NEAR(firstOf(*zero, 0), 12.65, 1e-9);
  const double direct = firstOf(*zero, 1);
  EXPECT_GT(direct, 12.65);
  EXPECT_LT(direct, 15);
  // A delay of 0 or 0.01 is delivered in the step that detected the spike; dt, one step later.
  EXPECT_TRUE(zero->spikes == small->spikes) << describe(zero->spikes) << "\n" << describe(small->spikes);
  EXPECT_NEAR(firstOf(*step, 1) - direct, 0.025, 1e-9);
  // A delay of exactly dt is allowed with threads: exchanges every step, same spikes.
  const auto stepTwo = simulate(load(ringWithShortcut("0.025")), 2);
  EXPECT_EQ(stepTwo->built.network->intervalSteps(), 1);
  EXPECT_TRUE(step->spikes == stepTwo->spikes) << describe(step->spikes) << "\n" << describe(stepTwo->spikes);
}

// The exchange interval: the shortest delay in whole steps, at most 1000 steps.
TEST_F(NetworkModels, ExchangeIntervalIsTheShortestDelayInWholeSteps) {
  auto interval = [&](const std::string &text) { return buildModel(load(text), 2)->built.network->intervalSteps(); };
  EXPECT_EQ(interval(replaced(kRing, "delay = 1\n", "delay = 1.01\n")), 40);
  EXPECT_EQ(interval(replaced(kRing, "delay = 1\n", "delay = 0.9999\n")), 39);
  EXPECT_EQ(interval(replaced(replaced(kRing, "delay = 1\n", "delay = 60\n"), "delay = 5\n", "delay = 70\n")), 1000);
  const auto drawn = buildModel(load(replaced(kRing, "delay = 5\n", "delay = { distribution = \"uniform\", low = 0.5, high = 0.6 }\n")), 2);
  EXPECT_GE(drawn->built.minimumDelay, 0.5);
  EXPECT_LT(drawn->built.minimumDelay, 0.6);
  EXPECT_EQ(drawn->built.network->intervalSteps(), static_cast<std::int64_t>(std::floor(drawn->built.minimumDelay / 0.025 + 1e-9)));
}

// ---- e. mechanisms that are not THREADSAFE --------------------------------------------

TEST_F(NetworkModels, CellsWithAMechanismThatIsNotThreadsafeStayOnPartZero) {
  std::filesystem::create_directories(dir_ / "mods");
  std::ofstream(dir_ / "mods" / "leaky.mod") << R"MOD(: A leak that counts its evaluations in a GLOBAL, without THREADSAFE.
NEURON {
  SUFFIX leaky
  NONSPECIFIC_CURRENT i
  RANGE g, e
  GLOBAL counter
}
PARAMETER {
  g = 0.0001 (S/cm2)
  e = -65 (mV)
}
ASSIGNED {
  v (mV)
  i (mA/cm2)
  counter
}
BREAKPOINT {
  counter = counter + 1
  i = g*(v - e)
}
)MOD";
  const Model m = load(R"TOML([mechanisms]
paths = ["mods"]

[simulation]
tstop = 1
dt = 0.025

[cell.user]
sections = [ { name = "soma", L = 20, diam = 20 } ]
insert = [ { mechanism = "leaky" } ]

[cell.plain]
sections = [ { name = "soma", L = 20, diam = 20 } ]
insert = [ { mechanism = "pas" } ]

[population.users]
cell = "user"
count = 4

[population.plains]
cell = "plain"
count = 4
)TOML");
  const auto ran = simulate(m, 2);
  const BuiltModel &b = ran->built;
  ASSERT_EQ(b.network->partCount(), 2u);
  ASSERT_EQ(b.warnings.size(), 1u);
  EXPECT_NE(b.warnings[0].find("'leaky'"), std::string::npos) << b.warnings[0];
  EXPECT_NE(b.warnings[0].find("THREADSAFE"), std::string::npos) << b.warnings[0];
  EXPECT_NE(b.warnings[0].find("mechlint"), std::string::npos) << b.warnings[0];
  EXPECT_NE(b.warnings[0].find("4 instance(s)"), std::string::npos) << b.warnings[0];
  const sim::CellGroup &zero = b.network->part(0).group(), &one = b.network->part(1).group();
  const std::int32_t leaky = zero.findMechanism("leaky");
  ASSERT_GE(leaky, 0);
  EXPECT_EQ(zero.mechanisms[static_cast<std::size_t>(leaky)]->instances.count(), 4);
  const std::int32_t elsewhere = one.findMechanism("leaky");
  EXPECT_TRUE(elsewhere < 0 || one.mechanisms[static_cast<std::size_t>(elsewhere)]->instances.count() == 0);
  // The plain cells balance the load on part 1.
  const std::int32_t pas = one.findMechanism("pas");
  ASSERT_GE(pas, 0);
  EXPECT_EQ(one.mechanisms[static_cast<std::size_t>(pas)]->instances.count(), 4);
  EXPECT_DOUBLE_EQ(b.partCost[0], b.partCost[1]);
}

// ---- f. selections that name nothing -----------------------------------------------------

TEST_F(NetworkModels, UnknownSourcePopulation) {
  const std::string text = replaced(kRing, "source = \"ring\"", "source = \"rign\"");
  expectError(text, lineOf(text, "source = \"rign\""), "no population or point process is named 'rign'", "did you mean 'ring'?");
}

TEST_F(NetworkModels, UnknownTargetPoint) {
  const std::string text = replaced(kRing, "target = \"ring.syn\"", "target = \"ring.synn\"");
  expectError(text, lineOf(text, "target = \"ring.synn\""), "cell template 'ballstick' has no point 'synn'", "did you mean 'syn'?");
  const std::string bare = replaced(kRing, "target = \"ring.syn\"", "target = \"ring\"");
  expectError(bare, lineOf(bare, "target = \"ring\""), "names one of their points", "syn");
}

TEST_F(NetworkModels, CellIndexOutOfRange) {
  std::string text = replaced(kRing, "target = \"ring[0].syn\"", "target = \"ring[7].syn\"");
  expectError(text, lineOf(text, "target = \"ring[7].syn\""), "[7] selects no cells of population 'ring', which has 5", "numbered from 0");
  text = replaced(kRing, "source = \"ring\"", "source = \"ring[7]\"");
  expectError(text, lineOf(text, "source = \"ring[7]\""), "[7] selects no cells of population 'ring', which has 5", "numbered from 0");
  text = replaced(kRing, "source = \"ring\"", "source = \"ring[3:9]\"");
  expectError(text, lineOf(text, "source = \"ring[3:9]\""), "[3:9] selects no cells", "numbered from 0");
}

TEST_F(NetworkModels, SourceWithoutSpikeSource) {
  std::string text = replaced(kRing, "[population.ring]",
                              "[cell.quiet]\nsections = [ { name = \"soma\", L = 20, diam = 20 } ]\n"
                              "points = [ { name = \"syn\", mechanism = \"ExpSyn\", at = \"soma(0.5)\" } ]\n\n"
                              "[population.silent]\ncell = \"quiet\"\ncount = 2\n\n[population.ring]");
  text = replaced(text, "source = \"stim\"", "source = \"silent[1]\"");
  expectError(text, lineOf(text, "source = \"silent[1]\""), "the cells of 'silent' have no spike source", "spike_source");
}

TEST_F(NetworkModels, FixedIndegreeNeedsIndegree) {
  const std::string text = replaced(kRing, "rule = \"ring\"", "rule = \"fixed_indegree\"");
  expectError(text, lineOf(text, "[[netcon]]"), "rule = \"fixed_indegree\" needs indegree", "");
  const std::string stray = replaced(kRing, "rule = \"ring\"", "rule = \"ring\"\nindegree = 2");
  expectError(stray, lineOf(stray, "indegree = 2"), "is the only rule that takes indegree", "");
}

TEST_F(NetworkModels, FixedIndegreeInAModelBuildsExactlyKPerTarget) {
  const std::string text = replaced(kRing, "rule = \"ring\"", "rule = \"fixed_indegree\"\nindegree = 3\nseed = 5");
  const auto ran = buildModel(load(text), 2);
  EXPECT_EQ(ran->built.connections, 5u * 3u + 1u);
  // 4 other cells for each target: 5 would be an error.
  const std::string five = replaced(kRing, "rule = \"ring\"", "rule = \"fixed_indegree\"\nindegree = 5");
  expectError(five, lineOf(five, "[[netcon]]"), "indegree = 5 but target 0 can be reached from only 4 source(s)", "autapses = true");
}

}  // namespace
}  // namespace ranvier::model
