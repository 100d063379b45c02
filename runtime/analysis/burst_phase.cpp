#include "analysis/burst_phase.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace ranvier::analysis {

namespace {

bool regular(const Measures &m) { return m.kind == Measures::Kind::Tonic || m.kind == Measures::Kind::Bursting; }

}  // namespace

double burstPhase(const Measures &reference, const Measures &cell) {
  constexpr double NaN = std::numeric_limits<double>::quiet_NaN();
  if (!regular(reference) || !regular(cell)) return NaN;
  const std::vector<double> &r = reference.peakTimes;
  double sumSin = 0, sumCos = 0;
  std::size_t count = 0;
  for (double t : cell.peakTimes) {
    const auto next = std::upper_bound(r.begin(), r.end(), t);  // r(i+1) > t
    if (next == r.begin() || next == r.end()) continue;
    const double start = *(next - 1), phase = (t - start) / (*next - start);
    sumSin += std::sin(2 * std::numbers::pi * phase);
    sumCos += std::cos(2 * std::numbers::pi * phase);
    ++count;
  }
  if (count == 0 || std::hypot(sumSin, sumCos) < 1e-9 * static_cast<double>(count)) return NaN;
  const double turns = std::atan2(sumSin, sumCos) / (2 * std::numbers::pi);
  const double phase = turns < 0 ? turns + 1 : turns;
  return phase >= 1 ? 0.0 : phase;
}

}  // namespace ranvier::analysis
