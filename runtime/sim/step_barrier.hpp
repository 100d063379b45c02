#pragma once
// The barrier the threads holding pieces of split cells, or exchanging voltages, meet at
// once per step. It spins a little (the others are usually microseconds away when the
// work is balanced), then sleeps, so more threads than cores still make progress. A
// thread that fails breaks it: everyone waiting, or arriving later, is told instead of
// waiting forever.
#include <atomic>
#include <cstdint>
#include <functional>

namespace ranvier::sim {

class StepBarrier {
public:
  explicit StepBarrier(int count) : count_(count) {}
  StepBarrier(const StepBarrier &) = delete;
  StepBarrier &operator=(const StepBarrier &) = delete;

  // Returns false when the barrier is broken.
  bool arriveAndWait() { return arriveAndWait(nullptr); }
  // The same; the last to arrive runs `completion` (if any) before anyone goes on, and
  // breaks the barrier when it returns false.
  bool arriveAndWait(const std::function<bool()> &completion);
  void breakAll();
  // Before a run, with no thread inside.
  void reset();
  int count() const { return count_; }

private:
  const int count_;
  // arrivals and releases on lines of their own: the waiters spin on generation_
  alignas(64) std::atomic<int> arrived_{0};
  alignas(64) std::atomic<std::uint32_t> generation_{0};
  std::atomic<bool> broken_{false};
};

}  // namespace ranvier::sim
