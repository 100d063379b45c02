#pragma once
// How the ranks of a distributed run talk: the spike exchange and the few agreements a
// run needs. The single-process run uses this base class (one rank, nothing to do); an
// MPI communicator and an in-process one (for tests: several ranks as threads of one
// process) implement it. Every call is collective: every rank makes it, in the same
// order. The communicator moves bytes; what they mean (sim/spike_codec.hpp) is the
// network's business.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace ranvier::sim {

class Communicator {
public:
  virtual ~Communicator() = default;
  virtual int rank() const { return 0; }
  virtual int size() const { return 1; }
  // Every rank's `mine`, concatenated in rank order into `all`; rank r's block is
  // all[offsets[r] .. offsets[r + 1]) (offsets has size() + 1 entries).
  virtual void allGather(const std::vector<std::uint8_t> &mine, std::vector<std::uint8_t> &all, std::vector<std::size_t> &offsets) {
    all = mine;
    offsets = {0, mine.size()};
  }
  // Personalised exchange for setting up: lists[r] goes to rank r (lists has size()
  // entries); returns what every rank sent to this one, concatenated in rank order.
  virtual std::vector<std::int32_t> allToAll(const std::vector<std::vector<std::int32_t>> &lists) { return lists.at(0); }
  // The smallest of every rank's `value` (the exchange interval must be one for all).
  virtual double minimum(double value) { return value; }
  // True when every rank says true (whether the run goes on).
  virtual bool allTrue(bool value) { return value; }
  // Every rank's `value`, in rank order (for the end-of-run report).
  virtual std::vector<double> gather(double value) { return {value}; }
  // Returns when every rank has called it.
  void barrier() { (void)allTrue(true); }
};

}  // namespace ranvier::sim
