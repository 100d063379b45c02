#pragma once
// The event queue of a cell group: NetCon deliveries and mechanisms' self-events
// (net_send), ordered by time and, among equal times, by the order they were queued.
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
};

class EventQueue {
public:
  // Returns the event's order number (what net_move refers to).
  std::uint64_t push(Event event);
  bool empty() const { return heap_.empty(); }
  // The earliest event due at or before `until`, if any (cancelled ones are skipped).
  bool popDue(double until, Event &out);
  void cancel(std::uint64_t order) { cancelled_.insert(order); }
  void clear();
  std::size_t size() const { return heap_.size(); }

private:
  struct Later {
    bool operator()(const Event &x, const Event &y) const { return x.time > y.time || (x.time == y.time && x.order > y.order); }
  };
  std::priority_queue<Event, std::vector<Event>, Later> heap_;
  std::unordered_set<std::uint64_t> cancelled_;
  std::uint64_t next_ = 1;
};

}  // namespace ranvier::sim
