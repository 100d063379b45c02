#include "cell/section_geometry.hpp"

#include <cmath>
#include <numbers>

namespace ranvier::cell {

namespace {
constexpr double pi = std::numbers::pi;

// Megohm of a cylinder of length dx and diameter diam (um) with resistivity Ra (ohm cm).
double cylinderResistance(double Ra, double dx, double diam) { return 1e-2 * Ra * dx / (pi * diam * diam / 4.0); }

SectionGeometry cylinders(const Section &s) {
  SectionGeometry g;
  g.length = s.L;
  const double dx = s.L / s.nseg;
  double right = 0;  // resistance of the previous segment's right half
  for (int j = 0; j < s.nseg; ++j) {
    const double left = cylinderResistance(s.Ra, dx / 2, s.diam);
    g.area.push_back(pi * s.diam * dx);
    g.rinv.push_back(1.0 / (left + right));
    g.diam.push_back(s.diam);
    right = left;
  }
  g.rinv.push_back(1.0 / right);
  g.diam.push_back(s.diam);
  return g;
}
}  // namespace

// NEURON keeps 3-D points in float32 and sums arc lengths of float32 differences.
std::vector<double> arcLengths(const std::vector<Point3> &pts) {
  std::vector<double> arc{0.0};
  for (std::size_t i = 1; i < pts.size(); ++i) {
    const double t1 = static_cast<float>(pts[i].x) - static_cast<float>(pts[i - 1].x);
    const double t2 = static_cast<float>(pts[i].y) - static_cast<float>(pts[i - 1].y);
    const double t3 = static_cast<float>(pts[i].z) - static_cast<float>(pts[i - 1].z);
    arc.push_back(arc.back() + std::sqrt(t1 * t1 + t2 * t2 + t3 * t3));
  }
  return arc;
}

namespace {

// NEURON's diam_from_list (docs/neuron-discretisation.md §4.2): each half segment is
// integrated over the frusta between the 3-D points inside it: lateral area with the
// slant, resistance 4 Ra 1e-2 dx / (pi d1 d2), and the mean diameter.
SectionGeometry frusta(const Section &s) {
  SectionGeometry g;
  const std::vector<double> arc = arcLengths(s.points);
  std::vector<double> d;
  for (const Point3 &p : s.points) d.push_back(std::abs(static_cast<double>(static_cast<float>(p.diam))));
  const std::size_t last = s.points.size() - 1;
  g.length = arc[last];
  const double ds = arc[last] / s.nseg;
  std::size_t j = 0;
  double x1 = arc[0], y1 = d[0], rparent = 0, rhalf = 0;
  for (int node = 0; node < s.nseg; ++node) {
    double si = node * ds, diamSum = 0, area = 0, rleft = 0;
    for (int half = 0; half < 2; ++half) {
      double ri = 0;
      const double sip = si + ds / 2;
      for (;;) {
        const std::size_t jp = j + 1;
        double x2, y2;
        bool stay;
        if (arc[jp] > sip || jp == last) {
          const double frac = std::abs(arc[jp] - arc[j]) < 1e-10 ? 1.0 : (sip - arc[j]) / (arc[jp] - arc[j]);
          x2 = sip;
          y2 = (1 - frac) * d[j] + frac * d[jp];
          stay = true;
        } else {
          x2 = arc[jp];
          y2 = d[jp];
          j = jp;
          stay = false;
        }
        double delta = x2 - x1;
        diamSum += (y2 + y1) * delta;
        if (delta < 1e-15) delta = 1e-15;
        double temp = y2 * y1 / delta;
        if (temp == 0) temp = 1e-15;
        ri += 1 / temp;
        const double taper = 0.5 * (y2 - y1);
        area += (y2 + y1) * std::sqrt(delta * delta + taper * taper);
        x1 = x2;
        y1 = y2;
        if (stay) break;
      }
      rhalf = ri * s.Ra / pi * (4. * .01);
      if (half == 0) rleft = rhalf;
      si = sip;
    }
    g.rinv.push_back(1. / (rparent + rleft));
    g.diam.push_back(diamSum * (.5 / ds));
    g.area.push_back(area * .5 * pi);
    rparent = rhalf;
  }
  g.rinv.push_back(1. / rparent);
  g.diam.push_back(d[last]);
  return g;
}

}  // namespace

double sectionLength(const Section &s) {
  if (s.points.size() < 2) return s.L;
  return arcLengths(s.points).back();
}

SectionGeometry segmentGeometry(const Section &s) {
  if (s.points.empty()) return cylinders(s);
  return frusta(s);
}

}  // namespace ranvier::cell
