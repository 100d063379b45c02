#include "ir/cleanup.hpp"

#include <algorithm>
#include <set>

namespace ranvier::ir {
namespace {

void readsOf(const Expr &e, std::set<VarId> &out) {
  if (e.op == Op::Var) out.insert(e.var);
  for (const ExprRef &a : e.args) readsOf(*a, out);
}

void readsOf(const Body &body, std::set<VarId> &out) {
  for (const Stmt &s : body) {
    if (s.value) readsOf(*s.value, out);
    if (s.index) readsOf(*s.index, out);
    if (s.flag) readsOf(*s.flag, out);
    // A draw advances the instance's stream whether or not its value is used: its
    // target stays declared and the statement stays.
    if (s.kind == StmtKind::Random) out.insert(s.target);
    // FOR_NETCONS writes its locals back into each NetCon's weights after the body.
    if (s.kind == StmtKind::ForNetCons) out.insert(s.vars.begin(), s.vars.end());
    for (const ExprRef &a : s.args) readsOf(*a, out);
    if (s.system) {
      for (const ExprRef &a : s.system->matrix) {
        if (a) readsOf(*a, out);
      }
      for (const ExprRef &a : s.system->rhs) readsOf(*a, out);
    }
    readsOf(s.body, out);
    readsOf(s.otherwise, out);
  }
}

bool prune(Body &body, const std::set<VarId> &dead) {
  bool changed = false;
  for (Stmt &s : body) {
    changed = prune(s.body, dead) || changed;
    changed = prune(s.otherwise, dead) || changed;
  }
  const auto end = std::remove_if(body.begin(), body.end(), [&](const Stmt &s) {
    return (s.kind == StmtKind::Assign && dead.contains(s.target)) ||
           (s.kind == StmtKind::If && s.body.empty() && s.otherwise.empty());
  });
  changed = changed || end != body.end();
  body.erase(end, body.end());
  return changed;
}

}  // namespace

void removeDeadLocals(Mechanism &m, Kernel &kernel) {
  for (bool changed = true; changed;) {
    std::set<VarId> read;
    readsOf(kernel.body, read);
    if (kernel.result) read.insert(*kernel.result);
    std::set<VarId> dead;
    for (VarId id : kernel.locals) {
      if (m.variables[id].storage == Storage::Local && !read.contains(id)) dead.insert(id);
    }
    changed = prune(kernel.body, dead);
    std::erase_if(kernel.locals, [&](VarId id) { return dead.contains(id); });
  }
}

}  // namespace ranvier::ir
