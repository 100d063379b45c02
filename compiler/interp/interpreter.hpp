#pragma once
// The reference interpreter: runs kernels exactly as the IR says, one instance at a
// time, in double precision. It is the oracle the LLVM backend is tested against and
// the way tests run mechanisms without a compiler. Clarity over speed.
//
// Storage is owned here: every per-instance variable has a value per instance, and
// each instance has its own node (v, rhs, d, area, diam) and its own ion entries, so
// a test can set them directly. The runtime maps instances to shared nodes; this
// does not.

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "ir/ir.hpp"

namespace ranvier::interp {

// A kernel asked for something impossible (an array index out of range, a loop that
// does not end): the run stops with this.
class RuntimeError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

struct Event {
  ir::StmtKind kind = ir::StmtKind::NetSend;  // NetSend, NetEvent, NetMove
  double time = 0;                            // delay for net_send, a time otherwise
  double flag = 0;
};

struct KernelResult {
  double value = 0;                    // a FUNCTION's value
  std::vector<std::uint32_t> errors;   // Fail statements reached (Mechanism::errors)
  std::vector<Event> events;
  std::vector<std::uint32_t> watches;  // WATCH statements activated
};

// Random draws (Random statements): the value of one draw of `distribution` with
// arguments a and b for `instance`. The same contract as the ABI's
// rv_callbacks.random: the caller owns the generator (a stream per instance).
using RandomSource =
    std::function<double(std::size_t instance, ir::RandomDistribution distribution, double a, double b)>;

// FOR_NETCONS: the weight vector of the k-th NetCon whose target is `instance`, null
// past the last one. The same contract as the ABI's rv_callbacks.netcon_weights.
using NetconSource = std::function<double *(std::size_t instance, std::size_t k)>;
// The value of FUNCTION_TABLE `table` (ir::Mechanism::functionTables) at `args`, for
// `instance` (rv_callbacks.function_table).
using FunctionTableSource = std::function<double(std::size_t instance, std::uint32_t table, const std::vector<double> &args)>;

class Interpreter {
public:
  Interpreter(const ir::Mechanism &mechanism, std::size_t instances);

  // Where Random statements draw from; without one (the default) every draw is 0
  // and set_seed does nothing, as with a null rv_callbacks.random.
  void setRandom(RandomSource source) { random_ = std::move(source); }
  // Without one, reading a FUNCTION_TABLE is a RuntimeError (NEURON: "table not specified").
  void setFunctionTables(FunctionTableSource source) { functionTables_ = std::move(source); }
  // Where FOR_NETCONS finds the NetCons of an instance; without one it finds none.
  // (Kernel arguments are values here: a FOR_NETCONS loop does not see the weights
  // given to run(), only the vectors `source` gives.)
  void setNetcons(NetconSource source) { netcons_ = std::move(source); }

  const ir::Mechanism &mechanism() const { return m_; }
  std::size_t instances() const { return instances_; }

  // The value of a variable (element `element` of an array) for one instance;
  // shared storage ignores the instance.
  double &at(ir::VarId id, std::size_t instance = 0, std::size_t element = 0);
  double &at(const std::string &name, std::size_t instance = 0, std::size_t element = 0);

  // Sets every instance's variables to their declared defaults (PARAMETERs, ...),
  // node v to `v`, area to 100 um2 (so point-process scaling is 1), t = 0, dt = 0.025,
  // celsius = 6.3 (NEURON's defaults).
  void reset(double v = -65);

  KernelResult run(const ir::Kernel &kernel, std::size_t instance, const std::vector<double> &args = {});
  KernelResult run(ir::KernelKind kind, std::size_t instance, const std::vector<double> &args = {});
  KernelResult run(const std::string &kernel, std::size_t instance, const std::vector<double> &args = {});

  // Runs the TABLE check (not per instance), if the mechanism has tables.
  void checkTables();

private:
  struct Frame;
  double eval(const ir::Expr &e, Frame &f);
  void exec(const ir::Body &body, Frame &f);
  double &slot(ir::VarId id, Frame &f, const ir::ExprRef &index);
  double call(std::uint32_t kernel, const std::vector<double> &args, Frame &caller);
  void solveLinear(const ir::LinearSystem &system, std::uint32_t errorIndex, Frame &f);

  const ir::Mechanism &m_;
  std::size_t instances_;
  std::vector<std::vector<double>> storage_;  // per variable; locals live in frames
  RandomSource random_;
  FunctionTableSource functionTables_;
  NetconSource netcons_;
};

}  // namespace ranvier::interp
