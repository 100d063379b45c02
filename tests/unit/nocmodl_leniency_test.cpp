// What real files do that nocmodl 8.2.2 accepts, found by lowering the 4838 distinct
// .mod files of ModelDB's ion channels (the ICGenealogy collection; docs/modeldb-survey.md):
// each is accepted with a warning and computes what NEURON computes.
#include <cmath>

#include <gtest/gtest.h>

#include "interp/interpreter.hpp"
#include "kernel_support.hpp"

namespace ranvier::test {
namespace {

double stateValue(const std::string &text, const std::string &variable) {
  auto l = lowerText(text);
  EXPECT_TRUE(l->ok()) << l->messages();
  if (!l->ok()) return 0;
  interp::Interpreter in(l->get(), 1);
  in.reset(-65);
  in.run(ir::KernelKind::Init, 0);
  if (l->get().kernel(ir::KernelKind::Current)) in.run(ir::KernelKind::Current, 0);
  in.run(ir::KernelKind::State, 0);
  return in.at(variable);
}

// `abs` is not NMODL: nocmodl leaves it to C, whose abs takes an int.
TEST(NocmodlLeniency, AbsIsCsIntegerAbs) {
  const std::string text = "NEURON { SUFFIX r RANGE a, b }\nASSIGNED { a b }\nBREAKPOINT { a = abs(-2.7) b = abs(3.9) }\n";
  auto l = lowerText(text);
  ASSERT_TRUE(l->ok()) << l->messages();
  EXPECT_NE(l->messages().find("abs is C's integer abs"), std::string::npos) << l->messages();
  EXPECT_EQ(stateValue(text, "a"), 2);
  EXPECT_EQ(stateValue(text, "b"), 3);
}

// `x[1]` declares an array of one element; nocmodl accepts x[0] and x[i].
TEST(NocmodlLeniency, AnArrayOfOneElementIsAnArray) {
  const std::string text = "NEURON { SUFFIX r RANGE y }\nASSIGNED { x[1] y }\n"
                           "BREAKPOINT { LOCAL i\n i = 0\n x[i] = 4\n y = x[0] + 1 }\n";
  EXPECT_EQ(stateValue(text, "y"), 5);
  auto outside = lowerText("NEURON { SUFFIX r }\nASSIGNED { x[1] }\nBREAKPOINT { x[1] = 4 }\n");
  EXPECT_FALSE(outside->ok());
  EXPECT_NE(outside->messages().find("index 1 is outside 'x[1]'"), std::string::npos) << outside->messages();
  auto scalar = lowerText("NEURON { SUFFIX r }\nASSIGNED { x }\nBREAKPOINT { x[0] = 4 }\n");
  EXPECT_FALSE(scalar->ok());
  EXPECT_NE(scalar->messages().find("'x' is not an array"), std::string::npos) << scalar->messages();
}

// Two INITIAL blocks: nocmodl runs both, in file order (a ModelDB calcium diffusion
// file computed its shell volumes in the second; with the first alone its KINETIC
// matrix was singular).
TEST(NocmodlLeniency, EveryInitialBlockRunsInFileOrder) {
  auto l = lowerText("NEURON { SUFFIX r RANGE a, b }\nASSIGNED { a b }\nINITIAL { a = 2 }\nINITIAL { b = a * 10 a = a + 1 }\n");
  ASSERT_TRUE(l->ok()) << l->messages();
  interp::Interpreter in(l->get(), 1);
  in.reset(-65);
  in.run(ir::KernelKind::Init, 0);
  EXPECT_EQ(in.at("a"), 3);
  EXPECT_EQ(in.at("b"), 20);
}

// RANGE listing a FUNCTION or PROCEDURE: nothing to make visible; a warning.
TEST(NocmodlLeniency, RangeNamingAFunctionIsIgnored) {
  auto l = lowerText("NEURON { SUFFIX r RANGE a, f }\nASSIGNED { a }\nBREAKPOINT { a = f(2) }\nFUNCTION f(x) { f = x * 3 }\n");
  ASSERT_TRUE(l->ok()) << l->messages();
  EXPECT_NE(l->messages().find("RANGE names 'f', which is a FUNCTION, not a variable: ignored"), std::string::npos) << l->messages();
}

// SUFFIX and POINT_PROCESS both given: nocmodl registers the last.
TEST(NocmodlLeniency, TheLastMechanismNameCounts) {
  auto l = lowerText("NEURON { SUFFIX syn\n POINT_PROCESS syn\n RANGE g }\nPARAMETER { g = 1 }\n");
  ASSERT_TRUE(l->ok()) << l->messages();
  EXPECT_EQ(l->get().kind, ir::MechanismKind::PointProcess);
  EXPECT_NE(l->messages().find("this one counts, as in nocmodl"), std::string::npos) << l->messages();
}

// state_discontinuity(x, value) in NET_RECEIVE: nocmodl writes x = value.
TEST(NocmodlLeniency, StateDiscontinuityAssigns) {
  auto l = lowerText("NEURON { POINT_PROCESS syn RANGE g }\nSTATE { g }\nBREAKPOINT { SOLVE s METHOD cnexp }\n"
                     "DERIVATIVE s { g' = -g }\nNET_RECEIVE(w) { state_discontinuity(g, g + w) }\n");
  ASSERT_TRUE(l->ok()) << l->messages();
  interp::Interpreter in(l->get(), 1);
  in.reset(-65);
  in.at("g") = 1.5;
  in.run(ir::KernelKind::NetReceive, 0, {0.25, 0});
  EXPECT_EQ(in.at("g"), 1.75);
  // In BREAKPOINT (at_time-driven synapses): once per step, in the current computation's
  // pass at v + 0.001 (NEURON sets state_discon_flag_ for its pass at v). Applied in
  // both passes, a ModelDB NMDA synapse (146565_glutamate) doubled its jumps: 2.2 mV.
  auto bp = lowerText("NEURON { POINT_PROCESS syn RANGE i NONSPECIFIC_CURRENT i }\nSTATE { g }\n"
                      "BREAKPOINT { SOLVE s METHOD cnexp\n if (at_time(1)) { state_discontinuity(g, g + 0.5) }\n i = g * v }\n"
                      "DERIVATIVE s { g' = -g }\n");
  ASSERT_TRUE(bp->ok()) << bp->messages();
  interp::Interpreter cur(bp->get(), 1);
  cur.reset(-65);
  cur.at("t") = 1;
  cur.run(ir::KernelKind::Current, 0);
  EXPECT_EQ(cur.at("g"), 0.5);
  auto bad = lowerText("NEURON { POINT_PROCESS syn }\nSTATE { g }\nNET_RECEIVE(w) { state_discontinuity(2 * g, w) }\n");
  EXPECT_FALSE(bad->ok());
  EXPECT_NE(bad->messages().find("state_discontinuity takes a variable"), std::string::npos) << bad->messages();
}

// A COMPARTMENT list naming something that is not declared: nocmodl ignores the name.
TEST(NocmodlLeniency, UndeclaredCompartmentNamesAreIgnored) {
  auto l = lowerText("NEURON { SUFFIX pool }\nSTATE { a b }\nBREAKPOINT { SOLVE k METHOD sparse }\n"
                     "KINETIC k {\n COMPARTMENT 2 {a b Buffer}\n ~ a <-> b (1, 2)\n}\n");
  ASSERT_TRUE(l->ok()) << l->messages();
  EXPECT_NE(l->messages().find("COMPARTMENT names 'Buffer', which is not declared: ignored"), std::string::npos) << l->messages();
}

// (mole k) (mV-coulomb/degC) and a unit with a '(' in it, as old files write them.
TEST(NocmodlLeniency, OldUnitSpellings) {
  auto l = lowerText("NEURON { SUFFIX r RANGE a }\nPARAMETER { R = 8.314472 (j/(K.molar) }\nASSIGNED { a }\nBREAKPOINT { a = R }\n");
  ASSERT_TRUE(l->ok()) << l->messages();
  auto eof = lowerText("NEURON { SUFFIX r }\n\x1a");  // a DOS end-of-file mark
  EXPECT_TRUE(eof->ok()) << eof->messages();
}

// nocmodl prints PARAMETER defaults into C with %g, so NEURON 8.2.2 runs with six
// significant digits of them (CONSTANTs keep every digit): so does Ranvier, with a warning.
// Six ModelDB channels of a sample of twelve differed from NEURON by up to 0.7 mV before.
TEST(NocmodlLeniency, ParameterDefaultsHaveSixSignificantDigitsAsInNeuron) {
  const std::string text = "NEURON { SUFFIX r RANGE g, a, b }\nPARAMETER { g = 0.123456789 x = -1.23456789e-7 y = 0.25 }\n"
                           "CONSTANT { c = 0.123456789 }\nASSIGNED { a b }\nBREAKPOINT { a = g + x b = c + y }\n";
  auto l = lowerText(text);
  ASSERT_TRUE(l->ok()) << l->messages();
  EXPECT_NE(l->messages().find("2 PARAMETER defaults have more than six significant digits"), std::string::npos) << l->messages();
  EXPECT_EQ(stateValue(text, "a"), 0.123457 + -1.23457e-7);
  EXPECT_EQ(stateValue(text, "b"), 0.123456789 + 0.25);
  auto plain = lowerText("NEURON { SUFFIX r }\nPARAMETER { g = 0.0027 h = 1e-5 k = 199.899 }\n");
  ASSERT_TRUE(plain->ok());
  EXPECT_EQ(plain->messages().find("significant digits"), std::string::npos) << plain->messages();
}

// A DERIVATIVE block called as a function in INITIAL (carF.mod, h.mod): as nocmodl's
// function for it, the cnexp update of one dt for a cnexp SOLVE; for derivimplicit the
// block's statements (its rate procedure sets ninf) and the state left as it was.
TEST(NocmodlLeniency, ADerivativeBlockCalledInInitialDoesWhatNocmodlsFunctionDoes) {
  auto make = [](const std::string &method, const std::string &after) {
    return "NEURON { SUFFIX d RANGE ninf, n0 }\nASSIGNED { ninf n0 }\nSTATE { n }\n"
           "INITIAL { n = 0.2\n states()\n n0 = n\n " + after + " }\n"
           "BREAKPOINT { SOLVE states METHOD " + method + " }\n"
           "DERIVATIVE states { ninf = 0.7\n n' = (ninf - n)/4 }\n";
  };
  for (const std::string method : {"cnexp", "derivimplicit"}) {
    auto l = lowerText(make(method, ""));
    ASSERT_TRUE(l->ok()) << l->messages();
    interp::Interpreter in(l->get(), 1);
    in.reset(-65);
    in.at("dt") = 0.025;
    in.run(ir::KernelKind::Init, 0);
    EXPECT_EQ(in.at("ninf"), 0.7) << method;  // the block's statements ran
    const double expected = method == "cnexp" ? 0.2 + (1 - std::exp(0.025 * (-1.0 / 4))) * (-(0.7 / 4) / (-1.0 / 4) - 0.2) : 0.2;
    EXPECT_EQ(in.at("n0"), expected) << method;
  }
}

// COMPARTMENT naming a constant (ip3cum.mod's ip3i0, a PARAMETER that is a STATE's start
// value): ignored with a warning, as nocmodl does.
TEST(NocmodlLeniency, ACompartmentOfAConstantIsIgnored) {
  auto l = lowerText("NEURON { SUFFIX k }\nPARAMETER { a0 = 2 k = 0.1 }\nSTATE { a b }\n"
                     "INITIAL { a = 1 b = 0 }\nBREAKPOINT { SOLVE s METHOD sparse }\n"
                     "KINETIC s { COMPARTMENT 2 { a a0 }\n ~ a <-> b (k, k) }\n");
  ASSERT_TRUE(l->ok()) << l->messages();
  EXPECT_NE(l->messages().find("COMPARTMENT names 'a0', which is not a STATE: ignored"), std::string::npos) << l->messages();
}

}  // namespace
}  // namespace ranvier::test
