#include "mechanism/instances.hpp"

#include <cstdlib>
#include <new>
#include <stdexcept>
#include <string>

namespace ranvier::runtime {

namespace {
std::size_t roundUp(std::size_t n, std::size_t multiple) { return (n + multiple - 1) / multiple * multiple; }
}  // namespace

void AlignedArray::Free::operator()(double *p) const { std::free(p); }

AlignedArray::AlignedArray(std::size_t count, double value) : size_(count) {
  const std::size_t bytes = roundUp(std::max<std::size_t>(count, 1) * sizeof(double), RV_ALIGNMENT);
  auto *p = static_cast<double *>(std::aligned_alloc(RV_ALIGNMENT, bytes));
  if (p == nullptr) throw std::bad_alloc();
  data_.reset(p);
  std::fill(p, p + bytes / sizeof(double), value);
}

MechanismInstances::MechanismInstances(const rv_mechanism &mechanism, std::int32_t count) : m_(mechanism) {
  if (m_.abi_version != RV_ABI_VERSION) {
    throw std::invalid_argument("mechanism " + std::string(m_.name) + " was compiled for ABI version " +
                                std::to_string(m_.abi_version) + ", this runtime has " + std::to_string(RV_ABI_VERSION));
  }
  if (count < 0) throw std::invalid_argument("a negative instance count");
  view_.count = count;
  view_.capacity = static_cast<std::int32_t>(roundUp(static_cast<std::size_t>(count), RV_MAX_VECTOR_WIDTH));
  fields_.resize(static_cast<std::size_t>(m_.field_slots));
  fieldPointers_.resize(fields_.size());
  for (std::int32_t i = 0; i < m_.variable_count; ++i) {
    const rv_variable &v = m_.variables[i];
    if (v.storage != RV_STORAGE_FIELD) continue;
    auto &array = fields_.at(static_cast<std::size_t>(v.slot));
    array = AlignedArray(static_cast<std::size_t>(view_.capacity) * static_cast<std::size_t>(v.size));
    fieldPointers_[static_cast<std::size_t>(v.slot)] = array.data();
  }
  pointerTargets_.assign(static_cast<std::size_t>(m_.pointer_slots), std::vector<double *>(static_cast<std::size_t>(view_.capacity), nullptr));
  for (const auto &targets : pointerTargets_) pointerArrays_.push_back(targets.data());
  view_.pointers = pointerArrays_.data();
  globals_ = AlignedArray(static_cast<std::size_t>(m_.global_slots));
  thread_ = AlignedArray(static_cast<std::size_t>(m_.thread_slots));
  view_.fields = fieldPointers_.data();
  view_.globals = globals_.data();
  view_.thread = thread_.data();
  view_.dt = 0.025;
  view_.celsius = 6.3;
  view_.secondorder = 0;
  resetToDefaults();
}

namespace {
// The slot of a POINTER variable, after checking the variable and the instance.
std::size_t pointerSlot(const rv_variable &v, std::int32_t instance, std::size_t slots, std::int32_t count) {
  if (v.storage != RV_STORAGE_POINTER || v.slot < 0 || static_cast<std::size_t>(v.slot) >= slots) {
    throw std::out_of_range(std::string(v.name) + " is not a POINTER");
  }
  if (instance < 0 || instance >= count) throw std::out_of_range("no instance " + std::to_string(instance) + " of " + std::to_string(count));
  return static_cast<std::size_t>(v.slot);
}
}  // namespace

void MechanismInstances::setPointer(const rv_variable &variable, std::int32_t instance, double *target) {
  pointerTargets_[pointerSlot(variable, instance, pointerTargets_.size(), view_.count)][static_cast<std::size_t>(instance)] = target;
}

double *MechanismInstances::pointer(const rv_variable &variable, std::int32_t instance) const {
  return pointerTargets_[pointerSlot(variable, instance, pointerTargets_.size(), view_.count)][static_cast<std::size_t>(instance)];
}

void MechanismInstances::resetToDefaults() {
  for (std::int32_t i = 0; i < m_.variable_count; ++i) {
    const rv_variable &v = m_.variables[i];
    switch (v.storage) {
    case RV_STORAGE_FIELD: {
      double *base = fields_[static_cast<std::size_t>(v.slot)].data();
      std::fill(base, base + static_cast<std::size_t>(view_.capacity) * static_cast<std::size_t>(v.size), v.initial);
      break;
    }
    case RV_STORAGE_GLOBAL:
    case RV_STORAGE_TABLE: std::fill(globals_.data() + v.slot, globals_.data() + v.slot + v.size, v.initial); break;
    case RV_STORAGE_THREAD: std::fill(thread_.data() + v.slot, thread_.data() + v.slot + v.size, v.initial); break;
    default: break;
    }
  }
}

const rv_variable *MechanismInstances::variable(std::string_view name) const {
  for (std::int32_t i = 0; i < m_.variable_count; ++i) {
    if (name == m_.variables[i].name) return &m_.variables[i];
  }
  return nullptr;
}

const rv_kernel *MechanismInstances::kernel(std::string_view name) const {
  for (std::int32_t i = 0; i < m_.kernel_count; ++i) {
    if (name == m_.kernels[i].name) return &m_.kernels[i];
  }
  return nullptr;
}

const rv_kernel *MechanismInstances::kernel(rv_kernel_kind kind) const {
  for (std::int32_t i = 0; i < m_.kernel_count; ++i) {
    if (m_.kernels[i].kind == kind) return &m_.kernels[i];
  }
  return nullptr;
}

double &MechanismInstances::value(const rv_variable &v, std::int32_t instance, std::int32_t element) {
  if (element < 0 || element >= v.size) throw std::out_of_range(std::string("element outside ") + v.name);
  switch (v.storage) {
  case RV_STORAGE_FIELD:
    if (instance < 0 || instance >= view_.count) throw std::out_of_range("no such instance");
    return fields_[static_cast<std::size_t>(v.slot)].data()[static_cast<std::size_t>(element) * static_cast<std::size_t>(view_.capacity) +
                                                             static_cast<std::size_t>(instance)];
  case RV_STORAGE_GLOBAL:
  case RV_STORAGE_TABLE: return globals_.data()[v.slot + element];
  case RV_STORAGE_THREAD: return thread_.data()[v.slot + element];
  default: throw std::out_of_range(std::string(v.name) + " is not stored by the mechanism");
  }
}

void MechanismInstances::run(const rv_kernel &kernel, std::int32_t begin, std::int32_t end) {
  if (kernel.range == nullptr) throw std::invalid_argument(std::string(kernel.name) + " is not a range kernel");
  if (begin < 0 || end > view_.count || begin > end) throw std::out_of_range("instance range outside the mechanism");
  kernel.range(&view_, begin, end);
}

double MechanismInstances::call(const rv_kernel &kernel, std::int32_t instance, double *args) {
  if (kernel.instance == nullptr) throw std::invalid_argument(std::string(kernel.name) + " is not an instance kernel");
  if (instance < 0 || instance >= std::max(view_.count, 1)) throw std::out_of_range("no such instance");
  if (args == nullptr && kernel.params > 0) throw std::invalid_argument(std::string(kernel.name) + " needs arguments");
  return kernel.instance(&view_, instance, args);
}

}  // namespace ranvier::runtime
