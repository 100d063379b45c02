#include "ir/ir.hpp"

#include <array>
#include <cmath>
#include <utility>

namespace ranvier::ir {

const char *to_string(Storage storage) {
  switch (storage) {
  case Storage::Field: return "field";
  case Storage::Global: return "global";
  case Storage::Thread: return "thread";
  case Storage::Table: return "table";
  case Storage::Ion: return "ion";
  case Storage::Node: return "node";
  case Storage::Builtin: return "builtin";
  case Storage::Local: return "local";
  case Storage::Param: return "param";
  case Storage::Pointer: return "pointer";
  }
  return "?";
}

const char *to_string(IonQuantity quantity) {
  switch (quantity) {
  case IonQuantity::Reversal: return "reversal";
  case IonQuantity::Inside: return "inside";
  case IonQuantity::Outside: return "outside";
  case IonQuantity::Current: return "current";
  case IonQuantity::Conductance: return "conductance";
  }
  return "?";
}

const char *to_string(NodeQuantity quantity) {
  switch (quantity) {
  case NodeQuantity::Voltage: return "v";
  case NodeQuantity::Rhs: return "rhs";
  case NodeQuantity::Diagonal: return "d";
  case NodeQuantity::Area: return "area";
  case NodeQuantity::Diam: return "diam";
  }
  return "?";
}

const char *spelling(Op op) {
  switch (op) {
  case Op::Neg: return "-";
  case Op::Not: return "!";
  case Op::Add: return "+";
  case Op::Sub: return "-";
  case Op::Mul: return "*";
  case Op::Div: return "/";
  case Op::Pow: return "^";
  case Op::Lt: return "<";
  case Op::Le: return "<=";
  case Op::Gt: return ">";
  case Op::Ge: return ">=";
  case Op::Eq: return "==";
  case Op::Ne: return "!=";
  case Op::And: return "&&";
  case Op::Or: return "||";
  default: return "?";
  }
}

namespace {
struct MathInfo {
  MathFn fn;
  const char *name;
  int arity;
};
constexpr std::array kMath{
    MathInfo{MathFn::Exp, "exp", 1},     MathInfo{MathFn::Log, "log", 1},
    MathInfo{MathFn::Log10, "log10", 1}, MathInfo{MathFn::Sqrt, "sqrt", 1},
    MathInfo{MathFn::Fabs, "fabs", 1},   MathInfo{MathFn::Sin, "sin", 1},
    MathInfo{MathFn::Cos, "cos", 1},     MathInfo{MathFn::Tan, "tan", 1},
    MathInfo{MathFn::Asin, "asin", 1},   MathInfo{MathFn::Acos, "acos", 1},
    MathInfo{MathFn::Atan, "atan", 1},   MathInfo{MathFn::Atan2, "atan2", 2},
    MathInfo{MathFn::Sinh, "sinh", 1},   MathInfo{MathFn::Cosh, "cosh", 1},
    MathInfo{MathFn::Tanh, "tanh", 1},   MathInfo{MathFn::Floor, "floor", 1},
    MathInfo{MathFn::Ceil, "ceil", 1},   MathInfo{MathFn::Fmod, "fmod", 2},
    MathInfo{MathFn::Pow, "pow", 2},     MathInfo{MathFn::Erf, "erf", 1},
    MathInfo{MathFn::Erfc, "erfc", 1},   MathInfo{MathFn::Fmin, "fmin", 2},
    MathInfo{MathFn::Fmax, "fmax", 2},
};
}  // namespace

const char *to_string(MathFn fn) { return kMath[static_cast<std::size_t>(fn)].name; }
int arity(MathFn fn) { return kMath[static_cast<std::size_t>(fn)].arity; }
std::optional<MathFn> mathFunction(const std::string &nmodlName) {
  for (const MathInfo &m : kMath) {
    if (nmodlName == m.name) return m.fn;
  }
  return std::nullopt;
}

const char *to_string(KernelKind kind) {
  switch (kind) {
  case KernelKind::Init: return "init";
  case KernelKind::Current: return "current";
  case KernelKind::State: return "state";
  case KernelKind::NetReceive: return "net_receive";
  case KernelKind::NetInit: return "net_init";
  case KernelKind::Function: return "function";
  case KernelKind::Procedure: return "procedure";
  case KernelKind::TableCheck: return "table_check";
  case KernelKind::Before: return "before";
  case KernelKind::After: return "after";
  case KernelKind::Constructor: return "constructor";
  case KernelKind::Destructor: return "destructor";
  case KernelKind::Diffusion: return "diffusion";
  case KernelKind::DiffusionVolume: return "diffusion_volume";
  }
  return "?";
}

const char *to_string(RandomDistribution distribution) {
  switch (distribution) {
  case RandomDistribution::Uniform01: return "uniform01";
  case RandomDistribution::Exponential: return "exponential";
  case RandomDistribution::Normal: return "normal";
  case RandomDistribution::Poisson: return "poisson";
  case RandomDistribution::Seed: return "seed";
  }
  return "?";
}

const char *to_string(MechanismKind kind) {
  switch (kind) {
  case MechanismKind::Density: return "density";
  case MechanismKind::PointProcess: return "point_process";
  case MechanismKind::ArtificialCell: return "artificial_cell";
  }
  return "?";
}

// ───────────────────────────── builders ─────────────────────────────

namespace {
ExprRef make(Expr e) { return std::make_shared<const Expr>(std::move(e)); }

double evalMath(MathFn fn, double a, double b) {
  switch (fn) {
  case MathFn::Exp: return a < -kExpLimit ? 0.0 : std::exp(a > kExpLimit ? kExpLimit : a);  // NEURON's hoc_Exp
  case MathFn::Log: return std::log(a);
  case MathFn::Log10: return std::log10(a);
  case MathFn::Sqrt: return std::sqrt(a);
  case MathFn::Fabs: return std::fabs(a);
  case MathFn::Sin: return std::sin(a);
  case MathFn::Cos: return std::cos(a);
  case MathFn::Tan: return std::tan(a);
  case MathFn::Asin: return std::asin(a);
  case MathFn::Acos: return std::acos(a);
  case MathFn::Atan: return std::atan(a);
  case MathFn::Atan2: return std::atan2(a, b);
  case MathFn::Sinh: return std::sinh(a);
  case MathFn::Cosh: return std::cosh(a);
  case MathFn::Tanh: return std::tanh(a);
  case MathFn::Floor: return std::floor(a);
  case MathFn::Ceil: return std::ceil(a);
  case MathFn::Fmod: return std::fmod(a, b);
  case MathFn::Pow: return std::pow(a, b);
  case MathFn::Erf: return std::erf(a);
  case MathFn::Erfc: return std::erfc(a);
  case MathFn::Fmin: return std::fmin(a, b);
  case MathFn::Fmax: return std::fmax(a, b);
  }
  return 0;
}

bool isComparison(Op op) { return op >= Op::Lt && op <= Op::Ne; }
bool isLogic(Op op) { return op == Op::And || op == Op::Or; }
}  // namespace

double applyMath(MathFn fn, double a, double b) { return evalMath(fn, a, b); }

ExprRef constant(double value) { return make(Expr{.op = Op::Const, .value = value}); }
ExprRef boolean(bool value) {
  return make(Expr{.op = Op::Const, .type = Type::Bool, .value = value ? 1.0 : 0.0});
}

ExprRef var(VarId id, ExprRef index) {
  Expr e{.op = Op::Var, .var = id};
  if (index) e.args.push_back(std::move(index));
  return make(std::move(e));
}

ExprRef varInRange(VarId id, ExprRef index) {
  return make(Expr{.op = Op::Var, .var = id, .args = {std::move(index)}, .indexInRange = true});
}

ExprRef asBool(ExprRef a) {
  if (a->type == Type::Bool) return a;
  if (a->isConst()) return boolean(a->value != 0);
  return binary(Op::Ne, std::move(a), constant(0));
}

ExprRef asReal(ExprRef a) {
  if (a->type == Type::Real) return a;
  if (a->isConst()) return constant(a->value);
  return select(std::move(a), constant(1), constant(0));
}

ExprRef neg(ExprRef a) {
  a = asReal(std::move(a));
  if (a->isConst()) return constant(-a->value);
  if (a->op == Op::Neg) return a->args[0];
  return make(Expr{.op = Op::Neg, .args = {std::move(a)}});
}

ExprRef lnot(ExprRef a) {
  a = asBool(std::move(a));
  if (a->isConst()) return boolean(a->value == 0);
  if (a->op == Op::Not) return a->args[0];
  return make(Expr{.op = Op::Not, .type = Type::Bool, .args = {std::move(a)}});
}

ExprRef binary(Op op, ExprRef a, ExprRef b) {
  if (isLogic(op)) {
    a = asBool(std::move(a));
    b = asBool(std::move(b));
    if (a->isConst() && b->isConst()) {
      return boolean(op == Op::And ? (a->value != 0 && b->value != 0) : (a->value != 0 || b->value != 0));
    }
    return make(Expr{.op = op, .type = Type::Bool, .args = {std::move(a), std::move(b)}});
  }
  a = asReal(std::move(a));
  b = asReal(std::move(b));
  if (isComparison(op)) {
    if (a->isConst() && b->isConst()) {
      const double x = a->value, y = b->value;
      switch (op) {
      case Op::Lt: return boolean(x < y);
      case Op::Le: return boolean(x <= y);
      case Op::Gt: return boolean(x > y);
      case Op::Ge: return boolean(x >= y);
      case Op::Eq: return boolean(x == y);
      default: return boolean(x != y);
      }
    }
    return make(Expr{.op = op, .type = Type::Bool, .args = {std::move(a), std::move(b)}});
  }
  if (a->isConst() && b->isConst()) {
    const double x = a->value, y = b->value;
    switch (op) {
    case Op::Add: return constant(x + y);
    case Op::Sub: return constant(x - y);
    case Op::Mul: return constant(x * y);
    case Op::Div: if (y != 0) return constant(x / y); break;
    case Op::Pow: return constant(std::pow(x, y));
    default: break;
    }
  }
  switch (op) {
  case Op::Add:
    if (b->isConst(0)) return a;
    if (a->isConst(0)) return b;
    if (b->op == Op::Neg) return sub(a, b->args[0]);
    break;
  case Op::Sub:
    if (b->isConst(0)) return a;
    if (b->op == Op::Neg) return add(a, b->args[0]);
    break;
  case Op::Mul:
    if (b->isConst(1)) return a;
    if (a->isConst(1)) return b;
    if (b->isConst(-1)) return neg(a);
    if (a->isConst(-1)) return neg(b);
    break;
  case Op::Div:
    if (b->isConst(1)) return a;
    break;
  case Op::Pow:
    if (b->isConst(1)) return a;
    break;
  default: break;
  }
  return make(Expr{.op = op, .args = {std::move(a), std::move(b)}});
}

ExprRef add(ExprRef a, ExprRef b) { return binary(Op::Add, std::move(a), std::move(b)); }
ExprRef sub(ExprRef a, ExprRef b) { return binary(Op::Sub, std::move(a), std::move(b)); }
ExprRef mul(ExprRef a, ExprRef b) { return binary(Op::Mul, std::move(a), std::move(b)); }
ExprRef div(ExprRef a, ExprRef b) { return binary(Op::Div, std::move(a), std::move(b)); }
ExprRef pow(ExprRef a, ExprRef b) { return binary(Op::Pow, std::move(a), std::move(b)); }

ExprRef select(ExprRef condition, ExprRef then, ExprRef otherwise) {
  condition = asBool(std::move(condition));
  then = asReal(std::move(then));
  otherwise = asReal(std::move(otherwise));
  if (condition->isConst()) return condition->value != 0 ? then : otherwise;
  return make(Expr{.op = Op::Select, .args = {std::move(condition), std::move(then), std::move(otherwise)}});
}

ExprRef math(MathFn fn, std::vector<ExprRef> args) {
  bool allConst = true;
  for (ExprRef &a : args) {
    a = asReal(std::move(a));
    allConst = allConst && a->isConst();
  }
  if (allConst && !args.empty()) {
    return constant(evalMath(fn, args[0]->value, args.size() > 1 ? args[1]->value : 0.0));
  }
  return make(Expr{.op = Op::Math, .fn = fn, .args = std::move(args)});
}

ExprRef call(std::uint32_t kernel, std::vector<ExprRef> args) {
  for (ExprRef &a : args) a = asReal(std::move(a));
  return make(Expr{.op = Op::Call, .kernel = kernel, .args = std::move(args)});
}

ExprRef tableCall(std::uint32_t table, std::vector<ExprRef> args) {
  for (ExprRef &a : args) a = asReal(std::move(a));
  return make(Expr{.op = Op::TableCall, .kernel = table, .args = std::move(args)});
}

bool sameExpr(const Expr &a, const Expr &b) {
  if (&a == &b) return true;
  if (a.op != b.op || a.type != b.type || a.args.size() != b.args.size()) return false;
  switch (a.op) {
  case Op::Const:
    if (a.value != b.value && !(std::isnan(a.value) && std::isnan(b.value))) return false;
    break;
  case Op::Var: if (a.var != b.var) return false; break;
  case Op::Math: if (a.fn != b.fn) return false; break;
  case Op::Call:
  case Op::TableCall: if (a.kernel != b.kernel) return false; break;
  default: break;
  }
  for (std::size_t i = 0; i < a.args.size(); ++i) {
    if (!sameExpr(*a.args[i], *b.args[i])) return false;
  }
  return true;
}

bool uses(const Expr &e, VarId id) {
  if (e.op == Op::Var && e.var == id) return true;
  for (const ExprRef &a : e.args) {
    if (uses(*a, id)) return true;
  }
  return false;
}

Stmt assign(VarId target, ExprRef value, ExprRef index) {
  Stmt s;
  s.kind = StmtKind::Assign;
  s.target = target;
  s.value = asReal(std::move(value));
  s.index = std::move(index);
  return s;
}

Stmt ifThen(ExprRef condition, Body then, Body otherwise) {
  Stmt s;
  s.kind = StmtKind::If;
  s.value = asBool(std::move(condition));
  s.body = std::move(then);
  s.otherwise = std::move(otherwise);
  return s;
}

Stmt whileLoop(ExprRef condition, Body body) {
  Stmt s;
  s.kind = StmtKind::While;
  s.value = asBool(std::move(condition));
  s.body = std::move(body);
  return s;
}

Stmt randomDraw(VarId target, RandomDistribution distribution, ExprRef a, ExprRef b) {
  Stmt s;
  s.kind = StmtKind::Random;
  s.target = target;
  s.distribution = distribution;
  s.args = {asReal(std::move(a)), asReal(std::move(b))};
  return s;
}

// ───────────────────────────── mechanism ─────────────────────────────

const Kernel *Mechanism::kernel(KernelKind wanted) const {
  for (const Kernel &k : kernels) {
    if (k.kind == wanted) return &k;
  }
  return nullptr;
}

const Kernel *Mechanism::kernel(const std::string &kernelName) const {
  for (const Kernel &k : kernels) {
    if (k.name == kernelName) return &k;
  }
  return nullptr;
}

std::optional<VarId> Mechanism::find(const std::string &variableName) const {
  for (std::size_t i = 0; i < variables.size(); ++i) {
    if (variables[i].name == variableName) return static_cast<VarId>(i);
  }
  return std::nullopt;
}

VarId Mechanism::add(Variable variable) {
  if (find(variable.name)) {
    const std::string base = variable.name;
    for (int n = 1;; ++n) {
      variable.name = base + "_" + std::to_string(n);
      if (!find(variable.name)) break;
    }
  }
  variables.push_back(std::move(variable));
  return static_cast<VarId>(variables.size() - 1);
}

}  // namespace ranvier::ir
