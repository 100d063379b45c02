#include "run_control.hpp"

#include <csignal>

namespace ranvier::tool {

namespace {
std::atomic<int> stopRequested{0};
extern "C" void onStopSignal(int signal) { stopRequested.store(signal); }
using Handler = void (*)(int);
Handler previousInt = SIG_DFL, previousTerm = SIG_DFL;
}  // namespace

StopSignals::StopSignals() {
  stopRequested.store(0);
  previousInt = std::signal(SIGINT, onStopSignal);
  previousTerm = std::signal(SIGTERM, onStopSignal);
}

StopSignals::~StopSignals() {
  std::signal(SIGINT, previousInt);
  std::signal(SIGTERM, previousTerm);
}

const std::atomic<int> &StopSignals::flag() const { return stopRequested; }

}  // namespace ranvier::tool
