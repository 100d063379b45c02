#pragma once
// Connection rules: which sources connect to which targets, and each connection's
// drawn weight and delay. Every draw comes from a stream of the rule's seed and the
// target's index (splitmix64), so the network does not depend on threads, ranks or the
// order connections are built in, and a script can rebuild it exactly
// (docs/model-files.md gives the algorithm; scripts/neuron/network_model.py does so).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "model/model.hpp"

namespace ranvier::model {

class RandomStream {
public:
  RandomStream(std::uint64_t seed, std::uint64_t target);
  std::uint64_t next();
  double uniform01();  // [0, 1), 53 bits
private:
  std::uint64_t state_;
};

struct Edge {
  std::int32_t source = 0, target = 0;  // indices into the source and target lists
  double weight = 0, delay = 0;         // weight: the first one, in uS (or the target's unit)
  SourceLocation at;                    // the edge list row for rule = file; else the [[netcon]]
};

struct RuleInput {
  std::int32_t sources = 0, targets = 0;
  // The cell (gid) a source or target belongs to, -1 for none: no autapses.
  std::function<std::int64_t(std::int32_t)> sourceCell, targetCell;
  // Constant values already converted (weights to uS, delays to ms).
  double weight = 0, delay = 1;
  // When set, only the edges of targets it accepts are made (a rank makes those that
  // end on its cells). Every target's draws come from its own stream and every rule is
  // checked whole, so the edges made and the errors raised do not depend on it.
  std::function<bool(std::int32_t)> wanted;
};

// Throws ModelError (at the [[netcon]] or the edge list row) when the rule cannot apply:
// sizes that do not match, an in-degree larger than the sources, a bad edge list.
std::vector<Edge> expandRule(const NetConSpec &spec, const RuleInput &input);

double draw(const Draw &d, double constant, RandomStream &stream);

}  // namespace ranvier::model
