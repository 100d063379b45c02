#pragma once
// The LLVM types of the ABI structs: a mirror of runtime/include/ranvier/mechanism_abi.h,
// field for field (a unit test checks the offsets against the C header).

#include <llvm/IR/DerivedTypes.h>
#include <llvm/IR/LLVMContext.h>

namespace ranvier::codegen {

struct AbiTypes {
  explicit AbiTypes(llvm::LLVMContext &context);

  llvm::Type *f64, *i1, *i32, *i64, *ptr, *voidTy;
  llvm::StructType *callbacks, *instances;
  llvm::StructType *variable, *ion, *kernel, *error, *functionTable, *mechanism;

  // Field numbers of rv_instances and rv_callbacks.
  enum Instances : unsigned {
    Count, Capacity, Fields, NodeIndex, Node, IonIndex, IonValues, Globals, Thread, Pointers, T, Dt, Celsius, SecondOrder, Callbacks
  };
  enum Callback : unsigned { Context, Error, Event, Watch, Random, NetconWeights, FunctionTable };
};

}  // namespace ranvier::codegen
