#pragma once
// The ranks of a job started by mpiexec, as `ranvier run` and `ranvier sweep` join it:
// every rank checks that all run the same build, crashes are reported with the rank, and
// rank 0 names each rank's pid (mpiexec names a killed process by its pid). Outside
// mpiexec (or without MPI support) the job is this one process.
#include <memory>
#include <string>

#include "sim/communicator.hpp"

namespace ranvier::tool {

class MpiJob {
public:
  explicit MpiJob(bool quiet);
  ~MpiJob();
  MpiJob(const MpiJob &) = delete;
  MpiJob &operator=(const MpiJob &) = delete;

  sim::Communicator &comm() { return *comm_; }
  bool distributed() const { return comm_->size() > 1; }
  // The message, prefixed with the rank in a distributed job; a distributed job then
  // ends everywhere (the other ranks would wait forever). Returns 1 for a single process.
  int fail(const std::string &message);
  // Threads for this rank by default: the machine's cores shared among the ranks on it
  // (MPICH's hydra says how many), at least 1.
  int threadsPerRank() const;
  // "[rank r of R] " in a distributed job, else nothing.
  std::string prefix() const;

private:
  struct Mpi;
  std::unique_ptr<Mpi> mpi_;
  sim::Communicator single_;
  sim::Communicator *comm_ = &single_;
};

}  // namespace ranvier::tool
