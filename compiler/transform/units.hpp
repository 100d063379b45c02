#pragma once
// UNITS-block factors such as `FARADAY = (faraday) (coulomb)`: the value of the
// first unit expressed in the second, with NEURON 8.2's (2019 SI) constants.

#include <optional>
#include <string>

namespace ranvier::transform {

std::optional<double> unitFactor(const std::string &from, const std::string &to);

}  // namespace ranvier::transform
