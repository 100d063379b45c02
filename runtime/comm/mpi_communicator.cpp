#include "comm/mpi_communicator.hpp"

#include <chrono>
#include <cstdlib>
#include <functional>
#include <stdexcept>

#include <mpi.h>

namespace ranvier::comm {

bool launchedByMpi() { return std::getenv("PMI_RANK") != nullptr || std::getenv("PMI_SIZE") != nullptr; }

MpiCommunicator::MpiCommunicator() {
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  if (provided < MPI_THREAD_SERIALIZED) {
    MPI_Finalize();
    throw std::runtime_error("the MPI library does not allow calls from more than one thread (MPI_THREAD_SERIALIZED)");
  }
  counts_.resize(static_cast<std::size_t>(size_));
  offsets_.resize(static_cast<std::size_t>(size_));
}

MpiCommunicator::~MpiCommunicator() { MPI_Finalize(); }

// Allgather of the counts, then Allgatherv of the spikes (as bytes: a Spike is plain data).
void MpiCommunicator::gatherSpikes(std::vector<sim::Spike> &spikes) {
  const auto start = std::chrono::steady_clock::now();
  const int mine = static_cast<int>(spikes.size() * sizeof(sim::Spike));
  MPI_Allgather(&mine, 1, MPI_INT, counts_.data(), 1, MPI_INT, MPI_COMM_WORLD);
  int total = 0;
  for (int r = 0; r < size_; ++r) {
    offsets_[static_cast<std::size_t>(r)] = total;
    total += counts_[static_cast<std::size_t>(r)];
  }
  all_.resize(static_cast<std::size_t>(total) / sizeof(sim::Spike));
  MPI_Allgatherv(spikes.data(), mine, MPI_BYTE, all_.data(), counts_.data(), offsets_.data(), MPI_BYTE, MPI_COMM_WORLD);
  spikes.swap(all_);
  bytesSent_ += static_cast<std::uint64_t>(mine) + sizeof(int);
  exchangeSeconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double MpiCommunicator::minimum(double value) {
  double out = value;
  MPI_Allreduce(&value, &out, 1, MPI_DOUBLE, MPI_MIN, MPI_COMM_WORLD);
  return out;
}

bool MpiCommunicator::allTrue(bool value) {
  int mine = value ? 1 : 0, all = 0;
  MPI_Allreduce(&mine, &all, 1, MPI_INT, MPI_LAND, MPI_COMM_WORLD);
  return all != 0;
}

std::vector<double> MpiCommunicator::gather(double value) {
  std::vector<double> out(static_cast<std::size_t>(size_));
  MPI_Allgather(&value, 1, MPI_DOUBLE, out.data(), 1, MPI_DOUBLE, MPI_COMM_WORLD);
  return out;
}

void MpiCommunicator::abort(int code) {
  MPI_Abort(MPI_COMM_WORLD, code);
  std::exit(code);  // MPI_Abort does not return; this is for the compiler
}

bool MpiCommunicator::sameEverywhere(const std::string &text) {
  const double mine = static_cast<double>(std::hash<std::string>{}(text) % (1ull << 52));
  const std::vector<double> all = gather(mine);
  for (double v : all) {
    if (v != mine) return false;
  }
  return true;
}

}  // namespace ranvier::comm
