#pragma once
// The state of one lowering: the mechanism being built, the names in scope, and
// the body statements are being appended to. Its methods are spread over files by
// topic: lower.cpp (variables, kernels), lower_code.cpp (statements, expressions,
// inlining), tables.cpp, solve_*.cpp (the SOLVE methods).

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "ast/ast.hpp"
#include "ir/ir.hpp"
#include "sema/analyze.hpp"
#include "support/diagnostics.hpp"
#include "transform/lower.hpp"
#include "transform/jacobian.hpp"
#include "transform/solve_support.hpp"

namespace ranvier::transform {

// What a name means at some point of a kernel: a variable it can assign, or a
// read-only value (a DEFINE, a CONSTANT, an unrolled loop index, an argument
// passed to an inlined parameter that the callee never assigns).
struct Binding {
  std::optional<ir::VarId> var;
  ir::ExprRef value;
};
using Scope = std::map<std::string, Binding>;

struct TableInfo {
  const ast::TableStmt *table = nullptr;
  const ast::CallableBlock *callable = nullptr;
  std::vector<std::string> outputs;        // PROCEDURE: the names; FUNCTION: its name
  std::vector<ir::VarId> columns;          // one array per output: intervals + 1 values per element
  std::vector<std::uint32_t> elements;     // per output: 0 for a plain variable, else its array size
  ir::VarId tmin = 0, mfac = 0, made = 0;  // bounds and "needs rebuilding"
  std::vector<std::pair<ir::VarId, ir::ExprRef>> saved;  // DEPEND value copies
  std::uint32_t intervals = 0;
  double from = 0, to = 0;
};

// A solver's unknown: a STATE, or one element of a STATE array.
struct Unknown {
  ir::VarId var = 0;
  ir::ExprRef index;  // constant index for array elements, else null
  std::string name;   // for messages and derived names
};

inline bool sameUnknown(const Unknown &a, const Unknown &b) {
  if (a.var != b.var) return false;
  if (!a.index && !b.index) return true;
  return a.index && b.index && a.index->value == b.index->value;
}

inline std::optional<std::size_t> position(const std::vector<Unknown> &list, const Unknown &u) {
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (sameUnknown(list[i], u)) return i;
  }
  return std::nullopt;
}

class Lowerer {
public:
  Lowerer(const sema::Mechanism &mechanism, DiagnosticEngine &diagnostics, const LowerOptions &options);
  std::optional<ir::Mechanism> run();

  // ── lower.cpp ──
private:
  std::uint32_t arraySize(const ast::IntegerRef &size);
  void declareVariables();
  void declareIons();
  void declareCallables();
  ir::VarId newLocal(const std::string &name, std::uint32_t size = 1);
  ir::VarId newParam(const std::string &name);
  void beginKernel(std::string name, ir::KernelKind kind);
  void endKernel();
  void loadVoltage(ir::ExprRef offset = nullptr);
  void loadIons(bool includeCurrents);
  void storeIons();
  void buildInit();
  void buildCurrent();
  void buildState();
  void buildNetReceive();
  void buildCallableKernels();
  void buildBeforeAfter();
  std::vector<ir::VarId> currentsOf() const;

  // ── lower_code.cpp ──
public:
  void emit(ir::Stmt stmt);
  ir::Body collect(const std::function<void()> &lowerer);
  void block(const ast::Block &b);
  void statement(const ast::Stmt &s);
  ir::ExprRef expr(const ast::Expr &e);
  ir::ExprRef varRef(const ast::VarRefExpr &ref, bool forWrite);
  std::optional<Binding> lookup(const std::string &name) const;
  void bind(const std::string &name, Binding binding);
  ir::ExprRef callValue(const ast::CallExpr &c, bool asStatement);
  ir::ExprRef inlineCallable(const ast::CallableBlock &callable, std::vector<ir::ExprRef> args);
  ir::ExprRef inlineBody(const ast::CallableBlock &callable, std::vector<ir::ExprRef> args);
  // NMODL's random functions: name -> distribution and argument count.
  static const std::map<std::string, std::pair<ir::RandomDistribution, std::size_t>> &randomDraws();
  // `e` itself when evaluating it twice is harmless, else a local holding its value
  // (an expression that calls a kernel may draw random numbers or report errors).
  ir::ExprRef once(ir::ExprRef e, const std::string &name);
  ir::ExprRef truncate(const ir::ExprRef &e);
  ir::ExprRef factorial(ir::ExprRef n, SourceRange where);
  ir::ExprRef ghk(ir::ExprRef v, ir::ExprRef ci, ir::ExprRef co, ir::ExprRef z);
  ir::VarId builtin(const std::string &name);
  ir::ExprRef callDerivativeBlock(const ast::NamedBlock &block);
  std::optional<double> constantValue(const ast::Expr &e);
  // An integer literal or DEFINE (array sizes, WITH, coefficients); reports and
  // returns `fallback` otherwise.
  double integer(const ast::IntegerRef &ref, double fallback = 1);
  void error(SourceRange where, std::string message, std::string hint = {});
  std::string location(SourceRange where) const;
  std::uint32_t addError(std::string message, SourceRange where);

  // ── tables.cpp ──
  void declareTables();
  void buildTableCheck();
  ir::ExprRef tableLookup(const TableInfo &t, const ast::CallableBlock &callable, ir::ExprRef argument);

  // ── solve_*.cpp ──
  void solve(const ast::SolveStmt &s, bool inInitial);
  bool solveCnexp(const ast::NamedBlock &block);
  void solveImplicit(const ast::NamedBlock &block, bool steadyState, SourceRange where);
  void solveRunge(const ast::NamedBlock &block);
  void buildDiffusion();
  std::function<std::optional<ir::VarId>(const ast::VarRefExpr &)> primesInto(const std::vector<Unknown> &unknowns,
                                                                              const std::vector<ir::VarId> &derivatives);
  void solveKinetic(const ast::NamedBlock &block, bool steadyState, SourceRange where);
  void solveAlgebraic(const ast::NamedBlock &block, bool linear, SourceRange where);
  // Newton's iteration: `iteration` emits the code that evaluates the system at the
  // current unknowns (once per pass, and once more at the solution).
  void newtonLoop(const std::vector<Unknown> &unknowns, const std::function<LinearStep()> &iteration,
                  const NewtonPolicy &policy, const std::string &what, SourceRange where);
  // ── second_order.cpp: NEURON's secondorder around derivimplicit and sparse ──
  ir::VarId secondOrderVar();  // the builtin, declared on first use
  // if (secondorder != 0) x_i += dt * slopes_i, for every unknown
  void extrapolateUnderSecondOrder(const std::vector<Unknown> &unknowns, const std::vector<ir::ExprRef> &slopes, ir::ExprRef dt,
                                   SourceRange where);
  // The current kernel reads dt_state = secondorder ? dt/2 : dt wherever it read dt.
  void halveDtUnderSecondOrder();
  // Lowers for discovery only: the code, messages and locals are thrown away.
  void dryRun(const std::function<void()> &f);
  std::optional<Unknown> unknownOf(const ast::VarRefExpr &ref, bool report);
  ir::Body lowerSolvedBlock(const ast::NamedBlock &nb);
  std::optional<Differentiated> withJacobian(const ast::NamedBlock &nb, ir::Body body,
                                             const std::vector<Unknown> &unknowns);
  std::vector<Unknown> derivativeUnknowns(const ast::NamedBlock &block);

  // shared state
  const sema::Mechanism &sema_;
  DiagnosticEngine *diags_;
  LowerOptions options_;
  ir::Mechanism m_;
  bool failed_ = false;

  Scope globals_;  // mechanism-level names
  std::map<std::string, const ast::CallableBlock *> callables_;
  std::map<std::string, std::uint32_t> functionTables_;
  // LONGITUDINAL_DIFFUSION statements met in solved KINETIC blocks (buildDiffusion)
  std::vector<std::pair<const ast::CompartmentStmt *, const ast::NamedBlock *>> longDiffusions_;  // FUNCTION_TABLE name -> Mechanism::functionTables
  std::map<std::string, const ast::NamedBlock *> named_;
  std::set<std::string> recursive_;
  std::map<std::string, TableInfo> tables_;  // by callable name
  std::map<std::string, std::uint32_t> callableKernels_;  // kernel index per callable
  std::set<std::string> reported_;  // one message per unsupported thing

  struct IonVariable {
    std::string name;    // as in NMODL: ena, cai, ina
    std::string ion;
    ir::IonQuantity quantity = ir::IonQuantity::Reversal;
    ir::VarId array = 0;        // the ion array (Ion storage)
    std::optional<ir::VarId> copy;  // the mechanism's own field, when it assigns it
    std::optional<ir::VarId> conductance;  // currents: di/dv array
    bool read = false, write = false;
  };
  std::vector<IonVariable> ionVariables_;
  std::optional<ir::VarId> nodeRhs_, nodeD_, nodeV_, nodeArea_;

  // per kernel
  ir::Kernel *kernel_ = nullptr;
  std::set<std::string> kernelNames_;  // names of the current kernel's locals
  int inlineBudget_ = 0;  // calls left to inline in this kernel; then they stay calls
  std::vector<Scope> scopes_;
  std::vector<ir::Body *> out_;
  std::vector<std::string> inlining_;  // callables being inlined, innermost last
  bool inNetReceive_ = false;
  bool tableBuild_ = false;  // lowering a TABLE's body: write only locals
  bool discontinuitiesOff_ = false;  // the current kernel's pass at v: state_discontinuity does nothing
  bool unroll_ = false;      // FROM loops with constant bounds are unrolled (solver blocks)
  bool halvesDt_ = false;    // the state kernel has a derivimplicit or sparse SOLVE
  std::optional<ir::VarId> secondOrder_;
  // Solver blocks see their own statements (reactions, ~ equations) first.
  std::function<bool(const ast::Stmt &)> intercept_;
  // In DERIVATIVE lowering: x' targets become these locals.
  std::function<std::optional<ir::VarId>(const ast::VarRefExpr &)> primeTarget_;
  // In KINETIC lowering: f_flux / b_flux of the latest reaction.
  ir::ExprRef forwardFlux_, backwardFlux_;
};

}  // namespace ranvier::transform
