// Sweep measures (runtime/analysis/trace_measures.hpp) on constructed signals: silent,
// tonic, bursting with a known period and spikes per burst, irregular (varying periods,
// varying heights, too few calcium peaks), no or one sample; and the calcium peaks,
// prominences and troughs from the turning points that add() keeps equal those of a
// brute-force findpeaks on the whole sampled signal; the burst phase of one cell in
// another's cycle (analysis/burst_phase.hpp) for cells shifted by known fractions.
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "analysis/burst_phase.hpp"
#include "analysis/trace_measures.hpp"

namespace ranvier::analysis {
namespace {

using Kind = Measures::Kind;

constexpr double dt = 0.1;  // ms

// A whole sampled trace, kept only by the tests.
struct Trace {
  std::vector<double> t, v, ca;
  void add(double time, double voltage, double calcium) {
    t.push_back(time);
    v.push_back(voltage);
    ca.push_back(calcium);
  }
  Measures measure(MeasureOptions options = {}) const {
    TraceMeasures m(options);
    for (std::size_t k = 0; k < t.size(); ++k) m.add(t[k], v[k], ca[k]);
    return m.finish();
  }
};

// Spikes: V at +20 mV for 1 ms from each onset, -60 mV otherwise.
bool spiking(std::int64_t k, const std::vector<std::int64_t> &onsets) {
  for (std::int64_t onset : onsets)
    if (k >= onset && k < onset + 10) return true;
  return false;
}

// Bursts of `spikesPerBurst` spikes every `period` samples, the calcium a sawtooth: a
// linear rise over the first 100 ms of a cycle (the spikes at 20, 40, ... ms of it, each
// adding a 1 ms bump of 2 % of the amplitude: ripples far below the prominence
// threshold), then an exponential decay (tau 100 ms). The calcium peaks at 100 ms of
// each cycle; the trough is the cycle's first sample. `amplitude(cycle)` and
// `periodOf(cycle)` (in samples) may vary from cycle to cycle.
template <class Amplitude, class Period>
Trace bursting(double seconds, int spikesPerBurst, Amplitude amplitude, Period periodOf) {
  Trace trace;
  const auto samples = static_cast<std::int64_t>(seconds * 1000 / dt);
  std::int64_t cycleStart = 0;
  int cycle = 0;
  for (std::int64_t k = 0; k < samples; ++k) {
    if (k - cycleStart == periodOf(cycle)) {
      cycleStart = k;
      ++cycle;
    }
    const std::int64_t phase = k - cycleStart;  // samples into the cycle
    const double a = amplitude(cycle);
    std::vector<std::int64_t> onsets;
    for (int s = 1; s <= spikesPerBurst; ++s) onsets.push_back(s * 200);  // 20, 40, ... ms
    const bool spike = spiking(phase, onsets);
    double ca = 0.05 + (phase < 1000 ? a * static_cast<double>(phase) / 1000 + (spike ? 0.02 * a : 0)
                                     : a * std::exp(-static_cast<double>(phase - 1000) * dt / 100));
    trace.add(static_cast<double>(k) * dt, spike ? 20 : -60, ca);
  }
  return trace;
}

Trace regularBursting(double seconds, int spikesPerBurst, double periodMs) {
  const auto period = static_cast<std::int64_t>(std::lround(periodMs / dt));
  return bursting(seconds, spikesPerBurst, [](int) { return 1.0; }, [&](int) { return period; });
}

// The reference: MATLAB findpeaks on the whole signal, by the definitions (quadratic).
struct Peak {
  std::size_t index;
  double prominence;
};
std::vector<Peak> bruteForcePeaks(const std::vector<double> &x) {
  std::vector<Peak> peaks;
  const std::size_t n = x.size();
  for (std::size_t i = 1; i + 1 < n; ++i) {
    if (!(x[i] > x[i - 1])) continue;
    std::size_t j = i + 1;
    while (j < n && x[j] == x[i]) ++j;
    if (j == n || !(x[j] < x[i])) continue;
    double left = x[i], right = x[i];
    for (std::size_t k = i; k-- > 0 && !(x[k] > x[i]);) left = std::min(left, x[k]);
    for (std::size_t k = i + 1; k < n && !(x[k] > x[i]); ++k) right = std::min(right, x[k]);
    peaks.push_back({i, x[i] - std::max(left, right)});
  }
  return peaks;
}

double sampleStd(const std::vector<double> &x) {
  double mean = 0;
  for (double value : x) mean += value;
  mean /= static_cast<double>(x.size());
  double squares = 0;
  for (double value : x) squares += (value - mean) * (value - mean);
  return std::sqrt(squares / static_cast<double>(x.size() - 1));
}

// The turning points add() kept, with the last sample: what finish() analyses.
std::vector<CaPoint> keptPoints(const Trace &trace) {
  TraceMeasures m;
  for (std::size_t k = 0; k < trace.t.size(); ++k) m.add(trace.t[k], trace.v[k], trace.ca[k]);
  std::vector<CaPoint> points = m.turningPoints();
  points.push_back({trace.t.back(), trace.ca.back()});
  return points;
}

// Peaks, prominences and the troughs between consecutive prominent peaks (prominence >=
// the std of the signal) from the turning points equal the brute force on every sample.
// Returns the number of troughs compared.
std::size_t expectTurningPointsEqualTheFullSignal(const Trace &trace) {
  const std::vector<CaPoint> points = keptPoints(trace);
  const std::vector<CaPeak> fromTurningPoints = findPeaks(points);
  const std::vector<Peak> reference = bruteForcePeaks(trace.ca);
  EXPECT_EQ(fromTurningPoints.size(), reference.size());
  if (fromTurningPoints.size() != reference.size()) return 0;
  for (std::size_t p = 0; p < reference.size(); ++p) {
    EXPECT_EQ(fromTurningPoints[p].t, trace.t[reference[p].index]) << "peak " << p;
    EXPECT_EQ(fromTurningPoints[p].ca, trace.ca[reference[p].index]) << "peak " << p;
    EXPECT_EQ(fromTurningPoints[p].prominence, reference[p].prominence) << "peak " << p;
  }
  // findPeaks on every sample agrees too (its stacks against the quadratic definition).
  std::vector<CaPoint> all;
  for (std::size_t k = 0; k < trace.t.size(); ++k) all.push_back({trace.t[k], trace.ca[k]});
  const std::vector<CaPeak> fromAll = findPeaks(all);
  EXPECT_EQ(fromAll.size(), reference.size());
  for (std::size_t p = 0; p < std::min(fromAll.size(), reference.size()); ++p) {
    EXPECT_EQ(fromAll[p].index, reference[p].index);
    EXPECT_EQ(fromAll[p].prominence, reference[p].prominence);
  }
  // Troughs between consecutive prominent peaks: the first lowest sample.
  const double threshold = sampleStd(trace.ca);
  std::vector<std::size_t> kept, keptReference;
  for (std::size_t p = 0; p < reference.size(); ++p)
    if (reference[p].prominence >= threshold) {
      kept.push_back(fromTurningPoints[p].index);
      keptReference.push_back(reference[p].index);
    }
  for (std::size_t p = 0; p + 1 < kept.size(); ++p) {
    std::size_t lowest = keptReference[p] + 1;
    for (std::size_t k = lowest; k < keptReference[p + 1]; ++k)
      if (trace.ca[k] < trace.ca[lowest]) lowest = k;
    const CaPoint trough = lowestBetween(points, kept[p], kept[p + 1]);
    EXPECT_EQ(trough.t, trace.t[lowest]) << "trough " << p;
    EXPECT_EQ(trough.ca, trace.ca[lowest]) << "trough " << p;
  }
  return kept.empty() ? 0 : kept.size() - 1;
}

bool isNaN(double x) { return std::isnan(x); }

TEST(TraceMeasures, FindPeaksFollowsMatlabOnASmallExample) {
  // Flat top counted once at its first sample, a plateau before a rise is no peak, the
  // last sample is never one.
  const std::vector<double> x{0, 2, 2, 1, 3, 1, 5, 5, 4, 4, 6};
  std::vector<CaPoint> points;
  for (std::size_t k = 0; k < x.size(); ++k) points.push_back({static_cast<double>(k), x[k]});
  const std::vector<CaPeak> peaks = findPeaks(points);
  ASSERT_EQ(peaks.size(), 3u);
  EXPECT_EQ(peaks[0].index, 1u);
  EXPECT_EQ(peaks[0].prominence, 1);  // right: down to 1 before the higher 3
  EXPECT_EQ(peaks[1].index, 4u);
  EXPECT_EQ(peaks[1].prominence, 2);  // left: to the start (min 0); right: 1 before the 5
  EXPECT_EQ(peaks[2].index, 6u);
  EXPECT_EQ(peaks[2].prominence, 1);  // right: 4 before the 6
  EXPECT_EQ(lowestBetween(points, 1, 4).ca, 1);
  EXPECT_EQ(lowestBetween(points, 4, 6).t, 5);
}

TEST(TraceMeasures, TurningPointsGiveTheFullSignalsPeaksProminencesAndTroughs) {
  std::mt19937_64 random(2024);
  std::size_t troughs = 0;
  for (int trial = 0; trial < 400; ++trial) {
    Trace trace;
    const int n = 2 + static_cast<int>(random() % 400);
    const int kind = trial % 4;
    double level = 0;
    for (int k = 0; k < n; ++k) {
      double ca;
      if (kind == 0) {  // a random walk on a few levels: flats, equal peaks and troughs
        level += static_cast<double>(static_cast<int>(random() % 5) - 2);
        ca = level;
      } else if (kind == 1) {  // few distinct values: long plateaus, many ties
        ca = static_cast<double>(random() % 3);
      } else if (kind == 2) {  // a smooth oscillation with noise
        ca = std::sin(k * 0.07) + 0.3 * std::sin(k * 0.31) + 0.05 * (static_cast<double>(random() % 1000) / 1000);
      } else {  // a noisy rise then fall: long searches for a higher sample on one side
        ca = (k < n / 2 ? k : n - k) * 0.01 + 0.05 * (static_cast<double>(random() % 1000) / 1000);
      }
      trace.add(k * dt, -60, ca);
    }
    SCOPED_TRACE(testing::Message() << "trial " << trial << ", " << n << " samples");
    troughs += expectTurningPointsEqualTheFullSignal(trace);
  }
  EXPECT_GT(troughs, 1000u);  // the signals have prominent peaks, and troughs between them
  // And the constructed traces of the tests below.
  EXPECT_EQ(expectTurningPointsEqualTheFullSignal(regularBursting(5, 4, 500)), 9u);
  const Trace burst = regularBursting(5, 4, 500);
  EXPECT_LT(keptPoints(burst).size(), burst.t.size() / 100);  // what is kept is small
}

TEST(TraceMeasures, SilentCell) {
  Trace trace;  // flat V, calcium slowly oscillating (subthreshold)
  for (int k = 0; k < 50000; ++k) trace.add(k * dt, -60, 0.05 + 0.01 * std::sin(k * dt / 300));
  const Measures m = trace.measure();
  EXPECT_EQ(m.kind, Kind::Silent);
  EXPECT_EQ(kindName(m.kind), "silent");
  EXPECT_EQ(m.reason, "no spikes");
  EXPECT_EQ(m.spikes, 0u);
  EXPECT_EQ(m.firingRate, 0);
  EXPECT_EQ(m.vMin, -60);
  EXPECT_EQ(m.vMax, -60);
  EXPECT_GE(m.caPeaks, 2u);  // the peaks are found, but without spikes the cell is silent
  EXPECT_TRUE(isNaN(m.burstPeriod) && isNaN(m.spikesPerBurst) && isNaN(m.dutyCycle) && isNaN(m.caPeakMean));
}

TEST(TraceMeasures, TonicCellIsOneSpikePerCalciumPeak) {
  // A spike every 100 ms (from 50 ms on), each raising calcium by a step that decays
  // (tau 50 ms); the calcium peaks at the spikes' first samples.
  Trace trace;
  double ca = 0.05;
  for (int k = 0; k < 100000; ++k) {
    const int phase = (k + 500) % 1000;
    ca = 0.05 + (ca - 0.05) * std::exp(-dt / 50) + (phase == 0 ? 0.1 : 0);
    trace.add(k * dt, phase < 10 ? 20 : -60, ca);
  }
  const Measures m = trace.measure();
  EXPECT_EQ(m.kind, Kind::Tonic) << m.reason;
  EXPECT_EQ(kindName(m.kind), "tonic");
  EXPECT_EQ(m.reason, "");
  EXPECT_EQ(m.spikes, 100u);
  EXPECT_NEAR(m.firingRate, 100 / 9.9999, 1e-9);
  EXPECT_EQ(m.caPeaks, 100u);
  EXPECT_NEAR(m.burstPeriod, 100, 1e-9);
  EXPECT_EQ(m.spikesPerBurst, 1);
  EXPECT_EQ(m.dutyCycle, 0);
  EXPECT_NEAR(m.caPeakMean, 0.05 + 0.1 / (1 - std::exp(-2.0)), 1e-4);  // the steady state
  EXPECT_LE(m.periodCv, 1e-9);
}

TEST(TraceMeasures, BurstingCellWithAKnownPeriodAndSpikesPerBurst) {
  const Trace trace = regularBursting(10, 4, 500);
  const Measures m = trace.measure();
  EXPECT_EQ(m.kind, Kind::Bursting) << m.reason;
  EXPECT_EQ(kindName(m.kind), "bursting");
  EXPECT_EQ(m.spikes, 80u);
  EXPECT_NEAR(m.firingRate, 80 / 9.9999, 1e-9);
  EXPECT_EQ(m.vMin, -60);
  EXPECT_EQ(m.vMax, 20);
  EXPECT_EQ(m.caPeaks, 20u);  // the 2 % ripples of the spikes are not peaks
  EXPECT_NEAR(m.burstPeriod, 500, dt);
  EXPECT_EQ(m.spikesPerBurst, 4);
  EXPECT_NEAR(m.dutyCycle, 60.0 / 500, 1e-9);  // first to last spike: 20 to 80 ms
  EXPECT_NEAR(m.caPeakMean, 1.05, 1e-12);
  EXPECT_LT(m.caPeakCv, 1e-9);
  EXPECT_LT(m.periodCv, 1e-9);
  // Another count and period.
  const Measures seven = regularBursting(12, 7, 800).measure();
  EXPECT_EQ(seven.kind, Kind::Bursting) << seven.reason;
  EXPECT_EQ(seven.spikesPerBurst, 7);
  EXPECT_NEAR(seven.burstPeriod, 800, dt);
}

TEST(TraceMeasures, VaryingPeriodsAreIrregular) {
  // Periods alternating 400 and 600 ms: CV 0.2 > 0.1.
  const Trace trace = bursting(10, 4, [](int) { return 1.0; }, [](int cycle) -> std::int64_t { return cycle % 2 ? 6000 : 4000; });
  const Measures m = trace.measure();
  EXPECT_EQ(m.kind, Kind::Irregular);
  EXPECT_EQ(kindName(m.kind), "irregular");
  EXPECT_NE(m.reason.find("intervals vary"), std::string::npos) << m.reason;
  EXPECT_NEAR(m.periodCv, 0.2, 0.01);
  EXPECT_TRUE(isNaN(m.burstPeriod) && isNaN(m.spikesPerBurst));
  // A looser limit accepts it.
  const Measures loose = trace.measure({.periodCv = 0.25});
  EXPECT_EQ(loose.kind, Kind::Bursting) << loose.reason;
  EXPECT_NEAR(loose.burstPeriod, (10 * 400 + 9 * 600) / 19.0, dt);  // 20 peaks, from 400 ms on
}

// A cell `shift` samples behind `trace` (periodic with `period` samples).
Trace delayed(const Trace &trace, std::int64_t shift, std::int64_t period) {
  Trace out;
  for (std::size_t k = 0; k < trace.t.size(); ++k) {
    auto from = static_cast<std::int64_t>(k) - shift;
    while (from < 0) from += period;
    out.add(trace.t[k], trace.v[static_cast<std::size_t>(from)], trace.ca[static_cast<std::size_t>(from)]);
  }
  return out;
}

TEST(BurstPhase, ACellShiftedByAFractionOfThePeriodHasThatPhase) {
  const Trace reference = regularBursting(10, 4, 500);  // 5000 samples a cycle
  const Measures r = reference.measure();
  ASSERT_EQ(r.kind, Kind::Bursting);
  EXPECT_EQ(burstPhase(r, r), 0.0);
  for (const double fraction : {0.1, 0.3, 0.5, 0.75}) {
    const Measures m = delayed(reference, std::llround(fraction * 5000), 5000).measure();
    ASSERT_EQ(m.kind, Kind::Bursting) << fraction;
    EXPECT_NEAR(burstPhase(r, m), fraction, 1e-9) << fraction;
    EXPECT_NEAR(burstPhase(m, r), 1 - fraction, 1e-9) << fraction;  // the reference seen from the other cell
  }
  // Close to a whole cycle: a mean on the circle, not 0.5 between 0.02 and 0.98.
  const Trace late = delayed(reference, 4900, 5000);
  EXPECT_NEAR(burstPhase(r, late.measure()), 0.98, 1e-9);
  // Peaks alternately on the reference's (phase 0) and 100 ms before its next (0.98):
  // 0.99 on the circle (an arithmetic mean would say 0.49).
  const Measures alternating = bursting(10, 4, [](int) { return 1.0; }, [](int cycle) -> std::int64_t { return cycle % 2 ? 5100 : 4900; }).measure();
  ASSERT_EQ(alternating.kind, Kind::Bursting) << alternating.reason;
  EXPECT_NEAR(burstPhase(r, alternating), 0.99, 1e-3);
}

TEST(BurstPhase, UndefinedUnlessBothCellsAreRegular) {
  const Measures regular = regularBursting(10, 4, 500).measure();
  const Measures irregular = bursting(10, 4, [](int) { return 1.0; }, [](int cycle) -> std::int64_t { return cycle % 2 ? 6000 : 4000; }).measure();
  ASSERT_EQ(irregular.kind, Kind::Irregular);
  EXPECT_TRUE(std::isnan(burstPhase(regular, irregular)));
  EXPECT_TRUE(std::isnan(burstPhase(irregular, regular)));
  Trace silent;
  for (int k = 0; k < 1000; ++k) silent.add(k * dt, -60, 0.05);
  EXPECT_TRUE(std::isnan(burstPhase(regular, silent.measure())));
}

TEST(TraceMeasures, VaryingPeakHeightsAreIrregular) {
  const Trace trace = bursting(10, 4, [](int cycle) { return cycle % 2 ? 3.0 : 1.0; }, [](int) -> std::int64_t { return 5000; });
  const Measures m = trace.measure();
  EXPECT_EQ(m.kind, Kind::Irregular);
  EXPECT_EQ(m.caPeaks, 20u);
  EXPECT_NE(m.reason.find("heights vary"), std::string::npos) << m.reason;
  EXPECT_GT(m.caPeakCv, 0.3);
}

TEST(TraceMeasures, TooFewCalciumPeaksAreIrregular) {
  const Measures m = regularBursting(10, 4, 2500).measure();  // peaks at 0.1, 2.6, 5.1, 7.6 s
  EXPECT_EQ(m.kind, Kind::Irregular);
  EXPECT_EQ(m.caPeaks, 4u);
  EXPECT_EQ(m.reason, "too few calcium peaks (4 < 5)");
  EXPECT_EQ(m.spikes, 16u);
  EXPECT_NEAR(m.periodCv, 0, 1e-9);  // diagnostics are still reported
  EXPECT_TRUE(isNaN(m.burstPeriod));
  // Fewer required peaks accept it.
  EXPECT_EQ(regularBursting(10, 4, 2500).measure({.minPeaks = 4}).spikesPerBurst, 4);
}

TEST(TraceMeasures, NoSamplesAndOneSample) {
  const Measures none = TraceMeasures().finish();
  EXPECT_EQ(none.samples, 0u);
  EXPECT_EQ(none.kind, Kind::Silent);
  EXPECT_EQ(none.reason, "no samples");
  EXPECT_TRUE(isNaN(none.vMin) && isNaN(none.vMax) && isNaN(none.firingRate));
  EXPECT_EQ(none.caPeaks, 0u);

  TraceMeasures one;
  one.add(5, 30, 0.1);
  const Measures m = one.finish();
  EXPECT_EQ(m.samples, 1u);
  EXPECT_EQ(m.spikes, 0u);  // no sample below the threshold before it
  EXPECT_EQ(m.vMin, 30);
  EXPECT_EQ(m.vMax, 30);
  EXPECT_EQ(m.duration, 0);
  EXPECT_TRUE(isNaN(m.firingRate));
  EXPECT_EQ(m.kind, Kind::Silent);
}

TEST(TraceMeasures, SpikesAreUpwardCrossingsAtTheFirstSampleAtOrAboveTheThreshold) {
  TraceMeasures m;
  const std::vector<double> v{5, -1, 0, 0, 3, -0.5, 10, 10, -70, -0.1, 0.1};
  for (std::size_t k = 0; k < v.size(); ++k) m.add(static_cast<double>(k), v[k], 1);
  EXPECT_EQ(m.spikeTimes(), (std::vector<double>{2, 6, 10}));
  const Measures r = m.finish();
  EXPECT_EQ(r.spikes, 3u);
  EXPECT_DOUBLE_EQ(r.firingRate, 3 / 0.01);
  EXPECT_EQ(r.kind, Kind::Irregular);
  EXPECT_EQ(r.reason, "too few calcium peaks (0 < 5)");
  TraceMeasures high({.spikeThreshold = 4});
  for (std::size_t k = 0; k < v.size(); ++k) high.add(static_cast<double>(k), v[k], 1);
  EXPECT_EQ(high.spikeTimes(), (std::vector<double>{6}));
}

// TraceMeasuresBatch gives every cell the measures of a TraceMeasures fed the same
// samples, bit for bit: constructed bursting and tonic cells, random walks with flats and
// ties, NaN samples, spikes at the threshold, and cell counts around the vector widths.
TEST(TraceMeasures, ABatchOfCellsMeasuresEachCellAsAloneBitForBit) {
  std::mt19937_64 random(7);
  auto same = [](double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); };
  for (std::size_t cells : {1u, 3u, 8u, 17u, 64u}) {
    std::vector<Trace> traces(cells);
    for (std::size_t c = 0; c < cells; ++c) {
      switch (c % 4) {
      case 0: traces[c] = regularBursting(2, 1 + static_cast<int>(c % 3), 150 + 10 * static_cast<double>(c)); break;
      case 1: traces[c] = regularBursting(2, 1, 100); break;
      default: {
        double level = 0, v = -60;
        for (int k = 0; k < 20000; ++k) {
          if (random() % 3 != 0) level += static_cast<double>(static_cast<int>(random() % 5) - 2);
          v = random() % 50 == 0 ? (random() % 2 == 0 ? 0.0 : 30.0) : -60 + static_cast<double>(random() % 7);
          const double ca = c % 4 == 3 && k == 777 ? std::numeric_limits<double>::quiet_NaN() : 0.01 * level;
          traces[c].add(static_cast<double>(k) * dt, c % 4 == 3 && k == 999 ? std::numeric_limits<double>::quiet_NaN() : v, ca);
        }
      }
      }
    }
    const std::size_t samples = traces[0].t.size();
    for (const Trace &t : traces) ASSERT_EQ(t.t.size(), samples);  // the same times for all
    TraceMeasuresBatch batch(cells);
    std::vector<double> v(cells), ca(cells);
    for (std::size_t k = 0; k < samples; ++k) {
      for (std::size_t c = 0; c < cells; ++c) {
        v[c] = traces[c].v[k];
        ca[c] = traces[c].ca[k];
      }
      batch.add(traces[0].t[k], v.data(), ca.data());
    }
    for (std::size_t c = 0; c < cells; ++c) {
      const Measures alone = traces[c].measure(), together = batch.finish(c);
      EXPECT_EQ(together.kind, alone.kind) << cells << " cells, cell " << c;
      EXPECT_EQ(together.reason, alone.reason) << cells << " cells, cell " << c;
      EXPECT_EQ(together.samples, alone.samples);
      EXPECT_EQ(together.spikes, alone.spikes);
      EXPECT_EQ(together.caPeaks, alone.caPeaks);
      for (auto [a, b] : {std::pair{together.duration, alone.duration}, {together.firingRate, alone.firingRate}, {together.vMin, alone.vMin},
                          {together.vMax, alone.vMax}, {together.caPeakCv, alone.caPeakCv}, {together.periodCv, alone.periodCv},
                          {together.burstPeriod, alone.burstPeriod}, {together.spikesPerBurst, alone.spikesPerBurst},
                          {together.caPeakMean, alone.caPeakMean}, {together.dutyCycle, alone.dutyCycle}}) {
        EXPECT_TRUE(same(a, b)) << cells << " cells, cell " << c << ": " << a << " vs " << b;
      }
    }
  }
  TraceMeasuresBatch none(2);
  EXPECT_EQ(none.finish(1).reason, "no samples");
}

}  // namespace
}  // namespace ranvier::analysis
