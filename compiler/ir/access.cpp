#include "ir/access.hpp"

#include <set>

namespace ranvier::ir {
namespace {

// What one kernel's own statements touch, and which kernels they call.
struct Touches {
  std::set<VarId> reads, writes;
  std::set<std::uint32_t> calls;

  void expr(const Expr &e) {
    if (e.op == Op::Var) reads.insert(e.var);
    if (e.op == Op::Call) calls.insert(e.kernel);
    for (const ExprRef &a : e.args) expr(*a);
  }

  void body(const Body &b) {
    for (const Stmt &s : b) stmt(s);
  }

  void stmt(const Stmt &s) {
    for (const ExprRef *e : {&s.value, &s.index, &s.flag}) {
      if (*e) expr(**e);
    }
    for (const ExprRef &a : s.args) expr(*a);
    switch (s.kind) {
    case StmtKind::Assign:
    case StmtKind::Random: writes.insert(s.target); break;
    case StmtKind::Call: calls.insert(s.index2); break;
    case StmtKind::ForNetCons: writes.insert(s.vars.begin(), s.vars.end()); break;
    case StmtKind::SolveLinear:
      for (const ExprRef &a : s.system->matrix) {
        if (a) expr(*a);
      }
      for (const ExprRef &a : s.system->rhs) expr(*a);
      writes.insert(s.system->solution.begin(), s.system->solution.end());
      break;
    default: break;
    }
    body(s.body);
    body(s.otherwise);
  }
};

}  // namespace

std::vector<VariableAccess> variableAccess(const Mechanism &m) {
  std::vector<Touches> own(m.kernels.size());
  for (std::size_t k = 0; k < m.kernels.size(); ++k) own[k].body(m.kernels[k].body);
  std::vector<VariableAccess> access(m.variables.size());
  auto mark = [&](const Touches &t, std::uint32_t bit) {
    for (VarId id : t.reads) access[id].readBy |= bit;
    for (VarId id : t.writes) access[id].writtenBy |= bit;
  };
  // what `first` does, and every kernel it reaches through calls (recursion included)
  auto markReached = [&](const Touches &first, std::uint32_t bit) {
    mark(first, bit);
    std::set<std::uint32_t> reached;
    std::vector<std::uint32_t> todo(first.calls.begin(), first.calls.end());
    while (!todo.empty()) {
      const std::uint32_t at = todo.back();
      todo.pop_back();
      if (at >= own.size() || !reached.insert(at).second) continue;
      mark(own[at], bit);
      todo.insert(todo.end(), own[at].calls.begin(), own[at].calls.end());
    }
  };
  for (std::size_t k = 0; k < m.kernels.size(); ++k) markReached(own[k], kindBit(m.kernels[k].kind));
  for (const Watch &w : m.watches) {
    Touches t;
    for (const ExprRef *e : {&w.condition, &w.value}) {
      if (*e) t.expr(**e);
    }
    markReached(t, watchBit);
  }
  return access;
}

}  // namespace ranvier::ir
