#pragma once
// NEURON's discretisation of a morphology (treeset.cpp): each section gets a node at
// the centre of each of its nseg segments and a zero-area node at its 1 end; its 0 end
// is the parent's node where it attaches (a root section gets a zero-area root node).
// Segment areas and the axial conductances between neighbouring nodes are computed as
// NEURON computes them, so the tridiagonal tree system is NEURON's.
//
// Nodes are numbered in Hines order (every node after its parent) with sections in
// topological order and a section's nodes in increasing x: the order the tree solve
// and the mechanism instances use.
#include <cstdint>
#include <stdexcept>
#include <vector>
#include "cell/morphology.hpp"

namespace ranvier::cell {

class MorphologyError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// NEURON gives the nodes without membrane (section ends) this area, in units that make
// a current there count in nA and a conductance in uS.
inline constexpr double kZeroAreaNodeArea = 100.0;

struct Discretisation {
  // Per node, in Hines order.
  std::vector<std::int32_t> parent;  // -1 for the root
  std::vector<double> area;          // um2 (kZeroAreaNodeArea for section ends)
  std::vector<double> a;             // coefficient of this node in its parent's row (NEURON's NODEA)
  std::vector<double> b;             // coefficient of the parent in this node's row (NODEB)
  std::vector<double> cm;            // uF/cm2; 0 for nodes without membrane
  std::vector<double> diam;          // um
  std::vector<double> distance;      // um along the tree from the root section's middle
  std::vector<std::int32_t> section;  // the section a node belongs to (root node: the root section)
  std::vector<double> x;              // its position in that section

  struct SectionNodes {
    std::int32_t start = 0;   // node at x = 0 (the parent's node, or the root node)
    std::int32_t first = 0;   // centre of segment 0; segment j is first + j
    std::int32_t end = 0;     // node at x = 1
    std::int32_t nseg = 1;
    double length = 0;        // um
  };
  std::vector<SectionNodes> sections;

  std::size_t size() const { return parent.size(); }
  bool hasMembrane(std::int32_t node) const { return cm[static_cast<std::size_t>(node)] > 0; }
  // The node at x as NEURON's node_exact finds it (point processes, v): x = 0 and 1 are
  // the end nodes, anything else the centre of the segment holding x.
  std::int32_t nodeAt(std::int32_t section, double x) const;
  // The segment holding x (density mechanisms: never an end node).
  std::int32_t segmentAt(std::int32_t section, double x) const;
};

// Throws MorphologyError for a shape NEURON would refuse (nseg < 1, a non-positive
// length or diameter, a parent that does not exist or a cycle).
Discretisation discretise(const Morphology &morphology);

// NEURON's segment index for x in a section of nseg segments (node_index): floor(nseg*x),
// with x = 1 in the last segment.
std::int32_t segmentIndex(std::int32_t nseg, double x);

}  // namespace ranvier::cell
