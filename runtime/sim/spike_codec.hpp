#pragma once
// The bytes a rank sends in a spike exchange. Two encodings, both lossless (a
// distributed run must give the single-process run's spikes bit for bit):
//
// A tag byte and the number of spikes (a varint) start both:
//  plain    tag 0, then per spike its time (8 bytes) and source (4 bytes);
//  compact  tag 1, spikes in source order, per spike the source as a varint difference
//           from the previous one, then a varint code: k + 1 when the time is exactly
//           the k-th step time of the interval plus NEURON's 1e-10 (a threshold
//           crossing: one or two bytes), 0 followed by the 8-byte time otherwise (an
//           artificial cell's event time).
//
// A busy interval of threshold spikes costs 2-4 bytes a spike compactly against 12,
// like NEURON's spike compression (nrn_spike_compress), but nothing is rounded.
#include <cstdint>
#include <span>
#include <stdexcept>
#include <vector>

#include "sim/spike.hpp"

namespace ranvier::sim {

enum class SpikeEncoding : std::uint8_t { Plain = 0, Compact = 1 };

// Appends the encoding of `spikes` (any order; compact sorts a copy by source) to `out`:
// nothing at all when there are none.
// `stepTimes`: the times at the ends of the interval's steps, ascending, the same on
// every rank.
void encodeSpikes(std::span<const Spike> spikes, std::span<const double> stepTimes, SpikeEncoding encoding, std::vector<std::uint8_t> &out);

// Appends the spikes of one rank's block to `out`. Throws std::runtime_error on bytes
// that are not a block (a truncated or corrupted message).
void decodeSpikes(std::span<const std::uint8_t> block, std::span<const double> stepTimes, std::vector<Spike> &out);

}  // namespace ranvier::sim
