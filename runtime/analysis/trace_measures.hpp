#pragma once
// Measures of one cell's membrane potential and calcium trace for parameter sweeps
// (`ranvier sweep`): spike count and firing rate, the voltage range, and the burst
// metrics of the Liu et al. 1998 model as the reference tool xolotl defines them
// (xtools.findBurstMetrics): calcium peaks, burst period, spikes per burst, duty cycle,
// and a classification (silent, tonic, bursting, irregular). docs/sweep-measures.md
// gives the exact definitions and where they differ from the spec's wording and xolotl.
//
// The measures are computed on the fly from one sample per time step: add() keeps the
// voltage range, the spike times and running sums, and of the calcium trace only its
// turning points (the first sample of every local maximum and minimum, plus the first
// and the last sample). Peaks, their prominences and the troughs between them are the
// same from the turning points as from the whole trace (tests/runtime/
// trace_measures_test.cpp checks this against a brute-force version).
//
//   TraceMeasures m;                          // default options: xolotl's
//   for (each step) m.add(t, v, cai);         // the window to analyse, e.g. its second half
//   Measures r = m.finish();                  // r.kind, r.burstPeriod, r.spikesPerBurst, ...
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ranvier::analysis {

// A sample of the calcium trace: time (ms) and value.
struct CaPoint {
  double t, ca;
};

struct MeasureOptions {
  double spikeThreshold = 0;  // mV: a spike is an upward crossing of this
  double caPeakCv = 0.3;      // irregular when the CV of the calcium peak heights exceeds this
  double periodCv = 0.1;      // irregular when the CV of the peak-to-peak intervals exceeds this
  int minPeaks = 5;           // irregular with fewer calcium peaks (at least 3 are always needed)
};

struct Measures {
  enum class Kind : std::uint8_t {
    Silent,     // no spike
    Tonic,      // regular calcium peaks, exactly one spike in every counted burst
    Bursting,   // regular calcium peaks, more (or a varying number of) spikes per burst
    Irregular,  // spikes, but too few calcium peaks or peaks too variable: see `reason`
  };

  std::size_t samples = 0;
  double duration = 0;        // ms: last sample time - first sample time
  std::size_t spikes = 0;
  double firingRate = 0;      // Hz: spikes / duration (NaN when duration is 0)
  double vMin = 0, vMax = 0;  // mV (NaN without samples)

  // Calcium peaks (prominence >= std of Ca over the samples); the CVs are reported
  // whenever they can be computed (2 peaks for heights, 3 for intervals), whatever the kind.
  std::size_t caPeaks = 0;
  double caPeakCv = 0;        // std/mean of the peak heights (N-1), NaN below 2 peaks
  double periodCv = 0;        // std/mean of the intervals between consecutive peaks, NaN below 3
  std::vector<double> peakTimes;  // ms: the counted calcium peaks (for burstPhase)

  // Burst metrics: only for Tonic and Bursting, NaN otherwise.
  double burstPeriod = 0;     // ms: mean interval between consecutive calcium peaks
  // Mean spike count over the bursts of peaks i = 2..n-1: the spikes strictly between the
  // midpoint (in time) of peak i-1 and the trough after it and that of peak i and the
  // trough after it (a trough: the first lowest sample between consecutive peaks).
  double spikesPerBurst = 0;
  double caPeakMean = 0;      // mean calcium of peaks 2..n-1 (the trace's unit)
  double dutyCycle = 0;       // mean (last - first spike of a burst with spikes) / burstPeriod

  Kind kind = Kind::Silent;
  std::string reason;         // why Silent or Irregular; empty for Tonic and Bursting
};

// "silent", "tonic", "bursting", "irregular".
std::string_view kindName(Measures::Kind kind);

class TraceMeasures {
public:
  explicit TraceMeasures(MeasureOptions options = {});

  // One sample: time (ms, increasing), membrane potential (mV), calcium (any unit).
  // Allocation-free except when a spike or a calcium turning point is appended.
  void add(double t, double v, double ca) {
    if (samples_ == 0) [[unlikely]] {
      first(t, v, ca);
      return;
    }
    ++samples_;
    if (v < vMin_) vMin_ = v;
    if (v > vMax_) vMax_ = v;
    if (vLast_ < options_.spikeThreshold && v >= options_.spikeThreshold) [[unlikely]]
      spikeTimes_.push_back(t);
    vLast_ = v;
    const double d = ca - ca0_;
    sum_ += d;
    sumSquares_ += d * d;
    // A strict move up after a move down confirms the pending point (the first sample of
    // the flat run the last move landed on) as a minimum, and a move down after a move up
    // as a maximum; flat steps change nothing.
    if (ca > caLast_) {
      if (direction_ < 0) [[unlikely]]
        turningPoints_.push_back(pending_);
      direction_ = 1;
      pending_ = {t, ca};
    } else if (ca < caLast_) {
      if (direction_ > 0) [[unlikely]]
        turningPoints_.push_back(pending_);
      direction_ = -1;
      pending_ = {t, ca};
    }
    caLast_ = ca;
    tLast_ = t;
  }

  Measures finish() const;

  // What is kept: the spike times, and the calcium trace's first sample and the first
  // sample of each local extremum confirmed so far (finish() appends the last sample).
  const std::vector<double> &spikeTimes() const { return spikeTimes_; }
  const std::vector<CaPoint> &turningPoints() const { return turningPoints_; }

private:
  friend class TraceMeasuresBatch;
  void first(double t, double v, double ca);

  MeasureOptions options_;
  std::size_t samples_ = 0;
  double tFirst_ = 0, tLast_ = 0;
  double vMin_ = 0, vMax_ = 0, vLast_ = 0;
  double ca0_ = 0, sum_ = 0, sumSquares_ = 0;  // sums of ca - ca0 (no cancellation)
  double caLast_ = 0;
  int direction_ = 0;  // sign of the last strict calcium move, 0 before the first
  CaPoint pending_{};
  std::vector<double> spikeTimes_;
  std::vector<CaPoint> turningPoints_;
};

// Many cells fed in lockstep (one sample of every cell at each time): each cell's
// measures are, bit for bit, those of a TraceMeasures fed its samples. The running sums,
// the voltage range and the calcium direction are kept per quantity for all cells (the
// same operations as add(), in vector code); only the rare steps with a spike or a
// calcium turning point append to a cell's lists. About 1 ns per cell and sample
// against add()'s 5 (trace_measures_batch.cpp; the sweep measures with it).
class TraceMeasuresBatch {
public:
  explicit TraceMeasuresBatch(std::size_t cells, MeasureOptions options = {});
  std::size_t cells() const { return cells_.size(); }
  // The sample at time t of every cell: v[c] and ca[c] (cells() values each).
  void add(double t, const double *v, const double *ca);
  Measures finish(std::size_t cell) const;

private:
  std::vector<TraceMeasures> cells_;  // options, first sample, spikes, turning points
  double threshold_;
  std::size_t samples_ = 0;
  double tLast_ = 0;
  // per cell
  std::vector<double> vMin_, vMax_, vLast_, ca0_, sum_, sumSquares_, caLast_, direction_, pendingT_, pendingCa_, turnT_, turnCa_;
  std::vector<double> spiked_, turned_;  // 1 where the last sample spiked / confirmed a turning point
};

// The building blocks of finish(), exposed for the tests. Both take any sequence of
// samples: the whole trace or its turning points (with the last sample), with the same
// results for the peaks and troughs.

// A local maximum of the calcium trace with its prominence; `index` is its position in
// the sequence given to findPeaks.
struct CaPeak {
  std::size_t index;
  double t, ca, prominence;
};

// The local maxima with MATLAB findpeaks semantics: a sample higher than the one before
// and than the next sample of a different value (a flat top counts once, at its first
// sample); the first and last samples are never peaks. Prominence: from the peak, go
// left until a sample strictly higher than the peak or the start, take the lowest
// sample on the way; the same to the right; prominence = peak - the higher of the two.
// O(n) (monotonic stacks).
std::vector<CaPeak> findPeaks(std::span<const CaPoint> points);

// The first lowest sample strictly between positions `from` and `to` (from + 1 < to).
CaPoint lowestBetween(std::span<const CaPoint> points, std::size_t from, std::size_t to);

}  // namespace ranvier::analysis
