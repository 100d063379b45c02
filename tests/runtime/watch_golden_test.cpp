// BEFORE/AFTER blocks and WATCH against NEURON 8.2.2 (tests/golden/watch, made by
// scripts/neuron/reference_watch.py; the semantics are in docs/neuron-before-after-watch.md).
// The mechanisms ba.mod and watcher.mod record, per step, how often each block or
// NET_RECEIVE flag ran, in which order, and the t and v it saw; every one of those
// columns is compared at every step.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <unistd.h>

#include <gtest/gtest.h>

#include "catalogue.hpp"
#include "golden_csv.hpp"
#include "model/build.hpp"
#include "trace_rows.hpp"

namespace ranvier {
namespace {

const std::string kGolden = test::sourceDir() + "/tests/golden/watch";

// The soma of tests/golden/runtime case (a): hh, IClamp 0.1 nA from 1 ms for 50 ms.
std::string somaModel(double tstop, const std::string &extra) {
  return "[simulation]\ntstop = " + std::to_string(tstop) +
         "\n\n[mechanisms]\npaths = [\"" + kGolden +
         "\"]\n\n[cell.soma]\nsections = [ { name = \"soma\", L = 10, diam = 10, nseg = 1, Ra = 35.4 } ]\n"
         "insert = [ { mechanism = \"hh\" } ]\n\n"
         "[[point]]\nname = \"stim\"\nmechanism = \"IClamp\"\nat = \"soma(0.5)\"\ndel = 1\ndur = 50\namp = 0.1\n\n" +
         extra;
}

struct Result {
  std::vector<std::string> columns;  // "t", then the recording labels
  std::vector<std::vector<double>> rows;
};

Result simulate(const std::string &text, double tstop) {
  const auto dir = std::filesystem::temp_directory_path() / ("ranvier-watch-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    std::ofstream(dir / "m.toml") << text;
  }
  model::Model m = model::loadModel(dir / "m.toml");
  std::filesystem::remove_all(dir);
  tool::JitCatalogue catalogue(m.mechanismPaths, jit::JitOptions{});
  model::BuiltModel built = model::build(m, catalogue);
  Result r;
  r.columns.push_back("t");
  for (const model::TraceProbe &p : built.traces.at(0).probes) {
    r.columns.push_back(p.name);
    built.network->addProbe(p.part, p.value);
  }
  test::TraceRows rows(r.rows);
  built.network->initialize(rows);
  built.network->run(std::llround(tstop / m.dt), rows);
  return r;
}

std::string records(const std::string &owner, const std::vector<std::string> &columns, bool density) {
  std::string out = "[output]\ntraces = \"x.csv\"\n\n";
  for (const std::string &c : columns) {
    if (c == "t") continue;
    if (c == "v") {
      out += "[[record]]\nvariable = \"v\"\nat = \"soma(0.5)\"\nlabel = \"v\"\n\n";
      continue;
    }
    out += "[[record]]\nvariable = \"" + owner + "." + c + "\"\n" + (density ? "at = \"soma(0.5)\"\n" : "") + "label = \"" + c + "\"\n\n";
  }
  return out;
}

// Counts and orders exactly; t within 1e-9 ms (NEURON adds 1e-10 to spike times, so a
// NetCon event's t differs by that); v within 1e-6 mV (ours rounds differently by 1e-11).
void compare(const Result &ours, const test::Csv &neuron, const std::string &label) {
  ASSERT_EQ(ours.rows.size(), neuron.rows.size()) << label;
  for (std::size_t c = 0; c < ours.columns.size(); ++c) {
    const std::string &name = ours.columns[c];
    const std::size_t nc = neuron.column(name);
    const bool isTime = name[0] == 't', isVoltage = name[0] == 'v';
    for (std::size_t r = 0; r < ours.rows.size(); ++r) {
      const double a = ours.rows[r][c], b = neuron.number(r, nc);
      if (isTime) ASSERT_NEAR(a, b, 1e-9) << label << " " << name << " row " << r;
      else if (isVoltage) ASSERT_NEAR(a, b, 1e-6) << label << " " << name << " row " << r;
      else ASSERT_EQ(a, b) << label << " " << name << " row " << r;
    }
  }
}

TEST(WatchGolden, BeforeAndAfterBlocksRunWhereNeuronRunsThem) {
  const test::Csv neuron = test::readCsv(kGolden + "/ba_hh_soma.csv");
  const std::string text = somaModel(5, "") ;
  std::string withBa = text;
  withBa.replace(withBa.find("insert = [ { mechanism = \"hh\" } ]"), std::string("insert = [ { mechanism = \"hh\" } ]").size(),
                 "insert = [ { mechanism = \"hh\" }, { mechanism = \"ba\" } ]");
  compare(simulate(withBa + records("ba", neuron.header, true), 5), neuron, "ba");
}

struct WatchCase {
  const char *name;
  int mode;
  double lo2;        // NaN: v(20) + lo2Offset, from our own run (see below)
  double lo2Offset;
  double tarm;
  bool netcon;
};

constexpr double kArm = 20.25 * 0.025;
const double kFromV20 = std::nan("");

class WatchGolden : public ::testing::TestWithParam<WatchCase> {};

// The "late" cases arm a watch at v(20) - lo2 = 0, -5e-12 and -2e-11: knife edges around
// NEURON's -1e-11. Our v(20) differs from NEURON's in the last bits, so lo2 is placed
// relative to our own v(20): the question is the rule, not NEURON's rounding.
TEST_P(WatchGolden, EventsAsNeuron) {
  const WatchCase &c = GetParam();
  const test::Csv neuron = test::readCsv(kGolden + "/watch_" + c.name + ".csv");
  double lo2 = c.lo2;
  if (std::isnan(lo2)) {
    const Result plain = simulate(somaModel(1, "[output]\ntraces = \"x.csv\"\n\n[[record]]\nvariable = \"v\"\nat = \"soma(0.5)\"\n"), 1);
    lo2 = plain.rows.at(20).at(1) + c.lo2Offset;
  }
  char point[512];
  std::snprintf(point, sizeof point, "[[point]]\nname = \"w\"\nmechanism = \"Watcher\"\nat = \"soma(0.5)\"\nmode = %d\nlo2 = %.17g\ntarm = %.17g\n\n", c.mode, lo2, c.tarm);
  std::string extra = point;
  if (c.netcon) extra += "[[netcon]]\nsource = \"soma(0.5)\"\nthreshold = -20\ntarget = \"w\"\ndelay = 0\nweight = 1\n\n";
  compare(simulate(somaModel(50, extra + records("w", neuron.header, false)), 50), neuron, c.name);
}

INSTANTIATE_TEST_SUITE_P(Cases, WatchGolden,
                         ::testing::Values(WatchCase{"w0_rearm", 0, -100, 0, 0, false}, WatchCase{"w0_with_netcon", 0, -100, 0, 0, true},
                                           WatchCase{"w1_no_rearm", 1, -100, 0, 0, false}, WatchCase{"w2_first_watch_clears", 2, -100, 0, 0, false},
                                           WatchCase{"w3_already_true", 3, -100, 0, 0, false}, WatchCase{"w3_boundary_at_init", 3, -65, 0, 0, false},
                                           WatchCase{"w3_late_at_boundary", 3, kFromV20, 0, kArm, false},
                                           WatchCase{"w3_late_within_epsilon", 3, kFromV20, 5e-12, kArm, false},
                                           WatchCase{"w3_late_beyond_epsilon", 3, kFromV20, 2e-11, kArm, false},
                                           WatchCase{"w3_same_step", 3, -20.5, 0, 0, false}, WatchCase{"w4_rearm_cancels_pending", 4, -20.5, 0, 0, false}),
                         [](const auto &testCase) { return std::string(testCase.param.name); });

}  // namespace
}  // namespace ranvier
