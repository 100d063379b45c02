#pragma once
// The functions of one mechanism's module: loops over instance ranges, single-instance
// entry points, and the callable forms of FUNCTIONs and PROCEDUREs.

#include "codegen/module_context.hpp"

namespace ranvier::codegen {

// void (rv_instances*, i32 begin, i32 end): a loop over blocks of `width` lanes, the
// last block with the lanes past `end` off.
llvm::Function *emitRangeKernel(ModuleContext &mc, const ir::Kernel &kernel, unsigned width);

// double (rv_instances*, i32 instance, const double *args).
llvm::Function *emitInstanceKernel(ModuleContext &mc, const ir::Kernel &kernel);

// Declares (first) and defines (then) double (rv_instances*, i32 instance, i32 depth,
// double params...) for each FUNCTION and PROCEDURE: mc.callees.
void declareCallees(ModuleContext &mc);
void defineCallees(ModuleContext &mc);

// double (rv_instances*, i32 instance, const double *args): 1 when WATCH `watch` holds.
llvm::Function *emitWatchKernel(ModuleContext &mc, std::size_t watch);

}  // namespace ranvier::codegen
