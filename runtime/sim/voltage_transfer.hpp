#pragma once
// Voltages that POINTERs on one thread read from cells another thread, or another rank,
// computes: the gap junctions of a network spread over threads and ranks.
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
//
// Across ranks (NEURON: ParallelContext source_var/target_var, done here from the
// [[pointer]] entries alone), the last part of each rank to reach the barrier sends the
// rank's published voltages that other ranks read to every rank (one collective
// allGather per step, with a flag saying whether a part of the rank failed), and every
// part then also copies from what arrived. Every part of every rank takes part then, so
// that the ranks make the same collective calls in the same order.
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <unordered_map>
#include <vector>

#include "sim/communicator.hpp"
#include "sim/step_barrier.hpp"

namespace ranvier::sim {

// What the parts of a rank share: each one's published voltages, the barrier of the
// parts that take part, and what the ranks exchange.
class VoltageExchange {
public:
  // exports: per part, how many voltages it publishes; participants: how many parts
  // publish or read any.
  VoltageExchange(const std::vector<std::size_t> &exports, int participants);
  double *published(std::size_t part, unsigned parity) { return buffers_[part][parity & 1u].data(); }
  StepBarrier &barrier() { return barrier_; }

  // Across ranks: what this rank sends (a part and the index of the voltage in what it
  // publishes, in the order the ranks agreed on), and how many voltages each rank sends.
  struct RemoteExport {
    std::size_t part;
    std::int32_t k;
  };
  void setRemote(Communicator &comm, std::vector<RemoteExport> exports, std::vector<std::size_t> perRank);
  bool remote() const { return comm_ != nullptr; }
  // The voltages every rank sent at the last exchange, rank after rank.
  const std::vector<double> &remoteValues() const { return remoteValues_; }
  // Collective: sends this rank's voltages of `generation` and receives the others'.
  // False when a part of some rank failed (markFailed).
  bool exchangeRemote(unsigned generation);
  void markFailed() { failed_.store(true, std::memory_order_release); }
  void clearFailed() { failed_.store(false, std::memory_order_release); }

private:
  std::vector<std::array<std::vector<double>, 2>> buffers_;
  StepBarrier barrier_;
  Communicator *comm_ = nullptr;
  std::vector<RemoteExport> remoteExports_;
  std::vector<std::size_t> perRank_;
  std::vector<double> remoteValues_;
  std::vector<std::uint8_t> message_, all_;
  std::vector<std::size_t> offsets_;
  std::atomic<bool> failed_{false};
};

class VoltageTransfer {
public:
  // While building: a voltage of this part that others read (its index in what this part
  // publishes), and a slot for one this part reads, the k-th that `part` publishes, or
  // the i-th of the voltages the ranks exchange.
  std::int32_t exportVoltage(const double *v);
  double *importVoltage(std::size_t part, std::int32_t k);
  double *importRemoteVoltage(std::int32_t i);
  std::size_t exports() const { return exports_.size(); }
  // Once every part's exports are known.
  void join(std::shared_ptr<VoltageExchange> exchange, std::size_t part);

  // Publish the voltages as they are now, as the first of a run (finitialize); before
  // any part's initialize() reads them.
  void publishInitial();
  // After every part published its first voltages, on one thread: the ranks exchange
  // theirs (collective; nothing without remote voltages).
  void exchangeInitial();
  // The start of initialize(): copy what the others published; no wait (initialisation
  // runs the parts one after another).
  void receiveInitial();
  // After each voltage update.
  void publish();
  // At the start of each step. False when another part (or rank) failed.
  bool receive();
  // This part stops stepping (it failed, or a partner did); `moreSteps`: the others of the
  // interval would still meet it. Without remote voltages the barrier breaks; with them
  // the part meets the others once more to tell every rank.
  void leave(bool moreSteps);
  double waitSeconds() const { return wait_; }

private:
  void copyIn();

  static constexpr std::size_t kRemote = ~std::size_t{0};
  struct Import {
    std::size_t part;  // kRemote: k indexes the exchanged voltages
    std::int32_t k;
  };
  std::vector<const double *> exports_;
  std::unordered_map<const double *, std::int32_t> exportIndex_;  // while building
  std::vector<Import> imports_;
  std::deque<double> slots_;  // a deque: the POINTERs keep their addresses as it grows
  std::shared_ptr<VoltageExchange> exchange_;
  std::size_t part_ = 0;
  unsigned generation_ = 0;  // voltage updates since finitialize
  bool stopped_ = false;     // receive() said stop: this part met the others for this step
  double wait_ = 0;
};

}  // namespace ranvier::sim
