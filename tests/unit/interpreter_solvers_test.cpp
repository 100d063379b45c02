// The solvers, run by the reference interpreter with v held fixed: cnexp against
// the analytic solution, derivimplicit and KINETIC converging at first order in dt,
// CONSERVE kept, steady states, LINEAR/NONLINEAR blocks, events and currents.

#include <cmath>

#include <gtest/gtest.h>

#include "kernel_support.hpp"

namespace ranvier::test {
namespace {

struct Session {
  std::unique_ptr<Lowered> lowered;
  std::unique_ptr<interp::Interpreter> interp;
};

Session start(const std::string &text, double v = -65) {
  Session r{lowerText(text), nullptr};
  EXPECT_TRUE(r.lowered->ok()) << r.lowered->messages();
  if (!r.lowered->ok()) return r;
  r.interp = std::make_unique<interp::Interpreter>(r.lowered->get(), 1);
  r.interp->reset(v);
  r.interp->checkTables();
  EXPECT_TRUE(r.interp->run(ir::KernelKind::Init, 0).errors.empty());
  return r;
}

// Advances `steps` steps of dt with the state kernel; returns x after each.
std::vector<double> trajectory(interp::Interpreter &in, const std::string &x, int steps, double dt) {
  in.at("dt") = dt;
  std::vector<double> out;
  for (int i = 0; i < steps; ++i) {
    in.at("t") += dt;
    auto result = in.run(ir::KernelKind::State, 0);
    EXPECT_TRUE(result.errors.empty()) << "step " << i;
    out.push_back(in.at(x));
  }
  return out;
}

TEST(Cnexp, LinearOdeFollowsTheExactSolutionFor1000Steps) {
  Session r = start(odeMechanism("cnexp", "x' = 1 - k*x"));
  ASSERT_TRUE(r.interp);
  const double dt = 0.025, k = 0.5, inf = 1 / k;
  const std::vector<double> x = trajectory(*r.interp, "x", 1000, dt);
  for (int i = 0; i < 1000; ++i) {
    const double exact = inf + (1 - inf) * std::exp(-k * dt * (i + 1));
    ASSERT_NEAR(x[i], exact, 1e-13 * std::fabs(exact)) << "step " << i + 1;
  }
}

// METHOD runge: scopmath's fourth-order Runge-Kutta step. On x' = -k x one step
// multiplies x by the Taylor polynomial 1 - z + z^2/2 - z^3/6 + z^4/24 (z = k dt); on
// x' = t it is exact, which needs the block to see t + dt/2 and t + dt in its stages.
TEST(Runge, OneStepIsTheFourthOrderTaylorPolynomial) {
  Session r = start(odeMechanism("runge", "x' = -k*x"));
  ASSERT_TRUE(r.interp);
  const double dt = 0.025, z = 0.5 * dt;
  const std::vector<double> x = trajectory(*r.interp, "x", 100, dt);
  const double factor = 1 - z + z * z / 2 - z * z * z / 6 + z * z * z * z / 24;
  for (int i = 0; i < 100; ++i) ASSERT_NEAR(x[i], std::pow(factor, i + 1), 1e-14) << "step " << i + 1;
  EXPECT_GT(std::fabs(x[99] - std::exp(-z * 100)), 0);  // not the exact solution: RK4's
}

TEST(Runge, TheStagesSeeTimeMove) {
  Session r = start(odeMechanism("runge", "x' = t", "", "x = 0"));
  ASSERT_TRUE(r.interp);
  interp::Interpreter &in = *r.interp;
  const double t = 3, dt = 0.025;
  in.at("t") = t;
  in.at("dt") = dt;
  in.run(ir::KernelKind::State, 0);
  EXPECT_NEAR(in.at("x"), t * dt + dt * dt / 2, 1e-15);
  EXPECT_EQ(in.at("t"), t);  // the simulation's t is left alone
}

// nrn_ghk, NEURON's GHK current density (eion.cpp): its formula with NEURON 8.2.2's R
// and F, the small-argument branch of efun included (v = 0 and v within 1e-4 ktf of 0).
TEST(LibraryFunctions, NrnGhkIsNeuronsFormula) {
  auto l = lowerText("NEURON { SUFFIX g RANGE i, ci, co }\nPARAMETER { ci = 1e-4 co = 2 }\nASSIGNED { v (mV) i }\n"
                     "BREAKPOINT { i = nrn_ghk(v, ci, co, 2) }\n");
  ASSERT_TRUE(l->ok()) << l->messages();
  interp::Interpreter in(l->get(), 1);
  const double celsius = 34;
  for (double v : {-80.0, -1.0, 0.0, 1e-4, 2e-3, 35.0}) {
    in.reset(v);
    in.at("celsius") = celsius;
    in.run(ir::KernelKind::State, 0);  // no current: the BREAKPOINT runs with the states
    const double ktf = 1000. * 8.3144626181532395 * (celsius + 273.15) / 96485.33212331001;
    auto efun = [](double x) { return std::fabs(x) < 1e-4 ? 1. - x / 2. : x / (std::exp(x) - 1); };
    const double u = 2 * v / ktf;
    EXPECT_EQ(in.at("i"), 0.001 * 2 * 96485.33212331001 * (1e-4 * efun(-u) - 2 * efun(u))) << "v = " << v;
  }
  auto wrong = lowerText("NEURON { SUFFIX g RANGE i }\nASSIGNED { v (mV) i }\nBREAKPOINT { i = nrn_ghk(v, 1, 2) }\n");
  EXPECT_FALSE(wrong->ok());
}

// hh at a clamped voltage: each gate relaxes exponentially to its steady state with
// the rates of that voltage, whether they come from the TABLE or are computed.
void hhClamped(double usetable) {
  Session r{lowerFile(sourceDir() / "mechanisms/hh.mod"), nullptr};
  ASSERT_TRUE(r.lowered->ok()) << r.lowered->messages();
  interp::Interpreter &in = *(r.interp = std::make_unique<interp::Interpreter>(r.lowered->get(), 1));
  in.reset(-65);
  in.at("usetable") = usetable;
  in.checkTables();
  in.run(ir::KernelKind::Init, 0);
  const double m0 = in.at("m"), h0 = in.at("h"), n0 = in.at("n");
  const double v = -30;
  in.at("node_v") = v;
  in.run("rates", 0, {v});
  const double minf = in.at("minf"), mtau = in.at("mtau"), hinf = in.at("hinf"), htau = in.at("htau");
  const double ninf = in.at("ninf"), ntau = in.at("ntau");
  in.at("dt") = 0.025;
  for (int i = 1; i <= 1000; ++i) {
    in.run(ir::KernelKind::State, 0);
    const double t = 0.025 * i;
    ASSERT_NEAR(in.at("m"), minf + (m0 - minf) * std::exp(-t / mtau), 1e-12) << "step " << i;
    ASSERT_NEAR(in.at("h"), hinf + (h0 - hinf) * std::exp(-t / htau), 1e-12) << "step " << i;
    ASSERT_NEAR(in.at("n"), ninf + (n0 - ninf) * std::exp(-t / ntau), 1e-12) << "step " << i;
  }
}

TEST(Cnexp, HhGatesAtAClampedVoltageWithTables) { hhClamped(1); }
TEST(Cnexp, HhGatesAtAClampedVoltageWithoutTables) { hhClamped(0); }

TEST(Table, InterpolatesLinearlyAndClampsAtTheEnds) {
  Session r = start("NEURON { SUFFIX tb RANGE y }\nASSIGNED { y }\n"
                "BREAKPOINT { y = sq(0) }\n"
                "FUNCTION sq(x) { TABLE FROM 0 TO 10 WITH 10\n sq = x*x }\n");
  ASSERT_TRUE(r.interp);
  interp::Interpreter &in = *r.interp;
  EXPECT_DOUBLE_EQ(in.run("sq", 0, {3}).value, 9);      // a grid point
  EXPECT_DOUBLE_EQ(in.run("sq", 0, {2.5}).value, 6.5);  // between 4 and 9
  EXPECT_DOUBLE_EQ(in.run("sq", 0, {-4}).value, 0);     // below: the first value
  EXPECT_DOUBLE_EQ(in.run("sq", 0, {12}).value, 100);   // above: the last value
  EXPECT_TRUE(std::isnan(in.run("sq", 0, {std::nan("")}).value));
  in.at("usetable") = 0;
  EXPECT_DOUBLE_EQ(in.run("sq", 0, {2.5}).value, 6.25);
}

TEST(Table, IsRebuiltWhenADependValueChanges) {
  Session r = start("NEURON { SUFFIX tb GLOBAL s }\nPARAMETER { s = 1 }\n"
                "FUNCTION f(x) { TABLE DEPEND s FROM 0 TO 1 WITH 4\n f = s*x }\n");
  ASSERT_TRUE(r.interp);
  interp::Interpreter &in = *r.interp;
  EXPECT_DOUBLE_EQ(in.run("f", 0, {0.5}).value, 0.5);
  in.at("s") = 3;
  EXPECT_DOUBLE_EQ(in.run("f", 0, {0.5}).value, 0.5);  // stale until checked, as in NEURON
  in.checkTables();
  EXPECT_DOUBLE_EQ(in.run("f", 0, {0.5}).value, 1.5);
}

// x' = -k x^2, x(0) = 1: x(t) = 1 / (1 + k t). Implicit Euler is first order.
TEST(Derivimplicit, NonlinearOdeConvergesAtFirstOrder) {
  const double k = 0.5, T = 10;
  std::vector<double> errors;
  for (double dt : {0.1, 0.05, 0.025}) {
    Session r = start(odeMechanism("derivimplicit", "x' = -k*x*x"));
    ASSERT_TRUE(r.interp);
    const int steps = static_cast<int>(std::lround(T / dt));
    const std::vector<double> x = trajectory(*r.interp, "x", steps, dt);
    errors.push_back(std::fabs(x.back() - 1 / (1 + k * T)));
  }
  for (std::size_t i = 1; i < errors.size(); ++i) {
    const double ratio = errors[i - 1] / errors[i];
    EXPECT_GT(ratio, 1.9) << "dt halved " << i << " times";
    EXPECT_LT(ratio, 2.1) << "dt halved " << i << " times";
  }
  EXPECT_LT(errors.back(), 2e-3);
}

TEST(Derivimplicit, OneThousandStepsStayWithinTheFirstOrderBound) {
  Session r = start(odeMechanism("derivimplicit", "x' = -k*x*x"));
  ASSERT_TRUE(r.interp);
  const double dt = 0.025, k = 0.5;
  const std::vector<double> x = trajectory(*r.interp, "x", 1000, dt);
  for (int i = 0; i < 1000; ++i) {
    const double t = dt * (i + 1);
    ASSERT_NEAR(x[i], 1 / (1 + k * t), 0.5 * dt * k) << "step " << i + 1;  // |x''|/2 * t * dt bound
  }
}

TEST(Derivimplicit, NonConvergenceIsAnErrorThatNamesTheBlock) {
  Session r = start(odeMechanism("derivimplicit", "x' = -k*sqrt(x)", "", "x = 1e-3"));
  ASSERT_TRUE(r.interp);
  r.interp->at("k") = 1e4;
  r.interp->at("dt") = 1;
  auto result = r.interp->run(ir::KernelKind::State, 0);
  ASSERT_FALSE(result.errors.empty());
  const std::string message = r.lowered->get().errors.at(result.errors.back()).message;
  std::string all;
  for (std::uint32_t e : result.errors) all += r.lowered->get().errors.at(e).message + "\n";
  EXPECT_NE(message.find("derivimplicit for 'd' did not converge"), std::string::npos) << all;
}

const char *kTwoState = "NEURON { SUFFIX ks RANGE kf, kb }\n"
                        "PARAMETER { kf = 0.3 kb = 0.1 }\n"
                        "STATE { A B }\n"
                        "INITIAL { A = 1 B = 0 }\n"
                        "BREAKPOINT { SOLVE k METHOD sparse }\n"
                        "KINETIC k { ~ A <-> B (kf, kb)\n CONSERVE A + B = 1 }\n";

TEST(Kinetic, TwoStateSchemeConvergesAtFirstOrderAndConserves) {
  const double kf = 0.3, kb = 0.1, T = 10;
  const double inf = kb / (kf + kb);
  std::vector<double> errors;
  for (double dt : {0.1, 0.05, 0.025}) {
    Session r = start(kTwoState);
    ASSERT_TRUE(r.interp);
    const int steps = static_cast<int>(std::lround(T / dt));
    r.interp->at("dt") = dt;
    for (int i = 0; i < steps; ++i) {
      ASSERT_TRUE(r.interp->run(ir::KernelKind::State, 0).errors.empty());
      ASSERT_NEAR(r.interp->at("A") + r.interp->at("B"), 1, 1e-14);
    }
    errors.push_back(std::fabs(r.interp->at("A") - (inf + (1 - inf) * std::exp(-(kf + kb) * T))));
  }
  EXPECT_NEAR(errors[0] / errors[1], 2, 0.1);
  EXPECT_NEAR(errors[1] / errors[2], 2, 0.1);
}

TEST(Kinetic, OneStepOfALinearSchemeIsImplicitEuler) {
  Session r = start(kTwoState);
  ASSERT_TRUE(r.interp);
  const double dt = 0.025, kf = 0.3, kb = 0.1;
  r.interp->at("dt") = dt;
  r.interp->run(ir::KernelKind::State, 0);
  // (A1 - 1)/dt = -kf A1 + kb (1 - A1)
  EXPECT_NEAR(r.interp->at("A"), (1 + dt * kb) / (1 + dt * (kf + kb)), 1e-15);
}

TEST(Kinetic, NonlinearSchemeIteratesToTheImplicitEulerSolution) {
  Session r = start("NEURON { SUFFIX dimer }\nSTATE { A D }\nINITIAL { A = 1 D = 0 }\n"
                "BREAKPOINT { SOLVE k METHOD sparse }\n"
                "KINETIC k { ~ 2 A <-> D (2, 0.5) }\n");
  ASSERT_TRUE(r.interp);
  const double dt = 0.1;
  r.interp->at("dt") = dt;
  ASSERT_TRUE(r.interp->run(ir::KernelKind::State, 0).errors.empty());
  const double a = r.interp->at("A"), d = r.interp->at("D");
  const double flux = 2 * a * a - 0.5 * d;
  EXPECT_NEAR((a - 1) / dt, -2 * flux, 1e-5);  // converged to NEURON's tolerance (sum |dx| <= 1e-6)
  EXPECT_NEAR(d / dt, flux, 1e-5);
  EXPECT_NEAR(a + 2 * d, 1, 1e-12);  // mass is conserved by implicit Euler
}

TEST(Kinetic, SteadyStateSparseInInitial) {
  Session r = start("NEURON { SUFFIX ss }\nSTATE { A B }\n"
                "INITIAL { A = 1 B = 0\n SOLVE k STEADYSTATE sparse }\n"
                "BREAKPOINT { SOLVE k METHOD sparse }\n"
                "KINETIC k { ~ A <-> B (1, 2)\n CONSERVE A + B = 1 }\n");
  ASSERT_TRUE(r.interp);
  EXPECT_NEAR(r.interp->at("A"), 2.0 / 3.0, 1e-9);  // NEURON 8.2.2: 0.6666666664444445
  EXPECT_NEAR(r.interp->at("B"), 1.0 / 3.0, 1e-9);
}

TEST(Kinetic, CompartmentVolumesWeightTheEquations) {
  // vol_A dA/dt = -k A, vol_B dB/dt = +k A: B gains what A loses, scaled by volume.
  Session r = start("NEURON { SUFFIX vol }\nSTATE { A B }\nINITIAL { A = 1 B = 0 }\n"
                "BREAKPOINT { SOLVE k METHOD sparse }\n"
                "KINETIC k { COMPARTMENT 2 {A}\n COMPARTMENT 4 {B}\n ~ A <-> B (1, 0) }\n");
  ASSERT_TRUE(r.interp);
  r.interp->at("dt") = 0.01;
  for (int i = 0; i < 100; ++i) r.interp->run(ir::KernelKind::State, 0);
  EXPECT_NEAR(2 * r.interp->at("A") + 4 * r.interp->at("B"), 2, 1e-12);
  EXPECT_NEAR(r.interp->at("A"), std::pow(1 / (1 + 0.01 / 2), 100), 1e-12);
}

TEST(Algebraic, LinearBlockSolvesItsSystem) {
  Session r = start("NEURON { SUFFIX lin }\nSTATE { x y }\nINITIAL { SOLVE l }\n"
                "LINEAR l { ~ 2*x + y = 5\n ~ x - y = 1 }\n");
  ASSERT_TRUE(r.interp);
  EXPECT_NEAR(r.interp->at("x"), 2, 1e-14);
  EXPECT_NEAR(r.interp->at("y"), 1, 1e-14);
}

TEST(Algebraic, NonlinearBlockFindsTheRootNearTheStart) {
  Session r = start("NEURON { SUFFIX nl }\nSTATE { x }\nINITIAL { x = 1\n SOLVE n }\n"
                "NONLINEAR n { ~ x*x = 4 }\n");
  ASSERT_TRUE(r.interp);
  EXPECT_NEAR(r.interp->at("x"), 2, 1e-9);
}

TEST(Events, NetSendFromInitialAndNetReceive) {
  Session r{lowerFile(sourceDir() / "tests/mod/kernels/pulse_gen.mod"), nullptr};
  ASSERT_TRUE(r.lowered->ok()) << r.lowered->messages();
  interp::Interpreter in(r.lowered->get(), 1);
  in.reset();
  auto init = in.run(ir::KernelKind::Init, 0);
  ASSERT_EQ(init.events.size(), 1u);
  EXPECT_EQ(init.events[0].kind, ir::StmtKind::NetSend);
  EXPECT_EQ(init.events[0].flag, 1);
  const ir::Kernel *receive = r.lowered->get().kernel(ir::KernelKind::NetReceive);
  ASSERT_NE(receive, nullptr);
  std::vector<double> args(receive->params.size(), 0.0);
  args.back() = 1;  // flag
  auto got = in.run(*receive, 0, args);
  bool resent = false, fired = false;
  for (const interp::Event &e : got.events) {
    resent = resent || (e.kind == ir::StmtKind::NetSend && e.flag == 1);
    fired = fired || e.kind == ir::StmtKind::NetEvent;
  }
  EXPECT_TRUE(resent);
  EXPECT_TRUE(fired);
}

TEST(Currents, PassiveLeakGivesItsConductanceAndCurrent) {
  Session r{lowerFile(sourceDir() / "mechanisms/pas.mod"), nullptr};
  ASSERT_TRUE(r.lowered->ok()) << r.lowered->messages();
  interp::Interpreter in(r.lowered->get(), 1);
  in.reset(-65);
  in.run(ir::KernelKind::Current, 0);
  const double g = in.at("g"), e = in.at("e");
  EXPECT_NEAR(in.at("node_rhs"), -g * (-65 - e), 1e-15);
  EXPECT_NEAR(in.at("node_d"), g, 1e-12);  // (i(v+0.001) - i(v)) / 0.001
}

TEST(Currents, PointProcessesAreScaledByArea) {
  Session r{lowerFile(sourceDir() / "mechanisms/expsyn.mod"), nullptr};
  ASSERT_TRUE(r.lowered->ok()) << r.lowered->messages();
  interp::Interpreter in(r.lowered->get(), 1);
  in.reset(-65);
  in.at("g") = 0.01;  // uS
  in.run(ir::KernelKind::Current, 0);
  const double full = in.at("node_rhs");
  EXPECT_NEAR(full, -0.01 * (-65 - in.at("e")), 1e-15);  // area 100 um2: 1e2/area = 1
  in.at("node_rhs") = 0;
  in.at("node_area") = 50;
  in.run(ir::KernelKind::Current, 0);
  EXPECT_NEAR(in.at("node_rhs"), 2 * full, 1e-15);
}

}  // namespace
}  // namespace ranvier::test
