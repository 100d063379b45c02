#include "transform/units.hpp"

#include <array>
#include <numbers>
#include <string>
#include <utility>
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
    // R as Avogadro's number times Boltzmann's constant, in mV coulomb per degree: 21
    // ModelDB channel files write (mole k) (mV-coulomb/degC); nocmodl's value, to the bit.
    Factor{"molek", "mV-coulomb/degC", 0x1.03d3b37125759p+13},
};

std::string compact(const std::string &unit) {
  std::string out;
  for (char c : unit) {
    if (c != ' ' && c != '\t') out.push_back(c);
  }
  return out;
}

// Plain units by their value in SI, for conversions such as (micron) (cm).
struct Plain {
  std::string_view name;
  double si;
};
constexpr std::array kPlain{
    Plain{"m", 1},         Plain{"meter", 1},   Plain{"cm", 1e-2},      Plain{"mm", 1e-3},
    Plain{"um", 1e-6},     Plain{"micron", 1e-6}, Plain{"nm", 1e-9},    Plain{"angstrom", 1e-10},
    Plain{"foot", 0.3048}, Plain{"inch", 0.0254}, Plain{"s", 1},        Plain{"ms", 1e-3},
    Plain{"liter", 1e-3},  Plain{"l", 1e-3},     Plain{"coulomb", 1},   Plain{"coulombs", 1},
    Plain{"1", 1},
};

// A leading number scales a unit: (10000 coulomb).
std::pair<double, std::string> scaled(const std::string &unit) {
  std::size_t end = 0;
  double scale = 1;
  try {
    scale = std::stod(unit, &end);
  } catch (...) {
    return {1.0, unit};
  }
  if (end == unit.size()) return {scale, "1"};
  return {scale, unit.substr(end)};
}

std::optional<double> plain(const std::string &unit) {
  for (const Plain &p : kPlain) {
    if (unit == p.name) return p.si;
  }
  return std::nullopt;
}

}  // namespace

std::optional<double> unitFactor(const std::string &from, const std::string &to) {
  const auto [fromScale, a] = scaled(compact(from));
  const auto [toScale, b] = scaled(compact(to));
  const double scale = fromScale / toScale;
  for (const Factor &f : kFactors) {
    if (a == f.from && b == f.to) return f.value * scale;
  }
  if (a == b) return scale;
  if (auto x = plain(a), y = plain(b); x && y) return *x / *y * scale;
  return std::nullopt;
}

}  // namespace ranvier::transform
