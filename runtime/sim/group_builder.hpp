#pragma once
// Assembles a CellGroup: cells' discretisations appended into one node array, and
// mechanism instances placed at nodes, then laid out per mechanism type sorted by node.
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "cell/discretisation.hpp"
#include "sim/cell_group.hpp"

namespace ranvier::sim {

// Where a placed instance ended up.
struct InstanceRef {
  std::int32_t mechanism = -1;  // index into CellGroup::mechanisms
  std::int32_t instance = -1;
};

class GroupBuilder {
public:
  // `order`: mechanism names in the order their kernels run (NEURON's type order);
  // others follow in the order they are first placed.
  explicit GroupBuilder(std::vector<std::string> order = neuronMechanismOrder());

  // Appends a cell; returns the index of its first node.
  std::int32_t addCell(const cell::Discretisation &cell);
  // Appends some of a cell's nodes (ascending; a piece of a split cell) as a tree of
  // their own: a node whose parent is not among them becomes a root. Node k of the list
  // gets index (returned first node) + k.
  std::int32_t addPiece(const cell::Discretisation &cell, const std::vector<std::int32_t> &nodes);
  // Places an instance at a node (artificial cells: node -1). A density mechanism placed
  // twice at one node is one instance. `key` names the instance independently of how
  // cells are grouped (it seeds the instance's random stream); by default the
  // placement's number. Returns an id that build() resolves.
  std::int32_t place(const rv_mechanism &mechanism, std::int32_t node, std::int64_t key = -1);
  std::int32_t nodeCount() const { return static_cast<std::int32_t>(parent_.size()); }

  // Builds the group; `refs[id]` is where placement `id` went.
  CellGroup build(std::vector<InstanceRef> &refs) const;

  // The order of NEURON 8.2.2's built-in mechanism types.
  static std::vector<std::string> neuronMechanismOrder();

private:
  void appendNode(const cell::Discretisation &cell, std::size_t i, std::int32_t parent);

  struct Placement {
    std::int32_t node;
    std::int32_t id;
    std::uint64_t key;
  };
  struct Type {
    const rv_mechanism *mechanism;
    std::vector<Placement> placements;
  };
  std::vector<std::string> order_;
  std::vector<Type> types_;
  std::int32_t placements_ = 0;
  std::unordered_map<std::uint64_t, std::int32_t> densityAt_;  // (type, node) -> placement id
  std::vector<std::int32_t> parent_;
  std::vector<double> area_, a_, b_, cm_, diam_;
};

}  // namespace ranvier::sim
