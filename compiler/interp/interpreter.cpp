#include "interp/interpreter.hpp"

#include <cmath>
#include <fmt/format.h>
#include <map>

namespace ranvier::interp {

namespace {
// A POINTER's target is one value per instance here: the interpreter has no other
// memory to point into, so tests set and read it like a field.
bool perInstance(ir::Storage s) {
  return s == ir::Storage::Field || s == ir::Storage::Ion || s == ir::Storage::Node || s == ir::Storage::Pointer;
}
constexpr std::size_t kMaxLoopIterations = 100'000'000;
constexpr int kMaxCallDepth = 1000;
}  // namespace

struct Interpreter::Frame {
  std::size_t instance = 0;
  std::map<ir::VarId, std::vector<double>> locals;  // locals and parameters
  KernelResult *result = nullptr;
  int depth = 0;
};

Interpreter::Interpreter(const ir::Mechanism &mechanism, std::size_t instances)
    : m_(mechanism), instances_(instances), storage_(mechanism.variables.size()) {
  for (std::size_t i = 0; i < m_.variables.size(); ++i) {
    const ir::Variable &v = m_.variables[i];
    if (v.storage == ir::Storage::Local || v.storage == ir::Storage::Param) continue;
    storage_[i].assign((perInstance(v.storage) ? instances_ : 1) * v.size, 0.0);
  }
  reset();
}

void Interpreter::reset(double v) {
  for (std::size_t i = 0; i < m_.variables.size(); ++i) {
    const ir::Variable &var = m_.variables[i];
    std::vector<double> &s = storage_[i];
    if (s.empty()) continue;
    double value = var.initial;
    if (var.storage == ir::Storage::Node) {
      value = var.nodeQuantity == ir::NodeQuantity::Voltage ? v
              : var.nodeQuantity == ir::NodeQuantity::Area  ? 100.0
              : var.nodeQuantity == ir::NodeQuantity::Diam  ? 1.0
                                                           : 0.0;
    } else if (var.storage == ir::Storage::Builtin) {
      value = var.name == "dt" ? 0.025 : var.name == "celsius" ? 6.3 : 0.0;
    }
    std::fill(s.begin(), s.end(), value);
  }
}

double &Interpreter::at(ir::VarId id, std::size_t instance, std::size_t element) {
  const ir::Variable &v = m_.variables.at(id);
  std::vector<double> &s = storage_.at(id);
  if (s.empty()) throw RuntimeError(fmt::format("'{}' is a kernel local, not stored", v.name));
  if (element >= v.size) throw RuntimeError(fmt::format("index {} is outside '{}[{}]'", element, v.name, v.size));
  const std::size_t base = perInstance(v.storage) ? instance * v.size : 0;
  if (perInstance(v.storage) && instance >= instances_) throw RuntimeError("no such instance");
  return s[base + element];
}

double &Interpreter::at(const std::string &name, std::size_t instance, std::size_t element) {
  auto id = m_.find(name);
  if (!id) throw RuntimeError(fmt::format("mechanism {} has no variable '{}'", m_.name, name));
  return at(*id, instance, element);
}

KernelResult Interpreter::run(ir::KernelKind kind, std::size_t instance, const std::vector<double> &args) {
  const ir::Kernel *k = m_.kernel(kind);
  if (k == nullptr) throw RuntimeError(fmt::format("mechanism {} has no {} kernel", m_.name, ir::to_string(kind)));
  return run(*k, instance, args);
}

KernelResult Interpreter::run(const std::string &kernel, std::size_t instance, const std::vector<double> &args) {
  const ir::Kernel *k = m_.kernel(kernel);
  if (k == nullptr) throw RuntimeError(fmt::format("mechanism {} has no kernel '{}'", m_.name, kernel));
  return run(*k, instance, args);
}

void Interpreter::checkTables() {
  if (const ir::Kernel *k = m_.kernel(ir::KernelKind::TableCheck)) run(*k, 0);
}

KernelResult Interpreter::run(const ir::Kernel &kernel, std::size_t instance, const std::vector<double> &args) {
  if (args.size() != kernel.params.size()) {
    throw RuntimeError(fmt::format("kernel {} takes {} arguments, got {}", kernel.name, kernel.params.size(), args.size()));
  }
  KernelResult result;
  Frame f{.instance = instance, .result = &result};
  for (std::size_t i = 0; i < args.size(); ++i) f.locals[kernel.params[i]] = {args[i]};
  exec(kernel.body, f);
  if (kernel.result) result.value = slot(*kernel.result, f, nullptr);
  return result;
}

double &Interpreter::slot(ir::VarId id, Frame &f, const ir::ExprRef &index) {
  const ir::Variable &v = m_.variables[id];
  std::size_t element = 0;
  if (index) {
    const double x = eval(*index, f);
    if (!(x >= 0) || x >= static_cast<double>(v.size)) {
      throw RuntimeError(fmt::format("index {} is outside '{}[{}]'", x, v.name, v.size));
    }
    element = static_cast<std::size_t>(x);
  }
  if (v.storage == ir::Storage::Local || v.storage == ir::Storage::Param) {
    std::vector<double> &local = f.locals[id];
    if (local.empty()) local.assign(v.size, 0.0);
    if (element >= local.size()) throw RuntimeError(fmt::format("index {} is outside '{}'", element, v.name));
    return local[element];
  }
  return at(id, f.instance, element);
}

double Interpreter::eval(const ir::Expr &e, Frame &f) {
  auto arg = [&](std::size_t i) { return eval(*e.args[i], f); };
  switch (e.op) {
  case ir::Op::Const: return e.value;
  case ir::Op::Var: return slot(e.var, f, e.args.empty() ? nullptr : e.args[0]);
  case ir::Op::Neg: return -arg(0);
  case ir::Op::Not: return arg(0) == 0 ? 1.0 : 0.0;
  case ir::Op::Add: return arg(0) + arg(1);
  case ir::Op::Sub: return arg(0) - arg(1);
  case ir::Op::Mul: return arg(0) * arg(1);
  case ir::Op::Div: return arg(0) / arg(1);
  case ir::Op::Pow: return std::pow(arg(0), arg(1));
  case ir::Op::Lt: return arg(0) < arg(1) ? 1.0 : 0.0;
  case ir::Op::Le: return arg(0) <= arg(1) ? 1.0 : 0.0;
  case ir::Op::Gt: return arg(0) > arg(1) ? 1.0 : 0.0;
  case ir::Op::Ge: return arg(0) >= arg(1) ? 1.0 : 0.0;
  case ir::Op::Eq: return arg(0) == arg(1) ? 1.0 : 0.0;
  case ir::Op::Ne: return arg(0) != arg(1) ? 1.0 : 0.0;
  case ir::Op::And: return (arg(0) != 0 && arg(1) != 0) ? 1.0 : 0.0;
  case ir::Op::Or: return (arg(0) != 0 || arg(1) != 0) ? 1.0 : 0.0;
  case ir::Op::Select: return arg(0) != 0 ? arg(1) : arg(2);
  case ir::Op::Math: return ir::applyMath(e.fn, arg(0), e.args.size() > 1 ? arg(1) : 0.0);
  case ir::Op::Call: {
    std::vector<double> values;
    for (std::size_t i = 0; i < e.args.size(); ++i) values.push_back(arg(i));
    return call(e.kernel, values, f);
  }
  case ir::Op::TableCall: {
    std::vector<double> values;
    for (std::size_t i = 0; i < e.args.size(); ++i) values.push_back(arg(i));
    if (!functionTables_) throw RuntimeError(fmt::format("the FUNCTION_TABLE {} has no table", m_.functionTables.at(e.kernel).name));
    return functionTables_(f.instance, e.kernel, values);
  }
  }
  return 0;
}

double Interpreter::call(std::uint32_t kernel, const std::vector<double> &args, Frame &caller) {
  if (caller.depth >= kMaxCallDepth) throw RuntimeError("recursion deeper than 1000 calls");
  const ir::Kernel &k = m_.kernels.at(kernel);
  Frame f{.instance = caller.instance, .result = caller.result, .depth = caller.depth + 1};
  for (std::size_t i = 0; i < args.size() && i < k.params.size(); ++i) f.locals[k.params[i]] = {args[i]};
  exec(k.body, f);
  return k.result ? slot(*k.result, f, nullptr) : 0.0;
}

// Gaussian elimination with partial pivoting; a pivot below 1e-20 in magnitude is
// singular (NEURON's ROUNDOFF): the system's error is recorded and the solution is NaN.
void Interpreter::solveLinear(const ir::LinearSystem &s, std::uint32_t errorIndex, Frame &f) {
  const std::size_t n = s.n;
  std::vector<double> a(n * n, 0.0), b(n);
  for (std::size_t i = 0; i < n * n; ++i) {
    if (s.matrix[i]) a[i] = eval(*s.matrix[i], f);
  }
  for (std::size_t i = 0; i < n; ++i) b[i] = eval(*s.rhs[i], f);
  for (std::size_t col = 0; col < n; ++col) {
    std::size_t pivot = col;
    for (std::size_t r = col + 1; r < n; ++r) {
      if (std::fabs(a[r * n + col]) > std::fabs(a[pivot * n + col])) pivot = r;
    }
    if (!(std::fabs(a[pivot * n + col]) >= 1e-20)) {
      f.result->errors.push_back(errorIndex);
      for (std::size_t i = 0; i < n; ++i) slot(s.solution[i], f, nullptr) = std::nan("");
      return;
    }
    if (pivot != col) {
      for (std::size_t c = 0; c < n; ++c) std::swap(a[col * n + c], a[pivot * n + c]);
      std::swap(b[col], b[pivot]);
    }
    for (std::size_t r = col + 1; r < n; ++r) {
      const double factor = a[r * n + col] / a[col * n + col];
      if (factor == 0) continue;
      for (std::size_t c = col; c < n; ++c) a[r * n + c] -= factor * a[col * n + c];
      b[r] -= factor * b[col];
    }
  }
  std::vector<double> x(n);
  for (std::size_t i = n; i-- > 0;) {
    double sum = b[i];
    for (std::size_t c = i + 1; c < n; ++c) sum -= a[i * n + c] * x[c];
    x[i] = sum / a[i * n + i];
  }
  for (std::size_t i = 0; i < n; ++i) slot(s.solution[i], f, nullptr) = x[i];
}

void Interpreter::exec(const ir::Body &body, Frame &f) {
  for (const ir::Stmt &s : body) {
    switch (s.kind) {
    case ir::StmtKind::Assign: {
      const double value = eval(*s.value, f);
      slot(s.target, f, s.index) = value;
      break;
    }
    case ir::StmtKind::If:
      exec(eval(*s.value, f) != 0 ? s.body : s.otherwise, f);
      break;
    case ir::StmtKind::While: {
      std::size_t n = 0;
      while (eval(*s.value, f) != 0) {
        if (++n > kMaxLoopIterations) throw RuntimeError("a loop ran 100 million times; giving up");
        exec(s.body, f);
      }
      break;
    }
    case ir::StmtKind::Call: {
      std::vector<double> values;
      for (const ir::ExprRef &a : s.args) values.push_back(eval(*a, f));
      call(s.index2, values, f);
      break;
    }
    case ir::StmtKind::SolveLinear: solveLinear(*s.system, s.index2, f); break;
    case ir::StmtKind::NetSend:
      f.result->events.push_back(Event{s.kind, eval(*s.value, f), eval(*s.flag, f)});
      break;
    case ir::StmtKind::NetEvent:
    case ir::StmtKind::NetMove:
      f.result->events.push_back(Event{s.kind, eval(*s.value, f), 0});
      break;
    case ir::StmtKind::Watch: f.result->watches.push_back(s.index2); break;
    case ir::StmtKind::Fail: f.result->errors.push_back(s.index2); break;
    case ir::StmtKind::ForNetCons: {
      for (std::size_t k = 0; netcons_; ++k) {
        double *w = netcons_(f.instance, k);
        if (w == nullptr) break;
        for (std::size_t i = 0; i < s.vars.size(); ++i) slot(s.vars[i], f, nullptr) = w[i];
        exec(s.body, f);
        for (std::size_t i = 0; i < s.vars.size(); ++i) w[i] = slot(s.vars[i], f, nullptr);
      }
      break;
    }
    case ir::StmtKind::Random: {
      const double a = eval(*s.args[0], f);
      const double b = eval(*s.args[1], f);
      const double value = random_ ? random_(f.instance, s.distribution, a, b) : 0.0;
      slot(s.target, f, nullptr) = s.distribution == ir::RandomDistribution::Seed ? 0.0 : value;
      break;
    }
    }
  }
}

}  // namespace ranvier::interp
