#pragma once
// The phase of one cell's bursts in another's cycle, for sweeps of networks (the
// half-centre oscillator's two cells burst in antiphase: 0.5). docs/sweep-measures.md.
#include "analysis/trace_measures.hpp"

namespace ranvier::analysis {

// For every counted calcium peak t of `cell` between two consecutive counted peaks
// r(i) <= t < r(i+1) of `reference`, the phase (t - r(i)) / (r(i+1) - r(i)); their mean
// on the circle (the angle of the sum of the unit vectors at 2 pi phase), in [0, 1).
// NaN unless both cells are tonic or bursting, when no peak of `cell` falls inside the
// reference's peaks, or when the phases cancel out (a sum shorter than 1e-9 per peak).
double burstPhase(const Measures &reference, const Measures &cell);

}  // namespace ranvier::analysis
