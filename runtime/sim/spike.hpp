#pragma once
// A spike: a spike source (a cell's threshold detector or an artificial cell, named by
// its gid, or a detector the model placed for a single connection) fired at a time.
// Spikes are exchanged between cell groups and written in this order: time, then source.
#include <cstdint>

namespace ranvier::sim {

struct Spike {
  double time = 0;          // ms
  std::int32_t source = 0;  // gid (or an internal source number past the gids)

  friend bool operator<(const Spike &x, const Spike &y) { return x.time < y.time || (x.time == y.time && x.source < y.source); }
  friend bool operator==(const Spike &, const Spike &) = default;
};

}  // namespace ranvier::sim
