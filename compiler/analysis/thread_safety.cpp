#include "analysis/thread_safety.hpp"

#include <algorithm>
#include <array>
#include <regex>
#include <string_view>

#include <fmt/format.h>

#include "ast/traverse.hpp"

namespace ranvier::analysis {

using namespace ranvier::ast;

const char *id(FindingKind kind) {
  switch (kind) {
  case FindingKind::GlobalAssigned: return "global-assigned";
  case FindingKind::Verbatim: return "verbatim";
  case FindingKind::Pointer: return "pointer";
  case FindingKind::External: return "external";
  case FindingKind::Euler: return "euler";
  case FindingKind::SolveMethod: return "solve-method";
  case FindingKind::KineticMethod: return "kinetic-method";
  case FindingKind::LinearBlock: return "linear-block";
  case FindingKind::UnsafeFunction: return "unsafe-function";
  case FindingKind::StateDiscontinuity: return "state-discontinuity";
  case FindingKind::TableOfGlobal: return "table-global";
  }
  return "?";
}

const char *to_string(Verdict verdict) {
  switch (verdict) {
  case Verdict::Safe: return "safe";
  case Verdict::Fixable: return "fixable";
  case Verdict::Unsafe: return "unsafe";
  }
  return "?";
}

namespace {

// NEURON's functions that use shared state (its extdef5 list).
constexpr std::array kUnsafeFunctions{
    "force", "deflate", "expfit", "derivs", "spline", "exprand", "gauss", "normrand", "poisrand",
    "poisson", "setseed", "scop_random", "boundary", "romberg", "invert", "stepforce",
    "schedule", "set_seed", "nrn_random_play"};

bool isUnsafeFunction(std::string_view name) {
  return std::find(kUnsafeFunctions.begin(), kUnsafeFunctions.end(), name) != kUnsafeFunctions.end();
}

// `VERBATIM return _lx; ENDVERBATIM` in a FUNCTION: only returns a value.
bool isReturnIdiom(const VerbatimStmt &verbatim) {
  static const std::regex idiom(R"(^\s*return\s+[A-Za-z_0-9.()+\-*/ ]*;\s*$)");
  return std::regex_match(verbatim.text, idiom);
}

class Analysis {
public:
  explicit Analysis(const sema::Mechanism &m) : m_(m), program_(*m.program) {}

  ThreadSafety run() {
    findThreadsafe();
    for (const NodePtr &item : program_.items) {
      item_ = item.get();
      callable_ = dyn_cast<CallableBlock>(item.get());
      forEachNode(*item, [&](const Node &n) { visitNode(n); });
    }
    globals();
    ThreadSafety result;
    result.findings = std::move(findings_);
    std::stable_sort(result.findings.begin(), result.findings.end(), [](const Finding &a, const Finding &b) {
      return a.where.begin.offset < b.where.begin.offset;
    });
    result.verdict = verdict(result.findings);
    return result;
  }

private:
  const sema::Mechanism &m_;
  const Program &program_;
  const Node *item_ = nullptr;
  const CallableBlock *callable_ = nullptr;
  std::vector<Finding> findings_;
  std::optional<std::uint32_t> firstThreadsafe_;  // offset of the first THREADSAFE
  bool verbatimSeen_ = false;

  void findThreadsafe() {
    forEachNode(program_, [&](const Node &n) {
      if (isa<ThreadsafeStmt>(n) && !firstThreadsafe_) firstThreadsafe_ = n.range.begin.offset;
    });
  }
  // nocmodl honours THREADSAFE for some notices only when it comes first in the file.
  bool threadsafeBefore(const SourceRange &where) const {
    return firstThreadsafe_ && *firstThreadsafe_ < where.begin.offset;
  }

  Finding &add(FindingKind kind, SourceRange where, std::string subject, std::string message) {
    findings_.push_back(Finding{kind, where, std::move(subject), std::move(message), {}, false, false});
    return findings_.back();
  }

  bool inBreakpoint() const {
    const auto *body = dyn_cast<BodyBlock>(item_);
    return body != nullptr && body->block == BodyKind::Breakpoint;
  }
  bool inNetReceive() const { return isa<NetReceiveBlock>(*item_); }

  const NamedBlock *namedBlock(const std::string &name) const {
    for (const NodePtr &item : program_.items) {
      const auto *named = dyn_cast<NamedBlock>(item.get());
      if (named != nullptr && named->name.name == name) return named;
    }
    return nullptr;
  }

  void visitNode(const Node &n) {
    if (const auto *verbatim = dyn_cast<VerbatimStmt>(&n)) {
      Finding &f = add(FindingKind::Verbatim, n.range, "VERBATIM",
                       "VERBATIM block: C code that Ranvier does not run and cannot check");
      f.fixedByThreadsafe = callable_ != nullptr && isReturnIdiom(*verbatim);
      f.nocmodlNotice = !verbatimSeen_ && !threadsafeBefore(n.range);
      verbatimSeen_ = true;
    } else if (const auto *list = dyn_cast<NameListStmt>(&n)) {
      const bool pointer = list->list == NameListKind::Pointer || list->list == NameListKind::BbcorePointer;
      if (pointer || list->list == NameListKind::External) {
        std::string names;
        for (const Identifier &id : list->names) names += (names.empty() ? "" : ", ") + id.name;
        Finding &f = add(pointer ? FindingKind::Pointer : FindingKind::External, n.range, names,
                         pointer ? fmt::format("{} {} refers to memory outside the mechanism, which "
                                               "other threads may use", keyword(list->list), names)
                                 : fmt::format("EXTERNAL {} uses variables of another mechanism", names));
        f.nocmodlNotice = !threadsafeBefore(n.range);
        f.vouchedByThreadsafe = pointer && threadsafeBefore(n.range);
      }
    } else if (const auto *call = dyn_cast<CallExpr>(&n)) {
      const std::string &name = call->callee.name;
      if (isUnsafeFunction(name) && m_.symbols.find(name) != nullptr &&
          m_.symbols.find(name)->kind == sema::SymbolKind::BuiltinFunction) {
        Finding &f = add(FindingKind::UnsafeFunction, call->callee.range, name,
                         fmt::format("'{}' uses state that all threads share (NEURON's global random "
                                     "generator or solver workspace)", name));
        f.nocmodlNotice = !threadsafeBefore(call->range);
      } else if (name == "state_discontinuity" && !inNetReceive()) {
        Finding &f = add(FindingKind::StateDiscontinuity, call->callee.range, name,
                         "state_discontinuity outside NET_RECEIVE changes a STATE while other threads integrate");
        f.nocmodlNotice = true;
      }
    } else if (const auto *solve = dyn_cast<SolveStmt>(&n)) {
      solveFindings(*solve);
    } else if (const auto *table = dyn_cast<TableStmt>(&n)) {
      for (const Identifier &depend : table->depends) {
        const sema::Symbol *s = m_.symbols.find(depend.name);
        if (s != nullptr && s->global && !s->writes.empty()) {
          Finding &f = add(FindingKind::TableOfGlobal, depend.range, depend.name,
                           fmt::format("the TABLE depends on GLOBAL '{}', which the mechanism writes: one "
                                       "shared table cannot follow per-thread values", depend.name));
          for (const sema::Access &w : s->writes) f.related.push_back(w.where);
        }
      }
    }
  }

  void solveFindings(const SolveStmt &solve) {
    const NamedBlock *target = namedBlock(solve.block.name);
    if (target == nullptr) return;  // a PROCEDURE, or an error sema reported
    const std::string method = solve.method ? solve.method->name : "";
    switch (target->block) {
    case NamedKind::Derivative:
      if (!inBreakpoint() || solve.how == SolveHow::SteadyState) return;
      if (method == "euler") {
        add(FindingKind::Euler, solve.method->range, target->name.name,
            fmt::format("METHOD euler for DERIVATIVE {}: forward Euler is neither accurate nor what "
                        "NEURON's threads expect", target->name.name));
      } else if (method != "cnexp" && method != "derivimplicit") {
        Finding &f = add(FindingKind::SolveMethod, solve.range, target->name.name,
                         fmt::format("METHOD {} for DERIVATIVE {} is not thread safe in NEURON",
                                     method.empty() ? "(default: adrunge)" : method, target->name.name));
        f.nocmodlNotice = true;
      }
      return;
    case NamedKind::Kinetic:
      if (inBreakpoint() && solve.how == SolveHow::Method && method != "sparse") {
        Finding &f = add(FindingKind::KineticMethod, solve.range, target->name.name,
                         fmt::format("KINETIC {} is thread safe only with METHOD sparse", target->name.name));
        f.nocmodlNotice = true;
      }
      return;
    case NamedKind::Linear:
    case NamedKind::Nonlinear:
    case NamedKind::Discrete:
    case NamedKind::Partial: {
      Finding &f = add(FindingKind::LinearBlock, solve.range, target->name.name,
                       fmt::format("SOLVE of {} block {}: NEURON solves these with shared workspace",
                                   keyword(target->block), target->name.name));
      f.nocmodlNotice = true;
      return;
    }
    }
  }

  // A GLOBAL the mechanism writes is shared by every instance on every thread.
  void globals() {
    for (const auto &[name, s] : m_.symbols.all()) {
      if (!s.global || s.writes.empty()) continue;
      const bool protectedSomewhere = std::any_of(s.writes.begin(), s.writes.end(),
                                                  [](const sema::Access &a) { return a.isProtected; });
      if (protectedSomewhere) continue;  // nocmodl: one PROTECT exempts the variable
      Finding &f = add(FindingKind::GlobalAssigned, s.writes.front().where, name,
                       fmt::format("GLOBAL '{}' is assigned here: every instance on every thread shares "
                                   "it", name));
      for (std::size_t i = 1; i < s.writes.size(); ++i) f.related.push_back(s.writes[i].where);
      for (const sema::Access &r : s.reads) f.related.push_back(r.where);
      f.fixedByThreadsafe = true;
      f.nocmodlNotice = !m_.threadsafe;
    }
  }

  Verdict verdict(const std::vector<Finding> &findings) const {
    bool anyFixable = false;
    for (const Finding &f : findings) {
      if (f.vouchedByThreadsafe) continue;
      if (!f.fixedByThreadsafe) return Verdict::Unsafe;
      anyFixable = true;
    }
    return anyFixable && !m_.threadsafe ? Verdict::Fixable : Verdict::Safe;
  }
};

}  // namespace

ThreadSafety analyzeThreadSafety(const sema::Mechanism &mechanism) {
  return Analysis(mechanism).run();
}

}  // namespace ranvier::analysis
