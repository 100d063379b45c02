#pragma once
// Voltages that POINTERs on one thread read from cells another thread computes: the
// gap junctions of a network spread over threads.
//
// Such a POINTER is read only before v changes in a step (current kernels, INITIAL,
// NET_RECEIVE, WATCH conditions; the builder checks the mechanism's read_by and
// written_by). So each part publishes the voltages others read once per step, right
// after its voltage update, and each reading part, at the start of its next step, waits
// at one barrier and copies them into slots of its own, at which its POINTERs point:
// the values a POINTER would read with every cell on one thread, bit for bit.
//
// Two published buffers, alternating per update: a part that is a step ahead writes the
// one nobody is reading. One barrier per step, and only among the parts that take part.
#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "sim/step_barrier.hpp"

namespace ranvier::sim {

// What the parts share: each one's published voltages, and the barrier of the parts
// that take part.
class VoltageExchange {
public:
  // exports: per part, how many voltages it publishes; participants: how many parts
  // publish or read any.
  VoltageExchange(const std::vector<std::size_t> &exports, int participants);
  double *published(std::size_t part, unsigned parity) { return buffers_[part][parity & 1u].data(); }
  StepBarrier &barrier() { return barrier_; }

private:
  std::vector<std::array<std::vector<double>, 2>> buffers_;
  StepBarrier barrier_;
};

class VoltageTransfer {
public:
  // While building: a voltage of this part that others read (its index in what this part
  // publishes), and a slot for one this part reads, the k-th that `part` publishes.
  std::int32_t exportVoltage(const double *v);
  double *importVoltage(std::size_t part, std::int32_t k);
  std::size_t exports() const { return exports_.size(); }
  // Once every part's exports are known.
  void join(std::shared_ptr<VoltageExchange> exchange, std::size_t part);

  // Publish the voltages as they are now, as the first of a run (finitialize); before
  // any part's initialize() reads them.
  void publishInitial();
  // The start of initialize(): copy what the others published; no wait (initialisation
  // runs the parts one after another).
  void receiveInitial();
  // After each voltage update.
  void publish();
  // At the start of each step. False when another part failed (the barrier broke).
  bool receive();
  void abandon() { exchange_->barrier().breakAll(); }
  double waitSeconds() const { return wait_; }

private:
  void copyIn();

  struct Import {
    std::size_t part;
    std::int32_t k;
  };
  std::vector<const double *> exports_;
  std::vector<Import> imports_;
  std::deque<double> slots_;  // a deque: the POINTERs keep their addresses as it grows
  std::shared_ptr<VoltageExchange> exchange_;
  std::size_t part_ = 0;
  unsigned generation_ = 0;  // voltage updates since finitialize
  double wait_ = 0;
};

}  // namespace ranvier::sim
