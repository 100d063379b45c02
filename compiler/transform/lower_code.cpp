// Statements and expressions: names resolved to variables, calls inlined, LOCALs
// given variables of their own, constants folded.

#include <algorithm>
#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "ast/traverse.hpp"
#include "transform/lowerer.hpp"

namespace ranvier::transform {

using namespace ranvier::ast;

void Lowerer::error(SourceRange where, std::string message, std::string hint) {
  Diagnostic &d = diags_->error(where, std::move(message));
  if (!hint.empty()) d.withHint(std::move(hint));
  failed_ = true;
}

std::string Lowerer::location(SourceRange where) const {
  if (!where.valid()) return sema_.program->file ? sema_.program->file->name() : "";
  return fmt::format("{}:{}:{}", where.file->name(), where.begin.line, where.begin.column);
}

std::uint32_t Lowerer::addError(std::string message, SourceRange where) {
  m_.errors.push_back(ir::KernelError{std::move(message), location(where)});
  return static_cast<std::uint32_t>(m_.errors.size() - 1);
}

void Lowerer::emit(ir::Stmt stmt) { out_.back()->push_back(std::move(stmt)); }

ir::Body Lowerer::collect(const std::function<void()> &lowerer) {
  ir::Body body;
  out_.push_back(&body);
  lowerer();
  out_.pop_back();
  return body;
}

std::optional<Binding> Lowerer::lookup(const std::string &name) const {
  for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
    if (auto found = it->find(name); found != it->end()) return found->second;
  }
  if (auto found = globals_.find(name); found != globals_.end()) return found->second;
  return std::nullopt;
}

void Lowerer::bind(const std::string &name, Binding binding) { scopes_.back()[name] = std::move(binding); }

double Lowerer::integer(const ast::IntegerRef &ref, double fallback) {
  if (ref.isLiteral()) {
    double value = 0;
    const char *begin = ref.spelling.data();
    const auto [end, ec] = std::from_chars(begin, begin + ref.spelling.size(), value);
    if (ec == std::errc() && end == begin + ref.spelling.size()) return value;
  } else if (auto b = lookup(ref.spelling); b && b->value) {
    return b->value->value;
  }
  error(ref.range, fmt::format("'{}' is not a number or a DEFINEd name", ref.spelling));
  return fallback;
}

std::optional<double> Lowerer::constantValue(const ast::Expr &e) {
  ir::ExprRef value;
  ir::Body body = collect([&] { value = expr(e); });
  if (!body.empty() || !value->isConst()) return std::nullopt;
  return value->value;
}

// ───────────────────────────── statements ─────────────────────────────

void Lowerer::block(const ast::Block &b) {
  scopes_.emplace_back();
  for (const StmtPtr &s : b.statements) statement(*s);
  scopes_.pop_back();
}

namespace {
bool assignsName(const ast::Block &body, const std::string &name) {
  bool found = false;
  forEachNode(body, [&](const Node &n) {
    if (const auto *a = dyn_cast<AssignStmt>(&n); a && a->target->name.name == name) found = true;
  });
  return found;
}
}  // namespace

void Lowerer::statement(const ast::Stmt &s) {
  if (intercept_ && intercept_(s)) return;
  switch (s.kind()) {
  case NodeKind::Block: block(cast<Block>(s)); return;
  case NodeKind::LocalStmt:
    for (const LocalVar &lv : cast<LocalStmt>(s).variables) {
      const std::uint32_t size = lv.size ? arraySize(*lv.size) : 1;
      bind(lv.name.name, Binding{.var = newLocal(lv.name.name, size)});
    }
    return;
  case NodeKind::AssignStmt: {
    const auto &a = cast<AssignStmt>(s);
    if (a.target->primes > 0) {
      std::optional<ir::VarId> d = primeTarget_ ? primeTarget_(*a.target) : std::nullopt;
      if (!d) {
        error(a.target->range, fmt::format("'{}'' can only be assigned in a DERIVATIVE block that is SOLVEd",
                                           a.target->name.name));
        return;
      }
      emit(ir::assign(*d, expr(*a.value)));
      return;
    }
    ir::ExprRef value = expr(*a.value);
    ir::ExprRef target = varRef(*a.target, true);
    if (target->op != ir::Op::Var) return;  // reported
    emit(ir::assign(target->var, value, target->args.empty() ? nullptr : target->args[0]));
    return;
  }
  case NodeKind::CallStmt: callValue(*cast<CallStmt>(s).call, true); return;
  case NodeKind::IfStmt: {
    const auto &i = cast<IfStmt>(s);
    ir::ExprRef condition = expr(*i.condition);
    ir::Body then = collect([&] { block(*i.then); });
    ir::Body otherwise;
    if (i.otherwise) otherwise = collect([&] { statement(*i.otherwise); });
    if (condition->isConst()) {
      ir::Body &taken = ir::asBool(condition)->value != 0 ? then : otherwise;
      for (ir::Stmt &st : taken) emit(std::move(st));
      return;
    }
    emit(ir::ifThen(condition, std::move(then), std::move(otherwise)));
    return;
  }
  case NodeKind::WhileStmt: {
    const auto &w = cast<WhileStmt>(s);
    ir::ExprRef condition;
    ir::Body before = collect([&] { condition = expr(*w.condition); });
    if (before.empty()) {
      emit(ir::whileLoop(condition, collect([&] { block(*w.body); })));
      return;
    }
    // A condition that calls a FUNCTION: its inlined code runs before each test.
    const ir::VarId c = newLocal("while_condition");
    for (ir::Stmt &st : before) emit(std::move(st));
    emit(ir::assign(c, ir::asReal(condition)));
    ir::Body body = collect([&] {
      block(*w.body);
      ir::ExprRef again = expr(*w.condition);
      emit(ir::assign(c, ir::asReal(again)));
    });
    emit(ir::whileLoop(ir::var(c), std::move(body)));
    return;
  }
  case NodeKind::FromStmt: {
    const auto &f = cast<FromStmt>(s);
    if (unroll_) {
      auto from = constantValue(*f.from), to = constantValue(*f.to);
      std::optional<double> by = f.by ? constantValue(*f.by) : std::optional<double>(1.0);
      if (from && to && by && *by != 0) {
        if (std::fabs((*to - *from) / *by) > 10000) {
          error(f.range, "a FROM loop in a solved block runs more than 10000 times; Ranvier unrolls these loops",
                "use smaller arrays");
          return;
        }
        for (double k = *from; *by > 0 ? k <= *to : k >= *to; k += *by) {
          scopes_.emplace_back();
          bind(f.variable.name, Binding{.value = ir::constant(k)});
          block(*f.body);
          scopes_.pop_back();
        }
        return;
      }
    }
    // FROM i = a TO b BY c: i is an integer local of the loop, b is tested each time.
    scopes_.emplace_back();
    const ir::VarId i = newLocal(f.variable.name);
    ir::ExprRef step = f.by ? expr(*f.by) : ir::constant(1);
    emit(ir::assign(i, expr(*f.from)));
    bind(f.variable.name, Binding{.var = i});
    ir::ExprRef limit = expr(*f.to);
    const bool down = step->isConst() && step->value < 0;
    ir::Body body = collect([&] {
      block(*f.body);
      emit(ir::assign(i, ir::add(ir::var(i), step)));
    });
    emit(ir::whileLoop(ir::binary(down ? ir::Op::Ge : ir::Op::Le, ir::var(i), limit), std::move(body)));
    scopes_.pop_back();
    return;
  }
  case NodeKind::SolveStmt: solve(cast<SolveStmt>(s), true); return;
  case NodeKind::TableStmt:
  case NodeKind::ConductanceStmt:
  case NodeKind::UnitsToggleStmt:
  case NodeKind::MutexStmt:  // kernels never share writable data: nothing to lock
    return;
  case NodeKind::WatchStmt: {
    if (!inNetReceive_) {
      error(s.range, "WATCH is only allowed in NET_RECEIVE");
      return;
    }
    // Watch conditions are tested by the runtime between steps, on the node's v.
    scopes_.emplace_back();
    bind("v", Binding{.var = *nodeV_});
    for (const WatchItem &item : cast<WatchStmt>(s).items) {
      ir::ExprRef condition;
      ir::Body body = collect([&] { condition = expr(*item.condition); });
      if (!body.empty()) {
        error(item.range, "a WATCH condition cannot call a FUNCTION that needs statements");
        continue;
      }
      ir::ExprRef value;
      if ((condition->op == ir::Op::Gt || condition->op == ir::Op::Ge) && condition->args.size() == 2) {
        value = ir::sub(condition->args[0], condition->args[1]);
      } else if ((condition->op == ir::Op::Lt || condition->op == ir::Op::Le) && condition->args.size() == 2) {
        value = ir::sub(condition->args[1], condition->args[0]);
      } else {
        value = ir::sub(ir::mul(ir::constant(2), ir::asReal(condition)), ir::constant(1));
      }
      m_.watches.push_back(ir::Watch{ir::asBool(condition), value, item.flag.value});
      ir::Stmt w;
      w.kind = ir::StmtKind::Watch;
      w.index2 = static_cast<std::uint32_t>(m_.watches.size() - 1);
      emit(std::move(w));
    }
    scopes_.pop_back();
    return;
  }
  case NodeKind::ReactionStmt:
  case NodeKind::ConserveStmt:
  case NodeKind::CompartmentStmt:
    error(s.range, "reactions, CONSERVE and COMPARTMENT belong in a KINETIC block");
    return;
  case NodeKind::EquationStmt: error(s.range, "'~' equations belong in a LINEAR or NONLINEAR block"); return;
  case NodeKind::InitialStmt: error(s.range, "INITIAL inside a block is only allowed in NET_RECEIVE"); return;
  case NodeKind::VerbatimStmt: return;  // reported once for the whole file
  case NodeKind::ForNetconsStmt: {
    const auto &f = cast<ForNetconsStmt>(s);
    if (!inNetReceive_) {
      error(s.range, "FOR_NETCONS is only allowed in NET_RECEIVE");
      return;
    }
    if (f.params.size() > m_.netReceiveArgs) {
      error(s.range, fmt::format("FOR_NETCONS names {} weights; NET_RECEIVE has {}", f.params.size(), m_.netReceiveArgs));
      return;
    }
    ir::Stmt loop;
    loop.kind = ir::StmtKind::ForNetCons;
    scopes_.emplace_back();
    for (const Param &p : f.params) {
      const ir::VarId id = newLocal(p.name.name);
      bind(p.name.name, Binding{.var = id});
      loop.vars.push_back(id);
    }
    loop.body = collect([&] { block(*f.body); });
    scopes_.pop_back();
    emit(std::move(loop));
    return;
  }
  case NodeKind::LagStmt: error(s.range, "LAG is not supported"); return;
  default:
    error(s.range, fmt::format("this legacy SCoP statement ({}) is not supported", to_string(s.kind())));
    return;
  }
}

// ───────────────────────────── expressions ─────────────────────────────

namespace {
std::optional<ir::Op> binaryOp(BinaryOp op) {
  switch (op) {
  case BinaryOp::Pow: return ir::Op::Pow;
  case BinaryOp::Mul: return ir::Op::Mul;
  case BinaryOp::Div: return ir::Op::Div;
  case BinaryOp::Add: return ir::Op::Add;
  case BinaryOp::Sub: return ir::Op::Sub;
  case BinaryOp::Lt: return ir::Op::Lt;
  case BinaryOp::Gt: return ir::Op::Gt;
  case BinaryOp::Le: return ir::Op::Le;
  case BinaryOp::Ge: return ir::Op::Ge;
  case BinaryOp::Eq: return ir::Op::Eq;
  case BinaryOp::Ne: return ir::Op::Ne;
  case BinaryOp::And: return ir::Op::And;
  case BinaryOp::Or: return ir::Op::Or;
  }
  return std::nullopt;
}
}  // namespace

ir::ExprRef Lowerer::expr(const ast::Expr &e) {
  switch (e.kind()) {
  case NodeKind::NumberExpr: return ir::constant(cast<NumberExpr>(e).number.value);
  case NodeKind::StringExpr: error(e.range, "a string can only be an argument of printf"); return ir::constant(0);
  case NodeKind::VarRefExpr: {
    const auto &ref = cast<VarRefExpr>(e);
    if (ref.primes > 0) {
      std::optional<ir::VarId> d = primeTarget_ ? primeTarget_(ref) : std::nullopt;
      if (!d) {
        error(ref.range, fmt::format("'{}'' is only known inside its DERIVATIVE block", ref.name.name));
        return ir::constant(0);
      }
      return ir::var(*d);
    }
    return varRef(ref, false);
  }
  case NodeKind::CallExpr: {
    ir::ExprRef value = callValue(cast<CallExpr>(e), false);
    return value ? value : ir::constant(0);
  }
  case NodeKind::UnaryExpr: {
    const auto &u = cast<UnaryExpr>(e);
    ir::ExprRef operand = expr(*u.operand);
    switch (u.op) {
    case UnaryOp::Negate: return ir::neg(operand);
    case UnaryOp::Plus: return ir::asReal(operand);
    case UnaryOp::Not: return ir::lnot(operand);
    }
    return operand;
  }
  default: break;
  }
  const auto &b = cast<BinaryExpr>(e);
  ir::ExprRef lhs = expr(*b.lhs);
  ir::ExprRef rhs = expr(*b.rhs);
  if (b.op == BinaryOp::Div) {
    const auto *literal = dyn_cast<NumberExpr>(b.rhs.get());
    if ((literal != nullptr && literal->number.value == 0) || (rhs->isConst(0) && literal == nullptr)) {
      error(b.rhs->range, "division by zero", literal ? "" : "this expression is always 0");
      return ir::constant(0);
    }
  }
  return ir::binary(*binaryOp(b.op), lhs, rhs);
}

ir::ExprRef Lowerer::varRef(const ast::VarRefExpr &ref, bool forWrite) {
  const std::string &name = ref.name.name;
  if (!forWrite && forwardFlux_ && name == "f_flux") return forwardFlux_;
  if (!forWrite && backwardFlux_ && name == "b_flux") return backwardFlux_;
  std::optional<Binding> b = lookup(name);
  if (!b) {
    if (!reported_.insert("name:" + name).second) return ir::constant(0);
    if (name == "f_flux" || name == "b_flux") {
      error(ref.range, fmt::format("'{}' is the flux of the reaction before it, in a KINETIC block", name));
    } else {
      error(ref.range, fmt::format("'{}' is not declared", name));
    }
    return ir::constant(0);
  }
  if (b->value) {
    if (forWrite) {
      error(ref.range, fmt::format("'{}' is a constant here and cannot be assigned", name));
      return ir::constant(0);
    }
    return b->value;
  }
  ir::VarId id = *b->var;
  const ir::Variable *variable = &m_.variables[id];
  if (tableBuild_) {
    // A GLOBAL the body assigns (per-thread storage) keeps what the build leaves in it,
    // as in NEURON, where the build runs the procedure itself: Mainen's kv.mod computes
    // tadj only there, and with the table on its BREAKPOINT reads that value.
    const bool shared = variable->storage == ir::Storage::Local || variable->storage == ir::Storage::Param ||
                        variable->storage == ir::Storage::Global || variable->storage == ir::Storage::Builtin ||
                        variable->storage == ir::Storage::Table || variable->storage == ir::Storage::Thread;
    if (forWrite && !shared) {
      // A TABLE is built once for all instances: what its body writes per instance is scratch.
      id = newLocal(name, variable->size);
      scopes_.front()[name] = Binding{.var = id};
      variable = &m_.variables[id];
    } else if (forWrite && variable->storage == ir::Storage::Global) {
      id = newLocal(name, variable->size);
      scopes_.front()[name] = Binding{.var = id};
      variable = &m_.variables[id];
    } else if (!forWrite && variable->storage == ir::Storage::Field &&
               reported_.insert("table-field:" + name).second) {
      diags_->warning(ref.range, fmt::format("a TABLE is shared by all instances, but its function reads '{}', "
                                             "which has a value per instance: the table is built from the "
                                             "first instance's value, as NEURON does", name))
          .withHint("make it a GLOBAL, or remove the TABLE");
    }
  }
  if (forWrite) {
    switch (variable->storage) {
    case ir::Storage::Builtin:
    case ir::Storage::Node:
      error(ref.range, fmt::format("'{}' is set by the simulator and cannot be assigned here", name));
      return ir::constant(0);
    default: break;
    }
  }
  ir::ExprRef index;
  const std::uint32_t size = variable->size;  // lowering the index may add variables
  // `x[1]` declares an array of one element (nocmodl accepts x[0] of it); a TABLE's
  // build works on locals standing in for the tabulated arrays, under the same names.
  const sema::Symbol *declared = variable->storage != ir::Storage::Param ? sema_.symbols.find(name) : nullptr;
  const bool array = size > 1 || (declared != nullptr && declared->array);
  if (ref.index) {
    index = expr(*ref.index);
    if (!array) {
      error(ref.range, fmt::format("'{}' is not an array", name));
      return ir::constant(0);
    }
    if (index->isConst() && (index->value < 0 || index->value >= size)) {
      error(ref.index->range, fmt::format("index {} is outside '{}[{}]'", index->value, name, size));
      return ir::constant(0);
    }
  } else if (size > 1) {
    error(ref.range, fmt::format("'{}' is an array; give an index", name));
    return ir::constant(0);
  }
  return ir::var(id, index);
}

ir::ExprRef Lowerer::callValue(const ast::CallExpr &c, bool asStatement) {
  const std::string &name = c.callee.name;
  auto args = [&] {
    std::vector<ir::ExprRef> out;
    for (const ExprPtr &a : c.arguments) {
      if (isa<StringExpr>(*a)) continue;
      out.push_back(expr(*a));
    }
    return out;
  };
  if (auto fn = ir::mathFunction(name)) {
    if (static_cast<int>(c.arguments.size()) != ir::arity(*fn)) {
      error(c.range, fmt::format("'{}' takes {} argument{}", name, ir::arity(*fn), ir::arity(*fn) == 1 ? "" : "s"));
      return ir::constant(0);
    }
    return ir::math(*fn, args());
  }
  if (auto it = functionTables_.find(name); it != functionTables_.end()) {
    std::vector<ir::ExprRef> a = args();
    const std::uint32_t want = m_.functionTables[it->second].arity;
    if (a.size() != want) {
      error(c.range, fmt::format("the FUNCTION_TABLE '{}' takes {} argument{}", name, want, want == 1 ? "" : "s"));
      return ir::constant(0);
    }
    return ir::tableCall(it->second, std::move(a));
  }
  if (auto it = callables_.find(name); it != callables_.end()) {
    const CallableBlock &callable = *it->second;
    if (c.arguments.size() != callable.params.size()) return ir::constant(0);  // sema reported it
    ir::ExprRef value = inlineCallable(callable, args());
    if (callable.callable == CallableKind::Procedure && !asStatement) return ir::constant(0);
    return value;
  }
  if (name == "net_send" || name == "net_event" || name == "net_move") {
    const bool allowed = inNetReceive_ || (kernel_ && kernel_->kind == ir::KernelKind::Init);
    if (!allowed) {
      error(c.range, fmt::format("{} is only allowed in NET_RECEIVE (and net_send in INITIAL)", name));
      return ir::constant(0);
    }
    std::vector<ir::ExprRef> a = args();
    const std::size_t want = name == "net_send" ? 2 : 1;
    if (a.size() != want) {
      error(c.range, fmt::format("{} takes {} argument{}", name, want, want == 1 ? "" : "s"));
      return ir::constant(0);
    }
    ir::Stmt s;
    s.kind = name == "net_send" ? ir::StmtKind::NetSend : name == "net_event" ? ir::StmtKind::NetEvent
                                                                             : ir::StmtKind::NetMove;
    s.value = a[0];
    if (want == 2) s.flag = a[1];
    emit(std::move(s));
    return ir::constant(0);
  }
  if (name == "abs") {
    // Not NMODL: nocmodl leaves it to C, whose abs takes an int, so NEURON truncates
    // the argument toward zero first (5 of 4838 ModelDB channel files call it).
    std::vector<ir::ExprRef> a = args();
    if (a.size() != 1) {
      error(c.range, "abs takes 1 argument");
      return ir::constant(0);
    }
    if (reported_.insert("abs").second) {
      diags_->warning(c.range, "abs is C's integer abs here, as in NEURON: the argument is truncated to an integer first")
          .withHint("use fabs for the absolute value of a real number");
    }
    return ir::math(ir::MathFn::Fabs, {truncate(once(a[0], "abs_argument"))});
  }
  if (name == "INT") {
    std::vector<ir::ExprRef> a = args();
    if (a.size() != 1) {
      error(c.range, "INT takes 1 argument");
      return ir::constant(0);
    }
    return truncate(once(a[0], "int_argument"));
  }
  if (auto draw = randomDraws().find(name); draw != randomDraws().end()) {
    // NMODL's random functions: one draw from the runtime's generator per call, for
    // the instance the kernel runs for (rv_callbacks.random).
    const auto [distribution, want] = draw->second;
    std::vector<ir::ExprRef> a = args();
    if (a.size() != want) {
      error(c.range, fmt::format("{} takes {} argument{}", name, want, want == 1 ? "" : "s"));
      return ir::constant(0);
    }
    a.resize(2, ir::constant(0));
    const ir::VarId value = newLocal(name);
    emit(ir::randomDraw(value, distribution, a[0], a[1]));
    return distribution == ir::RandomDistribution::Seed ? ir::constant(0) : ir::var(value);
  }
  if (name == "gauss" || name == "poisson" || name == "factorial") {
    // NEURON's scopmath probability functions: values, not draws.
    const std::size_t want = name == "gauss" ? 3 : name == "poisson" ? 2 : 1;
    std::vector<ir::ExprRef> a = args();
    if (a.size() != want) {
      error(c.range, fmt::format("{} takes {} argument{}", name, want, want == 1 ? "" : "s"));
      return ir::constant(0);
    }
    if (name == "gauss") {
      // the normal density at x: exp(-0.5*((x - mean)/sd)^2) / (sqrt(two_pi)*sd),
      // with scopmath's two_pi = 6.28318530
      const ir::ExprRef sd = once(a[2], "gauss_sd");
      const ir::ExprRef z = ir::div(ir::sub(a[0], a[1]), sd);
      return ir::div(ir::math(ir::MathFn::Exp, {ir::mul(ir::constant(-0.5), ir::pow(z, ir::constant(2)))}),
                     ir::mul(ir::math(ir::MathFn::Sqrt, {ir::constant(6.28318530)}), sd));
    }
    if (name == "factorial") return factorial(a[0], c.range);
    // the Poisson probability of x: mean^x * exp(-mean) / factorial(x)
    const ir::ExprRef x = once(a[0], "poisson_x");
    const ir::ExprRef mean = once(a[1], "poisson_mean");
    return ir::div(ir::mul(ir::pow(mean, x), ir::math(ir::MathFn::Exp, {ir::neg(mean)})), factorial(x, c.range));
  }
  if (name == "at_time") {
    // NEURON's fixed step: 1 during the step that reaches te (cvodestb.cpp).
    std::vector<ir::ExprRef> a = args();
    if (a.size() != 1) {
      error(c.range, "at_time takes 1 argument");
      return ir::constant(0);
    }
    const ir::ExprRef t = ir::var(*globals_.at("t").var);
    const ir::ExprRef dt = ir::var(*globals_.at("dt").var);
    const ir::ExprRef te = ir::sub(a[0], ir::constant(1e-11));
    return ir::asReal(ir::binary(ir::Op::And, ir::binary(ir::Op::Le, te, t),
                                 ir::binary(ir::Op::Gt, te, ir::sub(t, dt))));
  }
  if (name == "state_discontinuity") {
    // state_discontinuity(x, value): nocmodl 8.2.2 writes x = value (with NEURON's
    // half-step adjustment behind nrn_netrec_state_adjust, off by default); 71 of 4838
    // ModelDB channel files use it in NET_RECEIVE.
    const auto *target = c.arguments.size() == 2 ? dyn_cast<VarRefExpr>(c.arguments[0].get()) : nullptr;
    if (target == nullptr || target->primes > 0) {
      error(c.range, "state_discontinuity takes a variable and its new value: state_discontinuity(x, x + w)");
      return ir::constant(0);
    }
    // In BREAKPOINT, NEURON applies it in the current computation's pass at v + 0.001
    // only (state_discon_flag_ is set for the pass at v), and in the state update.
    ir::ExprRef value = expr(*c.arguments[1]);
    ir::ExprRef variable = varRef(*target, true);
    if (variable->op == ir::Op::Var && !discontinuitiesOff_) emit(ir::assign(variable->var, value, variable->args.empty() ? nullptr : variable->args[0]));
    return ir::constant(0);
  }
  if (auto block = named_.find(name); block != named_.end() && block->second->block == NamedKind::Derivative) {
    return callDerivativeBlock(*block->second);
  }
  if (name == "nrn_pointing") {
    // whether the POINTER is set: a per-instance flag the runtime keeps in the field
    // "nrn_pointing_<name>" (a POINTER tested so may stay unset)
    const auto *ref = c.arguments.size() == 1 ? dyn_cast<VarRefExpr>(c.arguments[0].get()) : nullptr;
    std::optional<Binding> b = ref != nullptr ? lookup(ref->name.name) : std::nullopt;
    if (!b || !b->var || m_.variables[*b->var].storage != ir::Storage::Pointer) {
      error(c.range, "nrn_pointing takes one POINTER", "nrn_pointing(p) is 1 when the POINTER p is set, else 0");
      return ir::constant(0);
    }
    const std::string flag = "nrn_pointing_" + m_.variables[*b->var].name;
    if (auto known = m_.find(flag)) return ir::var(*known);
    return ir::var(m_.add(ir::Variable{.name = flag, .storage = ir::Storage::Field, .role = ir::Role::Internal}));
  }
  if (name == "nrn_ghk") {
    std::vector<ir::ExprRef> a = args();
    if (a.size() != 4) {
      error(c.range, "nrn_ghk takes 4 arguments: v, ci, co and the valence");
      return ir::constant(0);
    }
    return ghk(a[0], a[1], a[2], a[3]);
  }
  if (name == "printf" || name == "prterr") {
    if (reported_.insert("printf").second) {
      diags_->warning(c.range, fmt::format("{} is ignored: kernels do not print", name));
    }
    return ir::constant(0);
  }
  if (!reported_.insert("call:" + name).second) return ir::constant(0);
  if (name == "nrn_random_play") {
    error(c.callee.range, "'nrn_random_play' (hoc's Random.play) is not supported: kernels draw their random "
                          "numbers through the runtime's generator",
          "draw the values in the mechanism with exprand, normrand, scop_random or poisrand");
  } else if (sema_.symbols.find(name) == nullptr) {
    error(c.callee.range, fmt::format("unknown function '{}'", name),
          "define it with FUNCTION or PROCEDURE; Ranvier calls no C functions");
  } else {
    error(c.callee.range, fmt::format("'{}' is a NEURON library function that Ranvier does not provide", name));
  }
  return ir::constant(0);
}

const std::map<std::string, std::pair<ir::RandomDistribution, std::size_t>> &Lowerer::randomDraws() {
  // name -> what it draws, and how many arguments it takes
  static const std::map<std::string, std::pair<ir::RandomDistribution, std::size_t>> draws{
      {"scop_random", {ir::RandomDistribution::Uniform01, 0}},
      {"unirand", {ir::RandomDistribution::Uniform01, 0}},
      {"exprand", {ir::RandomDistribution::Exponential, 1}},
      {"normrand", {ir::RandomDistribution::Normal, 2}},
      {"poisrand", {ir::RandomDistribution::Poisson, 1}},
      {"set_seed", {ir::RandomDistribution::Seed, 1}},
      {"setseed", {ir::RandomDistribution::Seed, 1}},
  };
  return draws;
}

namespace {
bool callsKernel(const ir::Expr &e) {
  if (e.op == ir::Op::Call) return true;
  return std::any_of(e.args.begin(), e.args.end(), [](const ir::ExprRef &a) { return callsKernel(*a); });
}
}  // namespace

ir::ExprRef Lowerer::once(ir::ExprRef e, const std::string &name) {
  if (!callsKernel(*e)) return e;  // pure: using it twice computes the same value
  const ir::VarId local = newLocal(name);
  emit(ir::assign(local, std::move(e)));
  return ir::var(local);
}

// The integer part, towards zero, as C's (int) cast.
ir::ExprRef Lowerer::truncate(const ir::ExprRef &e) {
  return ir::select(ir::binary(ir::Op::Lt, e, ir::constant(0)), ir::math(ir::MathFn::Ceil, {e}),
                    ir::math(ir::MathFn::Floor, {e}));
}

// scopmath's factorial(n), as NEURON computes it: x = (int)(n + 0.1); 1 below 2; the
// product (int)n * ((int)n - 1) * ... * 2 below 20; Stirling's formula above. A
// negative x is an error (NEURON stops the run); the value is then 1.
// A DERIVATIVE block called as a function (`states()` in INITIAL, 2 of ModelDB's channel
// files), as nocmodl's function for it does: for a cnexp SOLVE, the cnexp update of dt;
// for derivimplicit or runge, the block's statements with x' = f to scratch locals, the
// states unchanged (derivimplicit's Newton solves x - x_old = 0 outside its step).
ir::ExprRef Lowerer::callDerivativeBlock(const ast::NamedBlock &nb) {
  std::string method = "derivimplicit";
  for (const NodePtr &item : sema_.program->items) {
    forEachNode(*item, [&](const Node &n) {
      if (const auto *s = dyn_cast<SolveStmt>(&n); s != nullptr && s->block.name == nb.name.name && s->method) method = s->method->name;
    });
  }
  if (method == "cnexp" && solveCnexp(nb)) return ir::constant(0);
  auto savedPrime = primeTarget_;
  primeTarget_ = [&](const ast::VarRefExpr &ref) -> std::optional<ir::VarId> { return newLocal("D" + ref.name.name); };
  for (ir::Stmt &s : lowerSolvedBlock(nb)) emit(std::move(s));
  primeTarget_ = savedPrime;
  return ir::constant(0);
}

// The simulator's t, dt or celsius, declared here when the file does not name it.
ir::VarId Lowerer::builtin(const std::string &name) {
  if (auto b = globals_.find(name); b != globals_.end() && b->second.var) return *b->second.var;
  const ir::VarId id = m_.add(ir::Variable{.name = name, .storage = ir::Storage::Builtin});
  globals_[name] = Binding{.var = id};
  return id;
}

// NEURON's nrn_ghk (eion.cpp), the Goldman-Hodgkin-Katz current density:
// 0.001 z F (ci efun(-u) - co efun(u)) with u = z v / ktf, ktf = 1000 R (celsius +
// 273.15) / F (NEURON 8.2.2's CODATA 2018 R and F, as its Nernst potentials) and
// efun(x) = 1 - x/2 for |x| < 1e-4, else x / (exp(x) - 1).
ir::ExprRef Lowerer::ghk(ir::ExprRef v, ir::ExprRef ci, ir::ExprRef co, ir::ExprRef z) {
  constexpr double kFaraday = 96485.33212331001, kGasConstant = 8.3144626181532395;
  const ir::VarId celsius = builtin("celsius");
  const ir::ExprRef ktf =
      once(ir::div(ir::mul(ir::constant(1000 * kGasConstant), ir::add(ir::var(celsius), ir::constant(273.15))), ir::constant(kFaraday)), "ghk_ktf");
  const ir::ExprRef valence = once(z, "ghk_z");
  const ir::VarId u = newLocal("ghk_u");
  emit(ir::assign(u, ir::div(ir::mul(valence, v), ktf)));
  auto efun = [&](ir::ExprRef x) {
    x = once(x, "ghk_x");
    return ir::select(ir::binary(ir::Op::Lt, ir::math(ir::MathFn::Fabs, {x}), ir::constant(1e-4)),
                      ir::sub(ir::constant(1), ir::div(x, ir::constant(2))),
                      ir::div(x, ir::sub(ir::math(ir::MathFn::Exp, {x}), ir::constant(1))));
  };
  const ir::ExprRef eco = ir::mul(co, efun(ir::var(u))), eci = ir::mul(ci, efun(ir::neg(ir::var(u))));
  return ir::mul(ir::mul(ir::mul(ir::constant(0.001), valence), ir::constant(kFaraday)), ir::sub(eci, eco));
}

ir::ExprRef Lowerer::factorial(ir::ExprRef n, SourceRange where) {
  n = once(std::move(n), "factorial_n");
  const ir::VarId x = newLocal("factorial_x");
  const ir::VarId value = newLocal("factorial");
  emit(ir::assign(x, truncate(ir::add(n, ir::constant(0.1)))));
  emit(ir::assign(value, ir::constant(1)));
  const std::string message = "factorial of a negative number";
  const std::string at = location(where);
  std::uint32_t index = 0;
  while (index < m_.errors.size() && !(m_.errors[index].message == message && m_.errors[index].location == at)) ++index;
  if (index == m_.errors.size()) index = addError(message, where);
  ir::Stmt fail;
  fail.kind = ir::StmtKind::Fail;
  fail.index2 = index;
  const ir::VarId k = newLocal("factorial_k");
  ir::Body product{ir::assign(k, truncate(n)),
                   ir::whileLoop(ir::binary(ir::Op::Gt, ir::var(k), ir::constant(1)),
                                 {ir::assign(value, ir::mul(ir::var(value), ir::var(k))),
                                  ir::assign(k, ir::sub(ir::var(k), ir::constant(1)))})};
  ir::Body stirling{ir::assign(value, ir::mul(ir::mul(ir::math(ir::MathFn::Exp, {ir::neg(ir::var(x))}),
                                                       ir::pow(ir::var(x), ir::var(x))),
                                               ir::math(ir::MathFn::Sqrt, {ir::mul(ir::constant(6.28318530), ir::var(x))})))};
  emit(ir::ifThen(ir::binary(ir::Op::Lt, ir::var(x), ir::constant(0)), {std::move(fail)},
                  {ir::ifThen(ir::binary(ir::Op::Ge, ir::var(x), ir::constant(2)),
                              {ir::ifThen(ir::binary(ir::Op::Lt, ir::var(x), ir::constant(20)), std::move(product),
                                          std::move(stirling))})}));
  return ir::var(value);
}

ir::ExprRef Lowerer::inlineCallable(const ast::CallableBlock &callable, std::vector<ir::ExprRef> args) {
  if (auto t = tables_.find(callable.name.name); t != tables_.end() && !tableBuild_) {
    return tableLookup(t->second, callable, args.empty() ? ir::constant(0) : args[0]);
  }
  return inlineBody(callable, std::move(args));
}

ir::ExprRef Lowerer::inlineBody(const ast::CallableBlock &callable, std::vector<ir::ExprRef> args) {
  const std::string &name = callable.name.name;
  const bool ownKernel = kernel_ != nullptr && kernel_->name == name && inlining_.empty();
  const bool alreadyInlining = std::find(inlining_.begin(), inlining_.end(), name) != inlining_.end();
  // Inlining is bounded: code where calls fan out exponentially keeps calls instead.
  const bool overBudget = !ownKernel && inlineBudget_ <= 0 && !tableBuild_;
  if ((recursive_.contains(name) && !ownKernel) || alreadyInlining || overBudget) {
    const std::uint32_t k = callableKernels_.at(name);
    if (callable.callable == CallableKind::Function) return ir::call(k, std::move(args));
    ir::Stmt s;
    s.kind = ir::StmtKind::Call;
    s.index2 = k;
    for (ir::ExprRef &a : args) a = ir::asReal(std::move(a));
    s.args = std::move(args);
    emit(std::move(s));
    return nullptr;
  }

  // The callee sees its parameters, its LOCALs and the mechanism's names, not the
  // caller's LOCALs: swap the caller's scopes out (the kernel-wide scope stays).
  --inlineBudget_;
  std::vector<Scope> saved = std::move(scopes_);
  scopes_.assign(1, saved.front());
  scopes_.emplace_back();
  inlining_.push_back(name);

  for (std::size_t i = 0; i < callable.params.size() && i < args.size(); ++i) {
    const std::string &param = callable.params[i].name.name;
    const ir::ExprRef &a = args[i];
    const bool simple = a->isConst() || (a->op == ir::Op::Var && a->args.empty() &&
                                         (m_.variables[a->var].storage == ir::Storage::Local ||
                                          m_.variables[a->var].storage == ir::Storage::Param));
    if (simple && !assignsName(*callable.body, param)) {
      bind(param, Binding{.value = a});  // read-only alias of the argument
    } else {
      const ir::VarId local = newLocal(param);
      emit(ir::assign(local, a));
      bind(param, Binding{.var = local});
    }
  }
  std::optional<ir::VarId> result;
  if (callable.callable == CallableKind::Function) {
    result = newLocal(name);
    emit(ir::assign(*result, ir::constant(0)));
    bind(name, Binding{.var = result});
  }
  block(*callable.body);

  inlining_.pop_back();
  saved.front() = std::move(scopes_.front());
  scopes_ = std::move(saved);
  return result ? ir::var(*result) : nullptr;
}

}  // namespace ranvier::transform
