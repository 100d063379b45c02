// The whole example sweep (examples/liu-sweep: 625 sets of the Liu neuron's CaS and
// ACurrent maximal conductances, 11 s each at dt 0.1 ms, spikes counted in the second
// half) against NEURON 8.2.2 running the same .mod files on the same sets
// (tests/golden/liu-sweep, made by scripts/neuron/reference_liu_sweep.py): the `spikes`
// column of `ranvier sweep`, set by set.
//
// Where tests/golden/liu checks one set's traces over 3 s at dt 0.025, this checks the
// sweep's own conditions over the whole plane: silent, tonic, bursting and irregular
// cells, 11 s at the coarser dt, and the sweep engine's lanes, chunks and threads. A
// mistake in a mechanism's rates, in the calcium pool or in the step would move spike
// counts in many sets; one step's worth of timing error at a window edge moves a count
// by one. Measured: with the calcium pool's 12.246865 mV rounded to 12.2469 (what
// nocmodl 8.2.2 does to PARAMETER defaults), 15 of the 625 counts differ.
//
// Tolerance: none. Measured, every one of the 625 counts equals NEURON's, with exact
// kernels (analytic mechanisms against NEURON's, tabulated against NEURON's tabulated)
// and with fast kernels (which round differently but move no spike out of its step
// over these runs: docs/sweeps.md). Should a future rounding change flip a count in a
// cell that alternates between k and k+1 spikes per burst, the failure names the set.
#include <filesystem>
#include <string_view>
#include <unistd.h>

#include <gtest/gtest.h>

#include "../unit/cli_support.hpp"
#include "golden_csv.hpp"

namespace ranvier {
namespace {

struct Case {
  const char *spec;     // under examples/liu-sweep/
  const char *kernels;
  const char *golden;   // column of tests/golden/liu-sweep/neuron_spikes.csv
};

class LiuSweepGolden : public ::testing::TestWithParam<Case> {};

TEST_P(LiuSweepGolden, SpikeCountsEqualNeuronsInEverySet) {
  const Case &c = GetParam();
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("ranvier-liu-sweep-golden-" + std::to_string(::getpid()) + "-" + c.golden + "-" + c.kernels);
  std::filesystem::create_directories(dir);
  struct Cleanup {
    std::filesystem::path dir;
    ~Cleanup() { std::filesystem::remove_all(dir); }
  } cleanup{dir};
  const std::filesystem::path out = dir / "sweep.csv";
  const auto run = test::runCommand(std::string(RANVIER_PATH) + " sweep " + test::sourceDir() + "/examples/liu-sweep/" + c.spec + " --kernels " + c.kernels +
                                    " --threads 2 -q --cache-dir " + (dir / "cache").string() + " --out " + out.string());
  ASSERT_EQ(run.status, 0) << run.output;
  const test::Csv ours = test::readCsv(out.string());
  const test::Csv neuron = test::readCsv(test::sourceDir() + "/tests/golden/liu-sweep/neuron_spikes.csv");
  ASSERT_EQ(ours.rows.size(), 625u);
  ASSERT_EQ(neuron.rows.size(), ours.rows.size());
  const std::size_t oursSpikes = ours.column("spikes"), theirs = neuron.column(c.golden);
  int differ = 0;
  for (std::size_t k = 0; k < ours.rows.size(); ++k) {
    // The same set: run number and both conductances (written in uS/mm2 by both).
    ASSERT_EQ(ours.rows[k][0], neuron.rows[k][0]);
    ASSERT_DOUBLE_EQ(ours.number(k, ours.column("CaS.gbar")), neuron.number(k, neuron.column("CaS.gbar"))) << "set " << k;
    ASSERT_DOUBLE_EQ(ours.number(k, ours.column("ACurrent.gbar")), neuron.number(k, neuron.column("ACurrent.gbar"))) << "set " << k;
    if (ours.rows[k][oursSpikes] != neuron.rows[k][theirs]) {
      ++differ;
      ADD_FAILURE() << "set " << k << " (CaS " << ours.rows[k][1] << ", ACurrent " << ours.rows[k][2] << " uS/mm2): " << ours.rows[k][oursSpikes]
                    << " spikes, NEURON " << neuron.rows[k][theirs];
    }
  }
  EXPECT_EQ(differ, 0);
}

INSTANTIATE_TEST_SUITE_P(Configurations, LiuSweepGolden,
                         ::testing::Values(Case{"sweep.toml", "exact", "spikes_liu"}, Case{"sweep.toml", "fast", "spikes_liu"},
                                           Case{"sweep-tab.toml", "exact", "spikes_liu_tab"}, Case{"sweep-tab.toml", "fast", "spikes_liu_tab"}),
                         [](const ::testing::TestParamInfo<Case> &param) {
                           return std::string(std::string_view(param.param.golden).ends_with("_tab") ? "Tabulated" : "Analytic") + (param.param.kernels[0] == 'e' ? "Exact" : "Fast");
                         });

}  // namespace
}  // namespace ranvier
