#pragma once
// Is an ODE linear in its own state? For `x' = f`, f must have the form a + b*x with
// a and b free of x. Variables assigned earlier in the block are followed to their
// definitions, so `p = k*x/(x+kd)` then `x' = p - x/tau` is (correctly) not linear,
// although NEURON's cnexp accepts it. Function calls with x in an argument, and
// variables assigned in a branch from x, count as non-linear: the analysis proves
// linearity or says no.

#include <string>
#include <vector>

#include "ast/ast.hpp"

namespace ranvier::analysis {

struct OdeLinearity {
  std::string state;
  bool linear = false;
  SourceRange where;   // the x' = ... statement
  std::string reason;  // why not, when not
};

std::vector<OdeLinearity> odeLinearity(const ast::NamedBlock &derivative);
bool allOdesLinear(const ast::NamedBlock &derivative);

}  // namespace ranvier::analysis
