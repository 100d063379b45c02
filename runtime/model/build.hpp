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

struct TraceFile {
  std::string file;
  std::vector<sim::Probe> probes;
  std::int64_t everySteps = 1;
};

struct SpikeRecord {
  std::int32_t detector = 0;
  std::string label;
};

struct BuiltModel {
  std::unique_ptr<sim::Simulation> simulation;
  double tstop = 0;
  std::vector<TraceFile> traces;
  std::vector<SpikeRecord> spikes;
  std::string spikesFile;
  std::size_t cells = 0, sections = 0, nodes = 0, instances = 0;
  std::vector<std::string> mechanisms;  // names in use
};

// Throws ModelError for what can only be checked against the mechanisms and the cells:
// unknown mechanisms, parameters, sections, regions and variables, bad units, x out of range.
BuiltModel build(const Model &model, MechanismProvider &mechanisms);

}  // namespace ranvier::model
