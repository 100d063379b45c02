#include "sim/step_barrier.hpp"

#include <thread>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define RANVIER_PAUSE() _mm_pause()
#else
#define RANVIER_PAUSE() ((void)0)
#endif

namespace ranvier::sim {

namespace {
// With a core each, the others arrive within microseconds: spin. With more threads than
// free cores, spinning takes the core from the thread everyone waits for: yield, then sleep.
constexpr int kSpins = 1000;
constexpr int kYields = 50;
}

bool StepBarrier::arriveAndWait(const std::function<bool()> &completion) {
  if (broken_.load(std::memory_order_acquire)) return false;
  const std::uint32_t generation = generation_.load(std::memory_order_acquire);
  if (arrived_.fetch_add(1, std::memory_order_acq_rel) == count_ - 1) {
    if (completion && !completion()) broken_.store(true, std::memory_order_release);
    arrived_.store(0, std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_acq_rel);
    generation_.notify_all();
    return !broken_.load(std::memory_order_acquire);
  }
  for (int spin = 0; spin < kSpins; ++spin) {
    if (generation_.load(std::memory_order_acquire) != generation) return !broken_.load(std::memory_order_acquire);
    RANVIER_PAUSE();
  }
  for (int yield = 0; yield < kYields; ++yield) {
    if (generation_.load(std::memory_order_acquire) != generation) return !broken_.load(std::memory_order_acquire);
    std::this_thread::yield();
  }
  while (generation_.load(std::memory_order_acquire) == generation) generation_.wait(generation, std::memory_order_acquire);
  return !broken_.load(std::memory_order_acquire);
}

void StepBarrier::breakAll() {
  broken_.store(true, std::memory_order_release);
  generation_.fetch_add(1, std::memory_order_acq_rel);
  generation_.notify_all();
}

void StepBarrier::reset() {
  arrived_.store(0, std::memory_order_relaxed);
  broken_.store(false, std::memory_order_release);
}

}  // namespace ranvier::sim
