#include "ast/traverse.hpp"

namespace ranvier::ast {
namespace {

struct Children {
  const std::function<void(const Node &)> &f;

  void operator()(const Node *n) const {
    if (n != nullptr) f(*n);
  }
  template <class T> void all(const std::vector<std::unique_ptr<T>> &list) const {
    for (const auto &n : list) (*this)(n.get());
  }
  void reactants(const std::vector<Reactant> &list) const {
    for (const Reactant &r : list) (*this)(r.species.get());
  }

  void of(const NumberExpr &) const {}
  void of(const StringExpr &) const {}
  void of(const VarRefExpr &n) const { (*this)(n.index.get()); }
  void of(const CallExpr &n) const { all(n.arguments); }
  void of(const UnaryExpr &n) const { (*this)(n.operand.get()); }
  void of(const BinaryExpr &n) const { (*this)(n.lhs.get()), (*this)(n.rhs.get()); }
  void of(const Block &n) const { all(n.statements); }
  void of(const LocalStmt &) const {}
  void of(const AssignStmt &n) const { (*this)(n.target.get()), (*this)(n.value.get()); }
  void of(const CallStmt &n) const { (*this)(n.call.get()); }
  void of(const ReactionStmt &n) const {
    reactants(n.lhs), reactants(n.rhs);
    (*this)(n.forwardRate.get()), (*this)(n.backwardRate.get());
  }
  void of(const EquationStmt &n) const { (*this)(n.lhs.get()), (*this)(n.rhs.get()); }
  void of(const ConserveStmt &n) const { reactants(n.lhs), (*this)(n.total.get()); }
  void of(const CompartmentStmt &n) const { (*this)(n.amount.get()); }
  void of(const IfStmt &n) const {
    (*this)(n.condition.get()), (*this)(n.then.get()), (*this)(n.otherwise.get());
  }
  void of(const WhileStmt &n) const { (*this)(n.condition.get()), (*this)(n.body.get()); }
  void of(const FromStmt &n) const {
    (*this)(n.from.get()), (*this)(n.to.get()), (*this)(n.by.get()), (*this)(n.body.get());
  }
  void of(const SolveStmt &n) const { (*this)(n.ifError.get()); }
  void of(const TableStmt &n) const { (*this)(n.from.get()), (*this)(n.to.get()); }
  void of(const ConductanceStmt &) const {}
  void of(const LagStmt &) const {}
  void of(const InitialStmt &n) const { (*this)(n.body.get()); }
  void of(const WatchStmt &n) const {
    for (const WatchItem &w : n.items) (*this)(w.condition.get());
  }
  void of(const ForNetconsStmt &n) const { (*this)(n.body.get()); }
  void of(const MutexStmt &) const {}
  void of(const UnitsToggleStmt &) const {}
  void of(const ForallStmt &n) const { (*this)(n.body.get()); }
  void of(const SensStmt &) const {}
  void of(const QueueStmt &) const {}
  void of(const ResetStmt &) const {}
  void of(const MatchStmt &n) const {
    for (const MatchItem &m : n.items) (*this)(m.variable.get()), (*this)(m.at.get()), (*this)(m.value.get());
  }
  void of(const VerbatimStmt &) const {}
  void of(const SuffixStmt &) const {}
  void of(const UseIonStmt &) const {}
  void of(const NameListStmt &) const {}
  void of(const ThreadsafeStmt &) const {}
  void of(const RepresentsStmt &) const {}
  void of(const TitleItem &) const {}
  void of(const DefineItem &) const {}
  void of(const IncludeItem &) const {}
  void of(const NeuronBlock &n) const { all(n.statements); }
  void of(const UnitsBlock &) const {}
  void of(const DeclarationBlock &) const {}
  void of(const IndependentBlock &) const {}
  void of(const BodyBlock &n) const { (*this)(n.body.get()); }
  void of(const NamedBlock &n) const { (*this)(n.body.get()); }
  void of(const CallableBlock &n) const { (*this)(n.body.get()); }
  void of(const FunctionTableBlock &) const {}
  void of(const NetReceiveBlock &n) const { (*this)(n.body.get()); }
  void of(const BeforeAfterBlock &n) const { (*this)(n.body.get()); }
  void of(const SteppedBlock &) const {}
  void of(const ModelLevelItem &) const {}
  void of(const PlotItem &n) const { all(n.ys), (*this)(n.x.get()); }
};

}  // namespace

void forEachChild(const Node &node, const std::function<void(const Node &)> &f) {
  Children children{f};
  visit(node, [&](const auto &n) { children.of(n); });
}

void forEachNode(const Node &node, const std::function<void(const Node &)> &f) {
  f(node);
  forEachChild(node, [&](const Node &child) { forEachNode(child, f); });
}

void forEachNode(const Program &program, const std::function<void(const Node &)> &f) {
  for (const NodePtr &item : program.items) forEachNode(*item, f);
}

}  // namespace ranvier::ast
