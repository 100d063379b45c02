#include "transform/solve_support.hpp"

#include <algorithm>

namespace ranvier::transform {

Linearity linearityIn(const ir::Expr &e, ir::VarId x, const ir::ExprRef &index) {
  auto worst = [](Linearity a, Linearity b) { return std::max(a, b); };
  switch (e.op) {
  case ir::Op::Const: return Linearity::Free;
  case ir::Op::Var: {
    if (e.var != x) return Linearity::Free;
    const bool indexed = !e.args.empty();
    if (!index && !indexed) return Linearity::Linear;
    if (index && indexed) return ir::sameExpr(*index, *e.args[0]) ? Linearity::Linear : Linearity::Free;
    return Linearity::Nonlinear;
  }
  default: break;
  }
  std::vector<Linearity> l;
  for (const ir::ExprRef &a : e.args) l.push_back(linearityIn(*a, x, index));
  const bool allFree = std::all_of(l.begin(), l.end(), [](Linearity d) { return d == Linearity::Free; });
  if (allFree) return Linearity::Free;
  switch (e.op) {
  case ir::Op::Neg: return l[0];
  case ir::Op::Add:
  case ir::Op::Sub: return worst(l[0], l[1]);
  case ir::Op::Mul:
    if (l[0] == Linearity::Free) return l[1];
    if (l[1] == Linearity::Free) return l[0];
    return Linearity::Nonlinear;
  case ir::Op::Div: return l[1] == Linearity::Free ? l[0] : Linearity::Nonlinear;
  case ir::Op::Pow:
    if (l[1] == Linearity::Free && e.args[1]->isConst(1)) return l[0];
    return Linearity::Nonlinear;
  case ir::Op::Select:
    if (l[0] != Linearity::Free) return Linearity::Nonlinear;
    return worst(l[1], l[2]);
  default: return Linearity::Nonlinear;  // x inside a function, a comparison, ...
  }
}

}  // namespace ranvier::transform
