#include "analysis/trace_measures.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace ranvier::analysis {
namespace {

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();
constexpr double Inf = std::numeric_limits<double>::infinity();

// Sample mean and standard deviation (N - 1) of `values`, shifted by the first.
struct MeanStd {
  double mean, std;
};
template <class Range, class Value>
MeanStd meanStd(const Range &values, Value value) {
  const std::size_t n = std::size(values);
  if (n == 0) return {NaN, NaN};
  const double shift = value(*std::begin(values));
  double sum = 0, squares = 0;
  for (const auto &x : values) {
    const double d = value(x) - shift;
    sum += d;
    squares += d * d;
  }
  const double mean = shift + sum / static_cast<double>(n);
  if (n < 2) return {mean, NaN};
  const double variance = (squares - sum * sum / static_cast<double>(n)) / static_cast<double>(n - 1);
  return {mean, std::sqrt(std::max(variance, 0.0))};
}

// For every position i, the lowest value strictly between i and the nearest position
// before it with a value strictly greater than values[i] (or the start): the left half
// of a prominence. One pass with a stack of positions of strictly decreasing values;
// each entry carries the lowest value strictly between it and the entry above it (or
// the current position, for the top).
template <class Value>
std::vector<double> lowestToHigherOnTheLeft(std::size_t n, Value value) {
  struct Entry {
    double value, lowestAfter;
  };
  std::vector<double> out(n);
  std::vector<Entry> stack;
  double prefixLowest = Inf;  // of everything before i
  for (std::size_t i = 0; i < n; ++i) {
    const double x = value(i);
    double lowest = Inf;  // of the entries popped and what lies between them
    while (!stack.empty() && stack.back().value <= x) {
      lowest = std::min({lowest, stack.back().value, stack.back().lowestAfter});
      stack.pop_back();
    }
    if (stack.empty()) {  // nothing higher on the left: the whole prefix
      out[i] = prefixLowest;
    } else {
      stack.back().lowestAfter = std::min(stack.back().lowestAfter, lowest);
      out[i] = stack.back().lowestAfter;
    }
    stack.push_back({x, Inf});
    prefixLowest = std::min(prefixLowest, x);
  }
  return out;
}

std::string format(const char *pattern, double a, double b) {
  char text[160];
  std::snprintf(text, sizeof text, pattern, a, b);
  return text;
}

}  // namespace

std::string_view kindName(Measures::Kind kind) {
  switch (kind) {
  case Measures::Kind::Silent: return "silent";
  case Measures::Kind::Tonic: return "tonic";
  case Measures::Kind::Bursting: return "bursting";
  case Measures::Kind::Irregular: return "irregular";
  }
  return "?";
}

std::vector<CaPeak> findPeaks(std::span<const CaPoint> points) {
  const std::size_t n = points.size();
  std::vector<CaPeak> peaks;
  // Local maxima: up into position i, then (after any flat run) down.
  for (std::size_t i = 1; i + 1 < n; ++i) {
    if (!(points[i].ca > points[i - 1].ca)) continue;
    std::size_t j = i + 1;
    while (j < n && points[j].ca == points[i].ca) ++j;
    if (j < n && points[j].ca < points[i].ca) peaks.push_back({i, points[i].t, points[i].ca, 0});
    i = j - 1;  // the flat run holds no other peak
  }
  if (peaks.empty()) return peaks;
  const std::vector<double> left = lowestToHigherOnTheLeft(n, [&](std::size_t i) { return points[i].ca; });
  const std::vector<double> right = lowestToHigherOnTheLeft(n, [&](std::size_t i) { return points[n - 1 - i].ca; });
  for (CaPeak &peak : peaks) peak.prominence = peak.ca - std::max(left[peak.index], right[n - 1 - peak.index]);
  return peaks;
}

CaPoint lowestBetween(std::span<const CaPoint> points, std::size_t from, std::size_t to) {
  CaPoint lowest{NaN, Inf};
  for (std::size_t i = from + 1; i < to; ++i)
    if (points[i].ca < lowest.ca) lowest = points[i];
  return lowest;
}

TraceMeasures::TraceMeasures(MeasureOptions options) : options_(options) {}

void TraceMeasures::first(double t, double v, double ca) {
  samples_ = 1;
  tFirst_ = tLast_ = t;
  vMin_ = vMax_ = vLast_ = v;
  ca0_ = caLast_ = ca;
  sum_ = sumSquares_ = 0;
  direction_ = 0;
  pending_ = {t, ca};
  spikeTimes_.clear();
  turningPoints_.clear();
  turningPoints_.push_back({t, ca});
}

Measures TraceMeasures::finish() const {
  using Kind = Measures::Kind;
  Measures m;
  m.samples = samples_;
  m.spikes = spikeTimes_.size();
  m.caPeakCv = m.periodCv = NaN;
  m.burstPeriod = m.spikesPerBurst = m.caPeakMean = m.dutyCycle = NaN;
  if (samples_ == 0) {
    m.firingRate = m.vMin = m.vMax = NaN;
    m.kind = Kind::Silent;
    m.reason = "no samples";
    return m;
  }
  m.duration = tLast_ - tFirst_;
  m.firingRate = m.duration > 0 ? static_cast<double>(m.spikes) / (m.duration / 1000) : NaN;
  m.vMin = vMin_;
  m.vMax = vMax_;

  // Calcium peaks with a prominence of at least the standard deviation of the trace.
  std::vector<CaPoint> points = turningPoints_;
  if (samples_ > 1) points.push_back({tLast_, caLast_});
  const double n = static_cast<double>(samples_);
  const double caStd = samples_ > 1 ? std::sqrt(std::max((sumSquares_ - sum_ * sum_ / n) / (n - 1), 0.0)) : NaN;
  std::vector<CaPeak> peaks = findPeaks(points);
  std::erase_if(peaks, [&](const CaPeak &p) { return !(p.prominence >= caStd); });
  m.caPeaks = peaks.size();
  for (const CaPeak &p : peaks) m.peakTimes.push_back(p.t);
  if (peaks.size() >= 2) {
    const MeanStd heights = meanStd(peaks, [](const CaPeak &p) { return p.ca; });
    m.caPeakCv = heights.std / heights.mean;
  }
  std::vector<double> intervals;
  for (std::size_t i = 1; i < peaks.size(); ++i) intervals.push_back(peaks[i].t - peaks[i - 1].t);
  const MeanStd period = meanStd(intervals, [](double x) { return x; });
  if (intervals.size() >= 2) m.periodCv = period.std / period.mean;

  // Classification, in xolotl's order.
  const std::size_t minPeaks = static_cast<std::size_t>(std::max(options_.minPeaks, 3));
  if (m.spikes == 0) {
    m.kind = Kind::Silent;
    m.reason = "no spikes";
    return m;
  }
  m.kind = Kind::Irregular;
  if (peaks.size() < minPeaks) {
    m.reason = format("too few calcium peaks (%.0f < %.0f)", static_cast<double>(peaks.size()), static_cast<double>(minPeaks));
    return m;
  }
  if (m.caPeakCv > options_.caPeakCv) {
    m.reason = format("calcium peak heights vary (CV %.3g > %.3g)", m.caPeakCv, options_.caPeakCv);
    return m;
  }
  if (m.periodCv > options_.periodCv) {
    m.reason = format("calcium peak intervals vary (CV %.3g > %.3g)", m.periodCv, options_.periodCv);
    return m;
  }

  // Bursts: peaks 2..n-1 (1-based). The spikes of burst i are those strictly after the
  // midpoint between peak i-1 and the trough after it, and strictly before the midpoint
  // between peak i and the trough after it.
  std::vector<CaPoint> troughs;  // troughs[i]: between peaks i and i+1
  for (std::size_t i = 0; i + 1 < peaks.size(); ++i) troughs.push_back(lowestBetween(points, peaks[i].index, peaks[i + 1].index));
  m.burstPeriod = period.mean;
  double spikes = 0, heights = 0, durations = 0;
  std::size_t bursts = 0, withSpikes = 0;
  bool allSingle = true;
  for (std::size_t i = 1; i + 1 < peaks.size(); ++i, ++bursts) {
    const double a = (peaks[i - 1].t + troughs[i - 1].t) / 2;
    const double z = (peaks[i].t + troughs[i].t) / 2;
    const auto begin = std::upper_bound(spikeTimes_.begin(), spikeTimes_.end(), a);
    const auto end = std::lower_bound(begin, spikeTimes_.end(), z);
    const auto count = end - begin;
    spikes += static_cast<double>(count);
    heights += peaks[i].ca;
    allSingle = allSingle && count == 1;
    if (count > 0) {
      durations += *(end - 1) - *begin;
      ++withSpikes;
    }
  }
  m.spikesPerBurst = spikes / static_cast<double>(bursts);
  m.caPeakMean = heights / static_cast<double>(bursts);
  m.dutyCycle = withSpikes > 0 ? durations / static_cast<double>(withSpikes) / m.burstPeriod : NaN;
  m.kind = allSingle ? Kind::Tonic : Kind::Bursting;
  m.reason.clear();
  return m;
}

}  // namespace ranvier::analysis
