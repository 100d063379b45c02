#pragma once
// Ranks as threads of one process: a Communicator for running the distributed code paths
// without MPI (tests, and a check that a distributed run gives the single-process
// result). LocalRanks holds what the ranks share; each rank's thread uses its own
// LocalRanks::Rank.
#include <barrier>
#include <memory>
#include <vector>

#include "sim/communicator.hpp"

namespace ranvier::sim {

class LocalRanks {
public:
  explicit LocalRanks(int size);
  int size() const { return size_; }

  class Rank : public Communicator {
  public:
    Rank(LocalRanks &shared, int rank) : shared_(shared), rank_(rank) {}
    int rank() const override { return rank_; }
    int size() const override { return shared_.size_; }
    void allGather(const std::vector<std::uint8_t> &mine, std::vector<std::uint8_t> &all, std::vector<std::size_t> &offsets) override;
    std::vector<std::int32_t> allToAll(const std::vector<std::vector<std::int32_t>> &lists) override;
    double minimum(double value) override;
    bool allTrue(bool value) override;
    std::vector<double> gather(double value) override;

  private:
    LocalRanks &shared_;
    int rank_;
  };
  Rank &rank(int r) { return *ranks_.at(static_cast<std::size_t>(r)); }

private:
  int size_;
  std::barrier<> barrier_;
  std::vector<std::vector<std::uint8_t>> bytes_;
  std::vector<const std::vector<std::vector<std::int32_t>> *> lists_;
  std::vector<double> values_;
  std::vector<std::unique_ptr<Rank>> ranks_;
};

}  // namespace ranvier::sim
