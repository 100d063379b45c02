#include "sim/events.hpp"

namespace ranvier::sim {

std::uint64_t EventQueue::push(Event event) {
  event.order = next_++;
  heap_.push(event);
  return event.order;
}

bool EventQueue::popDue(double until, Event &out) {
  while (!heap_.empty() && heap_.top().time <= until) {
    out = heap_.top();
    heap_.pop();
    if (!cancelled_.empty() && cancelled_.erase(out.order) > 0) continue;
    return true;
  }
  return false;
}

void EventQueue::clear() {
  heap_ = {};
  cancelled_.clear();
}

}  // namespace ranvier::sim
