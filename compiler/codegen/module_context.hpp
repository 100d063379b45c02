#pragma once
// What every kernel of one mechanism's module shares: the module, the ABI types, the
// variable layout, the target, the callable forms of FUNCTIONs and PROCEDUREs, the
// report helpers, and the only external functions generated code may call (the math
// list of ir::MathFn, scalar from libm or vector from libmvec).

#include <map>
#include <string>
#include <vector>

#include <llvm/IR/Function.h>
#include <llvm/IR/Module.h>

#include "codegen/abi_types.hpp"
#include "codegen/layout.hpp"
#include "codegen/target.hpp"
#include "ir/ir.hpp"

namespace ranvier::codegen {

class ModuleContext {
public:
  ModuleContext(llvm::Module &module, const ir::Mechanism &mechanism, const Target &target,
                KernelMath math = KernelMath::Exact);

  llvm::Module &module;
  const ir::Mechanism &mech;
  const Target &target;
  KernelMath math;
  bool fast() const { return math == KernelMath::Fast; }
  Layout layout;
  AbiTypes types;

  // Per kernel index: `double f(rv_instances*, i32 instance, i32 depth, double...)` for
  // FUNCTIONs and PROCEDUREs (what Call expressions and statements reach), else null.
  std::vector<llvm::Function *> callees;

  // void (rv_instances*, i32 instance, i32 code) and friends: they check the callback
  // pointer and call it.
  llvm::Function *reportError = nullptr;
  llvm::Function *reportEvent = nullptr;  // (p, instance, i32 kind, double time, double flag)
  llvm::Function *reportWatch = nullptr;  // (p, instance, i32 watch)
  // (p, i32 base, i32 laneBits, i32 code): reportError for instance base + k of every
  // set bit k. Vector code reports through it: one call instead of a branch per lane.
  llvm::Function *reportErrorLanes = nullptr;
  // double (p, instance, i32 distribution, double a, double b): a random draw through
  // rv_callbacks.random, 0 when it is null.
  llvm::Function *drawRandom = nullptr;
  // ptr (p, instance, i32 k): the k-th NetCon's weights through rv_callbacks.netcon_weights,
  // null past the last one or when the callback is null (FOR_NETCONS).
  llvm::Function *netconWeights = nullptr;
  llvm::Function *lookupTable = nullptr;  // rv_callbacks.function_table

  // The function computing `fn` on `width` lanes; null for the functions that are LLVM
  // intrinsics or instructions (sqrt, fabs, floor, ceil, fmin, fmax, fmod).
  llvm::Function *libraryFunction(ir::MathFn fn, unsigned width);

  // A type-based alias tag: accesses with different tags never alias. The ABI
  // promises that every field array, node array, ion array, the globals, the thread
  // block, the index arrays and rv_instances itself are distinct memory.
  llvm::MDNode *aliasTag(const std::string &what);

  // A private symbol name for generated functions: rv.<mechanism>.<what>.
  std::string name(const std::string &what) const;

private:
  llvm::Function *makeReporter(const char *name, std::vector<llvm::Type *> extra, unsigned callbackField);
  llvm::Function *makeLaneReporter();
  llvm::Function *makeCallbackCaller(const std::string &what, llvm::Type *result, const std::vector<llvm::Type *> &extra, unsigned field,
                                     llvm::Constant *fallback);
  llvm::Function *makeHelper(const std::string &what, const std::vector<llvm::Type *> &params);
  std::map<std::pair<ir::MathFn, unsigned>, llvm::Function *> math_;
  std::map<std::string, llvm::MDNode *> tags_;
  llvm::MDNode *tbaaRoot_ = nullptr;
};

}  // namespace ranvier::codegen
