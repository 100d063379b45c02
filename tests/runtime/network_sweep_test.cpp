// Sweeps of a model with several cells, connections, free-standing points and artificial
// cells (sweep/copies.hpp): every run is a copy of the whole model, and a run inside a
// chunk equals the model file with the run's values written in, run alone, bit for bit;
// names of parameters and measured places are checked against the model.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "catalogue.hpp"
#include "sweep_cli.hpp"
#include "expect_model_error.hpp"
#include "../unit/cli_support.hpp"
#include "golden_csv.hpp"
#include "model/build.hpp"
#include "sweep/copies.hpp"
#include "sweep/sweep_runner.hpp"
#include "trace_rows.hpp"

namespace ranvier {
namespace {

const std::string kRanvier = RANVIER_PATH;

// Two Liu neurons inhibiting each other (examples/liu-hco), plus what a copy must get
// right besides: a noisy NetStim (its random stream), an IClamp whose amplitude is an
// expression of gid, and a [[point]] on one cell.
std::string networkModel() {
  return R"toml([simulation]
tstop = 300
dt = 0.1
v_init = -60

[mechanisms]
paths = [")toml" + test::sourceDir() +
         R"toml(/mechanisms/liu"]

[cell.liu]
spike_source = { at = "soma(0.5)", threshold = 0 }
points = [{ name = "inh", mechanism = "ExpSyn", at = "soma(0.5)", tau = 50, e = -80 }, { name = "exc", mechanism = "ExpSyn", at = "soma(0.5)", tau = 5, e = 0 }, { name = "bias", mechanism = "IClamp", at = "soma(0.5)", del = 0, dur = 1e9, amp = "0.2 * gid" }]
sections = [{ name = "soma", L = 100, diam = 199.89860852342056, nseg = 1, Ra = 35.4, cm = 1 }]
insert = [
  { mechanism = "ACurrent", where = "soma", gbar = 0.0246 },
  { mechanism = "CaPoolLiu", where = "soma" },
  { mechanism = "CaS", where = "soma", gbar = 0.0027 },
  { mechanism = "CaT", where = "soma", gbar = 0.0023 },
  { mechanism = "HCurrent", where = "soma", gbar = 0.00101 },
  { mechanism = "KCa", where = "soma", gbar = 0.098 },
  { mechanism = "Kd", where = "soma", gbar = 0.061 },
  { mechanism = "Leak", where = "soma", gbar = 9.9e-5 },
  { mechanism = "NaV", where = "soma", gbar = 0.1831 },
]

[population.pair]
cell = "liu"
count = 2

[population.drive]
mechanism = "NetStim"
count = 1
interval = 20
number = 1000
start = 5
noise = 0.5

[[point]]
name = "kick"
mechanism = "IClamp"
at = "pair[0].soma(0.5)"
del = 0
dur = 100
amp = -2

[[netcon]]
name = "inhibition"
source = "pair"
target = "pair.inh"
rule = "all_to_all"
weight = 0.05
delay = 1

[[netcon]]
source = "drive"
target = "pair[1].exc"
weight = 0.02
delay = 2
)toml";
}

class NetworkSweeps : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("ranvier-netsweep-" + std::to_string(::getpid()) + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    write("hco.toml", networkModel());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path write(const std::string &name, const std::string &text) {
    std::ofstream(dir_ / name) << text;
    return dir_ / name;
  }
  std::filesystem::path dir_;
};

// One parameter of each kind: a named connection's weight, a mechanism on the cells of
// one population, a population of artificial cells, a [[point]]; in their own units (uS,
// S/cm2, ms, nA).
const std::string kSets =
    "inhibition.weight,pair.HCurrent.gbar,drive.interval,kick.amp\n"
    "0.05,0.00101,20,-2\n"
    "0.002,0.0005,20,-2\n"
    "0.2,0.002,10,-1\n"
    "0.05,0.00101,40,0\n"
    "0.01,0,15,-3\n";

TEST_F(NetworkSweeps, ARunInAChunkEqualsTheModelFileRunAlone) {
  write("sets.csv", kSets);
  sweep::Spec spec = sweep::loadSpec(write("sweep.toml", "model = \"hco.toml\"\ntstop = 300\ndt = 0.1\ntransient = 100\nsets = \"sets.csv\"\n"
                                                         "[measures]\nthreshold = 0\ncalcium = \"cai\"\n"));
  spec.traceRuns = {3};
  const model::Model base = model::loadModel(spec.model);
  tool::JitCatalogue catalogue(base.mechanismPaths, jit::JitOptions{});
  sweep::Runner runner(spec, catalogue);
  ASSERT_EQ(runner.places().size(), 2u);  // every cell of the model by default
  EXPECT_EQ(runner.places()[0].label, "pair[0]");
  EXPECT_EQ(runner.places()[1].label, "pair[1]");
  const std::size_t first = 1, count = 4;
  const auto chunk = test::simulateModel(runner.chunkModel(first, count), catalogue);
  std::vector<sweep::RunTrace> runTraces;
  const std::vector<analysis::Measures> measured = runner.run(first, count, {}, nullptr, &runTraces);
  ASSERT_EQ(measured.size(), 2 * count);
  ASSERT_EQ(runTraces.size(), 2u);  // run 3, both cells
  for (std::size_t k = 0; k < count; ++k) {
    const std::vector<double> &set = spec.sets[first + k];
    model::Model alone = base;  // the model file with the run's values written in, as a user would
    alone.tstop = spec.tstop;
    alone.dt = spec.dt;
    alone.netcons[0].weight.constant.number = set[0];
    for (model::Insertion &ins : alone.templates.at("liu").insertions) {
      if (ins.mechanism == "HCurrent") ins.parameters = {model::ParameterSetting{"gbar", {model::Value{set[1], "", std::nullopt, {}}}, {}}};
    }
    for (model::Population &pop : alone.populations) {
      if (pop.name != "drive") continue;
      std::erase_if(pop.parameters, [](const model::ParameterSetting &s) { return s.name == "interval"; });
      pop.parameters.push_back(model::ParameterSetting{"interval", {model::Value{set[2], "", std::nullopt, {}}}, {}});
    }
    std::erase_if(alone.points[0].parameters, [](const model::ParameterSetting &s) { return s.name == "amp"; });
    alone.points[0].parameters.push_back(model::ParameterSetting{"amp", {model::Value{set[3], "", std::nullopt, {}}}, {}});
    alone.records.clear();
    for (const std::string cell : {"pair[0]", "pair[1]"}) test::recordAt(alone, cell + ".soma(0.5)", {"v", "cai"});
    const auto single = test::simulateModel(alone, catalogue);
    ASSERT_EQ(single.size(), chunk.size());
    for (std::size_t r = 0; r < single.size(); ++r) {
      for (std::size_t c = 0; c < 4; ++c) {
        ASSERT_EQ(single[r][1 + c], chunk[r][1 + 4 * k + c]) << "run " << first + k << " column " << c << " at t = " << single[r][0];
      }
    }
    for (std::size_t cell = 0; cell < 2; ++cell) {
      analysis::TraceMeasures lone;
      for (const auto &r : single) {
        if (r[0] > spec.transient) lone.add(r[0], r[1 + 2 * cell], r[2 + 2 * cell]);
      }
      const analysis::Measures expected = lone.finish(), got = measured.at(2 * k + cell);
      EXPECT_EQ(got.spikes, expected.spikes) << "run " << first + k << " cell " << cell;
      EXPECT_EQ(got.vMin, expected.vMin) << "run " << first + k << " cell " << cell;
      EXPECT_EQ(got.vMax, expected.vMax) << "run " << first + k << " cell " << cell;
    }
    for (const sweep::RunTrace &t : runTraces) {
      if (t.run != first + k) continue;
      ASSERT_EQ(t.rows.size(), single.size());
      for (std::size_t r = 0; r < single.size(); ++r) ASSERT_EQ(t.rows[r][1], single[r][1 + 2 * t.place]) << "traced v of cell " << t.place << " at t = " << single[r][0];
    }
  }
  // The runs differ (the test would prove little if they did not).
  EXPECT_NE(measured[0].spikes + 1000 * measured[1].spikes, measured[2].spikes + 1000 * measured[3].spikes);
}

TEST_F(NetworkSweeps, TheCsvIsTheSameForAnyChunkAndThreadCount) {
  write("sets.csv", kSets);
  const std::filesystem::path spec =
      write("sweep.toml", "model = \"hco.toml\"\ntstop = 300\ndt = 0.1\ntransient = 100\nsets = \"sets.csv\"\n[traces]\nruns = [2]\ninterval = 1\n");
  auto csv = [&](const std::string &options, const std::string &name) { return test::sweepCsv(spec, options, dir_ / name, dir_ / "cache"); };
  const std::string one = csv("--threads 1 --chunk 5", "a.csv");
  EXPECT_EQ(std::count(one.begin(), one.end(), '\n'), 6) << one;
  EXPECT_EQ(one.rfind("run,inhibition.weight,pair.HCurrent.gbar,drive.interval,kick.amp,pair[0].class,pair[0].spikes,", 0), 0u) << one;
  EXPECT_NE(one.find(",pair[1].class,pair[1].spikes,"), std::string::npos) << one;
  EXPECT_NE(one.find(",pair[1].reason,pair[1].phase\n"), std::string::npos) << one;  // the phase of cell 1's bursts in cell 0's cycle
  EXPECT_EQ(csv("--threads 2 --chunk 2", "b.csv"), one);
  EXPECT_EQ(csv("--threads 2 --chunk 1", "c.csv"), one);
  std::ifstream trace(dir_ / "c.run2.csv");
  std::string head;
  std::getline(trace, head);
  EXPECT_EQ(head, "t,pair[0].v,pair[0].cai,pair[1].v,pair[1].cai");
  std::size_t rows = 0;
  for (std::string line; std::getline(trace, line);) ++rows;
  EXPECT_EQ(rows, 301u);  // t = 0, 1, ..., 300
}

TEST_F(NetworkSweeps, CopiesMoveSelectionsPointsAndGidsToTheirOwnCells) {
  const sweep::Spec spec = sweep::loadSpec(write("sweep.toml", "model = \"hco.toml\"\n[[parameter]]\nname = \"kick.amp\"\nvalues = [-1, -2, -3]\n"));
  const model::Model base = model::loadModel(spec.model);
  const sweep::Copies copies(base, spec);
  const model::Model m = copies.make({{-1}, {-2}, {-3}});
  ASSERT_EQ(m.populations.size(), 2u);
  EXPECT_EQ(m.populations[0].count, 6);  // pair: 2 cells x 3 copies
  EXPECT_EQ(m.populations[0].copyOf->count, 2);
  EXPECT_EQ(m.populations[0].copyOf->firstGid, 0);
  EXPECT_EQ(m.populations[1].count, 3);  // drive
  EXPECT_EQ(m.populations[1].copyOf->firstGid, 2);
  ASSERT_EQ(m.points.size(), 3u);
  EXPECT_EQ(m.points[2].name, "kick@2");
  EXPECT_EQ(m.points[2].location->cell, 4);
  EXPECT_EQ(m.points[2].copyOf, 0u);
  EXPECT_EQ(m.points[2].parameters.back().values.at(0).number, -3);
  ASSERT_EQ(m.netcons.size(), 6u);  // two per copy
  EXPECT_EQ(m.netcons[2].sources.at(0).text, "pair[2:4]");
  EXPECT_EQ(m.netcons[2].targets.at(0).text, "pair[2:4].inh");
  EXPECT_EQ(m.netcons[5].sources.at(0).text, "drive[2:3]");
  EXPECT_EQ(m.netcons[5].targets.at(0).text, "pair[5:6].exc");
  EXPECT_EQ(copies.placeIn(2, 1).text, "pair[5].soma(0.5)");
}

// A detector at a place as a connection's source, and a [[point]] at "soma(0.5)" in a
// model of one cell: both move to each copy's cell.
TEST_F(NetworkSweeps, CopiesMovePlacesToTheirOwnCells) {
  {
    const sweep::Spec spec = sweep::loadSpec(write("sweep.toml", "model = \"hco.toml\"\n[[parameter]]\nname = \"kick.amp\"\nvalues = [-1, -2]\n"));
    model::Model base = model::loadModel(spec.model);
    base.netcons.push_back(base.netcons[0]);
    base.netcons.back().name.clear();
    base.netcons.back().sources = {model::Selection{"pair[1].soma(0.25)", {}}};
    base.netcons.back().targets = {model::Selection{"pair[0].inh", {}}};
    base.populations.push_back(model::Population{"none", "liu", "", 0, {}, {}, {}, {}});  // an empty population stays empty
    base.netcons.push_back(base.netcons[0]);
    base.netcons.back().name.clear();
    base.netcons.back().sources = {model::Selection{"none", {}}};
    const sweep::Copies copies(base, spec);
    const model::Model m = copies.make({{-1}, {-2}});
    ASSERT_EQ(m.netcons.size(), 8u);
    EXPECT_EQ(m.netcons[6].sources.at(0).text, "pair[3].soma(0.25)");
    EXPECT_EQ(m.netcons[6].targets.at(0).text, "pair[2:3].inh");
    EXPECT_EQ(m.netcons[7].sources.at(0).text, "none");
  }
  const sweep::Spec spec = sweep::loadSpec(write("one.toml", "model = \"" + test::sourceDir() + "/examples/liu/liu.toml\"\n[[parameter]]\nname = \"pulse.amp\"\nvalues = [1, 2, 3]\n"));
  model::Model base = model::loadModel(spec.model);
  model::PointSpec pulse;
  pulse.name = "pulse";
  pulse.mechanism = "IClamp";
  pulse.location = model::parseLocation("soma(0.5)", {});
  base.points.push_back(pulse);
  const sweep::Copies copies(base, spec);
  const model::Model m = copies.make({{1}, {2}, {3}});
  ASSERT_EQ(m.points.size(), 3u);
  EXPECT_EQ(m.points[2].name, "pulse@2");
  EXPECT_EQ(m.points[2].location->text, "liu[2].soma(0.5)");
  ASSERT_EQ(copies.places().size(), 1u);
  EXPECT_EQ(copies.places()[0].label, "");  // one place: the columns keep their plain names
}

TEST_F(NetworkSweeps, NamesAreCheckedAgainstTheModel) {
  write("sets.csv", kSets);
  auto expectError = [&](const std::string &text, int line, const std::string &message) {
    test::expectModelError([&] {
      const sweep::Spec spec = sweep::loadSpec(write("sweep.toml", "model = \"hco.toml\"\n" + text));
      const model::Model base = model::loadModel(spec.model);
      sweep::Copies copies(base, spec);
    }, line, message, text);
  };
  expectError("[[parameter]]\nname = \"HCurent.gbar\"\nvalues = [1]\n", 3, "nothing in the model hco.toml is named 'HCurent'");
  expectError("[[parameter]]\nname = \"inhibition.tau\"\nvalues = [1]\n", 3, "weight or delay can vary, not 'tau'");
  expectError("[[parameter]]\nname = \"inhibition.delay\"\nunit = \"mV\"\nvalues = [1]\n", 3, "a delay's unit");
  expectError("[[parameter]]\nname = \"pear.HCurrent.gbar\"\nvalues = [1]\n", 3, "no population 'pear'");
  expectError("[[parameter]]\nname = \"drive.NetStim.interval\"\nvalues = [1]\n", 3, "population of artificial cells");
  expectError("[[parameter]]\nname = \"pair.NetStim.interval\"\nvalues = [1]\n", 3, "neither inserted on nor a point");
  expectError("[[parameter]]\nname = \"a.b.c.d\"\nvalues = [1]\n", 3, "population.mechanism.parameter");
  expectError("[measures]\nat = \"soma(0.5)\"\n[[parameter]]\nname = \"kick.amp\"\nvalues = [1]\n", 3, "does not say which cell: the model has 2 cells");
  expectError("[measures]\nat = [\"pair[2].soma(0.5)\"]\n[[parameter]]\nname = \"kick.amp\"\nvalues = [1]\n", 3, "has 2 cells; there is no cell 2");
  expectError("[measures]\nat = [\"drive[0].soma(0.5)\"]\n[[parameter]]\nname = \"kick.amp\"\nvalues = [1]\n", 3, "no population of cells is named 'drive'");
  expectError("[measures]\nat = []\n[[parameter]]\nname = \"kick.amp\"\nvalues = [1]\n", 3, "at is empty");
}

// What the model builder finds in a copy: a swept parameter the mechanism does not have,
// and a bad range in a connection of the base model, both at their own line.
TEST_F(NetworkSweeps, TheCommandReportsMistakesFoundInTheCopies) {
  const std::filesystem::path spec = write("sweep.toml", "model = \"hco.toml\"\ntstop = 10\n[[parameter]]\nname = \"drive.intervl\"\nvalues = [1, 2]\n");
  const auto run = test::runCommand(kRanvier + " sweep " + spec.string() + " --out " + (dir_ / "x.csv").string() + " -q --cache-dir " + (dir_ / "cache").string());
  EXPECT_NE(run.status, 0);
  EXPECT_NE(run.output.find("sweep.toml:4:"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("no per-instance parameter 'intervl'"), std::string::npos) << run.output;
  std::string model = networkModel();
  model.replace(model.find("target = \"pair[1].exc\""), 22, "target = \"pair[2].exc\"");
  write("hco.toml", model);
  const std::filesystem::path ok = write("ok.toml", "model = \"hco.toml\"\ntstop = 10\n[[parameter]]\nname = \"drive.interval\"\nvalues = [1, 2]\n");
  const auto bad = test::runCommand(kRanvier + " sweep " + ok.string() + " --out " + (dir_ / "y.csv").string() + " -q --cache-dir " + (dir_ / "cache").string());
  EXPECT_NE(bad.status, 0);
  EXPECT_NE(bad.output.find("[2] selects no cells of population 'pair', which has 2"), std::string::npos) << bad.output;
}

}  // namespace
}  // namespace ranvier
