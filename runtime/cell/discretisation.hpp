#pragma once
// NEURON's discretisation of a morphology (treeset.cpp): each section gets a node at
// the centre of each of its nseg segments and a zero-area node at its free end (the 1
// end, or the 0 end for a section attached by its 1 end); the attached end is the
// parent's node where it attaches (a root section gets a zero-area root node at x = 0).
// Segment areas and the axial conductances between neighbouring nodes are computed as
// NEURON computes them, so the tridiagonal tree system is NEURON's.
//
// Nodes are numbered in Hines order (every node after its parent) with sections in
// topological order and a section's nodes going away from its parent (increasing x,
// or decreasing for a section attached by its 1 end): the order the tree solve and the
// mechanism instances use. Positions x are always the section's own (0 at its 0 end).
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
    std::int32_t start = 0;   // node at x = 0 (the parent's node, the root node, or the free end)
    std::int32_t first = 0;   // the lowest-numbered segment centre (next to the parent)
    std::int32_t end = 0;     // node at x = 1 (the free end, or the parent's node)
    std::int32_t nseg = 1;
    double length = 0;        // um
    bool reversed = false;    // attached by its 1 end: segment centres numbered from x = 1

    // The node at the centre of segment j (j = 0 holds x = 0).
    std::int32_t segment(std::int32_t j) const { return reversed ? first + (nseg - 1 - j) : first + j; }
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
