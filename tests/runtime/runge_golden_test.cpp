// METHOD runge against NEURON 8.2.2 (tests/golden/runge, scripts/neuron/reference_runge.py):
// hh's potassium gate and a non-linear pair reading t, each integrated by scopmath's
// fourth-order Runge-Kutta step. NEURON's runge moves its thread's t and puts it back
// (t + dt/2 + dt/2 - dt), so NEURON's t drifts by round-off, 9.2e-12 ms over this run
// (t-without-runge.csv has the undisturbed one); Ranvier's t does not, and the pair,
// which reads t, differs from NEURON's by that much.
#include <gtest/gtest.h>

#include "golden_differences.hpp"

namespace ranvier {
namespace {

TEST(RungeGolden, RungeKuttaStatesEqualNeuron) {
  const model::Model m = model::loadModel(test::sourceDir() + "/tests/golden/runge/runge.toml");
  for (int threads : {1, 2}) {
    const auto d = test::worstDifferences(m, 50, "tests/golden/runge/runge.csv", threads);
    ASSERT_EQ(d.size(), 5u);
    EXPECT_LT(d.at("v"), 1e-9) << threads;   // measured 1.2e-11 mV
    EXPECT_LT(d.at("n"), 1e-12) << threads;  // 1.7e-14
    EXPECT_LT(d.at("x"), 1e-11) << threads;  // 4.2e-13: NEURON's drifting t in sin(0.3 t)
    EXPECT_LT(d.at("y"), 1e-11) << threads;  // 4.0e-13
    EXPECT_LT(d.at("ik"), 1e-11) << threads; // 1.4e-13 mA/cm2
  }
}

}  // namespace
}  // namespace ranvier
