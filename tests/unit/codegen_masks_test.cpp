// The optimised IR of vector kernels: masked tails (below) and TABLE lookups (at the end).
//
// Masked tails in vector kernels. The lanes past the end of the range are switched off;
// masked loads and gathers leave those lanes poison (so that the arithmetic, and fast
// kernels' FMA contraction, is the same as in a full block). A condition computed from
// them is then poison in those lanes, and `and mask, condition` keeps the poison: a
// branch on it would be undefined behaviour that LLVM may exploit. So every condition
// combined with a tail's mask must be frozen first (BodyEmitter::definedOnLanes).
#include <regex>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include "codegen/codegen.hpp"
#include "codegen/machine.hpp"
#include "codegen/target.hpp"
#include "kernel_support.hpp"

namespace ranvier::test {
namespace {

// The optimised IR of `mechanism` for 8-lane AVX-512 kernels.
std::string vectorIr(const ir::Mechanism &mechanism, codegen::KernelMath math) {
  codegen::initializeLlvm();
  const codegen::Target target = *codegen::targetNamed("avx512");
  auto machine = codegen::targetMachine(target, 2, math);
  llvm::LLVMContext context;
  auto module = codegen::generate(mechanism, context, {.target = target, .sourceHash = "test", .math = math});
  codegen::configure(*module, *machine);
  codegen::optimize(*module, *machine, 2);
  return codegen::textualIr(*module);
}

int countMatches(const std::string &text, const std::regex &pattern) {
  int n = 0;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) n += std::regex_search(line, pattern) ? 1 : 0;
  return n;
}

void expectFrozenConditions(const std::string &what, const ir::Mechanism &mechanism) {
  // A masked load or gather of a tail (not every lane on) that leaves its other lanes poison.
  static const std::regex poisonTail(R"(call .*@llvm\.masked\.(load|gather)\..*x i1> %.*> poison\)(, !|$))");
  // LLVM may move the freeze from the condition to the value it tests (InstCombine).
  static const std::regex frozenCondition(R"(= freeze <8 x (i1|double)> )");
  for (codegen::KernelMath math : {codegen::KernelMath::Exact, codegen::KernelMath::Fast}) {
    const std::string ir = vectorIr(mechanism, math);
    const char *mode = math == codegen::KernelMath::Exact ? "exact" : "fast";
    EXPECT_GT(countMatches(ir, poisonTail), 0) << what << " (" << mode << "): the tail's lanes are no longer poison; revisit this test";
    EXPECT_GT(countMatches(ir, frozenCondition), 0) << what << " (" << mode << "): a condition on a tail's lanes is not frozen";
  }
}

TEST(VectorTails, ConditionsOnSwitchedOffLanesAreFrozen) {
  // Conditions in the current kernel, the state kernel, and a while loop's.
  auto branching = lowerText(
      "NEURON { SUFFIX br NONSPECIFIC_CURRENT i RANGE g, a }\n"
      "PARAMETER { g = 0.001 a = 1 }\n"
      "ASSIGNED { v i }\n"
      "STATE { x }\n"
      "INITIAL { x = 0 }\n"
      "BREAKPOINT { SOLVE s METHOD cnexp  if (a > 0) { i = g*x*(v + 60) } else { i = 0 } }\n"
      "DERIVATIVE s { if (v > -20) { x' = (1 - x)/a } else { x' = -x/a } }\n");
  ASSERT_TRUE(branching->ok()) << branching->messages();
  expectFrozenConditions("a mechanism that branches", branching->get());

  auto looping = lowerText(
      "NEURON { SUFFIX lp RANGE n, y }\n"
      "ASSIGNED { v n y }\n"
      "BREAKPOINT { LOCAL k  k = 0  y = 0  while (k < n) { y = y + v  k = k + 1 } }\n");
  ASSERT_TRUE(looping->ok()) << looping->messages();
  expectFrozenConditions("a mechanism with a while loop", looping->get());

  // hh's vtrap (if (fabs(x/y) < 1e-6)) in the state kernel.
  auto hh = lowerFile(std::string(RANVIER_SOURCE_DIR) + "/mechanisms/hh.mod");
  ASSERT_TRUE(hh->ok()) << hh->messages();
  expectFrozenConditions("hh.mod", hh->get());
}

// The body of the function named `name` in textual IR ("" when absent).
std::string functionBody(const std::string &ir, const std::string &name) {
  const std::size_t at = ir.find("@" + name + "(");
  if (at == std::string::npos) return {};
  const std::size_t end = ir.find("\n}\n", at);
  return ir.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

// TABLE lookups read points i and i + 1 with 0 <= i < n by construction (transform/
// tables.cpp): vector kernels neither check those indices nor report bad ones, convert
// i once for both points, and share the lanes' point numbers between a table's columns.
// Their values are checked against the interpreter, beyond the tables' ends and for NaN,
// by JitDifferential on tests/mod/codegen/table_edges.mod.
TEST(VectorTables, LookupsNeedNoIndexCheck) {
  auto cas = lowerFile(std::string(RANVIER_SOURCE_DIR) + "/mechanisms/liu-tab/CaS.mod");
  ASSERT_TRUE(cas->ok()) << cas->messages();
  for (codegen::KernelMath math : {codegen::KernelMath::Exact, codegen::KernelMath::Fast}) {
    const std::string state = functionBody(vectorIr(cas->get(), math), "rv.CaS.state");
    ASSERT_FALSE(state.empty());
    // One table (minf, mexp, hinf, hexp), 4 columns read at 2 points: 8 gathers per
    // block, in the full blocks (with consecutive and with gathered node indices) and
    // in the tail, of the loops that run with usetable on; the loops for usetable off
    // (kernels.cpp tests it once per call) read no table.
    EXPECT_EQ(countMatches(state, std::regex(R"(@llvm\.masked\.gather\.v8f64.*!tbaa)")), 3 * 8 + 2 + 2)
        << "and v in the 2 bodies without consecutive node indices, in each copy of the loops";
    EXPECT_EQ(state.find("report_error"), std::string::npos) << "a TABLE lookup's index is checked";
    EXPECT_EQ(countMatches(state, std::regex(R"(fptosi <8 x double>)")), 3) << "the point number is converted more than once per body";
  }
}

}  // namespace
}  // namespace ranvier::test
