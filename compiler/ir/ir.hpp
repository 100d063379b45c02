#pragma once
// The kernel representation: what the middle end hands to the backends and to the
// reference interpreter. A mechanism becomes a table of variables (each with the
// storage it lives in) and a few kernels, each a list of statements over one
// instance. Everything NMODL-specific is gone by now: calls are inlined, ODEs are
// solved into updates, tables are explicit arrays, currents are explicit sums.
//
// Expressions are immutable trees shared by pointer, so that a transform (solving,
// differentiating, simplifying) can reuse subtrees without copying them.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ranvier::ir {

// ───────────────────────────── variables ─────────────────────────────

// Where a variable's value lives when a kernel runs on instance i.
enum class Storage : std::uint8_t {
  Field,   // one value per instance (SoA array): RANGE PARAMETER/ASSIGNED/STATE, currents
  Global,  // one value shared by every instance and thread; kernels only read it
  Thread,  // one value per thread: GLOBALs the mechanism writes (THREADSAFE's rule)
  Table,   // shared arrays and bounds of TABLEs; written only by table kernels
  Ion,     // the instance's entry in an ion array (through its ion index)
  Node,    // the instance's node in the cell group: voltage, rhs, d, area, diam
  Builtin, // simulator scalars: t, dt, celsius
  Local,   // a kernel's local value
  Param,   // a kernel's argument
  Pointer, // a POINTER: one address per instance, set by the runtime (another cell's v, ...)
};
const char *to_string(Storage storage);

// The ion arrays a mechanism can see, per ion.
enum class IonQuantity : std::uint8_t {
  Reversal,     // ena
  Inside,       // nai
  Outside,      // nao
  Current,      // ina: sum of the currents of all mechanisms
  Conductance,  // dina_dv: sum of their d(i)/dv
};
const char *to_string(IonQuantity quantity);

enum class NodeQuantity : std::uint8_t { Voltage, Rhs, Diagonal, Area, Diam };
const char *to_string(NodeQuantity quantity);

// What a variable is for the user: how the runtime shows and sets it.
enum class Role : std::uint8_t {
  Parameter, Assigned, State, Current, IonCopy, Temporary, Internal
};

using VarId = std::uint32_t;

struct Variable {
  std::string name;  // unique in the mechanism
  Storage storage = Storage::Local;
  Role role = Role::Internal;
  std::uint32_t size = 1;      // > 1: an array
  double initial = 0;          // default value (PARAMETER value, STATE start, ...)
  std::string unit;            // as declared, "" when none
  bool range = false;          // visible per instance to the user (RANGE, STATE, ...)
  std::string ion;             // Ion storage (and the ion copies): "na", "ca", ...
  IonQuantity ionQuantity = IonQuantity::Reversal;
  NodeQuantity nodeQuantity = NodeQuantity::Voltage;
};

// ───────────────────────────── expressions ─────────────────────────────

enum class Type : std::uint8_t { Real, Bool };

enum class Op : std::uint8_t {
  Const, Var,
  Neg, Not,
  Add, Sub, Mul, Div, Pow,
  Lt, Le, Gt, Ge, Eq, Ne, And, Or,
  Select,  // args: condition, then, else (both evaluated; no side effects in expressions)
  Math,    // a function of the fixed math list
  Call,    // a kernel that stays a call (recursion)
  TableCall,  // a FUNCTION_TABLE lookup (kernel: index into Mechanism::functionTables)
};
const char *spelling(Op op);

// The only functions generated code may call.
enum class MathFn : std::uint8_t {
  Exp, Log, Log10, Sqrt, Fabs, Sin, Cos, Tan, Asin, Acos, Atan, Atan2, Sinh, Cosh, Tanh,
  Floor, Ceil, Fmod, Pow, Erf, Erfc, Fmin, Fmax,
};
const char *to_string(MathFn fn);
// exp is NEURON's hoc_Exp, which nocmodl's generated C calls for every exp: 0 below
// -700, exp(700) above 700 (where IEEE's exp would give a tiny number or infinity),
// exp(x) between (and NaN for NaN).
constexpr double kExpLimit = 700;
int arity(MathFn fn);
std::optional<MathFn> mathFunction(const std::string &nmodlName);
double applyMath(MathFn fn, double a, double b = 0);

struct Expr;
using ExprRef = std::shared_ptr<const Expr>;

struct Expr {
  Op op = Op::Const;
  Type type = Type::Real;
  double value = 0;          // Const
  VarId var = 0;             // Var
  MathFn fn = MathFn::Exp;   // Math
  std::uint32_t kernel = 0;  // Call: index into Mechanism::kernels
  std::vector<ExprRef> args; // operands; Var: the array index, if any
  // Var with an index: the index lies inside the array by construction (a TABLE
  // lookup's), so backends need not check it. A hint only: dropping it changes nothing.
  bool indexInRange = false;

  bool isConst() const { return op == Op::Const; }
  bool isConst(double v) const { return op == Op::Const && value == v; }
};

// Builders; they fold constants and apply the identities that never change a
// finite result (x + 0, x * 1, x / 1, --x), so lowered code stays readable.
ExprRef constant(double value);
ExprRef boolean(bool value);
ExprRef var(VarId id, ExprRef index = nullptr);
ExprRef varInRange(VarId id, ExprRef index);  // Expr::indexInRange
ExprRef neg(ExprRef a);
ExprRef lnot(ExprRef a);
ExprRef binary(Op op, ExprRef a, ExprRef b);
ExprRef add(ExprRef a, ExprRef b);
ExprRef sub(ExprRef a, ExprRef b);
ExprRef mul(ExprRef a, ExprRef b);
ExprRef div(ExprRef a, ExprRef b);
ExprRef pow(ExprRef a, ExprRef b);
ExprRef select(ExprRef condition, ExprRef then, ExprRef otherwise);
ExprRef math(MathFn fn, std::vector<ExprRef> args);
ExprRef call(std::uint32_t kernel, std::vector<ExprRef> args);
ExprRef tableCall(std::uint32_t table, std::vector<ExprRef> args);
// A value as a condition (x != 0) or a condition as a value (1 or 0).
ExprRef asBool(ExprRef a);
ExprRef asReal(ExprRef a);

bool sameExpr(const Expr &a, const Expr &b);
bool uses(const Expr &e, VarId id);

// ───────────────────────────── statements ─────────────────────────────

struct Stmt;
using Body = std::vector<Stmt>;

// What a Random statement draws (the numbering is the ABI's rv_random_distribution).
enum class RandomDistribution : std::uint8_t {
  Uniform01,    // scop_random(): uniform on [0, 1]
  Exponential,  // exprand(a): mean a
  Normal,       // normrand(a, b): mean a, standard deviation b
  Poisson,      // poisrand(a): mean a
  Seed,         // set_seed(a): restarts the instance's stream; the value is 0
};
const char *to_string(RandomDistribution distribution);

enum class StmtKind : std::uint8_t {
  Assign,       // target[index] = value
  If,           // if (condition) body else otherwise
  While,        // while (condition) body
  Call,         // a PROCEDURE kernel that stays a call
  SolveLinear,  // solve A x = b (n small, dense with structural zeros); pivoting
  NetSend,      // net_send(delay, flag)   (value, flag)
  NetEvent,     // net_event(t)            (value)
  NetMove,      // net_move(t)             (value)
  Watch,        // activate watch `index`  (WATCH (cond) flag)
  Fail,         // record error `index` for this instance (the kernel goes on)
  Random,       // target = a draw of `distribution` (args: a, b) from the runtime's
                // generator, for this instance. A statement, not an expression: each
                // draw advances the instance's stream, so it must run exactly once,
                // where the NMODL code makes it (expressions are shared and selects
                // evaluate both sides).
  ForNetCons,   // FOR_NETCONS: body once per NetCon that targets this instance, with
                // the locals `vars` holding the first weights of its weight vector
                // (read before the body, written back after). NET_RECEIVE's own weight
                // arguments are the same memory for the NetCon of the event: they are
                // written out before the loop and read again after it.
};

struct LinearSystem {
  std::uint32_t n = 0;
  std::vector<ExprRef> matrix;  // row-major n*n; null = structural zero
  std::vector<ExprRef> rhs;     // n
  std::vector<VarId> solution;  // n locals receiving x
};

struct Stmt {
  StmtKind kind = StmtKind::Assign;
  VarId target = 0;
  ExprRef index;        // Assign: array index, may be null
  ExprRef value;        // Assign value; If/While condition; Net* time or delay
  ExprRef flag;         // NetSend flag
  std::uint32_t index2 = 0;  // Call kernel; Watch and Fail index
  RandomDistribution distribution = RandomDistribution::Uniform01;  // Random
  std::vector<ExprRef> args;  // Call arguments; Random: a, b
  Body body;            // If then / While body / ForNetCons body
  Body otherwise;       // If else
  std::vector<VarId> vars;  // ForNetCons: the locals bound to each NetCon's weights
  bool likely = false;  // If: the then-side is the usual one (a hint for code layout only)
  std::shared_ptr<LinearSystem> system;  // SolveLinear
};

Stmt assign(VarId target, ExprRef value, ExprRef index = nullptr);
Stmt ifThen(ExprRef condition, Body then, Body otherwise = {});
Stmt whileLoop(ExprRef condition, Body body);
// target (a local) = draw(distribution, a, b)
Stmt randomDraw(VarId target, RandomDistribution distribution, ExprRef a, ExprRef b);

// ───────────────────────────── kernels ─────────────────────────────

enum class KernelKind : std::uint8_t {
  Init,         // INITIAL: STATE defaults, the INITIAL block, steady states
  Current,      // BREAKPOINT: currents into the ions and the node's rhs and d
  State,        // the SOLVE statements of BREAKPOINT
  NetReceive,   // NET_RECEIVE(weights..., flag)
  NetInit,      // INITIAL inside NET_RECEIVE, once per NetCon at finitialize
  Function,     // FUNCTION (callable by the runtime; kept when recursive)
  Procedure,    // PROCEDURE
  TableCheck,   // rebuilds the TABLEs whose DEPEND values changed; not per instance
  Before, After,  // BEFORE/AFTER blocks: Kernel::stepPoint says which
  Constructor, Destructor,
  // LONGITUDINAL_DIFFUSION of a STATE (the kernel's name ends in it): of (element), the
  // diffusion coefficient times cross-section, and the COMPARTMENT volume of that element
  Diffusion, DiffusionVolume,
};
const char *to_string(KernelKind kind);

// Where in the step BEFORE/AFTER blocks run (NEURON's BREAKPOINT, SOLVE, INITIAL, STEP).
enum class StepPoint : std::uint8_t { Breakpoint, Solve, Initial, Step };

struct Kernel {
  std::string name;
  KernelKind kind = KernelKind::Init;
  StepPoint stepPoint = StepPoint::Breakpoint;  // Before, After
  bool perInstance = true;     // false: runs once (on the first instance), not for each: TableCheck
  std::vector<VarId> params;
  std::optional<VarId> result; // Function: the local holding its value
  std::vector<VarId> locals;   // every Local it uses, for declaration
  Body body;
};

enum class MechanismKind : std::uint8_t { Density, PointProcess, ArtificialCell };
const char *to_string(MechanismKind kind);

struct Ion {
  std::string name;
  double valence = 0;
  bool hasValence = false;
  bool readsReversal = false, readsInside = false, readsOutside = false;
  bool writesCurrent = false, writesInside = false, writesOutside = false, writesReversal = false;
};

struct Watch {
  ExprRef condition;  // as written, a Bool
  // NEURON's measure of the condition: (a) - (b) for a > b, (b) - (a) for a < b (> 0 when
  // it holds; NEURON arms a watch as already true when this is >= -1e-11); other
  // conditions: +1 or -1.
  ExprRef value;
  double flag = 0;
};

// An error a kernel can record (Fail), with the source location it comes from.
struct KernelError {
  std::string message;
  std::string location;  // file:line:col
};

// A FUNCTION_TABLE: a function of `arity` arguments whose values the runtime gives
// (NEURON: hoc's table_<name>_<suffix>), read by interpolation at run time.
struct FunctionTable {
  std::string name;
  std::uint32_t arity = 1;
  std::string unit;  // of its value, "" when none
};

struct Mechanism {
  std::string name;
  MechanismKind kind = MechanismKind::Density;
  bool threadsafe = false;
  bool electrodeCurrent = false;
  std::vector<Variable> variables;
  std::vector<Ion> ions;
  std::vector<Kernel> kernels;
  std::vector<Watch> watches;
  std::vector<KernelError> errors;
  std::uint32_t netReceiveArgs = 0;  // NET_RECEIVE parameters (the weight vector)
  std::vector<FunctionTable> functionTables;

  const Kernel *kernel(KernelKind kind) const;
  const Kernel *kernel(const std::string &name) const;
  std::optional<VarId> find(const std::string &name) const;
  VarId add(Variable variable);  // the name is made unique if taken
};

}  // namespace ranvier::ir
