#include "analysis/global_storage.hpp"

#include <map>
#include <set>

#include <fmt/format.h>

namespace ranvier::analysis {

using namespace ranvier::ast;

const char *to_string(GlobalStorage storage) {
  switch (storage) {
  case GlobalStorage::Shared: return "shared";
  case GlobalStorage::PerThread: return "per-thread";
  case GlobalStorage::PerInstance: return "per-instance";
  }
  return "?";
}

namespace {

using Names = std::set<std::string>;

// What a PROCEDURE or FUNCTION does to the globals, seen from its caller.
struct Summary {
  std::map<std::string, SourceRange> readsFirst;  // globals it may read before writing them
  Names writes;                                   // globals it writes on every path
};

class Flow {
public:
  explicit Flow(const sema::Mechanism &m) : m_(m) {
    for (const auto &[name, s] : m.symbols.all()) {
      if (s.global && !s.writes.empty()) tracked_.insert(name);
    }
    for (const NodePtr &item : m.program->items) {
      if (const auto *c = dyn_cast<CallableBlock>(item.get())) callables_[c->name.name] = c;
    }
  }

  const Names &tracked() const { return tracked_; }

  // Walks one kernel call; returns the globals it may read before writing.
  std::map<std::string, SourceRange> kernel(const Block &body) {
    State state;
    block(body, state);
    return state.readsFirst;
  }

private:
  struct State {
    Names written;                                  // definitely written so far
    std::map<std::string, SourceRange> readsFirst;  // read while not yet written
    Names locals;
  };

  const sema::Mechanism &m_;
  Names tracked_;
  std::map<std::string, const CallableBlock *> callables_;
  std::map<std::string, Summary> summaries_;
  Names inProgress_;  // recursion guard

  void read(const std::string &name, const SourceRange &where, State &s) {
    if (tracked_.contains(name) && !s.locals.contains(name) && !s.written.contains(name)) {
      s.readsFirst.try_emplace(name, where);
    }
  }

  void expr(const Expr &e, State &s) {
    if (const auto *v = dyn_cast<VarRefExpr>(&e)) {
      if (v->index) expr(*v->index, s);
      read(v->name.name, v->name.range, s);
    } else if (const auto *c = dyn_cast<CallExpr>(&e)) {
      call(*c, s);
    } else if (const auto *u = dyn_cast<UnaryExpr>(&e)) {
      expr(*u->operand, s);
    } else if (const auto *b = dyn_cast<BinaryExpr>(&e)) {
      expr(*b->lhs, s);
      expr(*b->rhs, s);
    }
  }

  void call(const CallExpr &c, State &s) {
    for (const ExprPtr &a : c.arguments) expr(*a, s);
    auto it = callables_.find(c.callee.name);
    if (it == callables_.end()) return;
    const Summary &summary = summarize(*it->second);
    for (const auto &[name, where] : summary.readsFirst) {
      if (!s.written.contains(name) && !s.locals.contains(name)) s.readsFirst.try_emplace(name, where);
    }
    for (const std::string &name : summary.writes) s.written.insert(name);
  }

  const Summary &summarize(const CallableBlock &callable) {
    const std::string &name = callable.name.name;
    if (auto it = summaries_.find(name); it != summaries_.end()) return it->second;
    static const Summary nothing;
    if (!inProgress_.insert(name).second) return nothing;  // recursion: assume no effect here
    State state;
    for (const Param &p : callable.params) state.locals.insert(p.name.name);
    block(*callable.body, state);
    inProgress_.erase(name);
    Summary summary{state.readsFirst, {}};
    for (const std::string &w : state.written) {
      if (tracked_.contains(w)) summary.writes.insert(w);
    }
    return summaries_[name] = std::move(summary);
  }

  // Branches: what every path writes is written afterwards; reads accumulate.
  void branch(const Block &body, State &s, Names &writtenOnThisPath) {
    State inner = s;
    block(body, inner);
    for (const auto &r : inner.readsFirst) s.readsFirst.insert(r);
    writtenOnThisPath = inner.written;
  }

  void statement(const Stmt &stmt, State &s) {
    if (const auto *a = dyn_cast<AssignStmt>(&stmt)) {
      expr(*a->value, s);
      if (a->target->index) expr(*a->target->index, s);
      if (a->target->primes == 0 && !s.locals.contains(a->target->name.name)) {
        s.written.insert(a->target->name.name);
      }
    } else if (const auto *c = dyn_cast<CallStmt>(&stmt)) {
      call(*c->call, s);
    } else if (const auto *l = dyn_cast<LocalStmt>(&stmt)) {
      for (const LocalVar &v : l->variables) s.locals.insert(v.name.name);
    } else if (const auto *b = dyn_cast<Block>(&stmt)) {
      block(*b, s);
    } else if (const auto *i = dyn_cast<IfStmt>(&stmt)) {
      expr(*i->condition, s);
      Names thenWrites, elseWrites = s.written;
      branch(*i->then, s, thenWrites);
      if (const auto *e = dyn_cast<Block>(i->otherwise.get())) {
        branch(*e, s, elseWrites);
      } else if (const auto *elseIf = dyn_cast<IfStmt>(i->otherwise.get())) {
        State inner = s;
        statement(*elseIf, inner);
        for (const auto &r : inner.readsFirst) s.readsFirst.insert(r);
        elseWrites = inner.written;
      }
      Names both;
      for (const std::string &n : thenWrites) {
        if (elseWrites.contains(n)) both.insert(n);
      }
      s.written = std::move(both);
    } else if (const auto *w = dyn_cast<WhileStmt>(&stmt)) {
      expr(*w->condition, s);
      Names ignored;
      branch(*w->body, s, ignored);  // the body may not run
    } else if (const auto *f = dyn_cast<FromStmt>(&stmt)) {
      expr(*f->from, s);
      expr(*f->to, s);
      if (f->by) expr(*f->by, s);
      State inner = s;
      inner.locals.insert(f->variable.name);
      block(*f->body, inner);
      for (const auto &r : inner.readsFirst) s.readsFirst.insert(r);
    } else if (const auto *t = dyn_cast<TableStmt>(&stmt)) {
      for (const Identifier &d : t->depends) read(d.name, d.range, s);
    } else if (const auto *r = dyn_cast<ReactionStmt>(&stmt)) {
      if (r->forwardRate) expr(*r->forwardRate, s);
      if (r->backwardRate) expr(*r->backwardRate, s);
    } else if (const auto *e = dyn_cast<EquationStmt>(&stmt)) {
      expr(*e->lhs, s);
      expr(*e->rhs, s);
    } else if (const auto *cs = dyn_cast<ConserveStmt>(&stmt)) {
      expr(*cs->total, s);
    } else if (const auto *cp = dyn_cast<CompartmentStmt>(&stmt)) {
      expr(*cp->amount, s);
    } else if (const auto *init = dyn_cast<InitialStmt>(&stmt)) {
      block(*init->body, s);
    } else if (const auto *watch = dyn_cast<WatchStmt>(&stmt)) {
      for (const WatchItem &item : watch->items) expr(*item.condition, s);
    } else if (const auto *fn = dyn_cast<ForNetconsStmt>(&stmt)) {
      State inner = s;
      for (const Param &p : fn->params) inner.locals.insert(p.name.name);
      block(*fn->body, inner);
      for (const auto &rf : inner.readsFirst) s.readsFirst.insert(rf);
    }
  }

  void block(const Block &b, State &s) {
    const Names outerLocals = s.locals;
    for (const StmtPtr &stmt : b.statements) statement(*stmt, s);
    s.locals = outerLocals;
  }
};

}  // namespace

std::vector<GlobalPlacement> placeGlobals(const sema::Mechanism &m) {
  Flow flow(m);
  std::map<std::string, SourceRange> readFirst;  // across every kernel call
  for (const NodePtr &item : m.program->items) {
    const Block *body = nullptr;
    if (const auto *b = dyn_cast<BodyBlock>(item.get())) body = b->body.get();
    if (const auto *n = dyn_cast<NetReceiveBlock>(item.get())) body = n->body.get();
    if (const auto *ba = dyn_cast<BeforeAfterBlock>(item.get())) body = ba->body.get();
    if (body != nullptr) {
      for (const auto &r : flow.kernel(*body)) readFirst.insert(r);
    }
  }
  // SOLVEd blocks run as kernel calls of their own (the state update).
  for (const NodePtr &item : m.program->items) {
    const auto *named = dyn_cast<NamedBlock>(item.get());
    if (named != nullptr) {
      for (const auto &r : flow.kernel(*named->body)) readFirst.insert(r);
    }
  }

  std::vector<GlobalPlacement> placements;
  for (const auto &[name, s] : m.symbols.all()) {
    if (!s.global) continue;
    GlobalPlacement p{name, GlobalStorage::Shared, "never written: one value for every instance", {}};
    if (!s.writes.empty()) {
      if (auto it = readFirst.find(name); it != readFirst.end()) {
        p.storage = GlobalStorage::PerThread;
        p.readBeforeWrite = it->second;
        p.reason = fmt::format("written, and read at line {} before this kernel call writes it",
                               it->second.begin.line);
      } else {
        p.storage = GlobalStorage::PerInstance;
        p.reason = "every kernel call writes it before reading it: a temporary, one per instance";
      }
    }
    placements.push_back(std::move(p));
  }
  return placements;
}

}  // namespace ranvier::analysis
