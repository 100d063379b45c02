#pragma once
// Cutting one cell's tree into pieces that threads solve in parallel (multisplit).
//
// Some nodes become interface nodes; the pieces are what is left: connected stretches of
// the tree. Each piece hangs below at most one interface node (its `upper`, the parent of
// its top node; none for the piece that holds the cell's root) and has at most one
// interface node hanging below it (its `lower`). A thread eliminates a piece towards
// its top and along the path from `lower` up to the top (the backbone), which leaves
// couplings between interface nodes only: the reduced system, itself a tree, small
// enough for every thread to solve (see split_solve.hpp). The result is the Hines solve
// of the whole tree up to round-off.
#include <cstdint>
#include <span>
#include <vector>

namespace ranvier::sim {

struct TreePartition {
  struct Piece {
    std::int32_t top = 0;     // its node nearest the root
    std::int32_t upper = -1;  // interface node that is top's parent; -1: top is the root
    std::int32_t lower = -1;  // interface node whose parent is in this piece; -1: none
    std::vector<std::int32_t> nodes;  // ascending (parents before children)
    double cost = 0;
  };
  std::vector<Piece> pieces;
  std::vector<std::int32_t> interfaces;  // ascending
  std::vector<std::int32_t> pieceOf;     // per node: its piece, -1 for interface nodes

  bool split() const { return !interfaces.empty(); }
  // The nodes from lower's parent up to the top: where elimination couples to `lower`.
  std::vector<std::int32_t> backbone(const Piece &piece, std::span<const std::int32_t> parent) const;
};

// Cuts the tree (parent[i] < i; -1 for the root) so that pieces cost at most about
// `target` (the sum of `cost` over their nodes): walking from the leaves, a node becomes
// an interface node when what hangs below it, not yet cut off, reaches `target`
// ("single nodes"), or when two interface nodes would otherwise hang below one piece
// ("branch points"). A tree cheaper than `target` stays whole (one piece, no interfaces).
TreePartition partitionTree(std::span<const std::int32_t> parent, std::span<const double> cost, double target);

}  // namespace ranvier::sim
