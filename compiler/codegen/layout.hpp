#pragma once
// Where each stored variable of a mechanism lives in the ABI (rv_variable.slot and
// .quantity), and how much storage the runtime must allocate.

#include <cstdint>
#include <vector>

#include "ir/ir.hpp"

namespace ranvier::codegen {

struct VariableSlot {
  bool stored = false;   // false: a kernel local or parameter
  std::int32_t slot = 0;
  std::int32_t quantity = 0;
  std::int32_t ion = -1; // index into Mechanism::ions for ion storage
};

struct Layout {
  std::vector<VariableSlot> variables;  // by VarId
  std::int32_t fieldSlots = 0, globalSlots = 0, threadSlots = 0, pointerSlots = 0;
};

// Throws std::runtime_error for a variable the ABI cannot place (an unknown builtin
// or ion): the middle end never produces one.
Layout layoutOf(const ir::Mechanism &mechanism);

}  // namespace ranvier::codegen
