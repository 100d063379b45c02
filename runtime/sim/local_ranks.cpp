#include "sim/local_ranks.hpp"

#include <algorithm>
#include <stdexcept>

namespace ranvier::sim {

LocalRanks::LocalRanks(int size) : size_(size), barrier_(size), bytes_(static_cast<std::size_t>(size)), lists_(static_cast<std::size_t>(size)), values_(static_cast<std::size_t>(size)) {
  if (size < 1) throw std::invalid_argument("at least one rank");
  for (int r = 0; r < size; ++r) ranks_.push_back(std::make_unique<Rank>(*this, r));
}

// Each collective: every rank writes its slot, all meet, all read, all meet again (so
// no slot is overwritten before everybody has read it).
void LocalRanks::Rank::allGather(const std::vector<std::uint8_t> &mine, std::vector<std::uint8_t> &all, std::vector<std::size_t> &offsets) {
  shared_.bytes_[static_cast<std::size_t>(rank_)] = mine;
  shared_.barrier_.arrive_and_wait();
  all.clear();
  offsets.assign(1, 0);
  for (const auto &slot : shared_.bytes_) {
    all.insert(all.end(), slot.begin(), slot.end());
    offsets.push_back(all.size());
  }
  shared_.barrier_.arrive_and_wait();
}

std::vector<std::int32_t> LocalRanks::Rank::allToAll(const std::vector<std::vector<std::int32_t>> &lists) {
  if (lists.size() != static_cast<std::size_t>(shared_.size_)) throw std::invalid_argument("allToAll: one list per rank");
  shared_.lists_[static_cast<std::size_t>(rank_)] = &lists;
  shared_.barrier_.arrive_and_wait();
  std::vector<std::int32_t> out;
  for (const auto *from : shared_.lists_) out.insert(out.end(), (*from)[static_cast<std::size_t>(rank_)].begin(), (*from)[static_cast<std::size_t>(rank_)].end());
  shared_.barrier_.arrive_and_wait();
  return out;
}

std::vector<double> LocalRanks::Rank::gather(double value) {
  shared_.values_[static_cast<std::size_t>(rank_)] = value;
  shared_.barrier_.arrive_and_wait();
  std::vector<double> out = shared_.values_;
  shared_.barrier_.arrive_and_wait();
  return out;
}

double LocalRanks::Rank::minimum(double value) {
  const std::vector<double> all = gather(value);
  return *std::min_element(all.begin(), all.end());
}

bool LocalRanks::Rank::allTrue(bool value) {
  const std::vector<double> all = gather(value ? 1.0 : 0.0);
  return std::all_of(all.begin(), all.end(), [](double v) { return v != 0; });
}

}  // namespace ranvier::sim
