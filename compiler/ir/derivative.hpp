#pragma once
// Symbolic differentiation of kernel expressions. Used for the Jacobians of
// derivimplicit, KINETIC and NONLINEAR blocks and for cnexp's a + b*x split.

#include <functional>

#include "ir/ir.hpp"

namespace ranvier::ir {

// The derivative of a variable use (id, index) with respect to the unknown of
// interest: null means zero. Return std::nullopt from the callback to say "this use
// cannot be differentiated" (an array element with a non-constant index).
using VarDerivative = std::function<std::optional<ExprRef>(VarId id, const ExprRef &index)>;

// d e / d(unknown). Returns nullptr when e does not depend on the unknown, and
// std::nullopt when it cannot be differentiated (a call kept as a call).
std::optional<ExprRef> differentiate(const ExprRef &e, const VarDerivative &dvar);

// e with every use of variable `id` replaced by `by`; for an array element, only the
// uses with the same (constant) index.
ExprRef substitute(const ExprRef &e, VarId id, const ExprRef &index, const ExprRef &by);
// The same for every expression a body reads (values, indices, conditions, arguments,
// linear systems), nested bodies included; the statements' targets stay.
void substituteReads(Body &body, VarId id, const ExprRef &by);

}  // namespace ranvier::ir
