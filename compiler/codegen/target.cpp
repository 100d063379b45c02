#include "codegen/target.hpp"

#include <llvm/ADT/StringMap.h>
#include <llvm/TargetParser/Host.h>

namespace ranvier::codegen {

namespace {
// Feature sets of the x86-64 micro-architecture levels, spelled for LLVM.
Target scalarTarget() { return {"scalar", "x86-64", "", 1, 0}; }
Target sse4Target() { return {"sse4", "x86-64-v2", "+sse4.2,+popcnt", 2, 'b'}; }
Target avx2Target() { return {"avx2", "x86-64-v3", "+avx2,+fma,+bmi2", 4, 'd'}; }
Target avx512Target() {
  // 512-bit vectors in full: LLVM otherwise prefers 256-bit ones on AVX-512 parts.
  return {"avx512", "x86-64-v4", "+avx512f,+avx512dq,+avx512vl,+avx512bw,+fma,-prefer-256-bit", 8, 'e'};
}

bool hostHas(const char *feature) {
  llvm::StringMap<bool> features;
  if (!llvm::sys::getHostCPUFeatures(features)) return false;
  auto it = features.find(feature);
  return it != features.end() && it->second;
}
}  // namespace

std::string Target::vectorMathName(const std::string &fn, int arity) const {
  return "_ZGV" + std::string(1, mathIsa) + "N" + std::to_string(width) + std::string(arity, 'v') + "_" + fn;
}

Target hostTarget() {
  if (hostHas("avx512f") && hostHas("avx512dq")) return avx512Target();
  if (hostHas("avx2") && hostHas("fma")) return avx2Target();
  if (hostHas("sse4.2")) return sse4Target();
  return scalarTarget();
}

std::optional<Target> targetNamed(const std::string &name) {
  if (name == "native") return hostTarget();
  if (name == "avx512") return avx512Target();
  if (name == "avx2") return avx2Target();
  if (name == "sse4") return sse4Target();
  if (name == "scalar") return scalarTarget();
  return std::nullopt;
}

bool hostRuns(const Target &target) {
  if (target.name == "avx512") return hostHas("avx512f") && hostHas("avx512dq");
  if (target.name == "avx2") return hostHas("avx2") && hostHas("fma");
  if (target.name == "sse4") return hostHas("sse4.2");
  return true;
}

const char *targetNames() { return "native, avx512, avx2, sse4, scalar"; }

const char *kernelMathName(KernelMath math) { return math == KernelMath::Fast ? "fast" : "exact"; }

std::optional<KernelMath> kernelMathNamed(std::string_view name) {
  if (name == "exact") return KernelMath::Exact;
  if (name == "fast") return KernelMath::Fast;
  return std::nullopt;
}

}  // namespace ranvier::codegen
