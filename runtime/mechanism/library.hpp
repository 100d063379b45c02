#pragma once
// Compiled mechanisms from a shared library written by `mechc --shared`: the runtime's
// alternative to the JIT (no LLVM at run time). The library exports
// `ranvier_library`, a null-terminated array of rv_mechanism descriptions.
//
// Loading a shared library runs its code: only load libraries you built.

#include <filesystem>
#include <stdexcept>
#include <vector>

#include "ranvier/mechanism_abi.h"

namespace ranvier::runtime {

class LibraryError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

class MechanismLibrary {
public:
  // Throws LibraryError naming the file and the cause (not found, not a Ranvier
  // library, another ABI version).
  static MechanismLibrary open(const std::filesystem::path &path);

  MechanismLibrary(MechanismLibrary &&other) noexcept;
  MechanismLibrary &operator=(MechanismLibrary &&other) noexcept;
  MechanismLibrary(const MechanismLibrary &) = delete;
  MechanismLibrary &operator=(const MechanismLibrary &) = delete;
  ~MechanismLibrary();

  const std::vector<const rv_mechanism *> &mechanisms() const { return mechanisms_; }
  const rv_mechanism *find(std::string_view name) const;

private:
  MechanismLibrary() = default;
  void *handle_ = nullptr;
  std::vector<const rv_mechanism *> mechanisms_;
};

}  // namespace ranvier::runtime
