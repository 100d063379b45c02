#pragma once
// [[gap_junction]] entries: pairs of cells joined by a point process with a POINTER on
// each side (mechanisms/gap.mod's Gap), each side's POINTER at the other side's v
// (NEURON: two point processes and two setpointer calls per junction, or
// ParallelContext source_var/target_var across ranks). A rule says which pairs; the
// entry becomes plain [[point]] and [[pointer]] entries when the model is read, named
// <name>_<k>a (on the first cell of pair k) and <name>_<k>b, so that everything that
// works for those (threads, ranks, sweeps, recordings) works for junctions.
#include <cstddef>
#include <utility>
#include <vector>

#include "model/model.hpp"
#include "model/toml_reader.hpp"

namespace ranvier::model {

// The pairs of cells (indices into the entry's cell list) a rule joins; the algorithm
// is in docs/model-files.md, so that a script can rebuild them.
enum class GapRule { Ring, Chain, AllToAll, FixedProbability, File };
std::vector<std::pair<int, int>> gapJunctionPairs(GapRule rule, int cells, double probability, std::uint64_t seed, const std::filesystem::path &file,
                                                  const SourceLocation &at);

// Reads one [[gap_junction]] entry (the populations are read) and appends its points and
// POINTERs to m. Throws ModelError, located, for a bad entry.
void addGapJunctions(const Reader &r, const toml::table &t, const SourceLocation &at, std::size_t number, Model &m);

}  // namespace ranvier::model
