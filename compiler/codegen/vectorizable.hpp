#pragma once
// Whether a range kernel may run its instances in SIMD lanes: lanes run side by side,
// so the kernel must not carry values from one instance to the next or depend on
// their order. Kernels that fail the test run one instance at a time.

#include <string>

#include "ir/ir.hpp"

namespace ranvier::codegen {

struct VectorVerdict {
  bool ok = true;
  std::string reason;  // why not, for --emit-llvm comments and tests
};

VectorVerdict vectorizable(const ir::Mechanism &mechanism, const ir::Kernel &kernel);

}  // namespace ranvier::codegen
