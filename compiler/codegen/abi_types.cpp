#include "codegen/abi_types.hpp"

#include "ranvier/mechanism_abi.h"

namespace ranvier::codegen {

AbiTypes::AbiTypes(llvm::LLVMContext &c)
    : f64(llvm::Type::getDoubleTy(c)), i1(llvm::Type::getInt1Ty(c)), i32(llvm::Type::getInt32Ty(c)),
      i64(llvm::Type::getInt64Ty(c)), ptr(llvm::PointerType::get(c, 0)), voidTy(llvm::Type::getVoidTy(c)) {
  callbacks = llvm::StructType::create(c, {ptr, ptr, ptr, ptr, ptr, ptr, ptr}, "rv_callbacks");
  instances = llvm::StructType::create(
      c,
      {i32, i32, ptr, ptr, llvm::ArrayType::get(ptr, RV_NODE_QUANTITIES), ptr, ptr, ptr, ptr, ptr, f64, f64, f64, f64, callbacks},
      "rv_instances");
  variable = llvm::StructType::create(c, {ptr, ptr, ptr, i32, i32, i32, i32, i32, i32, f64, i32, i32}, "rv_variable");
  ion = llvm::StructType::create(c, {ptr, f64, i32, i32}, "rv_ion");
  kernel = llvm::StructType::create(c, {ptr, i32, i32, i32, i32, ptr, ptr}, "rv_kernel");
  error = llvm::StructType::create(c, {ptr, ptr}, "rv_error");
  functionTable = llvm::StructType::create(c, {ptr, ptr, i32}, "rv_function_table");
  mechanism = llvm::StructType::create(c,
                                       {i32, i32, ptr,            // abi_version, kind, name
                                        i32, i32, i32, i32,       // threadsafe .. net_receive_args
                                        i32, i32, i32, i32,       // field, global, thread, pointer slots
                                        i32, ptr, i32, ptr,       // variables, ions
                                        i32, ptr, i32, ptr,       // kernels, errors
                                        i32, ptr,                 // watches
                                        i32, ptr,                 // function tables
                                        ptr, ptr, ptr},           // target, compiler, source_hash
                                       "rv_mechanism");
}

}  // namespace ranvier::codegen
