#pragma once
// Model -> a simulation ready to run: cells discretised, mechanisms placed and given
// their parameters, connections, and what to record. Mechanisms come from a provider
// (the runtime never compiles NMODL itself; the ranvier tool's provider JIT-compiles).
#include <memory>
#include <string>
#include <vector>

#include "model/model.hpp"
#include "ranvier/mechanism_abi.h"
#include "sim/recorder.hpp"
#include "sim/network.hpp"
#include "sim/simulation.hpp"

namespace ranvier::model {

class MechanismProvider {
public:
  virtual ~MechanismProvider() = default;
  // The compiled mechanism of that name, or null when there is none. May throw
  // ModelError (e.g. a user .mod file that does not compile).
  virtual const rv_mechanism *find(const std::string &name) = 0;
  // Every name find() knows, for hints.
  virtual std::vector<std::string> names() = 0;
};

struct TraceProbe {
  std::string name;
  std::size_t part = 0;  // the network part that owns the value
  const double *value = nullptr;
};

struct TraceFile {
  std::string file;
  std::vector<TraceProbe> probes;  // what this rank records, in column order
  std::int64_t everySteps = 1;
  // Every column of the file, on every rank: its name and the rank that records it
  // (-1: each rank does), for gathering the ranks' files into one.
  std::vector<std::string> columns;
  std::vector<int> columnRank;
};

// A cell cut into pieces for several threads (split_cells = "auto").
struct SplitCellSummary {
  std::string cell;
  std::size_t pieces = 0, interfaces = 0;
  std::vector<double> partCost;  // its complexity on each part
};

struct BuiltModel {
  std::unique_ptr<sim::Network> network;
  double tstop = 0, dt = 0.025;
  std::vector<TraceFile> traces;
  // Spikes: sources below gidCount are gids (written as numbers); the others are the
  // labelled spike recordings, sourceLabels[source - gidCount].
  std::int32_t gidCount = 0;
  std::vector<std::string> sourceLabels;
  bool recordsSpikes = false;
  std::string spikesFile;
  int spikePrecision = 3;
  bool gatherTraces = false;  // distributed runs: one traces file instead of one per rank
  std::size_t cells = 0, artificialCells = 0, sections = 0, nodes = 0, instances = 0, connections = 0;
  std::vector<std::string> mechanisms;  // names in use
  std::vector<double> partCost;         // the complexity given to each part (thread)
  // Why fewer threads than cores run the model when it did not say how many (threads = 0);
  // empty otherwise.
  std::string fewerThreads;
  std::vector<SplitCellSummary> splitCells;
  double minimumDelay = 0;              // ms; 0 without connections
  std::vector<std::string> warnings;
};

// Throws ModelError for what can only be checked against the mechanisms and the cells:
// unknown mechanisms, parameters, sections, regions and variables, bad units, x out of
// range, connections that cannot be made. Cells are split over `model.threads` parts
// (0: one per core) by their complexity; cells using a mechanism that is not THREADSAFE
// stay on part 0 (with a warning).
// With a communicator of R ranks, this rank builds only the cells it owns (gid mod R),
// the connections that end on them, and its share of the recordings.
BuiltModel build(const Model &model, MechanismProvider &mechanisms, sim::Communicator *communicator = nullptr);

}  // namespace ranvier::model
