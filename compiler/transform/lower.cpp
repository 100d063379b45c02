// Variables, ions and the kernels NEURON calls: init, current, state, net_receive,
// and one kernel per FUNCTION and PROCEDURE.

#include "transform/lower.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>

#include "analysis/global_storage.hpp"
#include "ast/traverse.hpp"
#include "ir/cleanup.hpp"
#include "transform/lowerer.hpp"
#include "transform/units.hpp"

namespace ranvier::transform {

using namespace ranvier::ast;

Lowerer::Lowerer(const sema::Mechanism &mechanism, DiagnosticEngine &diagnostics, const LowerOptions &options)
    : sema_(mechanism), diags_(&diagnostics), options_(options) {}

std::optional<ir::Mechanism> lower(const sema::Mechanism &mechanism, DiagnosticEngine &diagnostics,
                                   const LowerOptions &options) {
  return Lowerer(mechanism, diagnostics, options).run();
}

std::optional<ir::Mechanism> Lowerer::run() {
  m_.name = sema_.name;
  m_.kind = sema_.kind == MechanismKind::PointProcess     ? ir::MechanismKind::PointProcess
            : sema_.kind == MechanismKind::ArtificialCell ? ir::MechanismKind::ArtificialCell
                                                          : ir::MechanismKind::Density;
  m_.threadsafe = sema_.threadsafe;

  // What Ranvier refuses outright, once each.
  for (const NodePtr &item : sema_.program->items) {
    forEachNode(*item, [&](const Node &n) {
      if (isa<VerbatimStmt>(n)) {
        error(n.range, "this mechanism needs VERBATIM (C code), which Ranvier does not run",
              "rewrite the VERBATIM part in NMODL; Ranvier never executes arbitrary C");
      }
    });
  }
  for (const auto &[name, s] : sema_.symbols.all()) {
    if (s.bbcorePointer) {
      error(s.declared, fmt::format("BBCOREPOINTER '{}' is not supported", name),
            "BBCOREPOINTERs carry C data (a Random123 stream, ...) that only VERBATIM code uses");
    }
    if (s.pointer && s.kind == sema::SymbolKind::State) {
      error(s.declared, fmt::format("the STATE '{}' cannot be a POINTER", name), "declare it in ASSIGNED");
    }
    if (s.external) error(s.declared, fmt::format("EXTERNAL '{}' is not supported", name));
  }
  if (failed_) return std::nullopt;

  declareVariables();
  declareIons();
  declareCallables();
  declareTables();
  if (failed_) return std::nullopt;

  buildInit();
  if (m_.kind != ir::MechanismKind::ArtificialCell) buildCurrent();
  buildState();
  buildDiffusion();
  buildNetReceive();
  buildCallableKernels();
  buildBeforeAfter();
  buildTableCheck();
  if (failed_) return std::nullopt;
  return std::move(m_);
}

// Array sizes: at least 1, at most a million elements.
std::uint32_t Lowerer::arraySize(const ast::IntegerRef &size) {
  const double n = integer(size, 1);
  if (!(n >= 1 && n <= 1e6)) {
    error(size.range, fmt::format("an array size must be between 1 and 1000000, not {}", n));
    return 1;
  }
  return static_cast<std::uint32_t>(n);
}

// ───────────────────────────── variables ─────────────────────────────

namespace {
// A value as nocmodl writes it into C (printf's %g: six significant digits) and the
// C compiler reads it back.
double asNocmodlPrintsIt(double value) {
  if (!std::isfinite(value)) return value;
  char text[64];
  std::snprintf(text, sizeof text, "%g", value);
  return std::strtod(text, nullptr);
}
}  // namespace

void Lowerer::declareVariables() {
  std::map<std::string, analysis::GlobalStorage> placement;
  for (const analysis::GlobalPlacement &p : analysis::placeGlobals(sema_)) placement[p.name] = p.storage;

  // Declarations carry the defaults and array sizes the symbol table does not.
  std::map<std::string, const VarDecl *> decls;
  for (const NodePtr &item : sema_.program->items) {
    if (const auto *d = dyn_cast<DeclarationBlock>(item.get())) {
      for (const VarDecl &v : d->declarations) decls.emplace(v.name.name, &v);
    } else if (const auto *define = dyn_cast<DefineItem>(item.get())) {
      globals_[define->name.name] = Binding{.value = ir::constant(integer(define->value, 0))};
    } else if (const auto *u = dyn_cast<UnitsBlock>(item.get())) {
      for (const UnitDef &def : u->definitions) {
        if (!def.name) continue;
        std::optional<double> value;
        if (def.value) value = def.value->value;
        else if (def.second) value = unitFactor(def.first.text, def.second->text);
        if (!value) {
          error(def.range, fmt::format("Ranvier does not know the unit factor ({}) ({})", def.first.text,
                                       def.second ? def.second->text : ""),
                "write the value as a number: NAME = 96485.3 (coulomb)");
          continue;
        }
        globals_[def.name->name] = Binding{.value = ir::constant(*value)};
      }
    }
  }

  struct Rounded {
    std::string name, written;
    double value;
    SourceRange where;
  };
  std::vector<Rounded> roundedDefaults;
  for (const auto &[name, s] : sema_.symbols.all()) {
    const VarDecl *d = decls.contains(name) ? decls.at(name) : nullptr;
    if (!s.ion.empty()) continue;  // declareIons
    ir::Variable v{.name = name};
    v.size = d != nullptr && d->size ? arraySize(*d->size) : 1;
    if (d && d->value) v.initial = d->value->value;
    if (s.unit) v.unit = s.unit->text;
    if (s.pointer && (s.kind == sema::SymbolKind::Assigned || s.kind == sema::SymbolKind::Parameter)) {
      // Reads and writes go to wherever the model file points it (the runtime sets the
      // address). nocmodl also takes a POINTER declared in PARAMETER.
      if (v.size != 1) error(s.declared, fmt::format("POINTER '{}' is an array; Ranvier's POINTERs hold one value", name));
      v.storage = ir::Storage::Pointer;
      v.role = ir::Role::Assigned;
      v.size = 1;
      globals_[name] = Binding{.var = m_.add(std::move(v))};
      continue;
    }
    switch (s.kind) {
    case sema::SymbolKind::Constant:
      globals_[name] = Binding{.value = ir::constant(d && d->value ? d->value->value : 0.0)};
      continue;
    case sema::SymbolKind::Builtin:
      if (name == "t" || name == "dt" || name == "celsius") {
        v.storage = ir::Storage::Builtin;
      } else if (name == "area" || name == "diam") {
        v.storage = ir::Storage::Node;
        v.name = "node_" + name;
        v.nodeQuantity = name == "area" ? ir::NodeQuantity::Area : ir::NodeQuantity::Diam;
      } else {
        continue;  // v: a local of each kernel
      }
      break;
    case sema::SymbolKind::Parameter:
      v.role = ir::Role::Parameter;
      if (d && d->value) {
        // nocmodl 8.2.2 prints PARAMETER defaults into C with %g: NEURON runs with six
        // significant digits (CONSTANTs keep theirs). The same here, so that results agree.
        const double printed = asNocmodlPrintsIt(v.initial);
        if (printed != v.initial && !(std::isnan(printed) && std::isnan(v.initial))) {
          roundedDefaults.push_back({name, d->value->spelling, printed, d->value->range});
          v.initial = printed;
        }
      }
      if (s.range) {
        v.storage = ir::Storage::Field;
        v.range = true;
      } else {
        v.storage = s.writes.empty() ? ir::Storage::Global : ir::Storage::Thread;
        if (placement.contains(name) && placement[name] == analysis::GlobalStorage::PerInstance) {
          v.storage = ir::Storage::Field;
        }
      }
      break;
    case sema::SymbolKind::Assigned:
      v.role = s.isCurrent() ? ir::Role::Current : ir::Role::Assigned;
      if (s.global) {
        const auto p = placement.contains(name) ? placement[name] : analysis::GlobalStorage::Shared;
        v.storage = p == analysis::GlobalStorage::PerInstance ? ir::Storage::Field
                    : p == analysis::GlobalStorage::PerThread ? ir::Storage::Thread
                                                              : ir::Storage::Global;
        if (v.storage == ir::Storage::Field) v.role = ir::Role::Temporary;
      } else {
        v.storage = ir::Storage::Field;
        v.range = s.range || s.nonspecificCurrent || s.electrodeCurrent;
      }
      break;
    case sema::SymbolKind::State:
      v.role = ir::Role::State;
      v.storage = ir::Storage::Field;
      v.range = true;
      if (d && d->start) v.initial = d->start->value;
      break;
    case sema::SymbolKind::Independent: continue;  // t
    case sema::SymbolKind::Stepped:
      v.storage = ir::Storage::Global;
      break;
    default: continue;  // functions, DEFINEs and unit constants are handled elsewhere
    }
    const ir::VarId id = m_.add(std::move(v));
    globals_[name] = Binding{.var = id};
  }
  if (!roundedDefaults.empty()) {  // one warning for the file, at the first such default
    const Rounded &first = roundedDefaults.front();
    diags_->warning(first.where, fmt::format("{} PARAMETER default{} more than six significant digits; NEURON 8.2.2 rounds "
                                             "{} to six (nocmodl prints them with %g), and so does Ranvier, so that results "
                                             "agree: {} = {} is {}",
                                             roundedDefaults.size(), roundedDefaults.size() == 1 ? " has" : "s have",
                                             roundedDefaults.size() == 1 ? "it" : "them", first.name, first.written, first.value))
        .withHint("to keep every digit, declare the value in CONSTANT, or set the parameter from the model file");
  }

  // File-level LOCALs are static C variables in NEURON: one per thread here.
  for (const NodePtr &item : sema_.program->items) {
    if (const auto *local = dyn_cast<LocalStmt>(item.get())) {
      for (const LocalVar &lv : local->variables) {
        const std::uint32_t size = lv.size ? arraySize(*lv.size) : 1;
        globals_[lv.name.name] = Binding{.var = m_.add(ir::Variable{
                                             .name = lv.name.name, .storage = ir::Storage::Thread, .size = size})};
      }
    }
  }

  nodeV_ = m_.add(ir::Variable{.name = "node_v", .storage = ir::Storage::Node,
                               .nodeQuantity = ir::NodeQuantity::Voltage});
  if (m_.kind != ir::MechanismKind::ArtificialCell) {
    nodeRhs_ = m_.add(ir::Variable{.name = "node_rhs", .storage = ir::Storage::Node,
                                   .nodeQuantity = ir::NodeQuantity::Rhs});
    nodeD_ = m_.add(ir::Variable{.name = "node_d", .storage = ir::Storage::Node,
                                 .nodeQuantity = ir::NodeQuantity::Diagonal});
    if (auto area = globals_.find("area"); area != globals_.end() && area->second.var) {
      nodeArea_ = area->second.var;
    } else {
      nodeArea_ = m_.add(ir::Variable{.name = "node_area", .storage = ir::Storage::Node,
                                      .nodeQuantity = ir::NodeQuantity::Area});
    }
  }
}

void Lowerer::declareIons() {
  for (const NodePtr &item : sema_.program->items) {
    const auto *neuron = dyn_cast<NeuronBlock>(item.get());
    if (neuron == nullptr) continue;
    for (const NodePtr &stmt : neuron->statements) {
      const auto *use = dyn_cast<UseIonStmt>(stmt.get());
      if (use == nullptr) continue;
      const std::string &ion = use->ion.name;
      ir::Ion info{.name = ion};
      if (use->valence) {
        info.valence = use->valence->value;
        info.hasValence = true;
      }
      auto quantityOf = [&](const std::string &name) -> std::optional<ir::IonQuantity> {
        if (name == "e" + ion) return ir::IonQuantity::Reversal;
        if (name == ion + "i") return ir::IonQuantity::Inside;
        if (name == ion + "o") return ir::IonQuantity::Outside;
        if (name == "i" + ion) return ir::IonQuantity::Current;
        return std::nullopt;
      };
      auto addName = [&](const Identifier &id, bool write) {
        const auto q = quantityOf(id.name);
        if (!q) {
          error(id.range, fmt::format("'{}' is not a variable of ion '{}'", id.name, ion),
                fmt::format("ion {} has e{}, {}i, {}o and i{}", ion, ion, ion, ion, ion));
          return;
        }
        for (IonVariable &existing : ionVariables_) {
          if (existing.name == id.name) {
            existing.write = existing.write || write;
            existing.read = existing.read || !write;
            return;
          }
        }
        ionVariables_.push_back(IonVariable{.name = id.name, .ion = ion, .quantity = *q, .read = !write, .write = write});
      };
      for (const Identifier &id : use->read) addName(id, false);
      for (const Identifier &id : use->write) addName(id, true);
      for (const IonVariable &iv : ionVariables_) {
        if (iv.ion != ion) continue;
        switch (iv.quantity) {
        case ir::IonQuantity::Reversal: (iv.write ? info.writesReversal : info.readsReversal) = true; break;
        case ir::IonQuantity::Inside: (iv.write ? info.writesInside : info.readsInside) = true; break;
        case ir::IonQuantity::Outside: (iv.write ? info.writesOutside : info.readsOutside) = true; break;
        case ir::IonQuantity::Current: if (iv.write) info.writesCurrent = true; break;
        default: break;
        }
      }
      m_.ions.push_back(info);
    }
  }
  for (IonVariable &iv : ionVariables_) {
    const sema::Symbol *s = sema_.symbols.find(iv.name);
    iv.array = m_.add(ir::Variable{.name = "ion_" + iv.name, .storage = ir::Storage::Ion, .ion = iv.ion,
                                   .ionQuantity = iv.quantity});
    const bool assigned = s != nullptr && !s->writes.empty();
    const bool isState = s != nullptr && s->kind == sema::SymbolKind::State;
    if (iv.write || assigned || isState) {
      ir::Variable copy{.name = iv.name, .storage = ir::Storage::Field,
                        .role = iv.quantity == ir::IonQuantity::Current ? ir::Role::Current
                                : isState                                ? ir::Role::State
                                                                         : ir::Role::IonCopy,
                        .range = iv.quantity == ir::IonQuantity::Current || isState, .ion = iv.ion,
                        .ionQuantity = iv.quantity};
      if (s && s->unit) copy.unit = s->unit->text;
      iv.copy = m_.add(std::move(copy));
      globals_[iv.name] = Binding{.var = iv.copy};
    } else {
      globals_[iv.name] = Binding{.var = iv.array};
    }
    if (iv.quantity == ir::IonQuantity::Current && iv.write) {
      iv.conductance = m_.add(ir::Variable{.name = "ion_di" + iv.ion + "dv", .storage = ir::Storage::Ion,
                                           .ion = iv.ion, .ionQuantity = ir::IonQuantity::Conductance});
    }
  }
}

// Which callables can reach themselves through calls: those stay calls.
void Lowerer::declareCallables() {
  std::map<std::string, std::set<std::string>> calls;
  for (const NodePtr &item : sema_.program->items) {
    if (const auto *c = dyn_cast<CallableBlock>(item.get())) {
      callables_[c->name.name] = c;
      auto &out = calls[c->name.name];
      forEachNode(*c->body, [&](const Node &n) {
        if (const auto *call = dyn_cast<CallExpr>(&n)) out.insert(call->callee.name);
      });
    } else if (const auto *n = dyn_cast<NamedBlock>(item.get())) {
      named_[n->name.name] = n;
    } else if (const auto *t = dyn_cast<FunctionTableBlock>(item.get())) {
      if (t->params.empty() || t->params.size() > 2) {
        // nocmodl takes more; NEURON then reads the nearest lower entry without
        // interpolating, and no ModelDB channel file does it.
        error(t->name.range, fmt::format("FUNCTION_TABLE '{}' has {} arguments; Ranvier's have one or two", t->name.name, t->params.size()));
        continue;
      }
      functionTables_[t->name.name] = static_cast<std::uint32_t>(m_.functionTables.size());
      m_.functionTables.push_back(ir::FunctionTable{.name = t->name.name, .arity = static_cast<std::uint32_t>(t->params.size()),
                                                    .unit = t->unit ? t->unit->text : ""});
    }
  }
  for (const auto &[name, _] : callables_) {
    std::set<std::string> seen;
    std::vector<std::string> work(calls[name].begin(), calls[name].end());
    while (!work.empty()) {
      std::string next = work.back();
      work.pop_back();
      if (next == name) {
        recursive_.insert(name);
        break;
      }
      if (!callables_.contains(next) || !seen.insert(next).second) continue;
      work.insert(work.end(), calls[next].begin(), calls[next].end());
    }
  }
  // Every callable has a kernel of its own; recursive calls refer to it by index.
  for (const auto &[name, c] : callables_) {
    callableKernels_[name] = static_cast<std::uint32_t>(m_.kernels.size());
    m_.kernels.push_back(ir::Kernel{.name = name, .kind = c->callable == CallableKind::Function
                                                              ? ir::KernelKind::Function
                                                              : ir::KernelKind::Procedure});
  }
}

// ───────────────────────────── kernels ─────────────────────────────

// Local names are unique within their kernel (and never hide a mechanism variable),
// so printed kernels read like the source.
ir::VarId Lowerer::newParam(const std::string &name) {
  const ir::VarId id = newLocal(name);
  kernel_->locals.pop_back();
  m_.variables[id].storage = ir::Storage::Param;
  kernel_->params.push_back(id);
  return id;
}

ir::VarId Lowerer::newLocal(const std::string &name, std::uint32_t size) {
  auto taken = [&](const std::string &candidate) {
    if (kernelNames_.contains(candidate)) return true;
    for (const ir::Variable &v : m_.variables) {
      if (v.name == candidate && v.storage != ir::Storage::Local && v.storage != ir::Storage::Param) return true;
    }
    return false;
  };
  std::string unique = name;
  for (int n = 1; taken(unique); ++n) unique = fmt::format("{}_{}", name, n);
  kernelNames_.insert(unique);
  m_.variables.push_back(ir::Variable{.name = unique, .storage = ir::Storage::Local, .size = size});
  const auto id = static_cast<ir::VarId>(m_.variables.size() - 1);
  if (kernel_ != nullptr) kernel_->locals.push_back(id);
  return id;
}

void Lowerer::beginKernel(std::string name, ir::KernelKind kind) {
  std::uint32_t index = 0;
  if (auto it = callableKernels_.find(name);
      it != callableKernels_.end() && (kind == ir::KernelKind::Function || kind == ir::KernelKind::Procedure)) {
    index = it->second;
  } else {
    index = static_cast<std::uint32_t>(m_.kernels.size());
    m_.kernels.push_back(ir::Kernel{.name = std::move(name), .kind = kind});
  }
  kernel_ = &m_.kernels[index];
  kernelNames_.clear();
  inlineBudget_ = 2000;
  for (ir::VarId p : kernel_->params) kernelNames_.insert(m_.variables[p].name);
  scopes_.assign(1, Scope{});
  out_.assign(1, &kernel_->body);
  inlining_.clear();
}

void Lowerer::endKernel() {
  ir::removeDeadLocals(m_, *kernel_);
  kernel_ = nullptr;
  scopes_.clear();
  out_.clear();
}

// `v` is a local of every kernel, read from the node (NEURON copies it into the
// instance the same way); the current kernel evaluates at v + 0.001 as well.
void Lowerer::loadVoltage(ir::ExprRef offset) {
  std::optional<Binding> existing;
  if (!scopes_.empty()) {
    auto it = scopes_.front().find("v");
    if (it != scopes_.front().end()) existing = it->second;
  }
  const ir::VarId v = existing ? *existing->var : newLocal("v");
  scopes_.front()["v"] = Binding{.var = v};
  ir::ExprRef value = ir::var(*nodeV_);
  if (offset) value = ir::add(value, offset);
  emit(ir::assign(v, value));
}

void Lowerer::loadIons(bool includeCurrents) {
  for (const IonVariable &iv : ionVariables_) {
    if (!iv.copy || !iv.read) continue;
    if (iv.quantity == ir::IonQuantity::Current && !includeCurrents) continue;
    emit(ir::assign(*iv.copy, ir::var(iv.array)));
  }
  // Concentrations the mechanism writes start from the ion's value too.
  for (const IonVariable &iv : ionVariables_) {
    if (!iv.copy || iv.read || !iv.write || iv.quantity == ir::IonQuantity::Current) continue;
    emit(ir::assign(*iv.copy, ir::var(iv.array)));
  }
}

void Lowerer::storeIons() {
  for (const IonVariable &iv : ionVariables_) {
    if (!iv.copy || !iv.write || iv.quantity == ir::IonQuantity::Current) continue;
    emit(ir::assign(iv.array, ir::var(*iv.copy)));
  }
}

namespace {
const BodyBlock *findBody(const ast::Program &program, BodyKind kind) {
  for (const NodePtr &item : program.items) {
    if (const auto *b = dyn_cast<BodyBlock>(item.get()); b && b->block == kind) return b;
  }
  return nullptr;
}
}  // namespace

void Lowerer::buildInit() {
  beginKernel("init", ir::KernelKind::Init);
  loadVoltage();
  loadIons(true);
  // STATE x starts at x0 (a GLOBAL the user may set), as in NEURON; a STATE that is
  // an ion concentration starts at the ion's value instead.
  for (const auto &[name, s] : sema_.symbols.all()) {
    if (s.kind != sema::SymbolKind::State || !s.ion.empty()) continue;
    auto binding = globals_.find(name);
    if (binding == globals_.end() || !binding->second.var) continue;
    const ir::VarId x = *binding->second.var;
    if (m_.variables[x].size > 1) continue;  // arrays start at 0; INITIAL sets them
    ir::ExprRef start;
    if (auto user = globals_.find(name + "0"); user != globals_.end()) {
      start = user->second.value ? user->second.value : ir::var(*user->second.var);
    } else {
      const double initial = m_.variables[x].initial;
      const ir::VarId x0 = m_.add(ir::Variable{.name = name + "0", .storage = ir::Storage::Global,
                                               .role = ir::Role::Parameter, .initial = initial});
      globals_[name + "0"] = Binding{.var = x0};
      start = ir::var(x0);
    }
    emit(ir::assign(x, start));
  }
  // Every INITIAL block, in file order: nocmodl joins them (a ModelDB calcium diffusion
  // file computes its shell volumes in a second one).
  for (const NodePtr &item : sema_.program->items) {
    const auto *initial = dyn_cast<BodyBlock>(item.get());
    if (initial == nullptr || initial->block != BodyKind::Initial) continue;
    scopes_.emplace_back();
    block(*initial->body);
    scopes_.pop_back();
  }
  storeIons();
  endKernel();
}

// The currents in the order NEURON sums them: as the NEURON block names them.
std::vector<ir::VarId> Lowerer::currentsOf() const {
  std::vector<ir::VarId> out;
  auto add = [&](const std::string &name) {
    auto it = globals_.find(name);
    if (it != globals_.end() && it->second.var &&
        std::find(out.begin(), out.end(), *it->second.var) == out.end()) {
      out.push_back(*it->second.var);
    }
  };
  for (const NodePtr &item : sema_.program->items) {
    const auto *neuron = dyn_cast<NeuronBlock>(item.get());
    if (neuron == nullptr) continue;
    for (const NodePtr &stmt : neuron->statements) {
      if (const auto *use = dyn_cast<UseIonStmt>(stmt.get())) {
        for (const Identifier &id : use->write) {
          if (id.name == "i" + use->ion.name) add(id.name);
        }
      } else if (const auto *list = dyn_cast<NameListStmt>(stmt.get());
                 list && (list->list == NameListKind::NonspecificCurrent ||
                          list->list == NameListKind::ElectrodeCurrent)) {
        for (const Identifier &id : list->names) add(id.name);
      }
    }
  }
  return out;
}

// NEURON's nrn_cur: the BREAKPOINT body (without SOLVE) at v + 0.001 and at v; the
// difference is the conductance. Ion currents and their di/dv go to the ions; the
// total goes into the node's rhs and d, per unit area (point processes: scaled by
// 100/area, nA -> mA/cm2).
void Lowerer::buildCurrent() {
  const BodyBlock *breakpoint = findBody(*sema_.program, BodyKind::Breakpoint);
  const std::vector<ir::VarId> currents = currentsOf();
  if (breakpoint == nullptr || currents.empty()) return;
  bool electrode = false;
  for (const auto &[name, s] : sema_.symbols.all()) electrode = electrode || s.electrodeCurrent;
  m_.electrodeCurrent = electrode;

  beginKernel("current", ir::KernelKind::Current);
  auto evaluate = [&](ir::ExprRef offset) {
    loadVoltage(offset);
    scopes_.emplace_back();
    for (const StmtPtr &s : breakpoint->body->statements) {
      if (!isa<SolveStmt>(*s)) statement(*s);
    }
    scopes_.pop_back();
  };
  auto total = [&] {
    ir::ExprRef sum = ir::constant(0);
    for (ir::VarId i : currents) sum = ir::add(sum, ir::var(i));
    return sum;
  };
  loadIons(false);
  const ir::VarId g = newLocal("g");
  const ir::VarId rhs = newLocal("rhs");
  evaluate(ir::constant(0.001));
  emit(ir::assign(g, total()));
  std::vector<std::pair<const IonVariable *, ir::VarId>> saved;
  for (const IonVariable &iv : ionVariables_) {
    if (iv.quantity != ir::IonQuantity::Current || !iv.write) continue;
    const ir::VarId copy = newLocal("d" + iv.name);
    emit(ir::assign(copy, ir::var(*iv.copy)));
    saved.emplace_back(&iv, copy);
  }
  discontinuitiesOff_ = true;  // NEURON's nrn_cur sets state_discon_flag_ for the pass at v
  evaluate(nullptr);
  discontinuitiesOff_ = false;
  emit(ir::assign(rhs, total()));
  emit(ir::assign(g, ir::div(ir::sub(ir::var(g), ir::var(rhs)), ir::constant(0.001))));
  const bool point = m_.kind == ir::MechanismKind::PointProcess;
  auto scaled = [&](ir::ExprRef e) {
    return point ? ir::mul(e, ir::div(ir::constant(1e2), ir::var(*nodeArea_))) : e;
  };
  for (const auto &[iv, copy] : saved) {
    emit(ir::assign(*iv->conductance, ir::add(ir::var(*iv->conductance),
                                              scaled(ir::div(ir::sub(ir::var(copy), ir::var(*iv->copy)),
                                                             ir::constant(0.001))))));
    emit(ir::assign(iv->array, ir::add(ir::var(iv->array), scaled(ir::var(*iv->copy)))));
  }
  // Electrode currents flow into the cell: the signs are reversed.
  if (electrode) {
    emit(ir::assign(*nodeRhs_, ir::add(ir::var(*nodeRhs_), scaled(ir::var(rhs)))));
    emit(ir::assign(*nodeD_, ir::sub(ir::var(*nodeD_), scaled(ir::var(g)))));
  } else {
    emit(ir::assign(*nodeRhs_, ir::sub(ir::var(*nodeRhs_), scaled(ir::var(rhs)))));
    emit(ir::assign(*nodeD_, ir::add(ir::var(*nodeD_), scaled(ir::var(g)))));
  }
  endKernel();
}

void Lowerer::buildState() {
  const BodyBlock *breakpoint = findBody(*sema_.program, BodyKind::Breakpoint);
  if (breakpoint == nullptr) return;
  // Without currents there is no current kernel: NEURON then runs the rest of the
  // BREAKPOINT block in nrn_state, after the SOLVEs before it.
  const bool withRest = currentsOf().empty();
  bool any = false;
  for (const StmtPtr &s : breakpoint->body->statements) any = any || isa<SolveStmt>(*s) || withRest;
  if (!any) return;
  beginKernel("state", ir::KernelKind::State);
  loadVoltage();
  loadIons(true);
  scopes_.emplace_back();
  halvesDt_ = false;
  for (const StmtPtr &s : breakpoint->body->statements) {
    if (const auto *solveStmt = dyn_cast<SolveStmt>(s.get())) {
      solve(*solveStmt, false);
    } else if (withRest) {
      statement(*s);
    }
  }
  scopes_.pop_back();
  // nocmodl halves dt for all of nrn_state when it holds a derivimplicit or sparse SOLVE
  if (halvesDt_) halveDtUnderSecondOrder();
  storeIons();
  endKernel();
}

void Lowerer::buildNetReceive() {
  const NetReceiveBlock *net = nullptr;
  for (const NodePtr &item : sema_.program->items) {
    if (const auto *n = dyn_cast<NetReceiveBlock>(item.get())) net = n;
  }
  if (net == nullptr) return;
  m_.netReceiveArgs = static_cast<std::uint32_t>(net->params.size());
  auto declareParams = [&] {
    for (const Param &p : net->params) {
      const ir::VarId id = newParam(p.name.name);
      scopes_.back()[p.name.name] = Binding{.var = id};
    }
  };
  const InitialStmt *initial = nullptr;
  for (const StmtPtr &s : net->body->statements) {
    if (const auto *i = dyn_cast<InitialStmt>(s.get())) initial = i;
  }
  inNetReceive_ = true;
  if (initial != nullptr) {
    beginKernel("net_init", ir::KernelKind::NetInit);
    declareParams();
    loadVoltage();
    scopes_.emplace_back();
    block(*initial->body);
    endKernel();
  }
  beginKernel("net_receive", ir::KernelKind::NetReceive);
  declareParams();
  const ir::VarId flag = newParam("flag");
  scopes_.back()["flag"] = Binding{.var = flag};
  loadVoltage();
  scopes_.emplace_back();
  for (const StmtPtr &s : net->body->statements) {
    if (!isa<InitialStmt>(*s)) statement(*s);
  }
  endKernel();
  inNetReceive_ = false;
}

void Lowerer::buildCallableKernels() {
  for (const auto &[name, c] : callables_) {
    beginKernel(name, c->callable == CallableKind::Function ? ir::KernelKind::Function : ir::KernelKind::Procedure);
    std::vector<ir::ExprRef> args;
    for (const Param &p : c->params) {
      const ir::VarId id = newParam(p.name.name);
      args.push_back(ir::var(id));
    }
    loadVoltage();
    // The body, with its own TABLE honoured, as any caller would see it.
    ir::ExprRef value = inlineCallable(*c, std::move(args));
    if (c->callable == CallableKind::Function) {
      const ir::VarId result = newLocal(name + "_value");
      emit(ir::assign(result, value ? value : ir::constant(0)));
      kernel_->result = result;
    }
    endKernel();
  }
}

// Per LONGITUDINAL_DIFFUSION species: `ldifus_<state>(element)`, the statement's
// coefficient times cross-section, and `ldifus_volume_<state>(element)`, the volume its
// COMPARTMENT statement gives (1 without one), as nocmodl's _difcoef functions.
void Lowerer::buildDiffusion() {
  for (const auto &[diffusion, block] : longDiffusions_) {
    for (const Identifier &species : diffusion->species) {
      std::optional<Binding> b = lookup(species.name);
      if (!b || !b->var || m_.variables[*b->var].role != ir::Role::State) {
        error(species.range, fmt::format("LONGITUDINAL_DIFFUSION names '{}', which is not a STATE", species.name));
        continue;
      }
      const ast::CompartmentStmt *volume = nullptr;
      forEachNode(*block->body, [&](const Node &n) {
        if (const auto *c = dyn_cast<CompartmentStmt>(&n); c != nullptr && !c->longitudinalDiffusion) {
          for (const Identifier &s : c->species) {
            if (s.name == species.name && volume == nullptr) volume = c;
          }
        }
      });
      const std::string state = m_.variables[*b->var].name;
      for (const bool isVolume : {false, true}) {
        const ast::CompartmentStmt *statement = isVolume ? volume : diffusion;
        beginKernel((isVolume ? "ldifus_volume_" : "ldifus_") + state, isVolume ? ir::KernelKind::DiffusionVolume : ir::KernelKind::Diffusion);
        const ir::VarId element = newParam("element");
        loadVoltage();
        scopes_.emplace_back();
        if (statement != nullptr && statement->index) bind(statement->index->name, Binding{.var = element});
        const ir::ExprRef value = statement != nullptr ? expr(*statement->amount) : ir::constant(1);
        scopes_.pop_back();
        const ir::VarId result = newLocal(isVolume ? "volume" : "coefficient");
        emit(ir::assign(result, value));
        kernel_->result = result;
        endKernel();
      }
    }
  }
}

void Lowerer::buildBeforeAfter() {
  for (const NodePtr &item : sema_.program->items) {
    if (const auto *ba = dyn_cast<BeforeAfterBlock>(item.get())) {
      beginKernel(fmt::format("{}_{}", ba->when == BeforeAfterWhen::Before ? "before" : "after",
                              keyword(ba->what)),
                  ba->when == BeforeAfterWhen::Before ? ir::KernelKind::Before : ir::KernelKind::After);
      switch (ba->what) {
      case BeforeAfterWhat::Breakpoint: kernel_->stepPoint = ir::StepPoint::Breakpoint; break;
      case BeforeAfterWhat::Solve: kernel_->stepPoint = ir::StepPoint::Solve; break;
      case BeforeAfterWhat::Initial: kernel_->stepPoint = ir::StepPoint::Initial; break;
      case BeforeAfterWhat::Step: kernel_->stepPoint = ir::StepPoint::Step; break;
      }
      loadVoltage();
      loadIons(true);
      scopes_.emplace_back();
      block(*ba->body);
      storeIons();
      endKernel();
    } else if (const auto *b = dyn_cast<BodyBlock>(item.get());
               b && (b->block == BodyKind::Constructor || b->block == BodyKind::Destructor)) {
      beginKernel(b->block == BodyKind::Constructor ? "constructor" : "destructor",
                  b->block == BodyKind::Constructor ? ir::KernelKind::Constructor : ir::KernelKind::Destructor);
      scopes_.emplace_back();
      block(*b->body);
      endKernel();
    }
  }
}

}  // namespace ranvier::transform
