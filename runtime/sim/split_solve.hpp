#pragma once
// The tree solve of cells split over threads (see tree_partition.hpp).
//
// A piece lives in one part's node array as a tree of its own (its top a local root),
// so the part's TreeSolver assembles and eliminates it with everything else there. What
// joins it to the rest of its cell is added here:
//   - the two axial links that leave it (top - upper, lower - its parent), assembled
//     with the interface nodes' voltages;
//   - after elimination, the couplings to its interface nodes: the usual elimination of
//     the top into `upper`, and along the backbone (lower's parent up to the top) the
//     fill column that ties every backbone node to `lower` (f: A[x][lower], g:
//     A[lower][x], carried up as each backbone node is eliminated);
//   - once every thread has written those (the step barrier), each thread solves the
//     small reduced system of the interface nodes (a tree again) itself, puts the
//     solution into its pieces' rows and finishes with the usual back substitution.
// Writes other threads read go to `slots` only, double-buffered by step so that one
// barrier per step suffices; each thread keeps its own copy of the interface nodes'
// voltages, updated with the same arithmetic as the owner's node. The reduced system
// adds contributions in a fixed order, so results do not depend on which thread
// holds which piece.
#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include "sim/cell_group.hpp"
#include "sim/step_barrier.hpp"

namespace ranvier::sim {

// Contributions of one piece to its cell's reduced system, per step.
enum PieceSlot : std::int32_t { kUpperD, kUpperRhs, kLowerD, kLowerRhs, kUpperLower, kLowerUpper, kPieceSlots };
// And of an interface node's own membrane (its owner's d and rhs).
enum OwnSlot : std::int32_t { kOwnD, kOwnRhs, kOwnSlots };

// The reduced system of one split cell: interface nodes in tree order (parents first).
struct ReducedSystem {
  struct Node {
    std::int32_t parent = -1;  // interface index; -1: the reduced root
    // The link to the parent: through a piece (its kUpperLower/kLowerUpper slots) or a
    // direct axial link between the two interface nodes (a, b of this node).
    std::int32_t linkPiece = -1;
    double a = 0, b = 0;
    std::int32_t ownSlot = 0;  // where its owner writes kOwnD, kOwnRhs
    std::vector<std::int32_t> pieceSlots;  // slot bases of the pieces touching it, in order
    std::vector<std::uint8_t> asUpper;     // per piece slot: the piece hangs below (true) or above it
  };
  std::vector<Node> nodes;
  double vInit = -65;
};

// What all parts share: every split cell's reduced system, the slots and the barrier.
class SplitCoupling {
public:
  // `slots`: how many values the pieces and interface nodes write per step; `threads`:
  // how many parts hold pieces or interface nodes (they meet at the barrier).
  SplitCoupling(std::vector<ReducedSystem> cells, std::int32_t slots, int threads);

  const std::vector<ReducedSystem> &cells() const { return cells_; }
  double *slots(int parity) { return slots_.data() + static_cast<std::size_t>(parity) * static_cast<std::size_t>(slotCount_); }
  StepBarrier &barrier() { return barrier_; }

private:
  std::vector<ReducedSystem> cells_;
  std::int32_t slotCount_;
  std::vector<double> slots_;
  StepBarrier barrier_;
};

// One part's side: its pieces and the interface nodes it owns, in local node positions.
class SplitPart {
public:
  struct Piece {
    std::int32_t cell = 0;
    std::int32_t top = 0;
    std::int32_t upper = -1;  // interface index in the cell's reduced system
    double aTop = 0, bTop = 0;
    std::int32_t lower = -1;
    double aLower = 0, bLower = 0;
    std::vector<std::int32_t> backbone;  // lower's parent up to the top
    std::int32_t slot = 0;               // base of its kPieceSlots values
  };
  struct Owned {
    std::int32_t cell = 0, index = 0, node = 0;
  };

  SplitPart(std::shared_ptr<SplitCoupling> coupling, std::vector<Piece> pieces, std::vector<Owned> owned);

  void initialize();
  // Between the TreeSolver's assemble and eliminate: the links that leave the pieces.
  void assemble(Nodes &nodes);
  // After the elimination: the couplings to the interface nodes, then the barrier and
  // the reduced systems. False when another thread failed (the barrier broke).
  bool join(const Nodes &nodes);
  // Before the back substitution: the interface nodes' solution into the pieces' rows.
  void substituteInterfaces(Nodes &nodes) const;
  // After it: the owned interface nodes' change of v.
  void finish(Nodes &nodes) const;
  // After v += factor * rhs: the same for this part's copies.
  void updateVoltages(double factor);
  // Another thread will wait for nothing: this part stopped stepping.
  void abandon() { coupling_->barrier().breakAll(); }
  double waitSeconds() const { return wait_; }

private:
  void solveReduced(std::size_t k, const double *slots);

  std::shared_ptr<SplitCoupling> coupling_;
  std::vector<Piece> pieces_;
  std::vector<Owned> owned_;
  std::vector<std::int32_t> cells_;  // the split cells this part takes part in
  std::vector<std::int32_t> cellSlot_;  // per split cell: index into v_/x_ (-1: not here)
  std::vector<std::vector<double>> v_, x_, d_, rhs_;  // per cell taken part in
  std::vector<std::vector<double>> f_;  // per piece, per backbone node: A[x][lower]
  int parity_ = 0;
  double wait_ = 0;
};

}  // namespace ranvier::sim
