#pragma once
// The .mod files of mechanisms/, compiled into the executable as text.
#include <string_view>
#include <vector>

namespace ranvier::tool {

struct BuiltinMechanism {
  std::string_view file;  // "hh.mod"
  std::string_view text;
};

const std::vector<BuiltinMechanism> &builtinMechanisms();

}  // namespace ranvier::tool
