#pragma once
// The NMODL abstract syntax tree: plain C++ types with source ranges. Nothing here
// knows about ANTLR; the frontend builds these nodes and every later stage reads them.
//
// Nodes are a small class hierarchy with LLVM-style kinds (isa/dyn_cast/cast) and an
// X-macro list of every node type, so a pass can dispatch with ast::visit() and the
// compiler tells it when a new node type is not handled.

#include <cassert>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "support/source.hpp"

namespace ranvier::ast {

// Every concrete node type, grouped: expressions, statements, NEURON-block
// statements, top-level items. Keep each group contiguous (the classof range checks
// rely on it).
#define RANVIER_AST_EXPRS(X)                                                                       \
  X(NumberExpr) X(StringExpr) X(VarRefExpr) X(CallExpr) X(UnaryExpr) X(BinaryExpr)
#define RANVIER_AST_STMTS(X)                                                                       \
  X(Block) X(LocalStmt) X(AssignStmt) X(CallStmt) X(ReactionStmt) X(EquationStmt)                  \
  X(ConserveStmt) X(CompartmentStmt) X(IfStmt) X(WhileStmt) X(FromStmt) X(SolveStmt) X(TableStmt)  \
  X(ConductanceStmt) X(LagStmt) X(InitialStmt) X(WatchStmt) X(ForNetconsStmt) X(MutexStmt)         \
  X(UnitsToggleStmt) X(ForallStmt) X(SensStmt) X(QueueStmt) X(ResetStmt) X(MatchStmt) X(VerbatimStmt)
#define RANVIER_AST_NEURON_STMTS(X)                                                                \
  X(SuffixStmt) X(UseIonStmt) X(NameListStmt) X(ThreadsafeStmt) X(RepresentsStmt)
#define RANVIER_AST_ITEMS(X)                                                                       \
  X(TitleItem) X(DefineItem) X(IncludeItem) X(NeuronBlock) X(UnitsBlock) X(DeclarationBlock)       \
  X(IndependentBlock) X(BodyBlock) X(NamedBlock) X(CallableBlock) X(FunctionTableBlock)            \
  X(NetReceiveBlock) X(BeforeAfterBlock) X(SteppedBlock) X(ModelLevelItem) X(PlotItem)
#define RANVIER_AST_NODES(X)                                                                       \
  RANVIER_AST_EXPRS(X) RANVIER_AST_STMTS(X) RANVIER_AST_NEURON_STMTS(X) RANVIER_AST_ITEMS(X)

enum class NodeKind : std::uint8_t {
#define RANVIER_ENUM(name) name,
  RANVIER_AST_NODES(RANVIER_ENUM)
#undef RANVIER_ENUM
};

const char *to_string(NodeKind kind);

class Node {
public:
  virtual ~Node() = default;
  Node(const Node &) = delete;
  Node &operator=(const Node &) = delete;

  NodeKind kind() const { return kind_; }
  SourceRange range;

protected:
  Node(NodeKind kind, SourceRange where) : range(where), kind_(kind) {}

private:
  NodeKind kind_;
};

using NodePtr = std::unique_ptr<Node>;

template <class T> bool isa(const Node &node) { return T::classof(node); }
template <class T> T *dyn_cast(Node *node) {
  return node != nullptr && T::classof(*node) ? static_cast<T *>(node) : nullptr;
}
template <class T> const T *dyn_cast(const Node *node) {
  return node != nullptr && T::classof(*node) ? static_cast<const T *>(node) : nullptr;
}
template <class T> T &cast(Node &node) {
  assert(T::classof(node));
  return static_cast<T &>(node);
}
template <class T> const T &cast(const Node &node) {
  assert(T::classof(node));
  return static_cast<const T &>(node);
}

#define RANVIER_NODE(name, base)                                                                   \
  static constexpr NodeKind Kind = NodeKind::name;                                                 \
  static bool classof(const Node &node) { return node.kind() == Kind; }                            \
  explicit name(SourceRange where) : base(Kind, where) {}

// ───────────────────────────── small value types ─────────────────────────────

struct Identifier {
  std::string name;
  SourceRange range;
};

// Units as written between parentheses, whitespace collapsed: "mA/cm2", "/ms".
struct Unit {
  std::string text;
  SourceRange range;
};

// A numeric literal; `spelling` keeps the source text (with a leading '-' for
// signed literals in declarations) so printing gives back the same digits.
struct Number {
  std::string spelling;
  double value = 0;
  SourceRange range;
};

// An integer literal or a DEFINEd name standing for one (array sizes, WITH n).
struct IntegerRef {
  std::string spelling;
  SourceRange range;
  bool isLiteral() const { return !spelling.empty() && spelling[0] >= '0' && spelling[0] <= '9'; }
};

// ───────────────────────────── expressions ─────────────────────────────

class Expr : public Node {
public:
  static bool classof(const Node &node) {
    return node.kind() >= NodeKind::NumberExpr && node.kind() <= NodeKind::BinaryExpr;
  }

protected:
  using Node::Node;
};
using ExprPtr = std::unique_ptr<Expr>;

class NumberExpr final : public Expr {
public:
  RANVIER_NODE(NumberExpr, Expr)
  Number number;
  std::optional<Unit> unit;
};

// A string literal; only function arguments may be strings (printf and friends).
class StringExpr final : public Expr {
public:
  RANVIER_NODE(StringExpr, Expr)
  std::string value;  // without the quotes
};

// A variable use: `x`, `x[i]`, `m'` (primes = 1), `x@1` (DISCRETE lag).
class VarRefExpr final : public Expr {
public:
  RANVIER_NODE(VarRefExpr, Expr)
  Identifier name;
  unsigned primes = 0;
  std::optional<IntegerRef> discreteLag;
  ExprPtr index;  // may be null
};

class CallExpr final : public Expr {
public:
  RANVIER_NODE(CallExpr, Expr)
  Identifier callee;
  std::vector<ExprPtr> arguments;
};

enum class UnaryOp : std::uint8_t { Negate, Plus, Not };
const char *spelling(UnaryOp op);

class UnaryExpr final : public Expr {
public:
  RANVIER_NODE(UnaryExpr, Expr)
  UnaryOp op = UnaryOp::Negate;
  ExprPtr operand;
};

enum class BinaryOp : std::uint8_t { Pow, Mul, Div, Add, Sub, Lt, Gt, Le, Ge, Eq, Ne, And, Or };
const char *spelling(BinaryOp op);
// Binding strength as in nocmodl: higher binds tighter. Unary operators sit
// between '^' and '*' (see kUnaryPrecedence).
int precedence(BinaryOp op);
bool isRightAssociative(BinaryOp op);
inline constexpr int kUnaryPrecedence = 6;

class BinaryExpr final : public Expr {
public:
  RANVIER_NODE(BinaryExpr, Expr)
  BinaryOp op = BinaryOp::Add;
  ExprPtr lhs;
  ExprPtr rhs;
};

// ───────────────────────────── statements ─────────────────────────────

class Stmt : public Node {
public:
  static bool classof(const Node &node) {
    return node.kind() >= NodeKind::Block && node.kind() <= NodeKind::VerbatimStmt;
  }

protected:
  using Node::Node;
};
using StmtPtr = std::unique_ptr<Stmt>;

class Block final : public Stmt {
public:
  RANVIER_NODE(Block, Stmt)
  std::vector<StmtPtr> statements;
};
using BlockPtr = std::unique_ptr<Block>;

struct LocalVar {
  Identifier name;
  std::optional<IntegerRef> size;
};

class LocalStmt final : public Stmt {
public:
  RANVIER_NODE(LocalStmt, Stmt)
  std::vector<LocalVar> variables;
};

// `target = value`; in a DERIVATIVE block the target is primed (`m' = ...`).
class AssignStmt final : public Stmt {
public:
  RANVIER_NODE(AssignStmt, Stmt)
  bool protect = false;  // PROTECT x = ...
  std::unique_ptr<VarRefExpr> target;
  ExprPtr value;
};

class CallStmt final : public Stmt {
public:
  RANVIER_NODE(CallStmt, Stmt)
  std::unique_ptr<CallExpr> call;
};

// One term of a kinetic reaction: `2 ca` has coefficient 2; `N ca` a DEFINEd one.
struct Reactant {
  std::optional<IntegerRef> coefficient;  // absent: 1
  std::unique_ptr<VarRefExpr> species;
  SourceRange range;
};

enum class ReactionOp : std::uint8_t {
  Reversible,  // ~ A <-> B (kf, kb)
  FluxIn,      // ~ A << (flux)
  FluxOut,     // ~ A -> (flux)
};

class ReactionStmt final : public Stmt {
public:
  RANVIER_NODE(ReactionStmt, Stmt)
  std::vector<Reactant> lhs;
  ReactionOp op = ReactionOp::Reversible;
  std::vector<Reactant> rhs;  // empty unless Reversible
  ExprPtr forwardRate;        // the flux for << and ->
  ExprPtr backwardRate;       // null unless Reversible
};

// `~ lhs = rhs` in LINEAR, NONLINEAR and PARTIAL blocks; `~+` adds to the previous one;
// `~ DEL c[FIRST] = 0` is a PARTIAL flux boundary condition.
class EquationStmt final : public Stmt {
public:
  RANVIER_NODE(EquationStmt, Stmt)
  bool addition = false;
  bool boundaryFlux = false;  // DEL
  ExprPtr lhs;
  ExprPtr rhs;
};

class ConserveStmt final : public Stmt {
public:
  RANVIER_NODE(ConserveStmt, Stmt)
  std::vector<Reactant> lhs;
  ExprPtr total;
};

// COMPARTMENT [i,] volume { species }  and  LONGITUDINAL_DIFFUSION [i,] rate { species }
class CompartmentStmt final : public Stmt {
public:
  RANVIER_NODE(CompartmentStmt, Stmt)
  bool longitudinalDiffusion = false;
  std::optional<Identifier> index;
  ExprPtr amount;
  std::vector<Identifier> species;
};

class IfStmt final : public Stmt {
public:
  RANVIER_NODE(IfStmt, Stmt)
  ExprPtr condition;
  BlockPtr then;
  StmtPtr otherwise;  // a Block, an IfStmt (else if), or null
};

class WhileStmt final : public Stmt {
public:
  RANVIER_NODE(WhileStmt, Stmt)
  ExprPtr condition;
  BlockPtr body;
};

// FROM i = a TO b [BY c] { ... }
class FromStmt final : public Stmt {
public:
  RANVIER_NODE(FromStmt, Stmt)
  Identifier variable;
  ExprPtr from;
  ExprPtr to;
  ExprPtr by;  // may be null
  BlockPtr body;
};

enum class SolveHow : std::uint8_t { Default, Method, SteadyState };

class SolveStmt final : public Stmt {
public:
  RANVIER_NODE(SolveStmt, Stmt)
  Identifier block;
  SolveHow how = SolveHow::Default;
  std::optional<Identifier> method;
  BlockPtr ifError;  // SOLVE ... IFERROR { }, may be null
};

class TableStmt final : public Stmt {
public:
  RANVIER_NODE(TableStmt, Stmt)
  std::vector<Identifier> names;
  std::vector<Identifier> depends;
  ExprPtr from;
  ExprPtr to;
  IntegerRef with;
};

class ConductanceStmt final : public Stmt {
public:
  RANVIER_NODE(ConductanceStmt, Stmt)
  Identifier variable;
  std::optional<Identifier> ion;
};

class LagStmt final : public Stmt {
public:
  RANVIER_NODE(LagStmt, Stmt)
  Identifier variable;
  unsigned primes = 0;
  Identifier by;
};

// INITIAL { } inside NET_RECEIVE.
class InitialStmt final : public Stmt {
public:
  RANVIER_NODE(InitialStmt, Stmt)
  BlockPtr body;
};

struct WatchItem {
  ExprPtr condition;  // a BinaryExpr with '<' or '>'
  Number flag;
  SourceRange range;
};

class WatchStmt final : public Stmt {
public:
  RANVIER_NODE(WatchStmt, Stmt)
  std::vector<WatchItem> items;
};

// A formal parameter of FUNCTION, PROCEDURE, NET_RECEIVE, FOR_NETCONS.
struct Param {
  Identifier name;
  unsigned primes = 0;
  std::optional<Unit> unit;
};

class ForNetconsStmt final : public Stmt {
public:
  RANVIER_NODE(ForNetconsStmt, Stmt)
  std::vector<Param> params;
  BlockPtr body;
};

class MutexStmt final : public Stmt {
public:
  RANVIER_NODE(MutexStmt, Stmt)
  bool lock = true;
};

class UnitsToggleStmt final : public Stmt {
public:
  RANVIER_NODE(UnitsToggleStmt, Stmt)
  bool on = true;
};

// Legacy SCoP statements that nocmodl 8.2 still accepts.
class ForallStmt final : public Stmt {  // FORALL i { }
public:
  RANVIER_NODE(ForallStmt, Stmt)
  Identifier variable;
  BlockPtr body;
};

class SensStmt final : public Stmt {  // SENS k1, k2
public:
  RANVIER_NODE(SensStmt, Stmt)
  std::vector<Identifier> names;
};

class QueueStmt final : public Stmt {  // PUTQ x / GETQ x
public:
  RANVIER_NODE(QueueStmt, Stmt)
  bool put = true;
  Identifier variable;
};

class ResetStmt final : public Stmt {  // RESET
public:
  RANVIER_NODE(ResetStmt, Stmt)
};

struct MatchItem {
  std::unique_ptr<VarRefExpr> variable;
  ExprPtr at;     // u(at) = value; both null for a plain name
  ExprPtr value;
  SourceRange range;
};

class MatchStmt final : public Stmt {  // MATCH { x0  u(10) = 1 }
public:
  RANVIER_NODE(MatchStmt, Stmt)
  std::vector<MatchItem> items;
};

// VERBATIM ... ENDVERBATIM; kept as text, never executed.
class VerbatimStmt final : public Stmt {
public:
  RANVIER_NODE(VerbatimStmt, Stmt)
  std::string text;  // between the keywords, verbatim
};

// ───────────────────────────── NEURON block ─────────────────────────────

enum class MechanismKind : std::uint8_t { Density, PointProcess, ArtificialCell };
const char *keyword(MechanismKind kind);

class SuffixStmt final : public Node {
public:
  RANVIER_NODE(SuffixStmt, Node)
  MechanismKind mechanism = MechanismKind::Density;
  Identifier name;
};

struct Ontology {
  std::string id;  // NCIT:C17145 or [NCIT:C17145], as written
  SourceRange range;
};

class UseIonStmt final : public Node {
public:
  RANVIER_NODE(UseIonStmt, Node)
  Identifier ion;
  std::vector<Identifier> read;
  std::vector<Identifier> write;
  std::optional<Number> valence;
  std::optional<Ontology> represents;
};

enum class NameListKind : std::uint8_t {
  Range, Global, Pointer, BbcorePointer, External, NonspecificCurrent, ElectrodeCurrent
};
const char *keyword(NameListKind kind);

class NameListStmt final : public Node {
public:
  RANVIER_NODE(NameListStmt, Node)
  NameListKind list = NameListKind::Range;
  std::vector<Identifier> names;
};

class ThreadsafeStmt final : public Node {
public:
  RANVIER_NODE(ThreadsafeStmt, Node)
  std::vector<Identifier> names;  // THREADSAFE a, b: GLOBALs made per-thread
};

class RepresentsStmt final : public Node {
public:
  RANVIER_NODE(RepresentsStmt, Node)
  Ontology ontology;
};

// ───────────────────────────── top-level items ─────────────────────────────

class TitleItem final : public Node {
public:
  RANVIER_NODE(TitleItem, Node)
  std::string text;  // the rest of the line, trimmed
};

class DefineItem final : public Node {
public:
  RANVIER_NODE(DefineItem, Node)
  Identifier name;
  IntegerRef value;
};

class IncludeItem final : public Node {
public:
  RANVIER_NODE(IncludeItem, Node)
  std::string path;  // as written, without quotes
};

class NeuronBlock final : public Node {
public:
  RANVIER_NODE(NeuronBlock, Node)
  std::vector<NodePtr> statements;  // SuffixStmt, UseIonStmt, NameListStmt, ...
};

struct UnitDef {
  enum class Form : std::uint8_t {
    Alias,         // (mA) = (milliamp)
    FactorNumber,  // F = 96485.3 (coulomb)
    FactorUnits,   // FARADAY = (faraday) (coulomb)
    FactorArrow,   // foot2inch = (foot) -> (inch)
  };
  Form form = Form::Alias;
  std::optional<Identifier> name;  // absent for Alias
  std::optional<Number> value;     // FactorNumber only
  Unit first;
  std::optional<Unit> second;      // absent for FactorNumber
  SourceRange range;
};

class UnitsBlock final : public Node {
public:
  RANVIER_NODE(UnitsBlock, Node)
  std::vector<UnitDef> definitions;
};

enum class DeclKind : std::uint8_t { Parameter, Assigned, State, Constant };
const char *keyword(DeclKind kind);

// A declaration in PARAMETER, ASSIGNED, STATE or CONSTANT. Which parts may be
// present depends on the block; the frontend enforces nocmodl's rules.
struct VarDecl {
  Identifier name;
  unsigned primes = 0;
  std::optional<IntegerRef> size;  // name[size]
  std::optional<Number> value;     // = value
  std::optional<Number> from;      // FROM from TO to
  std::optional<Number> to;
  std::optional<Number> start;     // START start
  std::optional<Unit> unit;
  std::optional<Number> low;       // <low, high>
  std::optional<Number> high;
  std::optional<Number> tolerance; // <tolerance>  (STATE absolute tolerance)
  SourceRange range;
};

class DeclarationBlock final : public Node {
public:
  RANVIER_NODE(DeclarationBlock, Node)
  DeclKind block = DeclKind::Parameter;
  std::vector<VarDecl> declarations;
};

struct IndependentDecl {
  bool sweep = false;
  Identifier name;
  Number from;
  Number to;
  IntegerRef with;
  std::optional<Number> start;
  std::optional<Unit> unit;
  SourceRange range;
};

class IndependentBlock final : public Node {
public:
  RANVIER_NODE(IndependentBlock, Node)
  std::vector<IndependentDecl> declarations;
};

enum class BodyKind : std::uint8_t { Initial, Breakpoint, Constructor, Destructor, Terminal };
const char *keyword(BodyKind kind);

// INITIAL, BREAKPOINT, CONSTRUCTOR, DESTRUCTOR, TERMINAL (legacy).
class BodyBlock final : public Node {
public:
  RANVIER_NODE(BodyBlock, Node)
  BodyKind block = BodyKind::Initial;
  BlockPtr body;
};

enum class NamedKind : std::uint8_t { Derivative, Linear, Nonlinear, Kinetic, Discrete, Partial };
const char *keyword(NamedKind kind);

// Blocks a SOLVE statement names: DERIVATIVE, KINETIC, LINEAR, NONLINEAR, DISCRETE, PARTIAL.
class NamedBlock final : public Node {
public:
  RANVIER_NODE(NamedBlock, Node)
  NamedKind block = NamedKind::Derivative;
  Identifier name;
  std::vector<Identifier> solveFor;
  BlockPtr body;
};

enum class CallableKind : std::uint8_t { Function, Procedure };
const char *keyword(CallableKind kind);

class CallableBlock final : public Node {
public:
  RANVIER_NODE(CallableBlock, Node)
  CallableKind callable = CallableKind::Function;
  Identifier name;
  std::vector<Param> params;
  std::optional<Unit> unit;
  BlockPtr body;
};

class FunctionTableBlock final : public Node {
public:
  RANVIER_NODE(FunctionTableBlock, Node)
  Identifier name;
  std::vector<Param> params;
  std::optional<Unit> unit;
};

class NetReceiveBlock final : public Node {
public:
  RANVIER_NODE(NetReceiveBlock, Node)
  std::vector<Param> params;
  BlockPtr body;
};

enum class BeforeAfterWhen : std::uint8_t { Before, After };
enum class BeforeAfterWhat : std::uint8_t { Breakpoint, Solve, Initial, Step };
const char *keyword(BeforeAfterWhen when);
const char *keyword(BeforeAfterWhat what);

class BeforeAfterBlock final : public Node {
public:
  RANVIER_NODE(BeforeAfterBlock, Node)
  BeforeAfterWhen when = BeforeAfterWhen::Before;
  BeforeAfterWhat what = BeforeAfterWhat::Breakpoint;
  BlockPtr body;
};

// STEPPED { amp = -0.1, 0, 0.2 (mA) } (legacy).
struct SteppedDecl {
  Identifier name;
  std::vector<Number> values;
  std::optional<Unit> unit;
  SourceRange range;
};

class SteppedBlock final : public Node {
public:
  RANVIER_NODE(SteppedBlock, Node)
  std::vector<SteppedDecl> declarations;
};

class ModelLevelItem final : public Node {  // MODEL_LEVEL 1 (legacy)
public:
  RANVIER_NODE(ModelLevelItem, Node)
  IntegerRef level;
};

class PlotItem final : public Node {  // PLOT y, w[1] VS t (legacy)
public:
  RANVIER_NODE(PlotItem, Node)
  std::vector<std::unique_ptr<VarRefExpr>> ys;
  std::unique_ptr<VarRefExpr> x;
};

#undef RANVIER_NODE

// A whole .mod file. Top-level items are the item nodes above plus the statements
// NMODL allows at top level (LOCAL, VERBATIM, UNITSON/UNITSOFF).
struct Program {
  const SourceFile *file = nullptr;
  std::vector<NodePtr> items;
  // Files read for INCLUDE items (frontend::resolveIncludes), in the order they were
  // read; their items are in `items` and point into these files, so they live here.
  std::vector<std::unique_ptr<SourceFile>> included;
};

// Calls f with the node cast to its concrete type.
template <class F> decltype(auto) visit(Node &node, F &&f) {
  switch (node.kind()) {
#define RANVIER_CASE(name)                                                                         \
  case NodeKind::name: return f(static_cast<name &>(node));
    RANVIER_AST_NODES(RANVIER_CASE)
#undef RANVIER_CASE
  }
  __builtin_unreachable();
}
template <class F> decltype(auto) visit(const Node &node, F &&f) {
  switch (node.kind()) {
#define RANVIER_CASE(name)                                                                         \
  case NodeKind::name: return f(static_cast<const name &>(node));
    RANVIER_AST_NODES(RANVIER_CASE)
#undef RANVIER_CASE
  }
  __builtin_unreachable();
}

}  // namespace ranvier::ast
