#pragma once
// Readable text for a lowered mechanism (`mechc --emit-kernels`): the variable
// table with storage, then every kernel as indented statements.

#include <string>

#include "ir/ir.hpp"

namespace ranvier::ir {

std::string print(const Mechanism &mechanism);
std::string print(const Mechanism &mechanism, const Expr &e);

}  // namespace ranvier::ir
