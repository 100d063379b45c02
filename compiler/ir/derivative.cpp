#include "ir/derivative.hpp"

#include <cmath>
#include <memory>
#include <numbers>

namespace ranvier::ir {
namespace {

// Zero-aware arithmetic on derivatives: nullptr is an exact zero.
ExprRef dadd(ExprRef a, ExprRef b) {
  if (!a) return b;
  if (!b) return a;
  return add(std::move(a), std::move(b));
}
ExprRef dsub(ExprRef a, ExprRef b) {
  if (!b) return a;
  if (!a) return neg(std::move(b));
  return sub(std::move(a), std::move(b));
}
ExprRef dmul(ExprRef a, ExprRef b) {  // b is a derivative, a a plain factor
  if (!b) return nullptr;
  if (a->isConst(0)) return nullptr;
  return mul(std::move(a), std::move(b));
}

// Rebuilds e with new operands through the folding builders.
ExprRef rebuild(const Expr &e, std::vector<ExprRef> args) {
  switch (e.op) {
  case Op::Const: return constant(e.value);
  case Op::Var:
    if (args.empty()) return var(e.var);
    return e.indexInRange ? varInRange(e.var, args[0]) : var(e.var, args[0]);  // the same values: still inside
  case Op::Neg: return neg(args[0]);
  case Op::Not: return lnot(args[0]);
  case Op::Select: return select(args[0], args[1], args[2]);
  case Op::Math: return math(e.fn, std::move(args));
  case Op::Call: return call(e.kernel, std::move(args));
  case Op::TableCall: return tableCall(e.kernel, std::move(args));
  default: return binary(e.op, args[0], args[1]);
  }
}

// (a^b)' for a^b as an operator or as pow(a, b).
ExprRef powDerivative(const ExprRef &e, const std::vector<ExprRef> &x, const std::vector<ExprRef> &d) {
  if (!d[1]) {
    if (!d[0]) return nullptr;
    // (a^n)' = n * a^(n-1) * a'
    return dmul(mul(x[1], pow(x[0], sub(x[1], constant(1)))), d[0]);
  }
  // (a^b)' = a^b * (b' ln a + b a'/a)
  return dmul(e, dadd(dmul(math(MathFn::Log, {x[0]}), d[1]), d[0] ? div(mul(x[1], d[0]), x[0]) : nullptr));
}

ExprRef mathDerivative(const ExprRef &e, const std::vector<ExprRef> &x, const std::vector<ExprRef> &d) {
  const ExprRef &a = x[0];
  const ExprRef &da = d[0];
  switch (e->fn) {
  case MathFn::Exp: return dmul(e, da);
  case MathFn::Log: return da ? div(da, a) : nullptr;
  case MathFn::Log10: return da ? div(da, mul(a, constant(std::numbers::ln10))) : nullptr;
  case MathFn::Sqrt: return da ? div(da, mul(constant(2), e)) : nullptr;
  case MathFn::Fabs: return da ? select(binary(Op::Lt, a, constant(0)), neg(da), da) : nullptr;
  case MathFn::Sin: return dmul(math(MathFn::Cos, {a}), da);
  case MathFn::Cos: return da ? neg(mul(math(MathFn::Sin, {a}), da)) : nullptr;
  case MathFn::Tan: {
    ExprRef c = math(MathFn::Cos, {a});
    return da ? div(da, mul(c, c)) : nullptr;
  }
  case MathFn::Asin: return da ? div(da, math(MathFn::Sqrt, {sub(constant(1), mul(a, a))})) : nullptr;
  case MathFn::Acos: return da ? neg(div(da, math(MathFn::Sqrt, {sub(constant(1), mul(a, a))}))) : nullptr;
  case MathFn::Atan: return da ? div(da, add(constant(1), mul(a, a))) : nullptr;
  case MathFn::Atan2: {
    // atan2(y, x)' = (x y' - y x') / (x^2 + y^2)
    const ExprRef &y = x[0], &xx = x[1];
    ExprRef num = dsub(dmul(xx, d[0]), dmul(y, d[1]));
    return num ? div(num, add(mul(xx, xx), mul(y, y))) : nullptr;
  }
  case MathFn::Sinh: return dmul(math(MathFn::Cosh, {a}), da);
  case MathFn::Cosh: return dmul(math(MathFn::Sinh, {a}), da);
  case MathFn::Tanh: return da ? div(da, pow(math(MathFn::Cosh, {a}), constant(2))) : nullptr;
  case MathFn::Floor:
  case MathFn::Ceil: return nullptr;
  case MathFn::Fmod: return da;  // piecewise d/da, ignoring the jumps
  case MathFn::Pow: return powDerivative(e, x, d);
  case MathFn::Erf:
  case MathFn::Erfc: {
    if (!da) return nullptr;
    ExprRef g = mul(constant(2 / std::sqrt(std::numbers::pi)), math(MathFn::Exp, {neg(mul(a, a))}));
    ExprRef r = mul(g, da);
    return e->fn == MathFn::Erf ? r : neg(r);
  }
  case MathFn::Fmin:
  case MathFn::Fmax: {
    if (!d[0] && !d[1]) return nullptr;
    ExprRef first = binary(e->fn == MathFn::Fmin ? Op::Le : Op::Ge, x[0], x[1]);
    return select(first, d[0] ? d[0] : constant(0), d[1] ? d[1] : constant(0));
  }
  }
  return nullptr;
}

}  // namespace

ExprRef substitute(const ExprRef &e, VarId id, const ExprRef &index, const ExprRef &by) {
  if (e->op == Op::Var && e->var == id) {
    const bool indexed = !e->args.empty();
    if (!index && !indexed) return by;
    if (index && indexed && sameExpr(*index, *e->args[0])) return by;
  }
  if (e->args.empty()) return e;
  std::vector<ExprRef> args;
  bool changed = false;
  for (const ExprRef &a : e->args) {
    args.push_back(substitute(a, id, index, by));
    changed = changed || args.back() != a;
  }
  return changed ? rebuild(*e, std::move(args)) : e;
}

void substituteReads(Body &body, VarId id, const ExprRef &by) {
  auto replace = [&](ExprRef &e) {
    if (e) e = substitute(e, id, nullptr, by);
  };
  for (Stmt &s : body) {
    replace(s.index);
    replace(s.value);
    replace(s.flag);
    for (ExprRef &a : s.args) replace(a);
    if (s.system) {  // shared with other statements: rewrite a copy
      auto system = std::make_shared<LinearSystem>(*s.system);
      for (ExprRef &a : system->matrix) replace(a);
      for (ExprRef &a : system->rhs) replace(a);
      s.system = std::move(system);
    }
    substituteReads(s.body, id, by);
    substituteReads(s.otherwise, id, by);
  }
}

std::optional<ExprRef> differentiate(const ExprRef &e, const VarDerivative &dvar) {
  switch (e->op) {
  case Op::Const: return ExprRef{};
  case Op::Var: return dvar(e->var, e->args.empty() ? nullptr : e->args[0]);
  case Op::Not: case Op::Lt: case Op::Le: case Op::Gt: case Op::Ge: case Op::Eq: case Op::Ne:
  case Op::And: case Op::Or:
    return ExprRef{};  // conditions switch; they do not vary smoothly
  case Op::Call:
  case Op::TableCall:
    // A call kept as a call, or a table, is opaque: fine only if its arguments do not vary.
    for (const ExprRef &a : e->args) {
      auto d = differentiate(a, dvar);
      if (!d || *d) return std::nullopt;
    }
    return ExprRef{};
  default: break;
  }

  std::vector<ExprRef> d;
  for (const ExprRef &a : e->args) {
    auto da = differentiate(a, dvar);
    if (!da) return std::nullopt;
    d.push_back(*da);
  }
  const auto &x = e->args;
  switch (e->op) {
  case Op::Neg: return d[0] ? neg(d[0]) : nullptr;
  case Op::Add: return dadd(d[0], d[1]);
  case Op::Sub: return dsub(d[0], d[1]);
  case Op::Mul: return dadd(dmul(x[1], d[0]), dmul(x[0], d[1]));
  case Op::Div:
    // (a/b)' = a'/b - a*b'/(b*b)
    return dsub(d[0] ? div(d[0], x[1]) : nullptr, d[1] ? div(mul(x[0], d[1]), mul(x[1], x[1])) : nullptr);
  case Op::Pow: return powDerivative(e, x, d);
  case Op::Select:
    if (!d[1] && !d[2]) return ExprRef{};
    return select(x[0], d[1] ? d[1] : constant(0), d[2] ? d[2] : constant(0));
  case Op::Math: return mathDerivative(e, x, d);
  default: return std::nullopt;
  }
}

}  // namespace ranvier::ir
