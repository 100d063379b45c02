#include "transform/units.hpp"

#include <array>
#include <numbers>
#include <string_view>

namespace ranvier::transform {
namespace {

// The physical constants NMODL files use through UNITS, in the units they are
// written against. Values: NEURON 8.2's nrnunits.lib (modern, not legacy, units),
// as nocmodl prints them into generated C.
struct Factor {
  std::string_view from;
  std::string_view to;
  double value;
};
constexpr std::array kFactors{
    Factor{"faraday", "coulomb", 96485.3321233100141},
    Factor{"faraday", "coulombs", 96485.3321233100141},
    Factor{"faraday", "coul", 96485.3321233100141},
    Factor{"faraday", "kilocoulombs", 96.4853321233100141},
    Factor{"faraday", "kilocoulomb", 96.4853321233100141},
    Factor{"k-mole", "joule/degC", 8.3144626181532395},
    Factor{"k-mole", "joule/degK", 8.3144626181532395},
    Factor{"k-mole", "joule/K", 8.3144626181532395},
    Factor{"pi", "1", std::numbers::pi},
    Factor{"e", "coulombs", 1.602176634e-19},
    Factor{"e", "coulomb", 1.602176634e-19},
    Factor{"k", "joule/degC", 1.380649e-23},
    Factor{"k", "joule/degK", 1.380649e-23},
};

std::string compact(const std::string &unit) {
  std::string out;
  for (char c : unit) {
    if (c != ' ' && c != '\t') out.push_back(c);
  }
  return out;
}

}  // namespace

std::optional<double> unitFactor(const std::string &from, const std::string &to) {
  const std::string a = compact(from), b = compact(to);
  for (const Factor &f : kFactors) {
    if (a == f.from && b == f.to) return f.value;
  }
  if (a == b) return 1.0;
  return std::nullopt;
}

}  // namespace ranvier::transform
