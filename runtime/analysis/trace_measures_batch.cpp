// TraceMeasuresBatch: TraceMeasures::add for many cells at once. Compiled with
// -ffp-contract=off (runtime/CMakeLists.txt): d*d + sum must stay a multiply and an add,
// as in add(), for the sums to be the same bits.
#include "analysis/trace_measures.hpp"

namespace ranvier::analysis {

namespace {

#define RANVIER_VECTOR_VARIANTS __attribute__((target_clones("default", "avx2", "avx512f")))

// One sample of n cells: the state updates of TraceMeasures::add, with the appends left
// out: spiked[c] and turned[c] say whether cell c spiked or confirmed a turning point
// (whose time and value go to turnT[c], turnCa[c]). Returns whether any did.
RANVIER_VECTOR_VARIANTS
bool step(std::size_t n, double t, double threshold, const double *__restrict v, const double *__restrict ca, double *__restrict vMin,
          double *__restrict vMax, double *__restrict vLast, const double *__restrict ca0, double *__restrict sum, double *__restrict sumSquares,
          double *__restrict caLast, double *__restrict direction, double *__restrict pendingT, double *__restrict pendingCa,
          double *__restrict turnT, double *__restrict turnCa, double *__restrict spiked, double *__restrict turned) {
  // No && or ||: branch-free, so that the loop vectorises.
  double any = 0;
  for (std::size_t c = 0; c < n; ++c) {
    const double x = v[c], y = ca[c];
    vMin[c] = x < vMin[c] ? x : vMin[c];
    vMax[c] = x > vMax[c] ? x : vMax[c];
    const bool spike = (vLast[c] < threshold) & (x >= threshold);
    vLast[c] = x;
    const double d = y - ca0[c];
    sum[c] += d;
    sumSquares[c] += d * d;
    const bool up = y > caLast[c], down = y < caLast[c];
    const double dir = direction[c];
    const bool turn = (up & (dir < 0)) | (down & (dir > 0));
    turnT[c] = turn ? pendingT[c] : turnT[c];
    turnCa[c] = turn ? pendingCa[c] : turnCa[c];
    direction[c] = up ? 1.0 : (down ? -1.0 : dir);
    pendingT[c] = up | down ? t : pendingT[c];
    pendingCa[c] = up | down ? y : pendingCa[c];
    caLast[c] = y;
    spiked[c] = spike ? 1.0 : 0.0;
    turned[c] = turn ? 1.0 : 0.0;
    any += spiked[c] + turned[c];
  }
  return any != 0;
}

}  // namespace

TraceMeasuresBatch::TraceMeasuresBatch(std::size_t cells, MeasureOptions options)
    : cells_(cells, TraceMeasures(options)), threshold_(options.spikeThreshold), vMin_(cells), vMax_(cells), vLast_(cells), ca0_(cells),
      sum_(cells), sumSquares_(cells), caLast_(cells), direction_(cells), pendingT_(cells), pendingCa_(cells), turnT_(cells), turnCa_(cells),
      spiked_(cells), turned_(cells) {}

void TraceMeasuresBatch::add(double t, const double *v, const double *ca) {
  const std::size_t n = cells_.size();
  if (samples_ == 0) {
    for (std::size_t c = 0; c < n; ++c) {
      TraceMeasures &m = cells_[c];
      m.first(t, v[c], ca[c]);
      vMin_[c] = m.vMin_;
      vMax_[c] = m.vMax_;
      vLast_[c] = m.vLast_;
      ca0_[c] = m.ca0_;
      sum_[c] = m.sum_;
      sumSquares_[c] = m.sumSquares_;
      caLast_[c] = m.caLast_;
      direction_[c] = m.direction_;
      pendingT_[c] = m.pending_.t;
      pendingCa_[c] = m.pending_.ca;
    }
    samples_ = 1;
    tLast_ = t;
    return;
  }
  ++samples_;
  tLast_ = t;
  if (!step(n, t, threshold_, v, ca, vMin_.data(), vMax_.data(), vLast_.data(), ca0_.data(), sum_.data(), sumSquares_.data(), caLast_.data(),
            direction_.data(), pendingT_.data(), pendingCa_.data(), turnT_.data(), turnCa_.data(), spiked_.data(), turned_.data())) {
    return;
  }
  for (std::size_t c = 0; c < n; ++c) {
    if (spiked_[c] != 0) cells_[c].spikeTimes_.push_back(t);
    if (turned_[c] != 0) cells_[c].turningPoints_.push_back({turnT_[c], turnCa_[c]});
  }
}

Measures TraceMeasuresBatch::finish(std::size_t cell) const {
  TraceMeasures m = cells_.at(cell);
  if (samples_ > 0) {
    m.samples_ = samples_;
    m.tLast_ = tLast_;
    m.vMin_ = vMin_[cell];
    m.vMax_ = vMax_[cell];
    m.vLast_ = vLast_[cell];
    m.sum_ = sum_[cell];
    m.sumSquares_ = sumSquares_[cell];
    m.caLast_ = caLast_[cell];
    m.direction_ = static_cast<int>(direction_[cell]);
    m.pending_ = {pendingT_[cell], pendingCa_[cell]};
  }
  return m.finish();
}

}  // namespace ranvier::analysis
