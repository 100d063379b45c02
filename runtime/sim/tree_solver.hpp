#pragma once
// The tree system of a cell group (NEURON's nrn_rhs axial terms, triang and bksub),
// arranged for speed. Nodes come in depth order (see Nodes::position), so the nodes of
// one depth in many cells form runs whose parents sit at a fixed distance before them:
// such a run is a loop without indirection that the compiler vectorises; everything
// else goes through the parent array one node at a time. Runs are visited in node order
// (backwards for the elimination), so every value is computed by the same operations in
// the same order as the plain node-by-node loops: the results do not depend on how cells
// are grouped, which keeps runs with 1 and N threads identical.
#include <cstdint>
#include <vector>

#include "sim/cell_group.hpp"

namespace ranvier::sim {

class TreeSolver {
public:
  TreeSolver() = default;
  explicit TreeSolver(const Nodes &nodes);

  // Adds capacitance (cfac * cm) and the axial coupling to what the mechanisms put into
  // d and rhs.
  void assemble(Nodes &nodes, double cfac) const;
  // Gaussian elimination from the leaves, then back substitution; rhs becomes the
  // change of v.
  void solve(Nodes &nodes) const {
    eliminate(nodes);
    substitute(nodes);
  }
  // assemble, then solve; for groups of unbranched cells of a few nodes each (single
  // compartments: NEURON's root node, the segment and the 1-end) in one pass per cell.
  void assembleAndSolve(Nodes &nodes, double cfac) const;
  // The two halves, for split cells (split_solve.hpp) to join their pieces in between.
  void eliminate(Nodes &nodes) const;
  void substitute(Nodes &nodes) const;

  struct Run {
    std::int32_t begin = 0, end = 0;
    // > 0: every node's parent is `offset` nodes before it (and outside the run);
    // 0: roots (no parent); -1: anything, through the parent array; kChain: an
    // unbranched stretch, each node's parent the node before it.
    std::int32_t offset = -1;
  };
  static constexpr std::int32_t kChain = -2;
  const std::vector<Run> &runs() const { return runs_; }

  // > 0 when every cell is a chain of this many nodes, level by level: nodes
  // [0, n) the roots, [n, 2n) their children in the same order, and so on.
  std::int32_t chainLevels() const { return chainLevels_; }

private:
  std::vector<Run> runs_;
  std::int32_t chainLevels_ = 0;
};

}  // namespace ranvier::sim
