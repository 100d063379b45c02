#pragma once
// Clean-up after lowering: assignments to locals nobody reads are dropped (v copied
// from the node in a kernel that never uses v, inlined results nobody uses), and so
// are the locals themselves.

#include "ir/ir.hpp"

namespace ranvier::ir {

void removeDeadLocals(Mechanism &mechanism, Kernel &kernel);

}  // namespace ranvier::ir
