#include "mechanism/library.hpp"

#include <dlfcn.h>

#include <string>
#include <utility>

namespace ranvier::runtime {

MechanismLibrary MechanismLibrary::open(const std::filesystem::path &path) {
  // A bare name would make dlopen search the system's library path.
  const std::filesystem::path file = path.has_parent_path() ? path : std::filesystem::path(".") / path;
  MechanismLibrary library;
  library.handle_ = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (library.handle_ == nullptr) {
    const char *why = dlerror();
    throw LibraryError("cannot load mechanism library " + path.string() + ": " + (why != nullptr ? why : "unknown error"));
  }
  const auto *index = static_cast<const rv_mechanism *const *>(dlsym(library.handle_, "ranvier_library"));
  if (index == nullptr) {
    throw LibraryError(path.string() + " is not a Ranvier mechanism library (no 'ranvier_library'; build it with mechc --shared)");
  }
  for (const rv_mechanism *const *m = index; *m != nullptr; ++m) {
    if ((*m)->abi_version != RV_ABI_VERSION) {
      throw LibraryError(path.string() + ": mechanism " + (*m)->name + " was compiled for ABI version " +
                         std::to_string((*m)->abi_version) + ", this runtime has " + std::to_string(RV_ABI_VERSION) +
                         "; rebuild it with this mechc");
    }
    library.mechanisms_.push_back(*m);
  }
  return library;
}

MechanismLibrary::MechanismLibrary(MechanismLibrary &&other) noexcept
    : handle_(std::exchange(other.handle_, nullptr)), mechanisms_(std::move(other.mechanisms_)) {}

MechanismLibrary &MechanismLibrary::operator=(MechanismLibrary &&other) noexcept {
  if (this != &other) {
    if (handle_ != nullptr) dlclose(handle_);
    handle_ = std::exchange(other.handle_, nullptr);
    mechanisms_ = std::move(other.mechanisms_);
  }
  return *this;
}

MechanismLibrary::~MechanismLibrary() {
  if (handle_ != nullptr) dlclose(handle_);
}

const rv_mechanism *MechanismLibrary::find(std::string_view name) const {
  for (const rv_mechanism *m : mechanisms_) {
    if (name == m->name) return m;
  }
  return nullptr;
}

}  // namespace ranvier::runtime
