// What the middle end refuses, and how it says so.

#include <gtest/gtest.h>

#include "kernel_support.hpp"

namespace ranvier::test {
namespace {

std::string firstErrorOf(const Lowered &l) {
  const Diagnostic *e = l.parsed->firstError();
  return e ? e->message + (e->hint.empty() ? "" : " | " + e->hint) : "";
}

TEST(LowerErrors, EulerIsRejectedWithCnexpForALinearOde) {
  auto l = lowerText(odeMechanism("euler", "x' = -k*x"));
  ASSERT_FALSE(l->ok());
  const std::string e = firstErrorOf(*l);
  EXPECT_NE(e.find("METHOD euler is not supported"), std::string::npos) << e;
  EXPECT_NE(e.find("use METHOD cnexp"), std::string::npos) << e;
  EXPECT_NE(e.find("mechlint --fix"), std::string::npos) << e;
  EXPECT_EQ(l->parsed->firstError()->range.begin.line, 5u);
}

TEST(LowerErrors, EulerIsRejectedWithDerivimplicitForANonlinearOde) {
  auto l = lowerText(odeMechanism("euler", "x' = -k*x*x"));
  ASSERT_FALSE(l->ok());
  EXPECT_NE(firstErrorOf(*l).find("use METHOD derivimplicit"), std::string::npos) << firstErrorOf(*l);
}

// nocmodl: "Could not translate using cnexp method; using derivimplicit". Ranvier does
// the same, with a warning naming the equation; the kernels are derivimplicit's.
TEST(LowerErrors, NonlinearOdeUnderCnexpIsSolvedByDerivimplicitWithAWarning) {
  for (const char *ode : {"x' = -k*x*x", "x' = exp(-x)"}) {
    auto l = lowerText(odeMechanism("cnexp", ode));
    ASSERT_TRUE(l->ok()) << l->messages();
    EXPECT_NE(l->messages().find("equation for x' is not linear in x, so cnexp cannot solve it: Ranvier uses derivimplicit"), std::string::npos)
        << l->messages();
    auto implicit = lowerText(odeMechanism("derivimplicit", ode));
    ASSERT_TRUE(implicit->ok());
    EXPECT_EQ(ir::print(l->get()), ir::print(implicit->get())) << ode;
  }
}

TEST(LowerErrors, NonlinearityThroughAnIntermediateIsAWarningAsInNeuron) {
  auto l = lowerText("NEURON { SUFFIX ode }\nSTATE { x }\nASSIGNED { p }\n"
                     "BREAKPOINT { SOLVE d METHOD cnexp }\n"
                     "DERIVATIVE d { p = x*x\n x' = p - x }\n");
  ASSERT_TRUE(l->ok()) << l->messages();
  EXPECT_NE(l->messages().find("non-linearly through an intermediate"), std::string::npos) << l->messages();
}

TEST(LowerErrors, SolveOfAnUnknownBlock) {
  auto l = lowerText("NEURON { SUFFIX s }\nSTATE { x }\nBREAKPOINT { SOLVE nothere METHOD cnexp }\n"
                     "DERIVATIVE d { x' = -x }\n");
  ASSERT_FALSE(l->ok());
  EXPECT_NE(l->messages().find("nothere"), std::string::npos) << l->messages();
}

// nocmodl 8.2.2 accepts a STATE that nothing changes (26 of 4838 ModelDB channel files
// have one, e.g. an inactivation gate left over): it keeps its initial value. A
// warning (sema's), not an error.
TEST(LowerErrors, AStateWithoutAnEquationIsOnlyAWarning) {
  auto l = lowerText("NEURON { SUFFIX s }\nSTATE { x y }\nBREAKPOINT { SOLVE d METHOD cnexp }\n"
                     "DERIVATIVE d { x' = -x }\n");
  ASSERT_TRUE(l->ok()) << l->messages();
  EXPECT_NE(l->messages().find("STATE 'y' is never integrated"), std::string::npos) << l->messages();
}

// Kernels solve a scheme's system densely on the stack: beyond 250 unknowns a located
// error, not a stack overflow at run time.
TEST(LowerErrors, AKineticSchemeTooLargeToSolve) {
  auto l = lowerText("NEURON { SUFFIX big }\nDEFINE N 300\nSTATE { c[N] }\nBREAKPOINT { SOLVE k METHOD sparse }\n"
                     "KINETIC k {\n FROM i = 0 TO N - 2 { ~ c[i] <-> c[i+1] (1, 1) }\n}\n");
  ASSERT_FALSE(l->ok());
  EXPECT_NE(l->messages().find("has 300 unknowns; Ranvier solves at most 250"), std::string::npos) << l->messages();
}

TEST(LowerErrors, KineticWithoutReactions) {
  auto l = lowerText("NEURON { SUFFIX s }\nSTATE { a b }\nASSIGNED { r }\nINITIAL { a = 1 b = 0 }\n"
                     "BREAKPOINT { SOLVE k METHOD sparse }\n"
                     "KINETIC k { r = 1\n CONSERVE a + b = 1 }\n");
  ASSERT_FALSE(l->ok());
  EXPECT_NE(l->messages().find("KINETIC block 'k' has no reactions"), std::string::npos) << l->messages();
}

TEST(LowerErrors, DivisionByLiteralZero) {
  auto l = lowerText("NEURON { SUFFIX s RANGE a }\nASSIGNED { a }\nBREAKPOINT { a = 3 / 0 }\n");
  ASSERT_FALSE(l->ok());
  EXPECT_EQ(firstErrorOf(*l), "division by zero");
  EXPECT_EQ(l->parsed->firstError()->range.begin.line, 3u);
  EXPECT_EQ(l->parsed->firstError()->range.begin.column, 22u);
}

TEST(LowerErrors, UnknownFunction) {
  auto l = lowerText("NEURON { SUFFIX s RANGE a }\nASSIGNED { a }\nBREAKPOINT { a = frobnicate(2) }\n");
  ASSERT_FALSE(l->ok());
  EXPECT_NE(l->messages().find("frobnicate"), std::string::npos) << l->messages();
}

TEST(LowerErrors, VerbatimIsOneClearError) {
  auto l = lowerText("NEURON { SUFFIX s }\nVERBATIM\nstatic int x;\nENDVERBATIM\n"
                     "PROCEDURE p() {\nVERBATIM\nx = 1;\nENDVERBATIM\n}\n");
  ASSERT_FALSE(l->ok());
  EXPECT_NE(firstErrorOf(*l).find("needs VERBATIM"), std::string::npos) << l->messages();
}

// Random draws lower (random_test.cpp); hoc's Random.play does not.
TEST(LowerErrors, RandomPlayIsRefusedClearly) {
  auto l = lowerText("NEURON { SUFFIX s RANGE a }\nASSIGNED { a }\nBREAKPOINT { nrn_random_play() a = 1 }\n");
  ASSERT_FALSE(l->ok());
  EXPECT_NE(firstErrorOf(*l).find("'nrn_random_play' (hoc's Random.play) is not supported"), std::string::npos)
      << l->messages();
}

TEST(LowerErrors, RandomFunctionsCheckTheirArguments) {
  auto l = lowerText("NEURON { SUFFIX s RANGE a }\nASSIGNED { a }\nBREAKPOINT { a = normrand(1) }\n");
  ASSERT_FALSE(l->ok());
  EXPECT_EQ(firstErrorOf(*l), "normrand takes 2 arguments") << l->messages();
}

TEST(LowerErrors, UnsupportedMethodsAreNamed) {
  auto l = lowerText(odeMechanism("gear", "x' = -k*x"));
  ASSERT_FALSE(l->ok());
  EXPECT_NE(firstErrorOf(*l).find("METHOD gear is not supported"), std::string::npos) << l->messages();
  EXPECT_NE(firstErrorOf(*l).find("derivimplicit or runge"), std::string::npos) << l->messages();
  // adams: why NEURON's cannot be matched, and what to use
  auto adams = lowerText(odeMechanism("adams", "x' = -k*x"));
  ASSERT_FALSE(adams->ok());
  EXPECT_NE(firstErrorOf(*adams).find("one derivative history"), std::string::npos) << adams->messages();
  EXPECT_NE(firstErrorOf(*adams).find("use METHOD runge"), std::string::npos) << adams->messages();
}

TEST(LowerErrors, NoMethodMeansDerivimplicitWithAWarning) {
  auto l = lowerText("NEURON { SUFFIX s }\nSTATE { x }\nBREAKPOINT { SOLVE d }\nDERIVATIVE d { x' = -x }\n");
  ASSERT_TRUE(l->ok()) << l->messages();
  EXPECT_NE(l->messages().find("Ranvier uses derivimplicit"), std::string::npos) << l->messages();
  EXPECT_NE(ir::print(l->get()).find("solve_linear"), std::string::npos);
}

// POINTERs lower to RV_STORAGE_POINTER (tests/runtime/pointer_test.cpp runs them);
// what nocmodl also refuses, and what Ranvier cannot hold, are errors at the declaration.
TEST(LowerErrors, PointersMustBeAssignedScalars) {
  auto ok = lowerText("NEURON { SUFFIX p POINTER q }\nASSIGNED { q }\nBREAKPOINT { q = 1 }\n");
  ASSERT_TRUE(ok->ok()) << ok->messages();
  EXPECT_EQ(ok->get().variables[*ok->get().find("q")].storage, ir::Storage::Pointer);
  // nocmodl wants it in ASSIGNED (PARAMETER will do); Ranvier takes a name of the
  // NEURON block alone as ASSIGNED, for POINTERs too
  for (const char *declared : {"PARAMETER { q }\n", ""}) {
    auto l = lowerText(std::string("NEURON { SUFFIX p POINTER q RANGE x }\n") + declared + "ASSIGNED { x }\nBREAKPOINT { x = q }\n");
    ASSERT_TRUE(l->ok()) << l->messages();
    EXPECT_EQ(l->get().variables[*l->get().find("q")].storage, ir::Storage::Pointer) << declared;
  }
  auto state = lowerText("NEURON { SUFFIX p POINTER q }\nSTATE { q }\nBREAKPOINT { SOLVE d METHOD cnexp }\nDERIVATIVE d { q' = -q }\n");
  ASSERT_FALSE(state->ok());
  EXPECT_NE(firstErrorOf(*state).find("cannot be a POINTER"), std::string::npos) << state->messages();
  auto array = lowerText("NEURON { SUFFIX p POINTER q }\nASSIGNED { q[3] }\nBREAKPOINT { q[0] = 1 }\n");
  ASSERT_FALSE(array->ok());
  EXPECT_NE(firstErrorOf(*array).find("POINTER 'q' is an array"), std::string::npos) << array->messages();
  auto bbcore = lowerText("NEURON { SUFFIX p BBCOREPOINTER r }\nASSIGNED { r }\n");
  ASSERT_FALSE(bbcore->ok());
  EXPECT_NE(firstErrorOf(*bbcore).find("BBCOREPOINTER 'r' is not supported"), std::string::npos) << bbcore->messages();
}

// nrn_pointing takes a POINTER.
TEST(LowerErrors, NrnPointingTakesAPointer) {
  auto l = lowerText("NEURON { SUFFIX p RANGE y }\nASSIGNED { y q }\nBREAKPOINT { y = nrn_pointing(q) }\n");
  ASSERT_FALSE(l->ok());
  EXPECT_NE(firstErrorOf(*l).find("nrn_pointing takes one POINTER"), std::string::npos) << l->messages();
}

// FUNCTION_TABLEs of one or two arguments lower to table lookups; more arguments, or a
// call with the wrong number, are errors.
TEST(LowerErrors, FunctionTablesTakeOneOrTwoArguments) {
  auto ok = lowerText("NEURON { SUFFIX t RANGE y }\nASSIGNED { y }\nFUNCTION_TABLE f(x) (ms)\nBREAKPOINT { y = f(1) }\n");
  ASSERT_TRUE(ok->ok()) << ok->messages();
  ASSERT_EQ(ok->get().functionTables.size(), 1u);
  EXPECT_EQ(ok->get().functionTables[0].unit, "ms");
  auto three = lowerText("NEURON { SUFFIX t RANGE y }\nASSIGNED { y }\nFUNCTION_TABLE f(x, z, w)\nBREAKPOINT { y = f(1, 2, 3) }\n");
  ASSERT_FALSE(three->ok());
  EXPECT_NE(firstErrorOf(*three).find("has 3 arguments"), std::string::npos) << three->messages();
  auto wrong = lowerText("NEURON { SUFFIX t RANGE y }\nASSIGNED { y }\nFUNCTION_TABLE f(x)\nBREAKPOINT { y = f(1, 2) }\n");
  ASSERT_FALSE(wrong->ok());
  EXPECT_NE(wrong->messages().find("takes 1 argument"), std::string::npos) << wrong->messages();
}

}  // namespace
}  // namespace ranvier::test
