#pragma once
// The LLVM backend: a mechanism's kernels become one LLVM module with SIMD loops over
// instances and the rv_mechanism description of the ABI (runtime/include/ranvier/
// mechanism_abi.h), exported as `ranvier_mech_<name>`.

#include <memory>
#include <string>

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include "codegen/target.hpp"
#include "ir/ir.hpp"

namespace llvm {
class TargetMachine;
}

namespace ranvier::codegen {

struct CodegenOptions {
  Target target = hostTarget();
  std::string sourceHash;  // recorded in the description
  KernelMath math = KernelMath::Exact;
};

// The exported symbol of a mechanism's description.
std::string descriptionSymbol(const std::string &mechanismName);

// Throws std::runtime_error if the IR is malformed (a bug in an earlier stage).
std::unique_ptr<llvm::Module> generate(const ir::Mechanism &mechanism, llvm::LLVMContext &context,
                                       const CodegenOptions &options);

// A module exporting `ranvier_library`: a null-terminated array of the descriptions
// of the named mechanisms (for shared libraries holding several).
std::unique_ptr<llvm::Module> libraryIndex(const std::vector<std::string> &mechanismNames,
                                           llvm::LLVMContext &context);

}  // namespace ranvier::codegen
