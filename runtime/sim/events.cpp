#include "sim/events.hpp"

#include <cmath>
#include <limits>

namespace ranvier::sim {

namespace {
constexpr std::int64_t kRingBins = 1 << 12;  // 102 ms ahead at dt = 0.025
}

EventQueue::EventQueue(double binWidth) : inverseWidth_(binWidth > 0 ? 1.0 / binWidth : 40.0), ring_(kRingBins) {}

std::int64_t EventQueue::binOf(double time) const {
  const double b = std::floor(time * inverseWidth_);
  if (!(b > -1e15)) return std::numeric_limits<std::int64_t>::min() / 2;  // far past (and NaN): due at once
  if (!(b < 1e15)) return std::numeric_limits<std::int64_t>::max() / 2;
  return static_cast<std::int64_t>(b);
}

std::uint64_t EventQueue::push(Event event) {
  event.order = next_++;
  ++size_;
  const std::int64_t bin = binOf(event.time);
  if (bin <= drained_) due_.push(event);
  else if (bin - drained_ < kRingBins) ring_[static_cast<std::size_t>(bin & (kRingBins - 1))].push_back(event);
  else far_.push(event);
  return event.order;
}

void EventQueue::drainUpTo(std::int64_t bin) {
  if (bin <= drained_) return;
  // Bins from drained_ + 1 to `bin`; if that is more than the ring, every bin of it.
  const std::int64_t last = std::min(bin, drained_ + kRingBins);
  for (std::int64_t b = drained_ + 1; b <= last; ++b) {
    std::vector<Event> &slot = ring_[static_cast<std::size_t>(b & (kRingBins - 1))];
    for (const Event &e : slot) due_.push(e);
    slot.clear();
  }
  drained_ = bin;
  // Events that were beyond the ring's reach and now are due, or within it again.
  while (!far_.empty()) {
    const std::int64_t b = binOf(far_.top().time);
    if (b <= drained_) due_.push(far_.top());
    else if (b - drained_ < kRingBins) ring_[static_cast<std::size_t>(b & (kRingBins - 1))].push_back(far_.top());
    else break;
    far_.pop();
  }
}

bool EventQueue::popDue(double until, Event &out) {
  drainUpTo(binOf(until));
  while (!due_.empty() && due_.top().time <= until) {
    out = due_.top();
    due_.pop();
    --size_;
    if (!cancelled_.empty() && cancelled_.erase(out.order) > 0) continue;
    return true;
  }
  return false;
}

void EventQueue::clear() {
  for (auto &slot : ring_) slot.clear();
  due_ = {};
  far_ = {};
  cancelled_.clear();
  drained_ = -1;
  size_ = 0;
}

}  // namespace ranvier::sim
