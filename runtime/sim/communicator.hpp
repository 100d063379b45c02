#pragma once
// How the ranks of a distributed run talk: the spike exchange and the few agreements a
// run needs. The single-process run uses this base class (one rank, nothing to do); an
// MPI communicator and an in-process one (for tests: several ranks as threads of one
// process) implement it. Every call is collective: every rank makes it, in the same
// order.
#include <cstdint>
#include <vector>

#include "sim/spike.hpp"

namespace ranvier::sim {

class Communicator {
public:
  virtual ~Communicator() = default;
  virtual int rank() const { return 0; }
  virtual int size() const { return 1; }
  // `spikes`: this rank's spikes of one interval on entry; every rank's on return (in
  // rank order; the caller sorts).
  virtual void gatherSpikes(std::vector<Spike> &spikes) { (void)spikes; }
  // The smallest of every rank's `value` (the exchange interval must be one for all).
  virtual double minimum(double value) { return value; }
  // True when every rank says true (whether the run goes on).
  virtual bool allTrue(bool value) { return value; }
  // Every rank's `value`, in rank order (for the end-of-run report).
  virtual std::vector<double> gather(double value) { return {value}; }
};

}  // namespace ranvier::sim
