#include "comm/mpi_communicator.hpp"

#include <climits>
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
  displacements_.resize(static_cast<std::size_t>(size_));
}

MpiCommunicator::~MpiCommunicator() { MPI_Finalize(); }

// Allgather of the byte counts, then Allgatherv of the bytes.
void MpiCommunicator::allGather(const std::vector<std::uint8_t> &mine, std::vector<std::uint8_t> &all, std::vector<std::size_t> &offsets) {
  if (mine.size() > static_cast<std::size_t>(INT_MAX)) throw std::length_error("a spike message above 2 GB");
  const int count = static_cast<int>(mine.size());
  MPI_Allgather(&count, 1, MPI_INT, counts_.data(), 1, MPI_INT, MPI_COMM_WORLD);
  offsets.assign(1, 0);
  for (int r = 0; r < size_; ++r) {
    if (offsets.back() + static_cast<std::size_t>(counts_[static_cast<std::size_t>(r)]) > static_cast<std::size_t>(INT_MAX)) throw std::length_error("spike messages above 2 GB in one exchange");
    displacements_[static_cast<std::size_t>(r)] = static_cast<int>(offsets.back());
    offsets.push_back(offsets.back() + static_cast<std::size_t>(counts_[static_cast<std::size_t>(r)]));
  }
  all.resize(offsets.back());
  MPI_Allgatherv(mine.data(), count, MPI_BYTE, all.data(), counts_.data(), displacements_.data(), MPI_BYTE, MPI_COMM_WORLD);
}

std::vector<std::int32_t> MpiCommunicator::allToAll(const std::vector<std::vector<std::int32_t>> &lists) {
  if (lists.size() != static_cast<std::size_t>(size_)) throw std::invalid_argument("allToAll: one list per rank");
  const auto n = static_cast<std::size_t>(size_);
  std::vector<int> sendCounts(n), sendDispl(n), recvCounts(n), recvDispl(n);
  std::vector<std::int32_t> send;
  for (std::size_t r = 0; r < n; ++r) {
    sendDispl[r] = static_cast<int>(send.size());
    sendCounts[r] = static_cast<int>(lists[r].size());
    send.insert(send.end(), lists[r].begin(), lists[r].end());
  }
  MPI_Alltoall(sendCounts.data(), 1, MPI_INT, recvCounts.data(), 1, MPI_INT, MPI_COMM_WORLD);
  int total = 0;
  for (std::size_t r = 0; r < n; ++r) {
    recvDispl[r] = total;
    total += recvCounts[r];
  }
  std::vector<std::int32_t> out(static_cast<std::size_t>(total));
  MPI_Alltoallv(send.data(), sendCounts.data(), sendDispl.data(), MPI_INT32_T, out.data(), recvCounts.data(), recvDispl.data(), MPI_INT32_T, MPI_COMM_WORLD);
  return out;
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
