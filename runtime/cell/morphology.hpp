#pragma once
// A cell's shape as the user describes it: unbranched sections, each attached by one
// of its ends (the 0 end unless said otherwise) to a point of its parent, with either L and diam or 3-D points. This is what
// model files and SWC import produce and what discretisation consumes.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ranvier::cell {

struct Point3 {
  double x = 0, y = 0, z = 0, diam = 0;  // um
};

struct Section {
  std::string name;    // "soma", "dend[3]", ...
  std::string region;  // "soma", "axon", "dend", "apic" or a user region
  int parent = -1;     // index into Morphology::sections; -1 for the root
  double parentX = 1;  // where on the parent it attaches
  int attachedEnd = 0; // which of its ends attaches there: 0, or 1 (NEURON's connect child(1), parent(x))
  double L = 100;      // um (NEURON's defaults)
  double diam = 500;   // um
  int nseg = 1;
  double Ra = 35.4;    // ohm cm
  double cm = 1;       // uF/cm2
  std::vector<Point3> points;  // when not empty, they define L and the diameters
};

struct Morphology {
  std::vector<Section> sections;
  std::optional<int> find(std::string_view name) const;
};

// The length of a section: L, or the arc length of its 3-D points.
double sectionLength(const Section &section);

}  // namespace ranvier::cell
