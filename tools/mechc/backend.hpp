#pragma once
// mechc's backend modes: object files, shared libraries, textual LLVM IR, and loading
// through the JIT (with the on-disk cache). Kept apart from main.cpp so that LLVM's
// headers and CLI11's are compiled in different translation units.

#include <string>
#include <vector>

#include "frontend/includes.hpp"
#include "ir/ir.hpp"

namespace ranvier::mechc {

struct BackendOptions {
  std::string output;        // -o
  bool shared = false;       // --shared
  bool emitLlvm = false;     // --emit-llvm
  int optLevel = 2;          // -O
  std::string target = "native";
  std::string kernels = "exact";  // --kernels: exact or fast
  std::string cacheDir;      // --jit: "" = the default cache directory
  bool noCache = false;
  frontend::IncludeOptions includes;  // --jit: where INCLUDEd files are found
};

// Exit status 0 ok, 2 usage or I/O; messages go to stderr.
int emitCode(const std::vector<ir::Mechanism> &mechanisms, const std::vector<std::string> &sourceTexts,
             const BackendOptions &options);

// --jit: compiles (or loads from the cache) each file in-process and reports what it
// did and how long it took; exit 1 when a file has errors.
int jitLoad(const std::vector<std::string> &files, const BackendOptions &options, bool color);

// Whether `name` is a target mechc knows.
bool knownTarget(const std::string &name);
std::string targetHelp();

}  // namespace ranvier::mechc
