#pragma once
// Which kernels read and which write each variable of a mechanism, counting what the
// kernels they call do. The runtime uses this for POINTERs: one that only current
// kernels read can be fed by a copy of another thread's voltage made once per step,
// where one that is written, or read while the other thread may be changing its
// target, must share that thread.
#include <cstdint>
#include <vector>

#include "ir/ir.hpp"

namespace ranvier::ir {

// Bit (1u << KernelKind) per kind of kernel; watchBit for WATCH conditions, which the
// backends compile into kernels of their own.
struct VariableAccess {
  std::uint32_t readBy = 0, writtenBy = 0;
};
inline constexpr std::uint32_t kindBit(KernelKind kind) { return 1u << static_cast<unsigned>(kind); }
inline constexpr std::uint32_t watchBit = 1u << 31;

// One entry per variable of m.
std::vector<VariableAccess> variableAccess(const Mechanism &m);

}  // namespace ranvier::ir
