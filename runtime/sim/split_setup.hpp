#pragma once
// From a split cell's partition and where its pieces went (which part, which nodes of
// that part's builder) to the shared reduced systems and each part's SplitPart.
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "cell/discretisation.hpp"
#include "sim/split_solve.hpp"
#include "sim/tree_partition.hpp"

namespace ranvier::sim {

struct SplitCellLayout {
  const cell::Discretisation *cell = nullptr;
  TreePartition partition;
  std::vector<std::size_t> piecePart;        // per piece: its part
  std::vector<std::int32_t> pieceFirst;      // per piece: its first node in that part's builder
  std::vector<std::size_t> interfacePart;    // per interface node: its part
  std::vector<std::int32_t> interfaceNode;   // per interface node: its node in that part's builder
};

// One SplitPart per part (null where a part holds no piece). `position(part, node)`:
// where a builder node of a part went in its group.
std::vector<std::unique_ptr<SplitPart>> makeSplitParts(const std::vector<SplitCellLayout> &cells, std::size_t parts, double vInit,
                                                       const std::function<std::int32_t(std::size_t, std::int32_t)> &position);

}  // namespace ranvier::sim
