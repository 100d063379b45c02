#pragma once
// Per-segment membrane area and axial resistance of one section, as NEURON's
// nrn_area_ri computes them from L and diam, or from 3-D points.
#include <vector>
#include "cell/morphology.hpp"

namespace ranvier::cell {

struct SectionGeometry {
  double length = 0;          // um
  std::vector<double> area;   // per segment, um2
  // 1/megohm between each segment centre and the previous node (segment 0: the 0 end);
  // one more entry: the last centre to the 1 end.
  std::vector<double> rinv;
  std::vector<double> diam;   // per segment, um; one more entry: at the 1 end
};

SectionGeometry segmentGeometry(const Section &section);

// Arc length at each 3-D point, as NEURON computes it (float32 coordinate differences).
std::vector<double> arcLengths(const std::vector<Point3> &points);

}  // namespace ranvier::cell
