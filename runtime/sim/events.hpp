#pragma once
// The event queue of a cell group: NetCon deliveries and mechanisms' self-events
// (net_send), handed out by time and, among equal times, in the order they were queued.
//
// Events wait in bins of one step's width (a ring of bins, with a heap for the few beyond
// its reach); only the events of the bins up to the current time are ever in a heap, and
// that heap is small. Popping is exact whatever the binning: every bin that can hold an
// event due by `until` (binOf is monotone in time) is emptied into the heap first, and
// the heap orders by (time, order).
#include <cstdint>
#include <queue>
#include <unordered_set>
#include <vector>

namespace ranvier::sim {

struct Event {
  double time = 0;
  std::uint64_t order = 0;     // queueing order: ties go first in, first out
  std::int32_t mechanism = 0;  // target
  std::int32_t instance = 0;
  std::int32_t netcon = -1;    // whose weights the target receives (-1: none, zeros)
  double flag = 0;             // 0 for NetCon events; net_send's flag for self-events
  std::int32_t watch = -1;     // a WATCH's event: its slot (instance * watches + number)
};

class EventQueue {
public:
  // `binWidth`: the step (ms).
  explicit EventQueue(double binWidth = 0.025);
  // Returns the event's order number (what net_move refers to).
  std::uint64_t push(Event event);
  bool empty() const { return size_ == 0; }
  // The earliest event due at or before `until`, if any (cancelled ones are skipped).
  bool popDue(double until, Event &out);
  void cancel(std::uint64_t order) { cancelled_.insert(order); }
  void clear();
  std::size_t size() const { return size_; }

private:
  struct Later {
    bool operator()(const Event &x, const Event &y) const { return x.time > y.time || (x.time == y.time && x.order > y.order); }
  };
  using Heap = std::priority_queue<Event, std::vector<Event>, Later>;
  std::int64_t binOf(double time) const;
  void drainUpTo(std::int64_t bin);

  double inverseWidth_;
  std::vector<std::vector<Event>> ring_;  // bin b lives in ring_[b mod size] while b - drained_ < size
  std::int64_t drained_ = -1;             // every bin up to this one is in due_
  Heap due_;                              // events of drained bins
  Heap far_;                              // events beyond the ring's reach
  std::unordered_set<std::uint64_t> cancelled_;
  std::uint64_t next_ = 1;
  std::size_t size_ = 0;
};

}  // namespace ranvier::sim
