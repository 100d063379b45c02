#include "mpi_job.hpp"

#include <chrono>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <unistd.h>

#include <fmt/format.h>

#include "fatal_signals.hpp"
#include "ranvier/mechanism_abi.h"
#ifdef RANVIER_HAVE_MPI
#include "comm/mpi_communicator.hpp"
#endif

namespace ranvier::tool {

#ifdef RANVIER_HAVE_MPI
struct MpiJob::Mpi {
  comm::MpiCommunicator communicator;
};
#else
struct MpiJob::Mpi {};
#endif

MpiJob::MpiJob(bool quiet) {
#ifdef RANVIER_HAVE_MPI
  if (!comm::launchedByMpi()) return;
  mpi_ = std::make_unique<Mpi>();
  comm::MpiCommunicator &mpi = mpi_->communicator;
  comm_ = &mpi;
  if (!mpi.sameEverywhere(std::string("ranvier ") + RANVIER_VERSION + " abi " + std::to_string(RV_ABI_VERSION))) {
    fmt::print(stderr, "ranvier (rank {}): the ranks run different builds of ranvier ({}); every rank must run the same one\n", mpi.rank(), RANVIER_VERSION);
    mpi.abort(1);
  }
  if (mpi.size() > 1) {
    reportFatalSignals(mpi.rank(), mpi.size());
    const std::vector<double> pids = mpi.gather(static_cast<double>(::getpid()));
    if (mpi.rank() == 0 && !quiet && mpi.size() <= 64) {
      std::string list;
      for (std::size_t r = 0; r < pids.size(); ++r) list += fmt::format("{}{}: {:.0f}", r == 0 ? "" : ", ", r, pids[r]);
      fmt::print(stderr, "ranvier: {} ranks (rank: pid) {}\n", mpi.size(), list);
    }
  }
#else
  (void)quiet;
#endif
}

MpiJob::~MpiJob() = default;

int MpiJob::threadsPerRank() const {
  const char *local = std::getenv("MPI_LOCALNRANKS");
  const int ranksHere = local != nullptr ? std::max(1, std::atoi(local)) : 1;
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()) / ranksHere);
}

std::string MpiJob::prefix() const { return distributed() ? fmt::format("[rank {} of {}] ", comm_->rank(), comm_->size()) : ""; }

int MpiJob::fail(const std::string &message) {
  fmt::print(stderr, "{}{}\n", prefix(), message);
#ifdef RANVIER_HAVE_MPI
  if (mpi_ && distributed()) {
    // mpiexec forwards output through pipes and kills on abort: give it the message first.
    std::fflush(stderr);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    mpi_->communicator.abort(1);
  }
#endif
  return 1;
}

}  // namespace ranvier::tool
