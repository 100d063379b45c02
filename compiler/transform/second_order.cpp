// NEURON's Crank-Nicolson (secondorder = 2) in the state kernel of a mechanism with a
// derivimplicit or sparse SOLVE. nocmodl's nrn_state halves dt for the whole kernel when
// secondorder is on, solves over that half step, then extrapolates each state,
// x += dt/2 * Dx: x^{n+1/2} + (x^{n+1/2} - x^n) for sparse (Dx is the mean slope over
// the half step), x^{n+1/2} + dt/2 f(x^{n+1/2}) for derivimplicit (Dx is f at the last
// Newton evaluation). After a STEADYSTATE in INITIAL the same x += dt * Dx runs with the
// whole dt. cnexp states are neither halved nor extrapolated (NEURON's cnexp code has
// no such branch). The simulation's secondorder reaches kernels as a builtin.
#include "ir/derivative.hpp"
#include "transform/lowerer.hpp"

namespace ranvier::transform {

ir::VarId Lowerer::secondOrderVar() {
  if (!secondOrder_) secondOrder_ = m_.add(ir::Variable{.name = "secondorder", .storage = ir::Storage::Builtin});
  return *secondOrder_;
}

void Lowerer::extrapolateUnderSecondOrder(const std::vector<Unknown> &unknowns, const std::vector<ir::ExprRef> &slopes,
                                          ir::ExprRef dt, SourceRange where) {
  if (auto taken = m_.find("secondorder"); !secondOrder_ && taken) {
    error(where, "a variable named 'secondorder' hides NEURON's secondorder, which derivimplicit and sparse follow",
          "rename the variable");
    return;
  }
  ir::Body body;
  for (std::size_t i = 0; i < unknowns.size(); ++i) {
    const ir::ExprRef x = ir::var(unknowns[i].var, unknowns[i].index);
    body.push_back(ir::assign(unknowns[i].var, ir::add(x, ir::mul(dt, slopes[i])), unknowns[i].index));
  }
  emit(ir::ifThen(ir::binary(ir::Op::Ne, ir::var(secondOrderVar()), ir::constant(0)), std::move(body)));
}

void Lowerer::halveDtUnderSecondOrder() {
  const ir::VarId dt = *globals_.at("dt").var;
  const ir::VarId half = newLocal("dt_state");
  ir::substituteReads(kernel_->body, dt, ir::var(half));
  const ir::ExprRef on = ir::binary(ir::Op::Ne, ir::var(secondOrderVar()), ir::constant(0));
  kernel_->body.insert(kernel_->body.begin(), ir::assign(half, ir::select(on, ir::mul(ir::var(dt), ir::constant(0.5)), ir::var(dt))));
}

}  // namespace ranvier::transform
