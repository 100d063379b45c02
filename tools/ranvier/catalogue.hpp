#pragma once
// Mechanisms for a model: the built-in library and the .mod files in the model's
// search paths, each JIT-compiled the first time the model uses it (and cached on
// disk, so the next run only links it).
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "jit/jit.hpp"
#include "model/build.hpp"
#include "support/source.hpp"

namespace ranvier::tool {

class JitCatalogue : public model::MechanismProvider {
public:
  JitCatalogue(const std::vector<std::filesystem::path> &searchPaths, jit::JitOptions options);
  const rv_mechanism *find(const std::string &name) override;
  std::vector<std::string> names() override;
  const jit::Jit &jit() const { return jit_; }
  std::vector<std::string> warnings;

private:
  struct Entry {
    std::string file;  // for messages
    std::string text;
    const rv_mechanism *compiled = nullptr;
    bool failed = false;
  };
  void add(const std::string &file, std::string text);
  jit::Jit jit_;
  std::map<std::string, Entry> entries_;
  std::vector<std::unique_ptr<SourceFile>> sources_;  // alive as long as diagnostics may point into them
};

// The JIT's kernel arithmetic for a model's kernels setting.
codegen::KernelMath kernelMath(model::Kernels kernels);
model::Kernels kernelsNamed(const std::string &name);  // "exact" or "fast" (checked by the command line)

// The mechanism a .mod text declares (SUFFIX, POINT_PROCESS or ARTIFICIAL_CELL), or "".
std::string declaredName(std::string_view text);

}  // namespace ranvier::tool
