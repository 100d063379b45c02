#include "cell/discretisation.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include "cell/section_geometry.hpp"

namespace ranvier::cell {

std::optional<int> Morphology::find(std::string_view name) const {
  for (std::size_t i = 0; i < sections.size(); ++i) {
    if (sections[i].name == name) return static_cast<int>(i);
  }
  return std::nullopt;
}

std::int32_t segmentIndex(std::int32_t nseg, double x) {
  const auto i = static_cast<std::int32_t>(static_cast<double>(nseg) * x);
  return i >= nseg ? nseg - 1 : i;
}

std::int32_t Discretisation::nodeAt(std::int32_t s, double xAt) const {
  const SectionNodes &n = sections.at(static_cast<std::size_t>(s));
  if (xAt <= 0) return n.start;
  if (xAt >= 1) return n.end;
  return n.segment(segmentIndex(n.nseg, xAt));
}

std::int32_t Discretisation::segmentAt(std::int32_t s, double xAt) const {
  const SectionNodes &n = sections.at(static_cast<std::size_t>(s));
  return n.segment(segmentIndex(n.nseg, std::clamp(xAt, 0.0, 1.0)));
}

namespace {

void validate(const Morphology &m) {
  if (m.sections.empty()) throw MorphologyError("a cell needs at least one section");
  int roots = 0;
  for (const Section &s : m.sections) {
    const std::string where = "section " + s.name + ": ";
    if (s.nseg < 1) throw MorphologyError(where + "nseg must be at least 1");
    if (!(s.Ra > 0)) throw MorphologyError(where + "Ra must be positive");
    if (!(s.cm >= 0)) throw MorphologyError(where + "cm must not be negative");
    if (s.points.empty()) {
      if (!(s.L > 0)) throw MorphologyError(where + "L must be positive");
      if (!(s.diam > 0)) throw MorphologyError(where + "diam must be positive");
    } else if (s.points.size() < 2) {
      throw MorphologyError(where + "3-D points define a section only from two points on");
    }
    if (s.parent < 0) {
      ++roots;
    } else if (s.parent >= static_cast<int>(m.sections.size())) {
      throw MorphologyError(where + "its parent does not exist");
    }
    if (!(s.parentX >= 0 && s.parentX <= 1)) throw MorphologyError(where + "the parent position must lie in [0, 1]");
    if (s.attachedEnd != 0 && s.attachedEnd != 1) throw MorphologyError(where + "the attached end must be 0 or 1");
    if (s.attachedEnd == 1 && s.parent < 0) throw MorphologyError(where + "a root section has no parent to attach its 1 end to");
  }
  if (roots == 0) throw MorphologyError("no root section (one without a parent): the sections' parents form a cycle");
}

// Sections in an order where every parent comes before its children (breadth first
// from the roots, children in declaration order). Throws on a cycle. Several roots
// make several trees in one system (NEURON allows that too).
std::vector<int> topologicalOrder(const Morphology &m) {
  std::vector<std::vector<int>> children(m.sections.size());
  std::vector<int> order;
  for (std::size_t i = 0; i < m.sections.size(); ++i) {
    if (m.sections[i].parent < 0) order.push_back(static_cast<int>(i));
    else children[static_cast<std::size_t>(m.sections[i].parent)].push_back(static_cast<int>(i));
  }
  for (std::size_t k = 0; k < order.size(); ++k) {
    for (int c : children[static_cast<std::size_t>(order[k])]) order.push_back(c);
  }
  if (order.size() != m.sections.size()) throw MorphologyError("the sections' parents form a cycle");
  return order;
}

}  // namespace

Discretisation discretise(const Morphology &m) {
  validate(m);
  const std::vector<int> order = topologicalOrder(m);
  Discretisation d;
  d.sections.resize(m.sections.size());
  std::vector<double> rinv;  // NEURON's NODERINV: 1/megohm to the parent

  auto addNode = [&](std::int32_t parent, double area, double r, double cm, double diam, double distance, int s, double x) {
    d.parent.push_back(parent);
    d.area.push_back(area);
    rinv.push_back(r);
    d.cm.push_back(cm);
    d.diam.push_back(diam);
    d.distance.push_back(distance);
    d.section.push_back(s);
    d.x.push_back(x);
    return static_cast<std::int32_t>(d.parent.size() - 1);
  };
  // Distance along the tree from the middle of the root section to a point of section
  // s, given as the fraction of its length from its attached end (for the root, x).
  std::vector<double> startDistance(m.sections.size(), 0.0);  // at the attached end
  auto distanceAt = [&](int s, double fromAttached) {
    const double length = d.sections[static_cast<std::size_t>(s)].length;
    if (m.sections[static_cast<std::size_t>(s)].parent < 0) return std::abs(fromAttached - 0.5) * length;
    return startDistance[static_cast<std::size_t>(s)] + fromAttached * length;
  };

  for (int s : order) {
    const Section &sec = m.sections[static_cast<std::size_t>(s)];
    const SectionGeometry geometry = segmentGeometry(sec);
    auto &nodes = d.sections[static_cast<std::size_t>(s)];
    nodes.nseg = sec.nseg;
    nodes.length = geometry.length;
    nodes.reversed = sec.attachedEnd == 1;
    std::int32_t attached = 0;
    if (sec.parent < 0) {
      attached = addNode(-1, kZeroAreaNodeArea, 0.0, 0.0, geometry.diam.front(), 0.5 * geometry.length, s, 0.0);
    } else {
      attached = d.nodeAt(sec.parent, sec.parentX);
      // NEURON's distance() measures to the node a section hangs from (topol_distance),
      // the centre of the parent's segment holding parentX, not to parentX itself.
      startDistance[static_cast<std::size_t>(s)] = d.distance[static_cast<std::size_t>(attached)];
    }
    // Node k counts from the attached end, and so does the geometry: NEURON's 3-D points
    // start at the end a section attaches by (point 0 is at x = 1 when that is its 1
    // end), so a section's nodes, areas and resistances do not depend on which end it
    // is attached by; only their positions x do.
    std::int32_t previous = attached;
    for (int k = 0; k < sec.nseg; ++k) {
      const auto ks = static_cast<std::size_t>(k);
      const double fromAttached = (k + 0.5) / sec.nseg;
      const double x = nodes.reversed ? (sec.nseg - 1 - k + 0.5) / sec.nseg : fromAttached;  // segment centres as users see them
      const std::int32_t node =
          addNode(previous, geometry.area[ks], geometry.rinv[ks], sec.cm, geometry.diam[ks], distanceAt(s, fromAttached), s, x);
      if (k == 0) nodes.first = node;
      previous = node;
    }
    const double freeX = nodes.reversed ? 0.0 : 1.0;
    const std::int32_t free =
        addNode(previous, kZeroAreaNodeArea, geometry.rinv.back(), 0.0, geometry.diam.back(), distanceAt(s, 1.0), s, freeX);
    nodes.start = nodes.reversed ? free : attached;
    nodes.end = nodes.reversed ? attached : free;
  }

  // connection_coef: how a node's and its parent's equations couple (NEURON's units:
  // 1e2 * uS / um2 = mA/cm2 per mV; at zero-area nodes, uS).
  d.a.assign(d.size(), 0.0);
  d.b.assign(d.size(), 0.0);
  for (std::size_t i = 0; i < d.size(); ++i) {
    if (d.parent[i] < 0) continue;
    d.a[i] = -1e2 * rinv[i] / d.area[static_cast<std::size_t>(d.parent[i])];
    d.b[i] = -1e2 * rinv[i] / d.area[i];
  }
  return d;
}

}  // namespace ranvier::cell
