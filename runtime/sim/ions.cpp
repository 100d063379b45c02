#include "sim/ions.hpp"

#include <cmath>

#include "ranvier/mechanism_abi.h"

namespace ranvier::sim {

namespace {
constexpr double kFaraday = 96485.33212331001;      // C/mol
constexpr double kGasConstant = 8.3144626181532395;  // J/(K mol)
}  // namespace

IonSpecies ionSpecies(std::string_view name, double valence) {
  if (name == "na") return {"na", 1, 10, 140, 50};
  if (name == "k") return {"k", 1, 54.4, 2.5, -77};
  if (name == "ca") return {"ca", 2, 5e-5, 2, 132.4579341637009};
  return {std::string(name), valence, 1, 1, 0};
}

double thermalVoltage(double celsius) { return 1000.0 * kGasConstant * (celsius + 273.15) / kFaraday; }

double nernst(double inside, double outside, double valence, double celsius) {
  if (valence == 0) return 0;
  if (inside <= 0) return 1e6;
  if (outside <= 0) return -1e6;
  return thermalVoltage(celsius) / valence * std::log(outside / inside);
}

IonStyle ionStyle(std::uint32_t uses) {
  // NEURON's levels: concentration 0 unused, 1 read, 3 written; reversal 0 unused,
  // 1 read, 2 computed, 3 written.
  const int conc = (uses & (RV_WRITES_INSIDE | RV_WRITES_OUTSIDE)) ? 3 : (uses & (RV_READS_INSIDE | RV_READS_OUTSIDE)) ? 1 : 0;
  int rev = (uses & RV_WRITES_REVERSAL) ? 3 : (uses & RV_READS_REVERSAL) ? 1 : 0;
  if (conc > 0 && rev < 2) rev = 2;
  IonStyle style;
  style.concentrationsAreStates = conc == 3;
  style.reversalEveryStep = conc == 3 && rev == 2;
  style.reversalAtInit = conc > 0 && rev == 2;
  return style;
}

}  // namespace ranvier::sim
