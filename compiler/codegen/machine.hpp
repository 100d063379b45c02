#pragma once
// LLVM's machine layer: target machines for our targets, the optimisation pipeline,
// and object and textual output.

#include <memory>
#include <string>

#include <llvm/IR/Module.h>
#include <llvm/Target/TargetMachine.h>

#include "codegen/target.hpp"

namespace ranvier::codegen {

// Initialises LLVM's x86 backend once; safe to call from any thread.
void initializeLlvm();

// Optimisation level 0..3; position-independent code (for shared libraries and the JIT).
// Exact kernels: no FMA contraction; fast kernels: a multiply and an add may fuse.
std::unique_ptr<llvm::TargetMachine> targetMachine(const Target &target, int optLevel,
                                                   KernelMath math = KernelMath::Exact);

// Sets the module's triple and data layout to the machine's.
void configure(llvm::Module &module, llvm::TargetMachine &machine);

// The new pass manager's default pipeline at `optLevel` (loop and SLP vectorisers off:
// kernels are vectorised already).
void optimize(llvm::Module &module, llvm::TargetMachine &machine, int optLevel);

// Object file bytes of an optimised module.
std::string objectCode(llvm::Module &module, llvm::TargetMachine &machine);

std::string textualIr(const llvm::Module &module);

}  // namespace ranvier::codegen
