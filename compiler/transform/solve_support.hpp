#pragma once
// Pieces the solvers share: how an expression depends on one unknown, one Newton
// step's linear system, and when the iteration stops.

#include <vector>

#include "ir/ir.hpp"

namespace ranvier::transform {

enum class Linearity { Free, Linear, Nonlinear };

// How e depends on variable x (the element `index` of it, for arrays), with every
// other variable taken as given: the test cnexp applies, as NEURON does.
Linearity linearityIn(const ir::Expr &e, ir::VarId x, const ir::ExprRef &index);

// A Newton step: solve matrix * delta = rhs (row-major, null = 0).
struct LinearStep {
  std::vector<ir::ExprRef> matrix;
  std::vector<ir::ExprRef> rhs;
};

struct NewtonPolicy {
  enum class Kind {
    OneStep,                    // linear systems: one step is the solution
    SumOfChanges,               // NEURON's sparse: sum |delta| <= tolerance
    RelativeChangeAndResidual,  // NEURON's newton: max |delta/x| <= tol and max |F| <= residualTolerance
  };
  Kind kind = Kind::OneStep;
  int maxIterations = 1;
  double tolerance = 1e-6;
  double residualTolerance = 1e-8;
  bool clampNegative = false;  // sparse: states that go below zero are set to zero
};

}  // namespace ranvier::transform
