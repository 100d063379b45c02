#pragma once
// SWC morphologies (id type x y z radius parent), turned into sections the way NEURON's
// Import3d_SWC_read + instantiate does (see docs/neuron-discretisation.md): a section
// per unbranched run of points of one type, named soma, axon[i], dend[i], apic[i].
#include <filesystem>
#include <stdexcept>
#include <string>

#include "cell/morphology.hpp"

namespace ranvier::cell {

class SwcError : public std::runtime_error {
public:
  SwcError(int line, const std::string &message, std::string hint = {}) : std::runtime_error(message), line_(line), hint_(std::move(hint)) {}
  const std::string &hint() const { return hint_; }
  int line() const { return line_; }  // 1-based; 0 for the file as a whole

private:
  int line_;
  std::string hint_;
};

Morphology readSwc(const std::filesystem::path &file);
Morphology parseSwc(const std::string &text);

}  // namespace ranvier::cell
