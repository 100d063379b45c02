#pragma once
// Traces of a distributed run: each rank writes the columns it records to its own file
// (traces.rank1.csv); with [output] gather_traces = true rank 0 joins them at the end
// into the file a single process writes (same columns in the same order, same bytes).
#include <cstdint>
#include <filesystem>

#include "model/build.hpp"

namespace ranvier::tool {

// traces.csv -> traces.rankN.csv
std::filesystem::path rankTracePath(const std::filesystem::path &file, int rank);

// Joins the ranks' files of `trace` into `file`, then removes them. Returns the rows.
// Throws std::runtime_error when a rank's file is missing or its rows do not match.
std::int64_t gatherTraces(const std::filesystem::path &file, int ranks, const model::TraceFile &trace);

}  // namespace ranvier::tool
