#pragma once
// The Communicator of a run started by mpiexec (Debian's MPICH). Only the ranvier tool
// links this; the simulator itself knows only sim::Communicator.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/communicator.hpp"

namespace ranvier::comm {

// True when this process was started by an MPI launcher (MPICH's hydra sets PMI_RANK).
// A plain `ranvier run` never initialises MPI.
bool launchedByMpi();

class MpiCommunicator : public sim::Communicator {
public:
  // MPI_Init_thread (MPI_THREAD_SERIALIZED: the barrier's completion step makes the
  // calls, on whichever thread arrives last); MPI_Finalize in the destructor.
  MpiCommunicator();
  ~MpiCommunicator() override;
  MpiCommunicator(const MpiCommunicator &) = delete;
  MpiCommunicator &operator=(const MpiCommunicator &) = delete;

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  void allGather(const std::vector<std::uint8_t> &mine, std::vector<std::uint8_t> &all, std::vector<std::size_t> &offsets) override;
  std::vector<std::int32_t> allToAll(const std::vector<std::vector<std::int32_t>> &lists) override;
  double minimum(double value) override;
  bool allTrue(bool value) override;
  std::vector<double> gather(double value) override;

  // Ends the whole job: a rank that cannot go on must not leave the others waiting.
  [[noreturn]] void abort(int code);
  // Every rank's text equal? (the build's version: mismatched builds are refused)
  bool sameEverywhere(const std::string &text);

private:
  int rank_ = 0, size_ = 1;
  std::vector<int> counts_, displacements_;
};

}  // namespace ranvier::comm
