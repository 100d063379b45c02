#pragma once
// What the generated code is compiled for: an x86-64 level, the vector width of the
// kernel loops, and which libmvec variants provide vector math.

#include <optional>
#include <string>
#include <string_view>

namespace ranvier::codegen {

struct Target {
  std::string name;      // "avx512", "avx2", "sse4", "scalar"
  std::string cpu;       // LLVM CPU name
  std::string features;  // LLVM feature string
  unsigned width = 1;    // lanes of double per vector kernel (1: scalar code only)
  char mathIsa = 0;      // libmvec ISA letter: 'b' SSE4, 'd' AVX2, 'e' AVX-512; 0 none

  // Mangled libmvec name of `fn` ("exp") with `arity` vector operands.
  std::string vectorMathName(const std::string &fn, int arity) const;
};

// The best target this machine runs ("native").
Target hostTarget();
// "native", "avx512", "avx2", "sse4" or "scalar"; nothing for an unknown name.
std::optional<Target> targetNamed(const std::string &name);
// Whether this machine can execute code built for `target` (the JIT refuses otherwise).
bool hostRuns(const Target &target);
const char *targetNames();  // for help texts

// How kernels compute. Exact: IEEE arithmetic as written (no reassociation, no FMA
// contraction, true divisions, libm/libmvec math), so results agree with NEURON to
// round-off; the default. Fast: divisions by constants become multiplications by the
// reciprocal, a multiply and an add may become one FMA, and vector kernels divide with
// a reciprocal estimate refined by Newton steps and compute exp with an inline
// polynomial (docs/kernels.md, "Fast kernels", says how large the differences are).
// Part of every cache key: a fast and an exact build of one .mod are never confused.
enum class KernelMath { Exact, Fast };
const char *kernelMathName(KernelMath math);  // "exact", "fast"
std::optional<KernelMath> kernelMathNamed(std::string_view name);

}  // namespace ranvier::codegen
