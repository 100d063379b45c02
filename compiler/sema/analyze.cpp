#include "sema/analyze.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <string_view>

#include <fmt/format.h>

#include "ast/traverse.hpp"

namespace ranvier::sema {
namespace {

using namespace ranvier::ast;

// What the simulator provides without a declaration: v, t, dt, and the NEURON
// globals a mechanism may read (celsius; the segment's area and diam), and the names
// of NEURON's external functions and variables (its extdef list). nocmodl warns
// about an undeclared celsius, area or diam, but NEURON's headers declare them.
constexpr std::array kBuiltinVariables{"v", "t", "dt", "celsius", "area", "diam"};
constexpr std::array kBuiltinNames{
    "first_time", "error", "f_flux", "b_flux", "fabs", "sqrt", "sin", "cos", "tan", "acos",
    "asin", "atan", "atan2", "sinh", "cosh", "tanh", "floor", "ceil", "fmod", "log10", "log",
    "pow", "printf", "prterr", "exp", "threshold", "force", "deflate", "expfit", "derivs",
    "spline", "hyperbol", "revhyperbol", "sigmoid", "revsigmoid", "harmonic", "squarewave",
    "sawtooth", "revsawtooth", "ramp", "pulse", "perpulse", "step", "perstep", "erf",
    "exprand", "factorial", "gauss", "normrand", "poisrand", "poisson", "setseed",
    "scop_random", "boundary", "romberg", "legendre", "invert", "stepforce", "schedule",
    "set_seed", "nrn_pointing", "state_discontinuity", "net_send", "net_move", "net_event",
    "nrn_random_play", "at_time", "nrn_ghk",
    // INT(x) in integer expressions; PARTIAL blocks
    "INT", "DEL2", "FIRST", "LAST",
    // C's integer abs: nocmodl passes the call to the C compiler (lowering warns)
    "abs"};

bool unitIsCurrent(const std::optional<Unit> &unit) {
  if (!unit) return false;
  std::string text;
  for (char c : unit->text) {
    if (c != ' ') text.push_back(c);
  }
  return text == "mA/cm2" || text == "nA" || text == "milliamp/cm2";
}

// Names people give membrane currents: i, il, and i<ion> for the ions the file uses.
bool looksLikeCurrentName(const std::string &name, const std::set<std::string> &ions) {
  if (name == "i" || name == "il") return true;
  return name.size() > 1 && name[0] == 'i' && ions.contains(name.substr(1));
}

class Analyzer {
public:
  Analyzer(const Program &program, DiagnosticEngine &diagnostics)
      : program_(program), diags_(diagnostics), m_(std::make_unique<Mechanism>()) {
    m_->program = &program;
  }

  std::unique_ptr<Mechanism> run() {
    forEachNode(program_, [&](const Node &n) { m_->hasVerbatim = m_->hasVerbatim || isa<VerbatimStmt>(n); });
    declareBuiltins();
    for (const NodePtr &item : program_.items) declareItem(*item);
    for (const NodePtr &item : program_.items) {
      if (const auto *neuron = dyn_cast<NeuronBlock>(item.get())) applyNeuronBlock(*neuron);
    }
    for (const NodePtr &item : program_.items) walkItem(*item);
    checkCurrents();
    checkIntegration();
    return std::move(m_);
  }

private:
  const Program &program_;
  DiagnosticEngine &diags_;
  std::unique_ptr<Mechanism> m_;

  // Walking state.
  std::vector<std::set<std::string>> scopes_;  // LOCALs, arguments, loop indices
  const Node *item_ = nullptr;                 // the top-level item being walked
  const CallableBlock *callable_ = nullptr;    // inside FUNCTION/PROCEDURE
  std::optional<NamedKind> namedBlock_;        // inside DERIVATIVE, KINETIC, ...
  bool inNetReceive_ = false;
  bool inMatch_ = false;
  std::set<std::string> reportedUndefined_;
  bool hasInclude_ = false;
  std::set<std::string> solved_;      // blocks named by SOLVE
  std::set<std::string> integrated_;  // STATEs some block integrates
  std::vector<const NamedBlock *> namedBlocks_;

  // ─────────────────────────── declarations ───────────────────────────

  void declareBuiltins() {
    for (const char *name : kBuiltinVariables) m_->symbols.add(Symbol{.name = name, .kind = SymbolKind::Builtin});
    for (const char *name : kBuiltinNames) {
      m_->symbols.add(Symbol{.name = name, .kind = SymbolKind::BuiltinFunction});
    }
  }

  void declare(Symbol symbol) {
    const std::string name = symbol.name;
    const SourceRange at = symbol.declared;
    auto [existing, inserted] = m_->symbols.add(std::move(symbol));
    if (inserted) return;
    if (existing->kind == SymbolKind::Builtin || existing->kind == SymbolKind::BuiltinFunction) {
      // Declaring v, t or dt (hh.mod declares v in ASSIGNED) is what NEURON expects.
      if (existing->kind == SymbolKind::Builtin) existing->declared = at;
      return;
    }
    Diagnostic &d = diags_.error(at, fmt::format("'{}' is declared twice", name));
    if (existing->declared.valid()) {
      d.withNote(existing->declared, fmt::format("first declared here as a {}", describe(existing->kind)));
    }
  }

  void declareItem(const Node &item) {
    if (const auto *block = dyn_cast<DeclarationBlock>(&item)) {
      static constexpr SymbolKind kinds[] = {SymbolKind::Parameter, SymbolKind::Assigned,
                                             SymbolKind::State, SymbolKind::Constant};
      for (const VarDecl &d : block->declarations) {
        if (d.primes != 0) continue;  // a derivative named in a declaration: nothing new
        declare(Symbol{.name = d.name.name, .kind = kinds[static_cast<int>(block->block)],
                       .declared = d.name.range, .unit = d.unit, .array = d.size.has_value()});
      }
    } else if (const auto *indep = dyn_cast<IndependentBlock>(&item)) {
      for (const IndependentDecl &d : indep->declarations) {
        // INDEPENDENT { t FROM ... } names the simulator's t.
        declare(Symbol{.name = d.name.name, .kind = SymbolKind::Independent, .declared = d.name.range, .unit = d.unit});
      }
    } else if (const auto *stepped = dyn_cast<SteppedBlock>(&item)) {
      for (const SteppedDecl &d : stepped->declarations) {
        declare(Symbol{.name = d.name.name, .kind = SymbolKind::Stepped, .declared = d.name.range, .unit = d.unit});
      }
    } else if (const auto *define = dyn_cast<DefineItem>(&item)) {
      declare(Symbol{.name = define->name.name, .kind = SymbolKind::Define, .declared = define->name.range});
    } else if (const auto *units = dyn_cast<UnitsBlock>(&item)) {
      for (const UnitDef &d : units->definitions) {
        if (d.name) declare(Symbol{.name = d.name->name, .kind = SymbolKind::UnitConstant, .declared = d.name->range});
      }
    } else if (const auto *callable = dyn_cast<CallableBlock>(&item)) {
      declare(Symbol{.name = callable->name.name,
                     .kind = callable->callable == CallableKind::Function ? SymbolKind::Function
                                                                          : SymbolKind::Procedure,
                     .declared = callable->name.range,
                     .unit = callable->unit,
                     .arity = static_cast<int>(callable->params.size())});
    } else if (const auto *table = dyn_cast<FunctionTableBlock>(&item)) {
      declare(Symbol{.name = table->name.name, .kind = SymbolKind::FunctionTable, .declared = table->name.range,
                     .unit = table->unit, .arity = static_cast<int>(table->params.size())});
    } else if (const auto *local = dyn_cast<LocalStmt>(&item)) {
      // Top-level LOCAL: file-wide variables (nocmodl makes them static doubles).
      for (const LocalVar &v : local->variables) {
        declare(Symbol{.name = v.name.name, .kind = SymbolKind::Assigned, .declared = v.name.range,
                       .array = v.size.has_value()});
      }
    } else if (isa<IncludeItem>(item)) {
      hasInclude_ = true;
    }
  }

  Symbol *neuronName(const Identifier &id, std::string_view statement) {
    Symbol *s = m_->symbols.find(id.name);
    if (s != nullptr && s->isVariable()) return s;
    if (s != nullptr) {
      // nocmodl 8.2.2 accepts this (19 of 4838 ModelDB channel files do it); it has no
      // variable to make visible, so the name is left out.
      diags_.warning(id.range, fmt::format("{} names '{}', which is a {}, not a variable: ignored", statement,
                                           id.name, describe(s->kind)))
          .withHint(fmt::format("remove '{}' from the {} list", id.name, statement));
      return nullptr;
    }
    // Undeclared names listed in the NEURON block are variables NEURON creates.
    return m_->symbols.add(Symbol{.name = id.name, .kind = SymbolKind::Assigned, .declared = id.range}).first;
  }

  void applyNeuronBlock(const NeuronBlock &block) {
    for (const NodePtr &stmt : block.statements) {
      if (const auto *suffix = dyn_cast<SuffixStmt>(stmt.get())) {
        if (!m_->name.empty()) {  // nocmodl 8.2.2 takes the last one
          diags_.warning(suffix->range, "a mechanism has one SUFFIX, POINT_PROCESS or ARTIFICIAL_CELL: this one counts, as in nocmodl")
              .withHint(fmt::format("this file already named the mechanism '{}'; keep one of them", m_->name));
        }
        m_->name = suffix->name.name;
        m_->kind = suffix->mechanism;
      } else if (const auto *ion = dyn_cast<UseIonStmt>(stmt.get())) {
        for (const Identifier &id : ion->read) {
          if (Symbol *s = neuronName(id, "USEION")) s->ion = ion->ion.name, s->ionRead = true;
        }
        for (const Identifier &id : ion->write) {
          if (Symbol *s = neuronName(id, "USEION")) s->ion = ion->ion.name, s->ionWrite = true;
        }
      } else if (const auto *list = dyn_cast<NameListStmt>(stmt.get())) {
        for (const Identifier &id : list->names) {
          Symbol *s = neuronName(id, keyword(list->list));
          if (s == nullptr) continue;
          switch (list->list) {
          case NameListKind::Range: s->range = true; break;
          case NameListKind::Global: s->global = true; break;
          case NameListKind::Pointer: s->pointer = true; break;
          case NameListKind::BbcorePointer: s->bbcorePointer = true; break;
          case NameListKind::External: s->external = true; break;
          case NameListKind::NonspecificCurrent: s->nonspecificCurrent = true; break;
          case NameListKind::ElectrodeCurrent: s->electrodeCurrent = true; break;
          }
        }
      } else if (isa<ThreadsafeStmt>(*stmt)) {
        m_->threadsafe = true;
      }
    }
  }

  // ─────────────────────────── uses ───────────────────────────

  bool isLocal(const std::string &name) const {
    for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
      if (it->contains(name)) return true;
    }
    return false;
  }

  void bindLocal(const Identifier &id) {
    if (scopes_.empty()) scopes_.emplace_back();
    if (!scopes_.back().insert(id.name).second) {
      diags_.error(id.range, fmt::format("'{}' is declared twice in this block", id.name));
    }
  }

  void undefined(const Identifier &id, bool call) {
    if (!reportedUndefined_.insert(id.name).second) return;
    const std::string message = fmt::format("{} '{}' is not declared", call ? "function" : "name", id.name);
    if (m_->hasVerbatim) {
      // nocmodl: "undefined (declared within VERBATIM?)". We cannot see into C.
      diags_.warning(id.range, message).withHint("if it is declared in a VERBATIM block, Ranvier cannot use it");
    } else if (hasInclude_) {
      diags_.warning(id.range, message).withHint("it may be declared in the INCLUDEd file, which was not read (frontend::resolveIncludes)");
    } else {
      diags_.error(id.range, message)
          .withHint(call ? "define it with FUNCTION or PROCEDURE"
                         : "declare it in PARAMETER, ASSIGNED or STATE, or as a LOCAL");
    }
  }

  void read(const Identifier &id) {
    if (isLocal(id.name)) return;
    if (callable_ != nullptr && callable_->name.name == id.name) return;
    Symbol *s = m_->symbols.find(id.name);
    if (s == nullptr) {
      if (!(inNetReceive_ && id.name == "flag")) undefined(id, false);
      return;
    }
    s->reads.push_back(Access{id.range, item_});
  }

  void write(const VarRefExpr &target, bool isProtected = false) {
    const Identifier &id = target.name;
    if (target.index) expr(*target.index);
    if (isLocal(id.name)) return;
    if (callable_ != nullptr && callable_->name.name == id.name &&
        callable_->callable == CallableKind::Function) {
      return;  // assigning the FUNCTION's own name sets its value
    }
    Symbol *s = m_->symbols.find(id.name);
    if (s == nullptr) {
      undefined(id, false);
      return;
    }
    if (target.primes != 0) {
      if (s->kind != SymbolKind::State) {
        diags_.error(target.range, fmt::format("'{}'' is a derivative, but '{}' is a {}, not a STATE",
                                               id.name, id.name, describe(s->kind)));
      } else if (namedBlock_ == NamedKind::Derivative) {
        integrated_.insert(id.name);
      }
      return;
    }
    s->writes.push_back(Access{id.range, item_, isProtected});
    switch (s->kind) {
    case SymbolKind::Constant:
    case SymbolKind::Define:
    case SymbolKind::UnitConstant:
    case SymbolKind::Function:
    case SymbolKind::Procedure:
    case SymbolKind::FunctionTable:
    case SymbolKind::BuiltinFunction:
      diags_.error(id.range, fmt::format("'{}' is a {} and cannot be assigned", id.name, describe(s->kind)));
      break;
    case SymbolKind::Parameter:
      // x0 of a STATE x is NEURON's start value of x, which mechanisms may keep up to date
      // (vclamp.mod's e0): nocmodl makes it a PARAMETER whatever it is declared as.
      if (startValueOfState(id.name)) break;
      if (!isa<BodyBlock>(*item_) || cast<BodyBlock>(*item_).block == BodyKind::Breakpoint) {
        diags_.warning(id.range, fmt::format("PARAMETER '{}' is assigned here", id.name))
            .withHint("parameters are the user's settings; compute values in ASSIGNED variables");
      }
      break;
    default: break;
    }
    if (s->ionRead && !s->ionWrite && !s->ion.empty()) {
      diags_.warning(id.range, fmt::format("'{}' is read from ion '{}' but not written: this assignment "
                                           "is local to the mechanism", id.name, s->ion))
          .withHint(fmt::format("add WRITE {} to 'USEION {}' if the ion should see it", id.name, s->ion));
    }
    if (namedBlock_ == NamedKind::Discrete && s->kind == SymbolKind::State) integrated_.insert(id.name);
  }

  bool startValueOfState(const std::string &name) const {
    if (name.size() < 2 || name.back() != '0') return false;
    const Symbol *s = m_->symbols.find(name.substr(0, name.size() - 1));
    return s != nullptr && s->kind == SymbolKind::State;
  }

  bool isDerivativeBlock(const std::string &name) const {
    for (const NodePtr &item : m_->program->items) {
      if (const auto *n = dyn_cast<NamedBlock>(item.get()); n != nullptr && n->block == NamedKind::Derivative && n->name.name == name) return true;
    }
    return false;
  }

  void call(const CallExpr &c) {
    for (const ExprPtr &a : c.arguments) expr(*a);
    // state_discontinuity(x, value) assigns x (lowering writes x = value)
    if (c.callee.name == "state_discontinuity" && !c.arguments.empty()) {
      if (const auto *target = dyn_cast<VarRefExpr>(c.arguments[0].get())) write(*target);
    }
    if (isLocal(c.callee.name)) return;
    Symbol *s = m_->symbols.find(c.callee.name);
    if (s == nullptr && c.arguments.empty() && isDerivativeBlock(c.callee.name)) return;  // nocmodl calls it (lowering)
    if (s == nullptr) {
      undefined(c.callee, true);
      return;
    }
    if (!s->isCallable()) {
      diags_.error(c.callee.range, fmt::format("'{}' is a {}, not a function", c.callee.name, describe(s->kind)));
      return;
    }
    if (s->arity >= 0 && static_cast<int>(c.arguments.size()) != s->arity) {
      diags_.error(c.range, fmt::format("{} '{}' takes {} argument{}, but {} {} given", describe(s->kind),
                                        c.callee.name, s->arity, s->arity == 1 ? "" : "s",
                                        c.arguments.size(), c.arguments.size() == 1 ? "is" : "are"))
          .withNote(s->declared, "declared here");
    }
  }

  void expr(const Expr &e) {
    if (const auto *ref = dyn_cast<VarRefExpr>(&e)) {
      if (inMatch_) return;  // MATCH names initial values (x0) nocmodl derives
      read(ref->name);
      if (ref->index) expr(*ref->index);
    } else if (const auto *c = dyn_cast<CallExpr>(&e)) {
      call(*c);
    } else if (const auto *u = dyn_cast<UnaryExpr>(&e)) {
      expr(*u->operand);
    } else if (const auto *b = dyn_cast<BinaryExpr>(&e)) {
      expr(*b->lhs);
      expr(*b->rhs);
    }
  }

  void markIntegrated(const Expr &e) {
    if (const auto *ref = dyn_cast<VarRefExpr>(&e)) {
      integrated_.insert(ref->name.name);
    } else if (const auto *u = dyn_cast<UnaryExpr>(&e)) {
      markIntegrated(*u->operand);
    } else if (const auto *b = dyn_cast<BinaryExpr>(&e)) {
      markIntegrated(*b->lhs);
      markIntegrated(*b->rhs);
    }
  }

  void reactants(const std::vector<Reactant> &side) {
    for (const Reactant &r : side) {
      if (r.coefficient && !r.coefficient->isLiteral()) read(Identifier{r.coefficient->spelling, r.coefficient->range});
      expr(*r.species);
      integrated_.insert(r.species->name.name);
    }
  }

  void block(const Block &b) {
    scopes_.emplace_back();
    for (const StmtPtr &s : b.statements) statement(*s);
    scopes_.pop_back();
  }

  void withParams(const std::vector<Param> &params, const Block *body) {
    scopes_.emplace_back();
    for (const Param &p : params) bindLocal(p.name);
    if (body != nullptr) block(*body);
    scopes_.pop_back();
  }

  void statement(const Stmt &stmt) {
    visit(stmt, [&](const auto &s) { walk(s); });
  }

  template <class T> void walk(const T &) {}  // nodes without names: MutexStmt, ...
  void walk(const Block &s) { block(s); }
  void walk(const LocalStmt &s) {
    for (const LocalVar &v : s.variables) bindLocal(v.name);
  }
  void walk(const AssignStmt &s) {
    expr(*s.value);
    write(*s.target, s.protect);
  }
  void walk(const CallStmt &s) { call(*s.call); }
  void walk(const ReactionStmt &s) {
    reactants(s.lhs);
    reactants(s.rhs);
    if (s.forwardRate) expr(*s.forwardRate);
    if (s.backwardRate) expr(*s.backwardRate);
  }
  void walk(const EquationStmt &s) {
    expr(*s.lhs);
    expr(*s.rhs);
    markIntegrated(*s.lhs);
    markIntegrated(*s.rhs);
  }
  void walk(const ConserveStmt &s) {
    reactants(s.lhs);
    expr(*s.total);
  }
  void walk(const CompartmentStmt &s) {
    scopes_.emplace_back();
    if (s.index) bindLocal(*s.index);
    expr(*s.amount);
    scopes_.pop_back();
    for (const Identifier &species : s.species) {
      if (isLocal(species.name) || m_->symbols.find(species.name) != nullptr) {
        read(species);
      } else {  // nocmodl 8.2.2 ignores names in a COMPARTMENT list that are not declared
        diags_.warning(species.range, fmt::format("COMPARTMENT names '{}', which is not declared: ignored, as nocmodl does", species.name))
            .withHint("list the STATEs this volume applies to");
      }
    }
  }
  void walk(const IfStmt &s) {
    expr(*s.condition);
    block(*s.then);
    if (s.otherwise) statement(*s.otherwise);
  }
  void walk(const WhileStmt &s) {
    expr(*s.condition);
    block(*s.body);
  }
  void walk(const FromStmt &s) {
    expr(*s.from);
    expr(*s.to);
    if (s.by) expr(*s.by);
    scopes_.emplace_back(std::set<std::string>{s.variable.name});
    block(*s.body);
    scopes_.pop_back();
  }
  void walk(const ForallStmt &s) {
    scopes_.emplace_back(std::set<std::string>{s.variable.name});
    block(*s.body);
    scopes_.pop_back();
  }
  void walk(const SolveStmt &s) {
    solved_.insert(s.block.name);
    // SOLVE names a DERIVATIVE, KINETIC, LINEAR, NONLINEAR, DISCRETE or PARTIAL block,
    // or (old style, as SEClamp does) a PROCEDURE to call.
    const bool known = std::any_of(program_.items.begin(), program_.items.end(), [&](const NodePtr &item) {
      const auto *named = dyn_cast<NamedBlock>(item.get());
      const auto *procedure = dyn_cast<CallableBlock>(item.get());
      return (named != nullptr && named->name.name == s.block.name) ||
             (procedure != nullptr && procedure->callable == CallableKind::Procedure &&
              procedure->name.name == s.block.name);
    });
    if (!known) {
      diags_.error(s.block.range, fmt::format("SOLVE names '{}', but no DERIVATIVE, KINETIC, LINEAR, "
                                              "NONLINEAR, DISCRETE block or PROCEDURE has that name",
                                              s.block.name));
    }
    if (s.ifError) block(*s.ifError);
  }
  void walk(const TableStmt &s) {
    for (const Identifier &id : s.names) read(id);
    for (const Identifier &id : s.depends) read(id);
    expr(*s.from);
    expr(*s.to);
  }
  void walk(const ConductanceStmt &s) { read(s.variable); }
  // LAG x BY tau makes the variable lag_x_tau, as in nocmodl.
  void walk(const LagStmt &s) {
    read(s.variable);
    read(s.by);
    m_->symbols.add(Symbol{.name = fmt::format("lag_{}_{}", s.variable.name, s.by.name),
                           .kind = SymbolKind::Assigned, .declared = s.range});
  }
  void walk(const InitialStmt &s) { block(*s.body); }
  void walk(const WatchStmt &s) {
    for (const WatchItem &w : s.items) expr(*w.condition);
  }
  void walk(const ForNetconsStmt &s) { withParams(s.params, s.body.get()); }
  void walk(const SensStmt &s) {
    for (const Identifier &id : s.names) read(id);
  }
  void walk(const QueueStmt &s) { read(s.variable); }
  void walk(const MatchStmt &s) {
    inMatch_ = true;
    for (const MatchItem &m : s.items) {
      if (m.at) expr(*m.at);
      if (m.value) expr(*m.value);
    }
    inMatch_ = false;
  }

  void walkItem(const Node &item) {
    item_ = &item;
    scopes_.clear();
    if (const auto *body = dyn_cast<BodyBlock>(&item)) {
      block(*body->body);
    } else if (const auto *named = dyn_cast<NamedBlock>(&item)) {
      namedBlocks_.push_back(named);
      namedBlock_ = named->block;
      for (const Identifier &id : named->solveFor) {
        read(id);
        integrated_.insert(id.name);
      }
      block(*named->body);
      namedBlock_.reset();
    } else if (const auto *callable = dyn_cast<CallableBlock>(&item)) {
      callable_ = callable;
      withParams(callable->params, callable->body.get());
      callable_ = nullptr;
    } else if (const auto *net = dyn_cast<NetReceiveBlock>(&item)) {
      inNetReceive_ = true;
      withParams(net->params, net->body.get());
      inNetReceive_ = false;
    } else if (const auto *ba = dyn_cast<BeforeAfterBlock>(&item)) {
      block(*ba->body);
    }
    item_ = nullptr;
  }

  // ─────────────────────────── whole-mechanism checks ───────────────────────────

  // A variable with current units assigned in BREAKPOINT, but declared as no current.
  void checkCurrents() {
    std::set<std::string> ions{"na", "k", "ca", "cl"};
    for (const NodePtr &item : program_.items) {
      if (const auto *neuron = dyn_cast<NeuronBlock>(item.get())) {
        for (const NodePtr &stmt : neuron->statements) {
          if (const auto *ion = dyn_cast<UseIonStmt>(stmt.get())) ions.insert(ion->ion.name);
        }
      }
    }
    for (const auto &[name, s] : m_->symbols.all()) {
      if (s.kind != SymbolKind::Assigned || s.isCurrent() || !unitIsCurrent(s.unit) ||
          !looksLikeCurrentName(name, ions)) {
        continue;
      }
      const auto inBreakpoint = std::find_if(s.writes.begin(), s.writes.end(), [](const Access &a) {
        const auto *body = dyn_cast<BodyBlock>(a.block);
        return body != nullptr && body->block == BodyKind::Breakpoint;
      });
      if (inBreakpoint == s.writes.end()) continue;
      diags_.warning(inBreakpoint->where,
                     fmt::format("'{}' has the units of a current and is computed in BREAKPOINT, but is "
                                 "not declared as a current, so it does not reach the membrane", name))
          .withHint(fmt::format("add 'NONSPECIFIC_CURRENT {0}', or 'USEION <ion> WRITE {0}', to the NEURON block", name));
    }
  }

  void checkIntegration() {
    for (const NamedBlock *named : namedBlocks_) {
      if (!solved_.contains(named->name.name)) {
        diags_.warning(named->name.range, fmt::format("{} block '{}' is never used by a SOLVE statement",
                                                      keyword(named->block), named->name.name))
            .withHint(fmt::format("add 'SOLVE {} METHOD ...' to BREAKPOINT", named->name.name));
      }
    }
    for (const auto &[name, s] : m_->symbols.all()) {
      if (s.kind != SymbolKind::State || integrated_.contains(name)) continue;
      // The classic way (NEURON's old hh.mod): a PROCEDURE named by SOLVE advances the
      // state itself, m = m + mexp*(minf - m).
      const bool advancedBySolvedProcedure = std::any_of(s.writes.begin(), s.writes.end(), [&](const Access &a) {
        const auto *callable = dyn_cast<CallableBlock>(a.block);
        return callable != nullptr && callable->callable == CallableKind::Procedure && solved_.contains(callable->name.name);
      });
      if (advancedBySolvedProcedure) continue;
      diags_.warning(s.declared, fmt::format("STATE '{}' is never integrated: no DERIVATIVE gives {}', "
                                             "no KINETIC, LINEAR or NONLINEAR block solves for it, and no PROCEDURE "
                                             "named by SOLVE assigns it",
                                             name, name))
          .withHint("declare it in ASSIGNED if it is computed directly");
    }
  }
};

}  // namespace

std::unique_ptr<Mechanism> analyze(const Program &program, DiagnosticEngine &diagnostics) {
  return Analyzer(program, diagnostics).run();
}

}  // namespace ranvier::sema
