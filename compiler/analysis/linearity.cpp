#include "analysis/linearity.hpp"

#include <cstdint>
#include <map>

namespace ranvier::analysis {
namespace {

using namespace ranvier::ast;

// How an expression depends on one state x.
enum class Dependence { Free, Linear, Nonlinear };

Dependence worst(Dependence a, Dependence b) { return std::max(a, b); }

class Classifier {
public:
  explicit Classifier(std::string state) : state_(std::move(state)) {}

  // What each variable assigned so far in the block means for x.
  std::map<std::string, Dependence> assigned;

  Dependence of(const Expr &e) const {
    if (isa<NumberExpr>(e) || isa<StringExpr>(e)) return Dependence::Free;
    if (const auto *v = dyn_cast<VarRefExpr>(&e)) {
      Dependence index = v->index ? of(*v->index) : Dependence::Free;
      if (index != Dependence::Free) return Dependence::Nonlinear;
      if (v->name.name == state_ && v->primes == 0) return Dependence::Linear;
      auto it = assigned.find(v->name.name);
      return it == assigned.end() ? Dependence::Free : it->second;
    }
    if (const auto *c = dyn_cast<CallExpr>(&e)) {
      for (const ExprPtr &a : c->arguments) {
        if (of(*a) != Dependence::Free) return Dependence::Nonlinear;
      }
      return Dependence::Free;
    }
    if (const auto *u = dyn_cast<UnaryExpr>(&e)) {
      Dependence d = of(*u->operand);
      return u->op == UnaryOp::Not && d != Dependence::Free ? Dependence::Nonlinear : d;
    }
    const auto &b = cast<BinaryExpr>(e);
    const Dependence l = of(*b.lhs);
    const Dependence r = of(*b.rhs);
    switch (b.op) {
    case BinaryOp::Add:
    case BinaryOp::Sub: return worst(l, r);
    case BinaryOp::Mul:
      if (l == Dependence::Free) return r;
      if (r == Dependence::Free) return l;
      return Dependence::Nonlinear;
    case BinaryOp::Div:
      return r == Dependence::Free ? l : Dependence::Nonlinear;
    case BinaryOp::Pow: {
      if (l == Dependence::Free && r == Dependence::Free) return Dependence::Free;
      const auto *exponent = dyn_cast<NumberExpr>(b.rhs.get());
      if (r == Dependence::Free && exponent != nullptr && exponent->number.value == 1.0) return l;
      return Dependence::Nonlinear;
    }
    default:  // comparisons and logic: free, or a non-linear switch on x
      return l == Dependence::Free && r == Dependence::Free ? Dependence::Free : Dependence::Nonlinear;
    }
  }

private:
  std::string state_;
};

// How the statements being followed are reached.
enum class Path {
  Always,          // straight-line code: an assignment replaces what was known
  Branch,          // in a branch or loop on a condition free of x: keep the worst case
  SwitchedByState  // in a branch on a condition that depends on x: anything assigned
                   // here is a non-linear function of x
};

// Follows the assignments made before `cutoff` (the ODE's offset).
void follow(const Block &block, Classifier &c, Path path, std::uint32_t cutoff);

void followIf(const IfStmt &i, Classifier &c, Path path, std::uint32_t cutoff) {
  const Path inner = path == Path::SwitchedByState || c.of(*i.condition) != Dependence::Free
                         ? Path::SwitchedByState
                         : Path::Branch;
  follow(*i.then, c, inner, cutoff);
  if (const auto *elseBlock = dyn_cast<Block>(i.otherwise.get())) follow(*elseBlock, c, inner, cutoff);
  if (const auto *elseIf = dyn_cast<IfStmt>(i.otherwise.get())) followIf(*elseIf, c, inner, cutoff);
}

void follow(const Block &block, Classifier &c, Path path, std::uint32_t cutoff) {
  for (const StmtPtr &s : block.statements) {
    if (s->range.begin.offset >= cutoff) return;
    if (const auto *a = dyn_cast<AssignStmt>(s.get())) {
      if (a->target->primes != 0) continue;
      const std::string &name = a->target->name.name;
      Dependence d = path == Path::SwitchedByState ? Dependence::Nonlinear : c.of(*a->value);
      if (path == Path::Branch && c.assigned.contains(name)) d = worst(d, c.assigned[name]);
      c.assigned[name] = d;
    } else if (const auto *i = dyn_cast<IfStmt>(s.get())) {
      followIf(*i, c, path, cutoff);
    } else if (const auto *b = dyn_cast<Block>(s.get())) {
      follow(*b, c, path, cutoff);
    } else if (const auto *w = dyn_cast<WhileStmt>(s.get())) {
      follow(*w->body, c, c.of(*w->condition) != Dependence::Free ? Path::SwitchedByState : Path::Branch, cutoff);
    } else if (const auto *f = dyn_cast<FromStmt>(s.get())) {
      follow(*f->body, c, path == Path::Always ? Path::Branch : path, cutoff);
    }
  }
}

void collectOdes(const Block &block, std::vector<const AssignStmt *> &odes) {
  for (const StmtPtr &s : block.statements) {
    if (const auto *a = dyn_cast<AssignStmt>(s.get()); a != nullptr && a->target->primes == 1) {
      odes.push_back(a);
    } else if (const auto *b = dyn_cast<Block>(s.get())) {
      collectOdes(*b, odes);
    } else if (const auto *i = dyn_cast<IfStmt>(s.get())) {
      collectOdes(*i->then, odes);
      if (const auto *e = dyn_cast<Block>(i->otherwise.get())) collectOdes(*e, odes);
    }
  }
}

}  // namespace

std::vector<OdeLinearity> odeLinearity(const NamedBlock &derivative) {
  std::vector<const AssignStmt *> odes;
  collectOdes(*derivative.body, odes);
  std::vector<OdeLinearity> result;
  for (const AssignStmt *ode : odes) {
    const std::string &x = ode->target->name.name;
    Classifier c(x);
    follow(*derivative.body, c, Path::Always, ode->range.begin.offset);
    const Dependence d = c.of(*ode->value);
    OdeLinearity l{x, d != Dependence::Nonlinear, ode->range, ""};
    if (!l.linear) l.reason = "the right-hand side is not of the form a + b*" + x;
    if (ode->target->index) {
      l.linear = false;
      l.reason = "an array STATE";
    }
    result.push_back(std::move(l));
  }
  return result;
}

bool allOdesLinear(const NamedBlock &derivative) {
  for (const OdeLinearity &l : odeLinearity(derivative)) {
    if (!l.linear) return false;
  }
  return true;
}

}  // namespace ranvier::analysis
