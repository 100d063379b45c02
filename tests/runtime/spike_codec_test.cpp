// The bytes of a spike exchange (sim/spike_codec.hpp): both encodings give back every
// spike bit for bit; the compact one is small for threshold spikes; damaged messages are
// errors, not crashes.
#include <cmath>
#include <random>

#include <gtest/gtest.h>

#include "sim/spike_codec.hpp"

namespace ranvier::sim {
namespace {

// The step times of an interval as a part accumulates them: t += dt.
std::vector<double> stepTimes(double t0, double dt, int steps) {
  std::vector<double> out;
  double t = t0;
  for (int k = 0; k < steps; ++k) out.push_back(t += dt);
  return out;
}

std::vector<Spike> roundTrip(const std::vector<Spike> &spikes, const std::vector<double> &times, SpikeEncoding encoding, std::size_t *bytes = nullptr) {
  std::vector<std::uint8_t> message;
  encodeSpikes(spikes, times, encoding, message);
  if (bytes != nullptr) *bytes = message.size();
  std::vector<Spike> out;
  decodeSpikes(message, times, out);
  std::sort(out.begin(), out.end());
  return out;
}

TEST(SpikeCodec, BothEncodingsGiveEverySpikeBackExactly) {
  const std::vector<double> times = stepTimes(1234.5, 0.025, 40);
  std::mt19937_64 random(7);
  std::vector<Spike> spikes;
  for (int k = 0; k < 500; ++k) {
    const auto source = static_cast<std::int32_t>(random() % 100000);
    const double t = k % 3 == 0 ? 1234.5 + 1.0 * static_cast<double>(random() % 1000) / 1000  // an artificial cell's time
                                : times[random() % times.size()] + 1e-10;                        // a threshold crossing
    spikes.push_back({t, source});
  }
  spikes.push_back({times.front() + 1e-10, 0});
  spikes.push_back({times.back() + 1e-10, 2147483647});
  spikes.push_back({times.back() + 1e-10, 2147483647});  // the same source twice in an interval
  std::vector<Spike> sorted = spikes;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(roundTrip(spikes, times, SpikeEncoding::Plain), sorted);
  EXPECT_EQ(roundTrip(spikes, times, SpikeEncoding::Compact), sorted);
}

TEST(SpikeCodec, ThresholdSpikesOfNearbySourcesTakeAFewBytesEach) {
  const std::vector<double> times = stepTimes(0, 0.025, 40);
  std::vector<Spike> spikes;
  for (std::int32_t g = 0; g < 100; ++g) spikes.push_back({times[static_cast<std::size_t>(g % 40)] + 1e-10, 10 * g});
  std::size_t compact = 0, plain = 0;
  EXPECT_EQ(roundTrip(spikes, times, SpikeEncoding::Compact, &compact).size(), 100u);
  EXPECT_EQ(roundTrip(spikes, times, SpikeEncoding::Plain, &plain).size(), 100u);
  EXPECT_EQ(plain, 2 + 100 * 12u);
  EXPECT_LE(compact, 2 + 100 * 2u);  // a one-byte source difference and a one-byte step
}

TEST(SpikeCodec, TimesThatAreNotStepTimesTravelWhole) {
  const std::vector<double> times = stepTimes(10, 0.025, 4);
  // Off by one ulp from a step time: must not be snapped to it.
  const double almost = std::nextafter(times[2] + 1e-10, 1e9);
  const std::vector<Spike> spikes{{almost, 5}, {times[2] + 1e-10, 6}, {times[2], 7}};
  std::vector<Spike> sorted = spikes;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(roundTrip(spikes, times, SpikeEncoding::Compact), sorted);
}

TEST(SpikeCodec, NoSpikesNoBytes) {
  std::vector<std::uint8_t> message;
  encodeSpikes({}, stepTimes(0, 0.1, 3), SpikeEncoding::Compact, message);
  EXPECT_TRUE(message.empty());
  std::vector<Spike> out;
  decodeSpikes(message, stepTimes(0, 0.1, 3), out);
  EXPECT_TRUE(out.empty());
}

TEST(SpikeCodec, DamagedMessagesAreErrors) {
  const std::vector<double> times = stepTimes(0, 0.025, 40);
  std::vector<std::uint8_t> message;
  encodeSpikes(std::vector<Spike>{{0.5, 3}, {times[1] + 1e-10, 300}}, times, SpikeEncoding::Compact, message);
  std::vector<Spike> out;
  for (std::size_t cut = 1; cut < message.size(); ++cut) {
    out.clear();
    EXPECT_THROW(decodeSpikes(std::span(message).first(cut), times, out), std::runtime_error) << "cut at " << cut;
  }
  EXPECT_THROW(decodeSpikes(std::vector<std::uint8_t>{9, 1, 1, 1}, times, out), std::runtime_error);        // unknown encoding
  EXPECT_THROW(decodeSpikes(std::vector<std::uint8_t>{1, 1, 1, 41}, times, out), std::runtime_error);       // step 40 of 40
  EXPECT_THROW(decodeSpikes(std::vector<std::uint8_t>{0, 1, 1, 2, 3}, times, out), std::runtime_error);     // a plain record cut short
  EXPECT_THROW(decodeSpikes(std::vector<std::uint8_t>{1, 1, 1, 1, 1, 1}, times, out), std::runtime_error);  // more than announced
  EXPECT_THROW(decodeSpikes(std::vector<std::uint8_t>{1, 0xff, 0xff, 0xff, 0x7f}, times, out), std::runtime_error);  // a huge count
  EXPECT_THROW(decodeSpikes(std::vector<std::uint8_t>(12, 0xff), times, out), std::runtime_error);          // no such tag
}

}  // namespace
}  // namespace ranvier::sim
