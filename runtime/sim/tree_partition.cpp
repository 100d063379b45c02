#include "sim/tree_partition.hpp"

#include <stdexcept>

namespace ranvier::sim {

std::vector<std::int32_t> TreePartition::backbone(const Piece &piece, std::span<const std::int32_t> parent) const {
  std::vector<std::int32_t> path;
  if (piece.lower < 0) return path;
  for (std::int32_t x = parent[static_cast<std::size_t>(piece.lower)]; x != piece.upper; x = parent[static_cast<std::size_t>(x)]) {
    path.push_back(x);
    if (x == piece.top) break;
  }
  return path;
}

TreePartition partitionTree(std::span<const std::int32_t> parent, std::span<const double> cost, double target) {
  const std::size_t n = parent.size();
  if (cost.size() != n) throw std::invalid_argument("partitionTree: one cost per node");
  for (std::size_t i = 0; i < n; ++i) {
    if (parent[i] >= static_cast<std::int32_t>(i)) throw std::invalid_argument("partitionTree: every node must come after its parent");
  }
  TreePartition out;
  std::vector<double> open(cost.begin(), cost.end());   // cost of what hangs from i, not cut off
  std::vector<std::int32_t> below(n, 0);                // interface nodes hanging from that
  std::vector<std::uint8_t> hasOpenChild(n, 0), isInterface(n, 0);
  for (std::size_t k = n; k-- > 0;) {
    const std::int32_t p = parent[k];
    const bool cut = below[k] >= 2 || (hasOpenChild[k] && open[k] >= target);
    if (cut) {
      isInterface[k] = 1;
      if (p >= 0) ++below[static_cast<std::size_t>(p)];
    } else if (p >= 0) {
      open[static_cast<std::size_t>(p)] += open[k];
      below[static_cast<std::size_t>(p)] += below[k];
      hasOpenChild[static_cast<std::size_t>(p)] = 1;
    }
  }
  out.pieceOf.assign(n, -1);
  for (std::size_t i = 0; i < n; ++i) {
    if (isInterface[i]) {
      out.interfaces.push_back(static_cast<std::int32_t>(i));
      continue;
    }
    const std::int32_t p = parent[i];
    std::int32_t piece;
    if (p < 0 || isInterface[static_cast<std::size_t>(p)]) {
      piece = static_cast<std::int32_t>(out.pieces.size());
      out.pieces.push_back(TreePartition::Piece{static_cast<std::int32_t>(i), p, -1, {}, 0.0});
    } else {
      piece = out.pieceOf[static_cast<std::size_t>(p)];
    }
    out.pieceOf[i] = piece;
    out.pieces[static_cast<std::size_t>(piece)].nodes.push_back(static_cast<std::int32_t>(i));
    out.pieces[static_cast<std::size_t>(piece)].cost += cost[i];
  }
  for (std::int32_t s : out.interfaces) {
    const std::int32_t p = parent[static_cast<std::size_t>(s)];
    if (p < 0 || isInterface[static_cast<std::size_t>(p)]) continue;
    TreePartition::Piece &piece = out.pieces[static_cast<std::size_t>(out.pieceOf[static_cast<std::size_t>(p)])];
    if (piece.lower >= 0) throw std::logic_error("partitionTree: a piece with two lower interface nodes");
    piece.lower = s;
  }
  return out;
}

}  // namespace ranvier::sim
