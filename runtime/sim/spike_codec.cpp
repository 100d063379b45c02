#include "sim/spike_codec.hpp"

#include <algorithm>
#include <cstring>

namespace ranvier::sim {

namespace {

constexpr double kThresholdOffset = 1e-10;  // NEURON's PreSyn: a crossing at t fires at t + 1e-10

void putVarint(std::uint64_t v, std::vector<std::uint8_t> &out) {
  while (v >= 0x80) {
    out.push_back(static_cast<std::uint8_t>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<std::uint8_t>(v));
}

template <class T>
void putRaw(const T &value, std::vector<std::uint8_t> &out) {
  std::uint8_t bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  out.insert(out.end(), bytes, bytes + sizeof(T));
}

class Reader {
public:
  explicit Reader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}
  bool done() const { return at_ == bytes_.size(); }
  std::uint8_t byte() {
    if (done()) throw std::runtime_error("a spike message ends early");
    return bytes_[at_++];
  }
  std::uint64_t varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      const std::uint8_t b = byte();
      v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return v;
    }
    throw std::runtime_error("a spike message holds a malformed number");
  }
  template <class T>
  T raw() {
    if (bytes_.size() - at_ < sizeof(T)) throw std::runtime_error("a spike message ends early");
    T value;
    std::memcpy(&value, bytes_.data() + at_, sizeof(T));
    at_ += sizeof(T);
    return value;
  }

private:
  std::span<const std::uint8_t> bytes_;
  std::size_t at_ = 0;
};

// k + 1 when `time` is stepTimes[k] + 1e-10 exactly, else 0.
std::uint64_t stepCode(double time, std::span<const double> stepTimes) {
  const auto it = std::lower_bound(stepTimes.begin(), stepTimes.end(), time - kThresholdOffset);
  const auto k = it - stepTimes.begin();
  for (auto j = std::max<std::ptrdiff_t>(k - 1, 0); j < std::min<std::ptrdiff_t>(k + 2, std::ssize(stepTimes)); ++j) {
    if (stepTimes[static_cast<std::size_t>(j)] + kThresholdOffset == time) return static_cast<std::uint64_t>(j) + 1;
  }
  return 0;
}

}  // namespace

void encodeSpikes(std::span<const Spike> spikes, std::span<const double> stepTimes, SpikeEncoding encoding, std::vector<std::uint8_t> &out) {
  if (spikes.empty()) return;  // no spikes, no bytes
  out.push_back(static_cast<std::uint8_t>(encoding));
  putVarint(spikes.size(), out);  // so a message cut short at a spike's end is still caught
  if (encoding == SpikeEncoding::Plain) {
    for (const Spike &s : spikes) {
      putRaw(s.time, out);
      putRaw(s.source, out);
    }
    return;
  }
  std::vector<Spike> bySource(spikes.begin(), spikes.end());
  std::stable_sort(bySource.begin(), bySource.end(), [](const Spike &a, const Spike &b) { return a.source < b.source; });
  std::int64_t previous = 0;
  for (const Spike &s : bySource) {
    if (s.source < 0) throw std::invalid_argument("a spike from a negative source");
    putVarint(static_cast<std::uint64_t>(s.source - previous), out);
    previous = s.source;
    const std::uint64_t code = stepCode(s.time, stepTimes);
    putVarint(code, out);
    if (code == 0) putRaw(s.time, out);
  }
}

void decodeSpikes(std::span<const std::uint8_t> block, std::span<const double> stepTimes, std::vector<Spike> &out) {
  if (block.empty()) return;
  Reader in(block);
  const std::uint8_t tag = in.byte();
  if (tag != static_cast<std::uint8_t>(SpikeEncoding::Plain) && tag != static_cast<std::uint8_t>(SpikeEncoding::Compact)) {
    throw std::runtime_error("a spike message of unknown encoding");
  }
  const std::uint64_t count = in.varint();
  if (count > block.size()) throw std::runtime_error("a spike message announces more spikes than it holds");
  if (tag == static_cast<std::uint8_t>(SpikeEncoding::Plain)) {
    for (std::uint64_t k = 0; k < count; ++k) {
      Spike s;
      s.time = in.raw<double>();
      s.source = in.raw<std::int32_t>();
      out.push_back(s);
    }
    if (!in.done()) throw std::runtime_error("a spike message holds more than it announces");
    return;
  }
  std::uint64_t source = 0;
  for (std::uint64_t k = 0; k < count; ++k) {
    source += in.varint();
    if (source > static_cast<std::uint64_t>(INT32_MAX)) throw std::runtime_error("a spike message names a source out of range");
    const std::uint64_t code = in.varint();
    Spike s;
    s.source = static_cast<std::int32_t>(source);
    if (code == 0) {
      s.time = in.raw<double>();
    } else {
      if (code > stepTimes.size()) throw std::runtime_error("a spike message names a step outside the interval");
      s.time = stepTimes[code - 1] + kThresholdOffset;
    }
    out.push_back(s);
  }
  if (!in.done()) throw std::runtime_error("a spike message holds more than it announces");
}

}  // namespace ranvier::sim
