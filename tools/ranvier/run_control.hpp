#pragma once
// What `ranvier run` and `ranvier sweep` both need around a long computation: Ctrl-C and
// SIGTERM that stop it at the next safe point (everything done so far is kept), and wall
// time since a moment.
#include <atomic>
#include <chrono>

namespace ranvier::tool {

using Clock = std::chrono::steady_clock;
inline double secondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// While it lives, SIGINT and SIGTERM only set flag(); the previous handlers come back
// when it goes. One at a time.
class StopSignals {
public:
  StopSignals();
  ~StopSignals();
  StopSignals(const StopSignals &) = delete;
  StopSignals &operator=(const StopSignals &) = delete;

  const std::atomic<int> &flag() const;
  int caught() const { return flag().load(); }  // the signal, or 0
};

}  // namespace ranvier::tool
