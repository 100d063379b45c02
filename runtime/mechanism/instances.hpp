#pragma once
// Storage for the instances of one compiled mechanism, laid out as its rv_mechanism
// description says: one aligned SoA array per field (capacity rounded up to the
// widest vector), the shared GLOBAL/TABLE block, and one THREAD block. Values start
// at their declared defaults. Node and ion arrays belong to the cell group; the
// caller points the rv_instances view at them.

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "ranvier/mechanism_abi.h"

namespace ranvier::runtime {

class AlignedArray {
public:
  AlignedArray() = default;
  explicit AlignedArray(std::size_t count, double value = 0);
  double *data() { return data_.get(); }
  const double *data() const { return data_.get(); }
  std::size_t size() const { return size_; }

private:
  struct Free {
    void operator()(double *p) const;
  };
  std::unique_ptr<double[], Free> data_;
  std::size_t size_ = 0;
};

class MechanismInstances {
public:
  // Throws std::invalid_argument for a description of another ABI version.
  MechanismInstances(const rv_mechanism &mechanism, std::int32_t count);
  MechanismInstances(const MechanismInstances &) = delete;
  MechanismInstances &operator=(const MechanismInstances &) = delete;

  const rv_mechanism &mechanism() const { return m_; }
  std::int32_t count() const { return view_.count; }
  std::int32_t capacity() const { return view_.capacity; }

  // What kernels receive. Its field, global and thread pointers are set; node, ion,
  // time and callback members are the caller's to fill.
  rv_instances &view() { return view_; }

  const rv_variable *variable(std::string_view name) const;
  const rv_kernel *kernel(std::string_view name) const;
  const rv_kernel *kernel(rv_kernel_kind kind) const;

  // A stored value of a field, global, table or thread variable (instance ignored for
  // shared storage). Throws std::out_of_range for other storage or a bad index.
  double &value(const rv_variable &variable, std::int32_t instance, std::int32_t element = 0);

  // POINTERs (RV_STORAGE_POINTER): where the instance's POINTER `variable` points, null
  // until set. The runtime sets every one before a kernel runs.
  void setPointer(const rv_variable &variable, std::int32_t instance, double *target);
  double *pointer(const rv_variable &variable, std::int32_t instance) const;
  // Where a POINTER that may stay unset (one its mechanism tests with nrn_pointing)
  // points while it is: a value of its own, so that reading or writing it is harmless.
  double *unsetTarget() { return &unset_; }

  // Sets every field, global and thread value back to its default.
  void resetToDefaults();

  // Runs a range kernel on [begin, end) or an instance kernel.
  void run(const rv_kernel &kernel, std::int32_t begin, std::int32_t end);
  double call(const rv_kernel &kernel, std::int32_t instance, double *args);

private:
  const rv_mechanism &m_;
  rv_instances view_{};
  std::vector<AlignedArray> fields_;
  std::vector<double *> fieldPointers_;
  std::vector<std::vector<double *>> pointerTargets_;  // per POINTER slot, capacity addresses
  std::vector<double *const *> pointerArrays_;
  AlignedArray globals_, thread_;
  double unset_ = 0;
};

}  // namespace ranvier::runtime
