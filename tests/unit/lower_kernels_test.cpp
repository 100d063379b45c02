// Lowering real mechanisms: the golden kernel text of representative ones, and every
// mechanism Debian's NEURON packages ship.

#include <cmath>

#include <gtest/gtest.h>

#include "interp/interpreter.hpp"
#include "kernel_support.hpp"

namespace ranvier::test {
namespace {

// Regenerate with scripts/gen-kernel-golden.sh after a deliberate change, and read
// the diff: it is the review of what the change does to generated code.
class KernelGolden : public ::testing::TestWithParam<std::pair<std::string, std::string>> {};

TEST_P(KernelGolden, EmittedKernelsMatch) {
  const auto &[source, golden] = GetParam();
  auto l = lowerText(readFile(sourceDir() / source), source);
  ASSERT_TRUE(l->ok()) << l->messages();
  const std::string expected = readFile(sourceDir() / "tests/golden/kernels" / golden);
  ASSERT_FALSE(expected.empty()) << "missing golden file " << golden;
  EXPECT_EQ(ir::print(l->get()), expected) << "run scripts/gen-kernel-golden.sh and review the diff";
}

INSTANTIATE_TEST_SUITE_P(
    Representative, KernelGolden,
    ::testing::Values(std::pair{"mechanisms/hh.mod", "hh.txt"},                        // cnexp + TABLE
                      std::pair{"mechanisms/expsyn.mod", "expsyn.txt"},                // cnexp synapse
                      std::pair{"tests/mod/kernels/capool_di.mod", "capool_di.txt"},    // derivimplicit pool
                      std::pair{"tests/mod/kernels/na_kinetic.mod", "na_kinetic.txt"},  // KINETIC + CONSERVE
                      std::pair{"tests/mod/kernels/pulse_gen.mod", "pulse_gen.txt"},    // NET_RECEIVE + net_send
                      std::pair{"tests/mod/kernels/cabuf_kin.mod", "cabuf_kin.txt"}),   // COMPARTMENT
    [](const auto &param) {
      std::string name = std::filesystem::path(param.param.second).stem().string();
      for (char &c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      }
      return name;
    });

// Every .mod file of Debian's neuron and python3-nmodl packages that nocmodl
// translates (all of them) and that uses no VERBATIM/POINTER (all of them) lowers.
TEST(DebianMechanisms, EveryShippedMechanismLowers) {
  std::vector<std::filesystem::path> files = modFilesUnder("/usr/share/nrn/demo/release");
  for (const auto &f : modFilesUnder("/usr/lib/python3/dist-packages/nmodl/ext/example")) files.push_back(f);
  if (files.empty()) GTEST_SKIP() << "Debian's neuron / python3-nmodl packages are not installed";
  EXPECT_EQ(files.size(), 14u);
  for (const auto &f : files) {
    auto l = lowerFile(f);
    EXPECT_TRUE(l->ok()) << f << "\n" << l->messages();
    if (!l->ok()) continue;
    const ir::Mechanism &m = l->get();
    EXPECT_NE(m.kernel(ir::KernelKind::Init), nullptr) << f;
  }
}

TEST(DebianMechanisms, KineticAndTableFilesGetTheirKernels) {
  const std::filesystem::path mcna = "/usr/share/nrn/demo/release/mcna.mod";
  if (!std::filesystem::exists(mcna)) GTEST_SKIP() << "Debian's neuron package is not installed";
  auto l = lowerFile(mcna);
  ASSERT_TRUE(l->ok()) << l->messages();
  EXPECT_NE(l->get().kernel(ir::KernelKind::TableCheck), nullptr);
  EXPECT_NE(ir::print(l->get()).find("solve_linear"), std::string::npos);
}

TEST(LowerKernels, FunctionsAreInlinedAndRecursionStaysACall) {
  auto l = lowerText("NEURON { SUFFIX r RANGE a, b }\nASSIGNED { a b }\n"
                     "BREAKPOINT { a = twice(3)  b = fact(4) }\n"
                     "FUNCTION twice(x) { twice = 2*x }\n"
                     "FUNCTION fact(n) { if (n <= 1) { fact = 1 } else { fact = n*fact(n - 1) } }\n");
  ASSERT_TRUE(l->ok()) << l->messages();
  const std::string text = ir::print(l->get());
  const std::size_t header = text.find("function twice(");
  ASSERT_NE(header, std::string::npos);
  EXPECT_EQ(text.find("twice(", header + 15), std::string::npos) << text;  // inlined everywhere
  EXPECT_NE(text.find("fact(n - 1)"), std::string::npos) << text;
  interp::Interpreter run(l->get(), 1);
  EXPECT_EQ(run.run("fact", 0, {5}).value, 120);
  EXPECT_EQ(run.run("twice", 0, {4}).value, 8);
}

TEST(LowerKernels, LocalsAreRenamedPerScope) {
  auto l = lowerText("NEURON { SUFFIX r RANGE a }\nASSIGNED { a }\n"
                     "BREAKPOINT { LOCAL x\n x = 1\n if (x > 0) { LOCAL x\n x = 5 }\n a = x + f(2) }\n"
                     "FUNCTION f(x) { LOCAL y\n y = x\n f = y*10 }\n");
  ASSERT_TRUE(l->ok()) << l->messages();
  interp::Interpreter run(l->get(), 1);
  ASSERT_NE(l->get().kernel(ir::KernelKind::State), nullptr);  // no currents: BREAKPOINT runs in state
  run.run(ir::KernelKind::State, 0);
  EXPECT_EQ(run.at("a"), 21);
}

TEST(LowerKernels, ConstantsFold) {
  auto l = lowerText("NEURON { SUFFIX r RANGE a }\nDEFINE N 4\nCONSTANT { c = 2 }\n"
                     "UNITS { F = (faraday) (coulomb) }\nASSIGNED { a }\n"
                     "BREAKPOINT { a = N*c + 1 + F/F }\n");
  ASSERT_TRUE(l->ok()) << l->messages();
  EXPECT_NE(ir::print(l->get()).find("a = 10\n"), std::string::npos) << ir::print(l->get());
}

// R written as (mole k) (mV-coulomb/degC), as 21 ModelDB channel files do: nocmodl
// 8.2.2's value to the bit (its generated C: 0x1.03d3b37125759p+13).
TEST(LowerKernels, GasConstantAsMoleTimesBoltzmann) {
  auto l = lowerText("NEURON { SUFFIX r RANGE a }\nUNITS { R = (mole k) (mV-coulomb/degC) }\nASSIGNED { a }\n"
                     "BREAKPOINT { a = R }\n");
  ASSERT_TRUE(l->ok()) << l->messages();
  interp::Interpreter in(l->get(), 1);
  in.run(ir::KernelKind::State, 0);  // a BREAKPOINT without currents runs in the state update
  EXPECT_EQ(in.at("a"), 0x1.03d3b37125759p+13);
}

// A TABLE of an array tabulates every element (nocmodl's _t_inf[3][n + 1]); only
// element 0 was, and a ModelDB channel (144490_hha2) divided by the untabulated 0s.
TEST(LowerKernels, TableOfAnArrayTabulatesEveryElement) {
  auto l = lowerText("NEURON { SUFFIX r RANGE a, b, c }\nASSIGNED { inf[3] a b c }\n"
                     "BREAKPOINT { rates(v) a = inf[0] b = inf[1] c = inf[2] }\n"
                     "PROCEDURE rates(v) {\n TABLE inf FROM -100 TO 100 WITH 200\n"
                     " FROM i = 0 TO 2 { inf[i] = (i + 1) * v + 10 * i }\n}\n");
  ASSERT_TRUE(l->ok()) << l->messages();
  interp::Interpreter in(l->get(), 1);
  for (const double v : {-65.0, -64.5, 12.25, 150.0}) {  // on the grid, between points, beyond the end
    in.reset(v);
    in.checkTables();
    in.run(ir::KernelKind::State, 0);
    const double x = std::min(v, 100.0);
    EXPECT_NEAR(in.at("a"), x, 1e-12) << v;
    EXPECT_NEAR(in.at("b"), 2 * x + 10, 1e-12) << v;
    EXPECT_NEAR(in.at("c"), 3 * x + 20, 1e-12) << v;
  }  // A table that would be too large is an error, not an overflowing size.
  auto huge = lowerText("NEURON { SUFFIX r }\nASSIGNED { inf[200000] }\nBREAKPOINT { rates(v) }\n"
                        "PROCEDURE rates(v) {\n TABLE inf FROM -100 TO 100 WITH 100000\n inf[0] = v\n}\n");
  EXPECT_FALSE(huge->ok());
  EXPECT_NE(huge->messages().find("more than 10^8 values"), std::string::npos) << huge->messages();
}

// A TABLE's build runs the procedure, and a GLOBAL it assigns keeps the value, as in
// NEURON: Mainen's kv.mod computes tadj only inside its tabulated trates, and its
// BREAKPOINT reads it (the table on, lookups do not assign tadj). It was scratch, so
// tadj stayed 0 and the channel carried no current: 7.9 mV from NEURON.
TEST(LowerKernels, AGlobalATableBuildAssignsKeepsItsValue) {
  auto l = lowerText("NEURON { SUFFIX kvt RANGE gk GLOBAL tadj }\nPARAMETER { q10 = 2.3 temp = 23 }\n"
                     "ASSIGNED { gk ninf tadj }\nSTATE { n }\n"
                     "BREAKPOINT { SOLVE s METHOD cnexp\n gk = tadj * n }\n"
                     "DERIVATIVE s { trates(v)\n n' = (ninf - n) / 2 }\n"
                     "PROCEDURE trates(v) {\n TABLE ninf DEPEND celsius FROM -100 TO 100 WITH 200\n"
                     " tadj = q10 ^ ((celsius - temp) / 10)\n ninf = 1 / (1 + exp(-v / 10))\n}\n");
  ASSERT_TRUE(l->ok()) << l->messages();
  interp::Interpreter in(l->get(), 1);
  in.reset(-20);
  in.at("celsius") = 6.3;
  in.checkTables();
  EXPECT_EQ(in.at("tadj"), std::pow(2.3, (6.3 - 23) / 10));
}

}  // namespace
}  // namespace ranvier::test
