#include "sim/local_ranks.hpp"

#include <algorithm>
#include <stdexcept>

namespace ranvier::sim {

LocalRanks::LocalRanks(int size) : size_(size), barrier_(size), spikes_(static_cast<std::size_t>(size)), values_(static_cast<std::size_t>(size)) {
  if (size < 1) throw std::invalid_argument("at least one rank");
  for (int r = 0; r < size; ++r) ranks_.push_back(std::make_unique<Rank>(*this, r));
}

// Each collective: every rank writes its slot, all meet, all read, all meet again (so
// no slot is overwritten before everybody has read it).
void LocalRanks::Rank::gatherSpikes(std::vector<Spike> &spikes) {
  shared_.spikes_[static_cast<std::size_t>(rank_)] = spikes;
  shared_.barrier_.arrive_and_wait();
  spikes.clear();
  for (const auto &slot : shared_.spikes_) spikes.insert(spikes.end(), slot.begin(), slot.end());
  shared_.barrier_.arrive_and_wait();
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
