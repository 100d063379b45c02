#pragma once
// Forward-mode symbolic differentiation through straight-line and branching kernel
// code: after every assignment to a variable that depends on the unknowns, the
// derivatives of that variable with respect to each unknown are assigned too. The
// Jacobians of derivimplicit and NONLINEAR blocks are read off these derivatives.

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "ir/ir.hpp"

namespace ranvier::transform {

struct UnknownRef {
  ir::VarId var = 0;
  ir::ExprRef index;  // constant, for an element of a STATE array
};

struct Differentiated {
  ir::Body body;
  // For each variable that depends on the unknowns: d(var)/d(unknown j), null = 0.
  std::map<ir::VarId, std::vector<ir::ExprRef>> gradient;
  std::string error;  // non-empty: what could not be differentiated
};

// `newLocal` creates a kernel local for a derivative (name suggested).
Differentiated differentiateBody(const ir::Body &body, const std::vector<UnknownRef> &unknowns,
                                 const ir::Mechanism &mechanism,
                                 const std::function<ir::VarId(const std::string &)> &newLocal);

}  // namespace ranvier::transform
