#pragma once
// Ion species with NEURON's defaults, the Nernst potential, and the "ion style" NEURON
// derives from what the mechanisms at a node read and write (eion.cpp nrn_promote):
// a mechanism that writes a concentration makes it a state that starts at <ion>i0 /
// <ion>o0 and keeps the reversal potential following Nernst every step; one that only
// reads a concentration makes the reversal potential Nernst's value at initialisation;
// one that only reads the reversal potential leaves it a parameter.
#include <cstdint>
#include <string>
#include <string_view>

namespace ranvier::sim {

struct IonSpecies {
  std::string name;
  double valence = 1;
  double insideInitial = 1;   // mM (<ion>i0)
  double outsideInitial = 1;  // mM (<ion>o0)
  double reversal = 0;        // mV, the default reversal potential
};

// na, k and ca as NEURON defines them; any other ion gets NEURON's defaults for a new
// ion (1 mM inside and out, 0 mV) with the given valence.
IonSpecies ionSpecies(std::string_view name, double valence);

// RT/F in mV at celsius (NEURON 8.2's CODATA 2018 constants).
double thermalVoltage(double celsius);
// NEURON's nrn_nernst: 1e6 for ci <= 0, -1e6 for co <= 0, 0 for valence 0.
double nernst(double inside, double outside, double valence, double celsius);

struct IonStyle {
  bool concentrationsAreStates = false;  // reset to the initial values at init
  bool reversalAtInit = false;           // Nernst at init (and after INITIAL writes a concentration)
  bool reversalEveryStep = false;        // Nernst before every current evaluation
};

// What the mechanisms at one node do with an ion, as rv_ion_use bits ORed together.
IonStyle ionStyle(std::uint32_t uses);

}  // namespace ranvier::sim
