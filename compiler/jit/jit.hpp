#pragma once
// The in-process JIT: .mod text (or kernels) -> callable kernels behind an
// rv_mechanism description, through LLVM's ORC LLJIT. Compiled objects are kept in a
// content-addressed on-disk cache, so a second process loading the same mechanism
// maps a file and links it instead of compiling.
//
// Generated code may call only the math list (libm and libmvec) and memset/memcpy:
// the JIT resolves no other external symbol, not even for object files it is given.

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "codegen/target.hpp"
#include "frontend/includes.hpp"
#include "ir/ir.hpp"
#include "ranvier/mechanism_abi.h"
#include "support/diagnostics.hpp"
#include "support/source.hpp"

namespace ranvier::jit {

class JitError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

struct JitOptions {
  codegen::Target target = codegen::hostTarget();
  int optLevel = 2;
  codegen::KernelMath math = codegen::KernelMath::Exact;  // exact (IEEE, NEURON's results) or fast
  std::filesystem::path cacheDirectory;  // empty: no cache (see ObjectCache::defaultDirectory)
  frontend::IncludeOptions includes = frontend::IncludeOptions::fromEnvironment();  // where INCLUDEd files are found
};

struct JitStats {
  std::size_t compiled = 0;  // mechanisms compiled by LLVM in this process
  std::size_t cached = 0;    // mechanisms loaded from the cache
  std::size_t damaged = 0;   // cache entries found damaged (removed and rebuilt)
  std::vector<std::string> warnings;  // e.g. a cache directory that cannot be written
  // Where the time went, summed over loads (milliseconds).
  double frontMs = 0;     // parse, check, lower
  double generateMs = 0;  // kernels -> LLVM IR
  double optimizeMs = 0;  // LLVM's pass pipeline
  double objectMs = 0;    // instruction selection and object code
  double linkMs = 0;      // JIT linking (and for cached loads: mapping and checking the entry)
};

class Jit {
public:
  // Throws JitError when the target cannot run on this machine.
  explicit Jit(JitOptions options = {});
  ~Jit();
  Jit(const Jit &) = delete;
  Jit &operator=(const Jit &) = delete;

  // Compiles `file` (or loads it from the cache). Input errors go to `diagnostics` and
  // give null; a failure of LLVM itself throws JitError.
  const rv_mechanism *loadSource(const SourceFile &file, DiagnosticEngine &diagnostics);

  // Compiles kernels (no cache: kernels have no source text to hash).
  const rv_mechanism *load(const ir::Mechanism &mechanism);

  // Links an object file written by `mechc -o`; returns the mechanisms it describes.
  std::vector<const rv_mechanism *> loadObject(const std::filesystem::path &path);

  const JitStats &stats() const;
  const JitOptions &options() const;

  // The cache key of a source text for this JIT's target and settings (the kernel math
  // among them: a fast and an exact build of one file have different keys).
  std::string cacheKey(std::string_view sourceText) const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ranvier::jit
