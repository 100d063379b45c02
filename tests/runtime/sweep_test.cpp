// Parameter sweeps (`ranvier sweep`): the sweep file's parameter sets, a set run inside a
// chunk of many equals the same parameters run alone as an ordinary model file (trace for
// trace, bit for bit), and an interrupted sweep resumed gives the uninterrupted file.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <unistd.h>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "catalogue.hpp"
#include "sweep_cli.hpp"
#include "expect_model_error.hpp"
#include "../unit/cli_support.hpp"
#include "golden_csv.hpp"
#include "model/build.hpp"
#include "model/units.hpp"
#include "sweep/sweep_runner.hpp"
#include "trace_rows.hpp"

namespace ranvier {
namespace {

const std::string kRanvier = RANVIER_PATH;

class Sweeps : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("ranvier-sweep-" + std::to_string(::getpid()) + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path write(const std::string &name, const std::string &text) {
    std::ofstream(dir_ / name) << text;
    return dir_ / name;
  }
  // A sweep of the Liu neuron's CaS and ACurrent conductances.
  std::filesystem::path liuSweep(double tstop, const std::string &grids) {
    return write("sweep.toml", "model = \"" + test::sourceDir() + "/examples/liu/liu.toml\"\ntstop = " + std::to_string(tstop) + "\ndt = 0.1\ntransient = " +
                                   std::to_string(tstop / 2) + "\n" + grids);
  }
  std::filesystem::path dir_;
};

const std::string kGrid =
    "[[parameter]]\nname = \"CaS.gbar\"\nunit = \"uS/mm2\"\nlinspace = [0, 100, 3]\n"
    "[[parameter]]\nname = \"ACurrent.gbar\"\nunit = \"uS/mm2\"\nlinspace = [100, 300, 3]\n";

TEST_F(Sweeps, GridsAreCartesianProductsWithTheLastParameterFastest) {
  const sweep::Spec spec = sweep::loadSpec(liuSweep(100, kGrid));
  ASSERT_EQ(spec.parameters.size(), 2u);
  EXPECT_EQ(spec.parameters[0].name(), "CaS.gbar");
  EXPECT_EQ(spec.parameters[1].unit, "uS/mm2");
  ASSERT_EQ(spec.sets.size(), 9u);
  EXPECT_EQ(spec.sets[0], (std::vector<double>{0, 100}));
  EXPECT_EQ(spec.sets[1], (std::vector<double>{0, 200}));
  EXPECT_EQ(spec.sets[5], (std::vector<double>{50, 300}));
  EXPECT_EQ(spec.sets[8], (std::vector<double>{100, 300}));
  const sweep::Spec logs = sweep::loadSpec(liuSweep(100, "[[parameter]]\nname = \"Kd.gbar\"\nlogspace = [0.001, 0.1, 3]\n"));
  EXPECT_NEAR(logs.sets[1][0], 0.01, 1e-15);
  EXPECT_EQ(logs.sets[2][0], 0.1);
}

TEST_F(Sweeps, RandomSetsAreReproducibleAndWithinTheirRanges) {
  const std::string text = "[random]\ncount = 50\nseed = 3\n[[parameter]]\nname = \"CaS.gbar\"\nlow = 1\nhigh = 2\n[[parameter]]\nname = \"Kd.gbar\"\nlow = 0.01\nhigh = 1\nlog = true\n";
  const sweep::Spec a = sweep::loadSpec(liuSweep(100, text)), b = sweep::loadSpec(liuSweep(100, text));
  ASSERT_EQ(a.sets.size(), 50u);
  EXPECT_EQ(a.sets, b.sets);
  for (const auto &row : a.sets) {
    EXPECT_GE(row[0], 1);
    EXPECT_LT(row[0], 2);
    EXPECT_GE(row[1], 0.01);
    EXPECT_LT(row[1], 1);
  }
}

TEST_F(Sweeps, SetsFromACsvFile) {
  write("sets.csv", "CaS.gbar, ACurrent.gbar\n10,200\n# a comment\n20,250\n");
  const sweep::Spec spec = sweep::loadSpec(liuSweep(100, "sets = \"sets.csv\"\n"));
  ASSERT_EQ(spec.sets.size(), 2u);
  EXPECT_EQ(spec.sets[1], (std::vector<double>{20, 250}));
  write("bad.csv", "CaS.gbar,ACurrent.gbar\n10\n");
  try {
    sweep::loadSpec(liuSweep(100, "sets = \"bad.csv\"\n"));
    ADD_FAILURE() << "no error";
  } catch (const model::ModelError &e) {
    EXPECT_EQ(e.where().line, 2) << e.formatted();
    EXPECT_NE(e.message().find("1 values for 2 parameters"), std::string::npos) << e.formatted();
  }
}

TEST_F(Sweeps, MistakesInTheSweepFileNameTheirLine) {
  auto expectError = [&](const std::string &text, int line, const std::string &message) {
    test::expectModelError([&] { sweep::loadSpec(liuSweep(100, text)); }, line, message, text);
  };
  expectError("", 1, "nothing to vary");
  expectError("[[parameter]]\nname = \"gbar\"\nvalues = [1]\n", 6, "mechanism.parameter");
  expectError("[[parameter]]\nname = \"CaS.gbar\"\n", 5, "linspace");
  expectError("[[parameter]]\nname = \"CaS.gbar\"\nlogspace = [0, 1, 3]\n", 7, "positive");
  expectError("[[parameter]]\nname = \"CaS.gbar\"\nlinspace = [0, 1, 3]\nstep = 2\n", 8, "unknown key 'step'");
  expectError("kernels = \"quick\"\n[[parameter]]\nname = \"CaS.gbar\"\nvalues = [1]\n", 5, "unknown kernels 'quick'");
  expectError("[traces]\ninterval = 0.15\n[[parameter]]\nname = \"CaS.gbar\"\nvalues = [1]\n", 6, "multiple of dt");
  expectError("[traces]\nruns = 3\n[[parameter]]\nname = \"CaS.gbar\"\nvalues = [1]\n", 6, "list of run numbers");
}

// The identical-traces promise: set k of a chunk of 7 is the model file with those
// conductances, run on its own; and the sweep's measures are those of that run's traces.
// With exact and with fast kernels (each against the lone run with the same kernels).
void expectASetInAChunkEqualsTheModelFileRunAlone(const std::filesystem::path &specFile, codegen::KernelMath math) {
  sweep::Spec spec = sweep::loadSpec(specFile);
  spec.traceRuns = {3, 6};  // sets 2 and 5 of the chunk: their whole traces too
  model::Model base = model::loadModel(spec.model);
  tool::JitCatalogue catalogue(base.mechanismPaths, jit::JitOptions{.math = math});
  sweep::Runner runner(spec, catalogue);
  auto traces = [&](const model::Model &m) { return test::simulateModel(m, catalogue); };
  const std::size_t first = 1, count = 7;
  const auto chunk = traces(runner.chunkModel(first, count));
  std::vector<sweep::RunTrace> runTraces;
  const std::vector<analysis::Measures> measured = runner.run(first, count, {}, nullptr, &runTraces);
  ASSERT_EQ(measured.size(), count);
  ASSERT_EQ(runTraces.size(), 2u);
  for (std::size_t k = 0; k < count; ++k) {
    model::Model alone = base;  // the base model with the set's values written in, as a user would
    alone.tstop = spec.tstop;
    alone.dt = spec.dt;
    alone.records.clear();
    test::recordAt(alone, "soma(0.5)", {"v", "cai"});
    for (std::size_t p = 0; p < spec.parameters.size(); ++p) {
      for (model::Insertion &ins : alone.templates.begin()->second.insertions) {
        if (ins.mechanism != spec.parameters[p].mechanism) continue;
        model::ParameterSetting setting;
        setting.name = spec.parameters[p].parameter;
        model::Value v;
        v.quantity = fmt::format("{}", spec.sets[first + k][p]) + " " + spec.parameters[p].unit;
        setting.values = {v};
        std::erase_if(ins.parameters, [&](const model::ParameterSetting &s) { return s.name == setting.name; });
        ins.parameters.push_back(setting);
      }
    }
    const auto single = traces(alone);
    ASSERT_EQ(single.size(), chunk.size());
    // The sweep's measures are those of the lone run's traces after the transient.
    analysis::TraceMeasures lone;
    for (const auto &r : single) {
      if (r[0] > spec.transient) lone.add(r[0], r[1], r[2]);
    }
    const analysis::Measures expected = lone.finish(), got = measured.at(k);
    EXPECT_EQ(got.spikes, expected.spikes) << "set " << first + k;
    EXPECT_EQ(got.caPeaks, expected.caPeaks) << "set " << first + k;
    EXPECT_EQ(got.kind, expected.kind) << "set " << first + k;
    EXPECT_EQ(got.vMin, expected.vMin) << "set " << first + k;
    EXPECT_TRUE(got.burstPeriod == expected.burstPeriod || (std::isnan(got.burstPeriod) && std::isnan(expected.burstPeriod))) << "set " << first + k;
    for (const sweep::RunTrace &t : runTraces) {  // a traced set's rows are the lone run's, every step
      if (t.run != first + k) continue;
      ASSERT_EQ(t.rows.size(), single.size());
      for (std::size_t r = 0; r < single.size(); ++r) {
        ASSERT_EQ(t.rows[r][0], single[r][0]);
        ASSERT_EQ(t.rows[r][1], single[r][1]) << "traced v of set " << t.run << " at t = " << single[r][0];
        ASSERT_EQ(t.rows[r][2], single[r][2]) << "traced cai of set " << t.run << " at t = " << single[r][0];
      }
    }
    for (std::size_t r = 0; r < single.size(); ++r) {
      ASSERT_EQ(single[r][0], chunk[r][0]);
      ASSERT_EQ(single[r][1], chunk[r][1 + 2 * k]) << "v of set " << first + k << " at t = " << single[r][0];
      ASSERT_EQ(single[r][2], chunk[r][2 + 2 * k]) << "cai of set " << first + k << " at t = " << single[r][0];
    }
  }
}

TEST_F(Sweeps, ASetInAChunkEqualsTheModelFileRunAlone) {
  expectASetInAChunkEqualsTheModelFileRunAlone(liuSweep(400, kGrid), codegen::KernelMath::Exact);
}

TEST_F(Sweeps, ASetInAChunkEqualsTheModelFileRunAloneWithFastKernels) {
  expectASetInAChunkEqualsTheModelFileRunAlone(liuSweep(400, "kernels = \"fast\"\n" + kGrid), codegen::KernelMath::Fast);
}

TEST_F(Sweeps, ASetInAChunkEqualsTheModelFileRunAloneWithTabulatedMechanismsAndFastKernels) {
  const std::filesystem::path spec =
      write("tab.toml", "model = \"" + test::sourceDir() + "/examples/liu/liu-tab.toml\"\ntstop = 400\ndt = 0.1\ntransient = 200\nkernels = \"fast\"\n" + kGrid);
  expectASetInAChunkEqualsTheModelFileRunAlone(spec, codegen::KernelMath::Fast);
}

// Sections' geometry and passive properties vary too, each copy with a shape of its
// own: a set equals the model file with the section written that way, run alone.
TEST_F(Sweeps, ASectionsGeometryVariesAsIfWrittenInTheModelFile) {
  sweep::Spec spec = sweep::loadSpec(liuSweep(300, "[[parameter]]\nname = \"soma.diam\"\nunit = \"mm\"\nvalues = [0.15, 0.19989860852342056, 0.25]\n"
                                                   "[[parameter]]\nname = \"liu.soma.cm\"\nvalues = [0.8, 1.2]\n"
                                                   "[[parameter]]\nname = \"all.Ra\"\nvalues = [100]\n"));
  const model::Model base = model::loadModel(spec.model);
  tool::JitCatalogue catalogue(base.mechanismPaths, jit::JitOptions{});
  sweep::Runner runner(spec, catalogue);
  auto traces = [&](const model::Model &m) { return test::simulateModel(m, catalogue); };
  const std::size_t first = 1, count = 5;
  const auto chunk = traces(runner.chunkModel(first, count));
  std::set<double> lastV;
  for (std::size_t k = 0; k < count; ++k) {
    const std::vector<double> &set = spec.sets[first + k];
    model::Model alone = base;
    alone.tstop = spec.tstop;
    alone.dt = spec.dt;
    cell::Section &soma = alone.templates.at("liu").morphology.sections.at(0);
    soma.diam = *model::convertQuantity(fmt::format("{} mm", set[0]), "um").value;  // as a model file's "0.25 mm" would be
    soma.cm = set[1];
    soma.Ra = set[2];
    alone.records.clear();
    test::recordAt(alone, "soma(0.5)", {"v", "cai"});
    const auto single = traces(alone);
    ASSERT_EQ(single.size(), chunk.size());
    for (std::size_t r = 0; r < single.size(); ++r) {
      ASSERT_EQ(single[r][1], chunk[r][1 + 2 * k]) << "v of set " << first + k << " at t = " << single[r][0];
      ASSERT_EQ(single[r][2], chunk[r][2 + 2 * k]) << "cai of set " << first + k << " at t = " << single[r][0];
    }
    lastV.insert(single.back()[1]);
  }
  EXPECT_EQ(lastV.size(), count);  // the sets differ from each other
  // Mistakes: a section that is not there, a unit of the wrong kind.
  for (const auto &[text, message] : std::vector<std::pair<std::string, std::string>>{
           {"[[parameter]]\nname = \"dend.L\"\nvalues = [1]\n", "nothing in the model liu.toml is named 'dend'"},
           {"[[parameter]]\nname = \"soma.L\"\nunit = \"mV\"\nvalues = [1]\n", "L is in units of um, not 'mV'"},
           {"[[parameter]]\nname = \"liu.soma.nseg\"\nvalues = [1]\n", "neither inserted on nor a point of the cells of 'liu'"}}) {
    const sweep::Spec bad = sweep::loadSpec(liuSweep(300, text));
    test::expectModelError([&] { sweep::Runner r(bad, catalogue); }, 6, message, text);
  }
}

// celsius and v_init vary too: the sets of a chunk that agree in them share a model,
// the others are simulated apart, and each set equals the model file run alone.
TEST_F(Sweeps, TemperatureAndInitialVoltageVaryAsIfWrittenInTheModelFile) {
  sweep::Spec spec = sweep::loadSpec(write("hh.toml", "model = \"" + test::sourceDir() + "/examples/hh-soma/soma.toml\"\ntstop = 30\ndt = 0.025\ntransient = 10\n"
                                                      "[measures]\ncalcium = \"hh.m\"\n"
                                                      "[[parameter]]\nname = \"celsius\"\nunit = \"degC\"\nvalues = [6.3, 16.3]\n"
                                                      "[[parameter]]\nname = \"v_init\"\nvalues = [-65, -60]\n"
                                                      "[[parameter]]\nname = \"stim.amp\"\nunit = \"pA\"\nvalues = [100, 200]\n"));
  ASSERT_EQ(spec.sets.size(), 8u);
  EXPECT_EQ(spec.parameters[0].name(), "celsius");
  for (std::size_t run = 0; run < 8; ++run) spec.traceRuns.push_back(run);
  const model::Model base = model::loadModel(spec.model);
  tool::JitCatalogue catalogue(base.mechanismPaths, jit::JitOptions{});
  sweep::Runner runner(spec, catalogue);
  std::vector<sweep::RunTrace> traces;
  std::vector<double> progress;
  const std::vector<analysis::Measures> measured = runner.run(0, 8, [&](double f) { progress.push_back(f); }, nullptr, &traces);
  ASSERT_EQ(measured.size(), 8u);
  ASSERT_EQ(traces.size(), 8u);
  std::set<std::size_t> spikeCounts;
  for (std::size_t run = 0; run < 8; ++run) {
    const std::vector<double> &set = spec.sets[run];
    model::Model alone = base;
    alone.tstop = spec.tstop;
    alone.celsius = set[0];
    alone.vInit = set[1];
    alone.points.at(0).parameters.push_back(model::ParameterSetting{"amp", {model::Value{0, fmt::format("{} pA", set[2]), std::nullopt, {}}}, {}});
    alone.records.clear();
    test::recordAt(alone, "soma(0.5)", {"v", "hh.m"});
    const auto single = test::simulateModel(alone, catalogue);
    ASSERT_EQ(traces[run].run, run);
    ASSERT_EQ(traces[run].rows.size(), single.size());
    for (std::size_t r = 0; r < single.size(); ++r) {
      ASSERT_EQ(traces[run].rows[r][1], single[r][1]) << "v of set " << run << " at t = " << single[r][0];
      ASSERT_EQ(traces[run].rows[r][2], single[r][2]) << "m of set " << run << " at t = " << single[r][0];
    }
    spikeCounts.insert(measured[run].spikes);
  }
  EXPECT_GT(spikeCounts.size(), 1u);  // temperature and current change the firing
  ASSERT_FALSE(progress.empty());
  EXPECT_TRUE(std::is_sorted(progress.begin(), progress.end()));  // over the 4 groups, not 4 times 0..1
  EXPECT_LE(progress.back(), 1.0);
}

// The CSV does not depend on the chunk size or the thread count, with either kernels;
// the sweep file's kernels and --kernels are the same thing.
TEST_F(Sweeps, TheCsvIsTheSameForAnyChunkAndThreadCountWithEitherKernels) {
  const std::filesystem::path spec = liuSweep(600, kGrid);
  const std::string cache = " -q --cache-dir " + (dir_ / "cache").string();
  auto csv = [&](const std::string &options, const std::string &name) { return test::sweepCsv(spec, options, dir_ / name, dir_ / "cache"); };
  for (const std::string kernels : {"exact", "fast"}) {
    const std::string one = csv("--kernels " + kernels + " --threads 1 --chunk 9", kernels + "-1.csv");
    EXPECT_EQ(std::count(one.begin(), one.end(), '\n'), 10) << one;
    EXPECT_EQ(csv("--kernels " + kernels + " --threads 2 --chunk 4", kernels + "-2.csv"), one) << kernels;
    EXPECT_EQ(csv("--kernels " + kernels + " --threads 1 --chunk 1", kernels + "-3.csv"), one) << kernels;
  }
  std::ifstream plain(spec);
  const std::string text((std::istreambuf_iterator<char>(plain)), std::istreambuf_iterator<char>());
  const std::filesystem::path fastSpec = write("fast.toml", "kernels = \"fast\"\n" + text);
  const auto run = test::runCommand(kRanvier + " sweep " + fastSpec.string() + " --out " + (dir_ / "file.csv").string() + cache);
  ASSERT_EQ(run.status, 0) << run.output;
  std::ifstream a(dir_ / "file.csv", std::ios::binary), b(dir_ / "fast-1.csv", std::ios::binary);
  EXPECT_EQ(std::string((std::istreambuf_iterator<char>(a)), std::istreambuf_iterator<char>()),
            std::string((std::istreambuf_iterator<char>(b)), std::istreambuf_iterator<char>()));
}

TEST_F(Sweeps, AnInterruptedSweepResumedGivesTheSameFile) {
  const std::filesystem::path spec = liuSweep(600, kGrid);
  const std::string cache = " -q --cache-dir " + (dir_ / "cache").string();
  const auto whole = test::runCommand(kRanvier + " sweep " + spec.string() + " --chunk 2 --out " + (dir_ / "whole.csv").string() + cache);
  ASSERT_EQ(whole.status, 0) << whole.output;
  std::ifstream in(dir_ / "whole.csv", std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_EQ(std::count(text.begin(), text.end(), '\n'), 10) << text;
  // Cut anywhere: mid-row, at a row's end, in the header, nothing left.
  for (std::size_t cut : {text.size() / 2, text.find('\n', text.size() / 3) + 1, std::size_t{20}, std::size_t{0}}) {
    const std::filesystem::path part = dir_ / "part.csv";
    std::ofstream(part, std::ios::binary) << text.substr(0, cut);
    const auto resumed = test::runCommand(kRanvier + " sweep " + spec.string() + " --chunk 3 --resume --out " + part.string() + cache);
    if (cut > 0 && cut < text.find('\n')) {  // half a header is not this sweep's file
      EXPECT_NE(resumed.status, 0) << resumed.output;
      continue;
    }
    ASSERT_EQ(resumed.status, 0) << resumed.output;
    std::ifstream again(part, std::ios::binary);
    const std::string after((std::istreambuf_iterator<char>(again)), std::istreambuf_iterator<char>());
    EXPECT_EQ(after, text) << "cut at byte " << cut;
  }
  // A file of another sweep is not continued.
  std::ofstream(dir_ / "other.csv") << "run,x\n0,1\n";
  const auto other = test::runCommand(kRanvier + " sweep " + spec.string() + " --resume --out " + (dir_ / "other.csv").string() + cache);
  EXPECT_NE(other.status, 0);
  EXPECT_NE(other.output.find("not written by this sweep"), std::string::npos) << other.output;
}

}  // namespace
}  // namespace ranvier
