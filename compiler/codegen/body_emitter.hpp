#pragma once
// Emits the statements of one kernel for `width` lanes: lane k works on instance
// base + k. Every value is a <width x double> (or <width x i1> for conditions; plain
// double and i1 when width is 1). Control flow that differs between lanes becomes
// masks: an if runs each side under its mask (skipped when no lane takes it), a
// while loops until no lane is active, and every write keeps the old value in the
// lanes that are off. With one lane, ifs and whiles are ordinary branches.
//
// Memory: fields are contiguous per lane (vector loads and stores, masked when some
// lanes are off); node and ion values are gathered through the index arrays.
// `x = x + e` / `x = x - e` on them is a gather-add-scatter for density mechanisms
// (one instance per node) and a read-modify-write per lane, in lane order, for point
// processes, so instances sharing a node all count; other writes go lane by lane.

#include <functional>
#include <map>
#include <optional>

#include <llvm/IR/IRBuilder.h>

#include "codegen/module_context.hpp"

namespace ranvier::codegen {

class BodyEmitter {
public:
  // `p` is the rv_instances pointer; `depth` the call depth (i32) for recursion checks.
  BodyEmitter(ModuleContext &mc, llvm::Function &function, unsigned width, llvm::Value *p, llvm::Value *depth);

  unsigned width() const { return width_; }
  llvm::IRBuilder<> &builder() { return b_; }

  // Emits `body` for the lanes starting at instance `base` (i32) that are on in
  // `mask` (null: all). Locals start at 0 (as in the interpreter); `params` gives
  // parameter values.
  void emit(const ir::Kernel &kernel, llvm::Value *base, const std::map<ir::VarId, llvm::Value *> &params = {},
            llvm::Value *mask = nullptr);
  // The value of a local after emit() (a FUNCTION's result).
  llvm::Value *local(ir::VarId id);
  // A real expression's value (watch kernels: the condition's measure).
  llvm::Value *value(const ir::Expr &e);

  // Node and ion values through the lanes' first index and the next ones: plain vector
  // loads and stores instead of gathers and scatters. Only for blocks whose index
  // entries are consecutive (contiguityTest), where both ways touch the same addresses
  // and compute the same values. Set before emit().
  void assumeConsecutiveIndices() { consecutive_ = true; }
  // The variable of a switch condition `g != 0` (g a plain variable), else nothing.
  static std::optional<ir::VarId> switchVariable(const ir::Expr &condition) {
    if (condition.op != ir::Op::Ne || condition.args.size() != 2 || condition.args[0]->op != ir::Op::Var ||
        !condition.args[0]->args.empty() || !condition.args[1]->isConst(0)) {
      return std::nullopt;
    }
    return condition.args[0]->var;
  }
  // For an If on `id != 0` (a switch the kernel tests once before its loops, such as
  // usetable: kernels.cpp), emit only the side `on` selects.
  void assumeSwitch(ir::VarId id, bool on) { switch_ = std::pair{id, on}; }
  // `id != 0` for a GLOBAL, computed in the entry block.
  llvm::Value *switchIsOn(ir::VarId id);
  // NET_RECEIVE (and its INITIAL): `args` holds the event's NetCon weights, the locals
  // `weights` their values during the kernel. FOR_NETCONS writes them out before its
  // loop and reads them back after it, so that the loop and the kernel see one vector.
  void weightArguments(llvm::Value *args, std::vector<ir::VarId> weights) {
    args_ = args;
    weights_ = std::move(weights);
  }
  // i1, at the builder's insert point: for the block starting at `base`, every index
  // array `kernel` reads node or ion values through holds base's entry + k in lane k.
  // Null when the kernel touches no node or ion value.
  llvm::Value *contiguityTest(const ir::Kernel &kernel, llvm::Value *base);

private:
  // expressions (body_emitter_expr.cpp)
  llvm::Value *eval(const ir::Expr &e);
  llvm::Value *evalReal(const ir::Expr &e);
  llvm::Value *evalBool(const ir::Expr &e);
  llvm::Value *math(ir::MathFn fn, const std::vector<llvm::Value *> &args);
  llvm::Value *libraryMath(ir::MathFn fn, const std::vector<llvm::Value *> &args);  // libm / libmvec

  // fast kernels (body_emitter_fast.cpp)
  bool fastVectorMath() const;  // fast kernels, an 8-lane AVX-512 body
  llvm::Value *divide(llvm::Value *a, llvm::Value *b);
  bool commonDivisor(const ir::Expr &e, const ir::Expr *&x, const ir::Expr *&y);
  ir::ExprRef negatedConstant_;
  llvm::Value *exponential(llvm::Value *x);
  llvm::Value *logarithm(llvm::Value *x);
  llvm::Value *fma(llvm::Value *a, llvm::Value *b, llvm::Value *c);
  // `inRange`: the index needs no check (ir::Expr::indexInRange).
  llvm::Value *load(ir::VarId id, const ir::ExprRef &index, bool inRange = false);
  llvm::Value *lookUpTable(const ir::Expr &e);
  llvm::Value *callKernel(std::uint32_t kernel, const std::vector<ir::ExprRef> &args);

  // statements (body_emitter_stmt.cpp)
  void exec(const ir::Body &body);
  void exec(const ir::Stmt &s);
  void assign(const ir::Stmt &s);
  void store(ir::VarId id, const ir::ExprRef &index, llvm::Value *value);
  bool accumulate(const ir::Stmt &s);
  void ifStmt(const ir::Stmt &s);
  bool uniform(const ir::Expr &e) const;
  void whileStmt(const ir::Stmt &s);
  void report(llvm::Function *reporter, std::vector<llvm::Value *> perLaneArgs);
  // Reports error `code` for the lanes on in `lanes` (null: every lane on).
  void reportError(llvm::Value *lanes, int code);
  void randomDraw(const ir::Stmt &s);
  void forNetCons(const ir::Stmt &s);
  void solveLinearLoops(const ir::Stmt &s);
  void storeSolution(const ir::Stmt &s, llvm::Value *singular, const std::function<llvm::Value *(std::uint32_t)> &x);
  void countedLoop(llvm::Value *begin, llvm::Value *end, const std::function<void(llvm::Value *)> &body);
  void solveLinear(const ir::Stmt &s);  // body_emitter_linear.cpp

  // lanes and memory (body_emitter_memory.cpp)
  llvm::Value *splat(llvm::Value *scalar);
  llvm::Value *constant(double value);
  llvm::Value *any(llvm::Value *mask);                // i1: some lane is on
  llvm::Value *activeMask();                           // mask_ or all lanes
  llvm::Value *lane(llvm::Value *vector, unsigned k);  // element k (or the scalar)
  llvm::Value *instanceOf(unsigned k);                 // base + k
  // Calls f(k) for each lane k that is on in `mask` (null: all), in lane order.
  void forEachLane(llvm::Value *mask, const std::function<void(unsigned)> &f);
  void forEachLaneOf(llvm::Value *mask, const std::function<void(unsigned)> &f);  // a branch per lane
  // The element number an index expression selects, per lane (i32); out-of-range
  // lanes use element 0 and are reported (RV_ERROR_INDEX, once per instance and
  // kernel call, when the body ends). Null index: element 0. With `inRange` (the index
  // is inside by construction) no check, and `j + k` for a whole k as element(j) + k.
  llvm::Value *element(const ir::ExprRef &index, std::uint32_t size, bool inRange = false);
  bool constantElement(const ir::ExprRef &index, std::uint32_t size, std::uint32_t &out);
  llvm::Value *addresses(ir::VarId id, llvm::Value *element);  // a pointer per lane
  llvm::Value *instances();                                     // the lanes' instance numbers
  llvm::Value *uniformAddress(ir::VarId id, std::uint32_t k);   // in the entry block
  static unsigned builtinField(std::int32_t quantity);           // rv_instances member of a builtin
  llvm::Value *gather(llvm::Value *pointers, ir::VarId id);
  llvm::Value *definedOnLanes(llvm::Value *mask, llvm::Value *condition);  // frozen under a mask
  // Marks a memory access with the alias tag of the storage it touches.
  llvm::Value *tagged(llvm::Value *access, ir::VarId id);
  llvm::Value *tagged(llvm::Value *access, const char *what);
  // The mask a local's assignment must respect: null when only lanes past the end
  // are off (their locals are never looked at).
  llvm::Value *localMask() const { return mask_ == entryMask_ ? nullptr : mask_; }
  llvm::AllocaInst *localSlot(ir::VarId id);
  llvm::Value *hoistedCapacity();
  llvm::Value *globalsBase();
  llvm::Value *threadBase();
  llvm::Value *nodeIndexArray();
  llvm::Value *ionIndexArray(std::int32_t ion);
  llvm::Value *entryLoad(llvm::Type *type, llvm::Value *pointer);
  llvm::Value *fieldBase(std::int32_t slot);
  llvm::Value *nodeBase(std::int32_t quantity);
  llvm::Value *ionValues(std::int32_t slot);
  llvm::Value *indexVector(llvm::Value *indexArray);  // the lanes' entries of an i32 array
  llvm::Value *pointerTargets(std::int32_t slot);     // the lanes' addresses of a POINTER
  llvm::Value *firstIndex(llvm::Value *indexArray);   // lane 0's entry (consecutive indices)
  llvm::Value *consecutiveAddress(ir::VarId id);       // node or ion value of lane 0
  llvm::Type *realType() const;
  llvm::Type *boolType() const;

  ModuleContext &mc_;
  const AbiTypes &t_;
  llvm::Function &fn_;
  unsigned width_;
  llvm::IRBuilder<> b_;
  llvm::IRBuilder<> entry_;     // before the entry block's branch: allocas, loads hoisted out of the loop
  llvm::IRBuilder<> prologue_;  // before the branch out of emit()'s first block: per-block index loads
  llvm::Value *p_;
  llvm::Value *depth_;
  llvm::Value *base_ = nullptr;
  llvm::Value *args_ = nullptr;     // weightArguments()
  std::vector<ir::VarId> weights_;
  llvm::Value *mask_ = nullptr;       // null: every lane on
  llvm::Value *entryMask_ = nullptr;  // the lanes on when the body starts (null: all)
  llvm::Value *instances_ = nullptr;
  llvm::AllocaInst *badIndex_ = nullptr;  // lanes that used an index outside its array
  std::map<ir::VarId, llvm::AllocaInst *> locals_;
  std::map<std::string, llvm::Value *> hoisted_;
  std::map<const llvm::Value *, llvm::Value *> indexVectors_;  // per emit(): index array -> lanes' entries
  std::map<const llvm::Value *, llvm::Value *> firstIndices_;  // per emit(): index array -> lane 0's entry
  bool consecutive_ = false;
  std::optional<std::pair<ir::VarId, bool>> switch_;  // assumeSwitch
};

}  // namespace ranvier::codegen
