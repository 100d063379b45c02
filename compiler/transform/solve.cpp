// SOLVE statements: which method for which block, and the Newton iteration the
// implicit methods share. The numerics follow NEURON 8.2.2; docs/neuron-numerics.md
// records what NEURON does and where Ranvier differs.

#include <fmt/format.h>

#include "analysis/linearity.hpp"
#include "transform/lowerer.hpp"
#include "ast/traverse.hpp"
#include "ir/derivative.hpp"
#include "transform/jacobian.hpp"

namespace ranvier::transform {

using namespace ranvier::ast;

void Lowerer::solve(const ast::SolveStmt &s, bool inInitial) {
  const std::string &name = s.block.name;
  if (s.ifError) {
    error(s.ifError->range, "SOLVE ... IFERROR is not supported");
    return;
  }
  auto named = named_.find(name);
  if (named == named_.end()) {
    if (auto callable = callables_.find(name); callable != callables_.end()) {
      if (!callable->second->params.empty()) {
        error(s.block.range, fmt::format("SOLVE can only call a PROCEDURE without arguments; '{}' has some", name));
        return;
      }
      inlineCallable(*callable->second, {});  // SOLVE of a PROCEDURE: a call, as in NEURON
      return;
    }
    error(s.block.range, fmt::format("SOLVE names '{}', which is not a block", name));
    return;
  }
  const NamedBlock &nb = *named->second;
  const std::string method = s.method ? s.method->name : "";
  const SourceRange methodRange = s.method ? s.method->range : s.block.range;
  const bool steady = s.how == SolveHow::SteadyState;
  if (steady && !inInitial) {
    error(s.range, "STEADYSTATE belongs in INITIAL (or a FUNCTION called there)");
    return;
  }

  switch (nb.block) {
  case NamedKind::Derivative:
    if (steady) {
      if (method == "sparse" || method == "derivimplicit") {
        solveImplicit(nb, true, s.range);
      } else {
        error(methodRange, fmt::format("STEADYSTATE {} is not supported for a DERIVATIVE block", method),
              "use STEADYSTATE derivimplicit");
      }
      return;
    }
    if (method == "cnexp") {
      if (!solveCnexp(nb)) solveImplicit(nb, false, s.range);
    } else if (method == "derivimplicit") {
      solveImplicit(nb, false, s.range);
    } else if (method.empty()) {
      diags_->warning(s.block.range, fmt::format("SOLVE {} has no METHOD: Ranvier uses derivimplicit", name))
          .withHint("NEURON 8.2 silently picks a Runge-Kutta method that is not thread safe; "
                    "write METHOD cnexp or METHOD derivimplicit");
      solveImplicit(nb, false, s.range);
    } else if (method == "runge") {
      solveRunge(nb);
    } else if (method == "adams") {
      error(methodRange, fmt::format("METHOD adams is not supported for a DERIVATIVE block: NEURON 8.2.2's (scopmath's adams) "
                                     "keeps one derivative history, and one count of calls, for every instance of every mechanism "
                                     "together, so its results depend on how many instances there are"),
            fmt::format("use METHOD runge (the Runge-Kutta step adams starts with) or derivimplicit for '{}'", name));
    } else if (method == "euler") {
      const char *replacement = analysis::allOdesLinear(nb) ? "cnexp" : "derivimplicit";
      error(methodRange,
            fmt::format("METHOD euler is not supported: it is not thread safe and is only first-order "
                        "accurate; use METHOD {} for '{}'", replacement, name),
            fmt::format("`mechlint --fix` rewrites it to METHOD {}", replacement));
    } else {
      error(methodRange, fmt::format("METHOD {} is not supported for a DERIVATIVE block", method),
            "use METHOD cnexp (ODEs linear in their own state), derivimplicit or runge");
    }
    return;
  case NamedKind::Kinetic:
    if (method.empty() || method == "sparse") {
      solveKinetic(nb, steady, s.range);
    } else {
      error(methodRange, fmt::format("METHOD {} is not supported for a KINETIC block", method),
            "use METHOD sparse");
    }
    return;
  case NamedKind::Linear: solveAlgebraic(nb, true, s.range); return;
  case NamedKind::Nonlinear: solveAlgebraic(nb, false, s.range); return;
  case NamedKind::Discrete:
  case NamedKind::Partial:
    error(s.block.range, fmt::format("{} blocks are not supported", keyword(nb.block)));
    return;
  }
}

// ───────────────────────────── cnexp ─────────────────────────────

// x' = f with f = a + b*x (a, b free of x, other variables taken as given over the
// step): x <- x + (1 - exp(dt*b)) * (-a/b - x), the form nocmodl writes; x <- x + dt*f
// when f does not involve x. An equation not linear in its state: nothing is emitted,
// a warning says so, and false asks for derivimplicit, which nocmodl uses then.
bool Lowerer::solveCnexp(const ast::NamedBlock &nb) {
  std::map<std::string, analysis::OdeLinearity> strict;
  for (const analysis::OdeLinearity &l : analysis::odeLinearity(nb)) strict.emplace(l.state, l);
  const ir::VarId dt = builtin("dt");
  std::optional<std::pair<SourceRange, std::string>> nonlinear;
  std::vector<std::pair<SourceRange, std::string>> notes;  // warned about only when cnexp is used

  auto saved = intercept_;
  const bool savedUnroll = unroll_;
  intercept_ = [&](const ast::Stmt &s) {
    const auto *a = dyn_cast<AssignStmt>(&s);
    if (a == nullptr || a->target->primes == 0) return false;
    ir::ExprRef x = varRef(*a->target, false);
    if (x->op != ir::Op::Var) return true;
    const std::string &name = a->target->name.name;
    if (m_.variables[x->var].role != ir::Role::State) {
      error(a->target->range, fmt::format("'{}' is not a STATE", name));
      return true;
    }
    ir::ExprRef index = x->args.empty() ? nullptr : x->args[0];
    ir::ExprRef f = expr(*a->value);
    const Linearity linearity = linearityIn(*f, x->var, index);
    if (linearity == Linearity::Nonlinear) {
      if (!nonlinear) nonlinear.emplace(a->range, name);
      return true;
    }
    if (auto it = strict.find(name); it != strict.end() && !it->second.linear) {
      notes.emplace_back(a->range, fmt::format("{}' depends on {} non-linearly through an intermediate variable "
                                               "({}); cnexp holds it constant over a step, as NEURON does",
                                               name, name, it->second.reason));
    }
    auto b = ir::differentiate(f, [&](ir::VarId id, const ir::ExprRef &i) -> std::optional<ir::ExprRef> {
      if (id == x->var && ((!i && !index) || (i && index && ir::sameExpr(*i, *index)))) return ir::constant(1);
      return ir::ExprRef{};
    });
    ir::ExprRef update;
    if (!b || !*b) {
      update = ir::add(x, ir::mul(ir::var(dt), f));
    } else {
      ir::ExprRef a0 = ir::substitute(f, x->var, index, ir::constant(0));
      update = ir::add(x, ir::mul(ir::sub(ir::constant(1), ir::math(ir::MathFn::Exp, {ir::mul(ir::var(dt), *b)})),
                                  ir::sub(ir::div(ir::neg(a0), *b), x)));
    }
    emit(ir::assign(x->var, update, index));
    return true;
  };
  unroll_ = false;
  ir::Body body = collect([&] {
    scopes_.emplace_back();
    block(*nb.body);
    scopes_.pop_back();
  });
  intercept_ = saved;
  unroll_ = savedUnroll;
  if (nonlinear) {
    const auto &[where, name] = *nonlinear;
    diags_->warning(where, fmt::format("the equation for {}' is not linear in {}, so cnexp cannot solve it: Ranvier uses "
                                       "derivimplicit for '{}', as NEURON does (nocmodl: \"Could not translate using cnexp "
                                       "method; using derivimplicit\")", name, name, nb.name.name))
        .withHint(fmt::format("write METHOD derivimplicit for '{}'", nb.name.name));
    return false;
  }
  for (const auto &[where, text] : notes) {
    if (reported_.insert("cnexp:" + text).second) diags_->warning(where, text).withHint("METHOD derivimplicit solves the equation as written");
  }
  for (ir::Stmt &s : body) emit(std::move(s));
  return true;
}

// ───────────────────────────── Newton ─────────────────────────────

void Lowerer::newtonLoop(const std::vector<Unknown> &unknowns, const std::function<LinearStep()> &iteration,
                         const NewtonPolicy &policy, const std::string &what, SourceRange where) {
  const std::size_t n = unknowns.size();
  // The kernels solve the system densely, its matrix on the stack (8 lanes): 250
  // unknowns take 4 MB. (ModelDB's largest channel schemes have some 30.)
  constexpr std::size_t kMostUnknowns = 250;
  if (n > kMostUnknowns) {
    error(where, fmt::format("{} has {} unknowns; Ranvier solves at most {} together", what, n, kMostUnknowns),
          "split the scheme, or write fewer states");
    return;
  }
  const ir::VarId iter = newLocal("iteration");
  const ir::VarId running = newLocal("running");
  const ir::VarId converged = newLocal("converged");
  const ir::VarId change = newLocal("change");
  std::vector<ir::VarId> delta;
  for (const Unknown &u : unknowns) delta.push_back(newLocal("delta_" + u.name));
  emit(ir::assign(iter, ir::constant(0)));
  emit(ir::assign(running, ir::constant(1)));
  emit(ir::assign(converged, ir::constant(0)));
  emit(ir::assign(change, ir::constant(0)));
  auto x = [&](std::size_t i) { return ir::var(unknowns[i].var, unknowns[i].index); };

  ir::Body loop = collect([&] {
    LinearStep step = iteration();
    ir::ExprRef done;
    switch (policy.kind) {
    case NewtonPolicy::Kind::OneStep: done = ir::boolean(true); break;
    case NewtonPolicy::Kind::SumOfChanges: done = ir::binary(ir::Op::Le, ir::var(change), ir::constant(policy.tolerance)); break;
    case NewtonPolicy::Kind::RelativeChangeAndResidual: {
      // every |F_i| small (a NaN never is), and the last step small
      done = ir::binary(ir::Op::Le, ir::var(change), ir::constant(policy.tolerance));
      for (std::size_t i = 0; i < n; ++i) {
        done = ir::binary(ir::Op::And, done,
                          ir::binary(ir::Op::Le, ir::math(ir::MathFn::Fabs, {step.rhs[i]}),
                                     ir::constant(policy.residualTolerance)));
      }
      break;
    }
    }
    ir::Body stop{ir::assign(running, ir::constant(0)), ir::assign(converged, ir::constant(1))};
    ir::Body giveUp{ir::assign(running, ir::constant(0))};
    ir::Body update = collect([&] {
      auto system = std::make_shared<ir::LinearSystem>();
      system->n = static_cast<std::uint32_t>(n);
      system->matrix = std::move(step.matrix);
      system->rhs = std::move(step.rhs);
      system->solution = delta;
      ir::Stmt solveStmt;
      solveStmt.kind = ir::StmtKind::SolveLinear;
      solveStmt.system = system;
      solveStmt.index2 = addError(fmt::format("the matrix of {} is singular", what), where);
      emit(std::move(solveStmt));
      ir::ExprRef c = ir::constant(0);
      for (std::size_t i = 0; i < n; ++i) {
        ir::ExprRef d = ir::math(ir::MathFn::Fabs, {ir::var(delta[i])});
        if (policy.kind == NewtonPolicy::Kind::RelativeChangeAndResidual) {
          // NEURON: max |delta/x| over the x with |x| > 1e-8
          ir::ExprRef relative = ir::select(ir::binary(ir::Op::Gt, ir::math(ir::MathFn::Fabs, {x(i)}), ir::constant(1e-8)),
                                            ir::math(ir::MathFn::Fabs, {ir::div(ir::var(delta[i]), x(i))}), ir::constant(0));
          c = ir::select(ir::lnot(ir::binary(ir::Op::Le, relative, c)), relative, c);  // max, NaN wins
        } else {
          c = ir::add(c, d);
        }
      }
      emit(ir::assign(change, c));
      ir::Body apply;
      for (std::size_t i = 0; i < n; ++i) {
        ir::ExprRef next = ir::add(x(i), ir::var(delta[i]));
        if (policy.clampNegative) next = ir::select(ir::binary(ir::Op::Lt, next, ir::constant(0)), ir::constant(0), next);
        apply.push_back(ir::assign(unknowns[i].var, next, unknowns[i].index));
      }
      apply.push_back(ir::assign(iter, ir::add(ir::var(iter), ir::constant(1))));
      // A singular matrix gives NaN steps: stop, and leave the unknowns as they are.
      emit(ir::ifThen(ir::binary(ir::Op::Ne, ir::var(change), ir::var(change)), {ir::assign(running, ir::constant(0))},
                      std::move(apply)));
    });
    emit(ir::ifThen(ir::binary(ir::Op::And, ir::binary(ir::Op::Gt, ir::var(iter), ir::constant(0)), done), std::move(stop),
                    {ir::ifThen(ir::binary(ir::Op::Ge, ir::var(iter), ir::constant(policy.maxIterations)),
                                std::move(giveUp), std::move(update))}));
  });
  emit(ir::whileLoop(ir::var(running), std::move(loop)));
  ir::Stmt fail;
  fail.kind = ir::StmtKind::Fail;
  fail.index2 = addError(fmt::format("{} did not converge in {} iterations", what, policy.maxIterations), where);
  emit(ir::ifThen(ir::binary(ir::Op::Eq, ir::var(converged), ir::constant(0)), {std::move(fail)}));
}

void Lowerer::dryRun(const std::function<void()> &f) {
  DiagnosticEngine scratch;
  DiagnosticEngine *saved = diags_;
  diags_ = &scratch;
  const bool failed = failed_;
  const std::size_t locals = kernel_->locals.size(), watches = m_.watches.size(), errors = m_.errors.size();
  const std::set<std::string> reported = reported_;
  ir::Body discard = collect(f);
  diags_ = saved;
  failed_ = failed;
  kernel_->locals.resize(locals);
  m_.watches.resize(watches);
  m_.errors.resize(errors);
  reported_ = reported;
}

std::optional<Unknown> Lowerer::unknownOf(const ast::VarRefExpr &ref, bool report) {
  ir::ExprRef x = varRef(ref, false);
  if (x->op != ir::Op::Var) return std::nullopt;
  const ir::Variable &v = m_.variables[x->var];
  if (v.role != ir::Role::State) {
    if (report) error(ref.range, fmt::format("'{}' is not a STATE", ref.name.name));
    return std::nullopt;
  }
  ir::ExprRef index = x->args.empty() ? nullptr : x->args[0];
  if (index && !index->isConst()) {
    if (report) {
      error(ref.range, fmt::format("the index of '{}' is not constant", ref.name.name),
            "Ranvier unrolls FROM loops with constant bounds in solved blocks");
    }
    return std::nullopt;
  }
  std::string name = v.name;
  if (index) name += fmt::format("{}", index->value);
  return Unknown{x->var, index, name};
}

namespace {
void addUnique(std::vector<Unknown> &list, const Unknown &u) {
  if (!position(list, u)) list.push_back(u);
}
}  // namespace

std::vector<Unknown> Lowerer::derivativeUnknowns(const ast::NamedBlock &nb) {
  std::vector<Unknown> unknowns;
  const ir::VarId dummy = newLocal("unused");
  auto savedPrime = primeTarget_;
  primeTarget_ = [&](const ast::VarRefExpr &ref) -> std::optional<ir::VarId> {
    if (auto u = unknownOf(ref, false)) addUnique(unknowns, *u);
    return dummy;
  };
  const bool savedUnroll = unroll_;
  unroll_ = true;
  dryRun([&] { block(*nb.body); });
  unroll_ = savedUnroll;
  primeTarget_ = savedPrime;
  kernel_->locals.erase(std::remove(kernel_->locals.begin(), kernel_->locals.end(), dummy), kernel_->locals.end());
  return unknowns;
}

// The statements of a solved block, FROM loops unrolled, in a scope of their own.
ir::Body Lowerer::lowerSolvedBlock(const ast::NamedBlock &nb) {
  const bool savedUnroll = unroll_;
  unroll_ = true;
  ir::Body body = collect([&] {
    scopes_.emplace_back();
    block(*nb.body);
    scopes_.pop_back();
  });
  unroll_ = savedUnroll;
  return body;
}

// Emits `body` with the derivatives of its variables with respect to the unknowns.
std::optional<Differentiated> Lowerer::withJacobian(const ast::NamedBlock &nb, ir::Body body,
                                                    const std::vector<Unknown> &unknowns) {
  std::vector<UnknownRef> refs;
  for (const Unknown &u : unknowns) refs.push_back(UnknownRef{u.var, u.index});
  Differentiated d = differentiateBody(body, refs, m_, [&](const std::string &name) { return newLocal(name); });
  if (!d.error.empty()) {
    error(nb.name.range, fmt::format("cannot build the Jacobian of '{}': {}", nb.name.name, d.error));
    return std::nullopt;
  }
  for (ir::Stmt &s : d.body) emit(std::move(s));
  d.body.clear();
  return d;
}

// x' = f in a solved block assigns f to the local of x's derivative.
std::function<std::optional<ir::VarId>(const ast::VarRefExpr &)> Lowerer::primesInto(const std::vector<Unknown> &unknowns,
                                                                                      const std::vector<ir::VarId> &derivatives) {
  return [this, &unknowns, &derivatives](const ast::VarRefExpr &ref) -> std::optional<ir::VarId> {
    auto u = unknownOf(ref, true);
    if (!u) return std::nullopt;
    if (auto i = position(unknowns, *u)) return derivatives[*i];
    return std::nullopt;
  };
}

// ───────────────────────────── derivimplicit ─────────────────────────────

// Implicit Euler, x - x_old = dt * f(x), by Newton's method from x_old with the
// exact Jacobian: NEURON's derivimplicit with its convergence test (max relative
// change <= 1e-6 and max |f(x) - (x - x_old)/dt| <= 1e-8, at most 50 iterations).
void Lowerer::solveImplicit(const ast::NamedBlock &nb, bool steadyState, SourceRange where) {
  const std::vector<Unknown> unknowns = derivativeUnknowns(nb);
  if (unknowns.empty()) {
    error(nb.name.range, fmt::format("DERIVATIVE block '{}' has no equations x' = ...", nb.name.name));
    return;
  }
  ir::ExprRef dt = ir::var(*globals_.at("dt").var);
  if (steadyState) {
    // NEURON 8.2 takes one implicit step of 1e-9 ms here (ssimplic_thread.c), which
    // leaves the states almost where they were; we do the same, and say so.
    diags_->warning(where, "STEADYSTATE derivimplicit does almost nothing in NEURON 8.2 (one implicit step of "
                           "1e-9 ms); Ranvier does the same")
        .withHint("set the steady state in INITIAL, or write the block as KINETIC and use STEADYSTATE sparse");
    dt = ir::constant(1e-9);
  }
  const std::size_t n = unknowns.size();
  std::vector<ir::VarId> old, derivative;
  for (const Unknown &u : unknowns) {
    old.push_back(newLocal(u.name + "_old"));
    emit(ir::assign(old.back(), ir::var(u.var, u.index)));
    derivative.push_back(newLocal("D" + u.name));
  }
  auto iteration = [&]() -> LinearStep {
    auto savedPrime = primeTarget_;
    primeTarget_ = primesInto(unknowns, derivative);
    ir::Body body = lowerSolvedBlock(nb);
    primeTarget_ = savedPrime;
    std::optional<Differentiated> d = withJacobian(nb, std::move(body), unknowns);
    if (!d) return LinearStep{std::vector<ir::ExprRef>(n * n), std::vector<ir::ExprRef>(n, ir::constant(0))};
    LinearStep step{std::vector<ir::ExprRef>(n * n), {}};
    for (std::size_t i = 0; i < n; ++i) {
      const auto g = d->gradient.find(derivative[i]);
      for (std::size_t j = 0; j < n; ++j) {
        ir::ExprRef dfdx = g != d->gradient.end() ? g->second[j] : nullptr;
        // J = df/dx - I/dt, and J * delta = -F with F = f - (x - x_old)/dt
        ir::ExprRef entry = dfdx;
        if (i == j) entry = entry ? ir::sub(entry, ir::div(ir::constant(1), dt)) : ir::neg(ir::div(ir::constant(1), dt));
        step.matrix[i * n + j] = entry;
      }
      const ir::ExprRef x = ir::var(unknowns[i].var, unknowns[i].index);
      step.rhs.push_back(ir::neg(ir::sub(ir::var(derivative[i]), ir::div(ir::sub(x, ir::var(old[i])), dt))));
    }
    return step;
  };
  newtonLoop(unknowns, iteration,
             NewtonPolicy{.kind = NewtonPolicy::Kind::RelativeChangeAndResidual,
                          .maxIterations = options_.solver.newtonMaxIterations,
                          .tolerance = options_.solver.newtonTolerance, .residualTolerance = 1e-8},
             fmt::format("derivimplicit for '{}'", nb.name.name), where);
  // Crank-Nicolson: x += dt * f(x) from the last Newton evaluation (second_order.cpp)
  std::vector<ir::ExprRef> slopes;
  for (ir::VarId d : derivative) slopes.push_back(ir::var(d));
  extrapolateUnderSecondOrder(unknowns, slopes, ir::var(*globals_.at("dt").var), where);
  if (!steadyState) halvesDt_ = true;
}

// ───────────────────────────── runge ─────────────────────────────

// The classic fourth-order Runge-Kutta step of NEURON's scopmath `runge`, in its order
// of operations: f0 at (x, t); x1 = x + h/2 f0; f1 at (x1, t + h/2); x2 = x + h f1/2;
// f2 at (x2, t + h/2); x3 = x + h f2; f3 at (x3, t + h); x += (h/2 f0)/3 + (h f1)/3 +
// (h f2)/3 + h/6 f3, summed as scopmath does. The block sees t move as NEURON's does
// (its thread's t, moved and put back; here a local, so the simulation's t stays: NEURON's
// t + h/2 + h/2 - h can differ from t in the last bit).
void Lowerer::solveRunge(const ast::NamedBlock &nb) {
  const std::vector<Unknown> unknowns = derivativeUnknowns(nb);
  if (unknowns.empty()) {
    error(nb.name.range, fmt::format("DERIVATIVE block '{}' has no equations x' = ...", nb.name.name));
    return;
  }
  const std::size_t n = unknowns.size();
  const ir::ExprRef h = ir::var(builtin("dt"));
  std::vector<ir::VarId> start, sum, derivative;
  for (const Unknown &u : unknowns) {
    start.push_back(newLocal(u.name + "_start"));
    emit(ir::assign(start.back(), ir::var(u.var, u.index)));
    sum.push_back(newLocal(u.name + "_sum"));
    derivative.push_back(newLocal("D" + u.name));
  }
  const ir::VarId time = newLocal("t_runge");
  emit(ir::assign(time, ir::var(builtin("t"))));
  auto evaluate = [&] {
    auto savedPrime = primeTarget_;
    primeTarget_ = primesInto(unknowns, derivative);
    scopes_.emplace_back();
    bind("t", Binding{.var = time});
    ir::Body body = lowerSolvedBlock(nb);
    scopes_.pop_back();
    primeTarget_ = savedPrime;
    for (ir::Stmt &s : body) emit(std::move(s));
  };
  auto x = [&](std::size_t i) { return ir::var(unknowns[i].var, unknowns[i].index); };
  const ir::ExprRef three = ir::constant(3);
  evaluate();
  for (std::size_t i = 0; i < n; ++i) {
    const ir::VarId temp = newLocal("runge_temp");
    emit(ir::assign(temp, ir::mul(ir::div(h, ir::constant(2)), ir::var(derivative[i]))));
    emit(ir::assign(unknowns[i].var, ir::add(x(i), ir::var(temp)), unknowns[i].index));
    emit(ir::assign(sum[i], ir::add(ir::var(start[i]), ir::div(ir::var(temp), three))));
  }
  emit(ir::assign(time, ir::add(ir::var(time), ir::div(h, ir::constant(2)))));
  for (int stage = 1; stage <= 2; ++stage) {
    evaluate();
    for (std::size_t i = 0; i < n; ++i) {
      const ir::VarId temp = newLocal("runge_temp");
      emit(ir::assign(temp, ir::mul(h, ir::var(derivative[i]))));
      const ir::ExprRef step = stage == 1 ? ir::div(ir::var(temp), ir::constant(2)) : ir::var(temp);
      emit(ir::assign(unknowns[i].var, ir::add(ir::var(start[i]), step), unknowns[i].index));
      emit(ir::assign(sum[i], ir::add(ir::var(sum[i]), ir::div(ir::var(temp), three))));
    }
  }
  emit(ir::assign(time, ir::add(ir::var(time), ir::div(h, ir::constant(2)))));
  evaluate();
  for (std::size_t i = 0; i < n; ++i) {
    emit(ir::assign(unknowns[i].var, ir::add(ir::var(sum[i]), ir::mul(ir::div(h, ir::constant(6)), ir::var(derivative[i]))), unknowns[i].index));
  }
}

// ───────────────────────────── LINEAR / NONLINEAR ─────────────────────────────

// `~ lhs = rhs` equations, residual rhs - lhs. LINEAR: one exact Newton step (the
// system is linear, so this is its solution, as NEURON's Gaussian elimination).
// NONLINEAR: Newton with NEURON's test, from the current values.
void Lowerer::solveAlgebraic(const ast::NamedBlock &nb, bool linear, SourceRange where) {
  // The unknowns: SOLVEFOR names, else the STATEs the equations mention.
  std::vector<Unknown> unknowns;
  if (!nb.solveFor.empty()) {
    for (const Identifier &id : nb.solveFor) {
      VarRefExpr ref(id.range);
      ref.name = id;
      if (auto u = unknownOf(ref, true)) addUnique(unknowns, *u);
    }
  } else {
    forEachNode(*nb.body, [&](const Node &eqNode) {
      if (!isa<EquationStmt>(eqNode)) return;
      forEachNode(eqNode, [&](const Node &n) {
        if (const auto *ref = dyn_cast<VarRefExpr>(&n)) {
          auto b = lookup(ref->name.name);
          if (b && b->var && m_.variables[*b->var].role == ir::Role::State && !ref->index) {
            addUnique(unknowns, Unknown{*b->var, nullptr, ref->name.name});
          }
        }
      });
    });
  }
  const std::size_t n = unknowns.size();
  auto iteration = [&]() -> LinearStep {
    std::vector<ir::VarId> residuals;
    auto saved = intercept_;
    intercept_ = [&](const ast::Stmt &s) {
      const auto *eq = dyn_cast<EquationStmt>(&s);
      if (eq == nullptr) return false;
      if (eq->boundaryFlux) {
        error(eq->range, "'~ DEL' boundary conditions belong to PARTIAL blocks, which are not supported");
        return true;
      }
      ir::ExprRef r = ir::sub(expr(*eq->rhs), expr(*eq->lhs));
      if (eq->addition && !residuals.empty()) {
        emit(ir::assign(residuals.back(), ir::add(ir::var(residuals.back()), r)));
      } else {
        residuals.push_back(newLocal(fmt::format("residual{}", residuals.size())));
        emit(ir::assign(residuals.back(), r));
      }
      return true;
    };
    ir::Body body = lowerSolvedBlock(nb);
    intercept_ = saved;
    LinearStep step{std::vector<ir::ExprRef>(n * n), std::vector<ir::ExprRef>(n, ir::constant(0))};
    if (residuals.size() != n) {
      error(nb.name.range, fmt::format("{} block '{}' has {} equation{} for {} unknown{}", keyword(nb.block),
                                          nb.name.name, residuals.size(), residuals.size() == 1 ? "" : "s", n,
                                          n == 1 ? "" : "s"));
      return step;
    }
    std::optional<Differentiated> d = withJacobian(nb, std::move(body), unknowns);
    if (!d) return step;
    for (std::size_t i = 0; i < n; ++i) {
      const auto g = d->gradient.find(residuals[i]);
      for (std::size_t j = 0; j < n; ++j) step.matrix[i * n + j] = g != d->gradient.end() ? g->second[j] : nullptr;
      step.rhs[i] = ir::neg(ir::var(residuals[i]));
    }
    return step;
  };
  if (n == 0) {
    error(nb.name.range, fmt::format("{} block '{}' has no unknowns", keyword(nb.block), nb.name.name));
    return;
  }
  NewtonPolicy policy{.kind = linear ? NewtonPolicy::Kind::OneStep : NewtonPolicy::Kind::RelativeChangeAndResidual,
                      .maxIterations = linear ? 1 : options_.solver.newtonMaxIterations,
                      .tolerance = options_.solver.newtonTolerance, .residualTolerance = 1e-8};
  newtonLoop(unknowns, iteration, policy, fmt::format("{} block '{}'", keyword(nb.block), nb.name.name), where);
}

}  // namespace ranvier::transform
