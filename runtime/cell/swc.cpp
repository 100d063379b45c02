// SWC import following NEURON 8.2.2's Import3d (read_swc.hoc, import3d_gui.hoc); the
// rules, with the source they come from, are in docs/neuron-discretisation.md §5.
#include "cell/swc.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

namespace ranvier::cell {

namespace {

struct SwcPoint {
  long id = 0, pid = -1;
  int type = 0;
  float x = 0, y = 0, z = 0, r = 0;
  int line = 0;
  int parent = -1;  // index in file order
};

// Import3d reads float32, doubles the radius, and instantiate re-prints every value
// with %.8g before pt3dadd, which stores float32 again.
double reprinted(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.8g", value);
  return static_cast<double>(static_cast<float>(std::strtod(text, nullptr)));
}

Point3 point3(const SwcPoint &p) {
  return {reprinted(p.x), reprinted(p.y), reprinted(p.z), reprinted(2.0 * static_cast<double>(p.r))};
}

std::string regionOf(int type) {
  switch (type) {
  case 1: return "soma";
  case 2: return "axon";
  case 3: return "dend";
  case 4: return "apic";
  default: return type >= 0 ? "dend_" + std::to_string(type) : "minus_" + std::to_string(-type);
  }
}

double distance(const SwcPoint &a, const SwcPoint &b) {
  const double dx = double(a.x) - b.x, dy = double(a.y) - b.y, dz = double(a.z) - b.z;
  return std::sqrt(dx * dx + dy * dy + dz * dz);
}

std::vector<SwcPoint> read(const std::string &text) {
  std::vector<SwcPoint> points;
  std::map<long, int> byId;
  std::istringstream in(text);
  std::string line;
  int lineNumber = 0;
  while (std::getline(in, line)) {
    ++lineNumber;
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    std::istringstream fields(line);
    SwcPoint p;
    p.line = lineNumber;
    double id = 0, type = 0, pid = 0;
    if (!(fields >> id >> type >> p.x >> p.y >> p.z >> p.r >> pid)) {
      throw SwcError(lineNumber, "expected 7 numbers: id type x y z radius parent");
    }
    p.id = static_cast<long>(id);
    p.type = static_cast<int>(type);
    p.pid = static_cast<long>(pid);
    if (p.r < 0) throw SwcError(lineNumber, "a negative radius");
    if (!byId.emplace(p.id, static_cast<int>(points.size())).second) throw SwcError(lineNumber, "point " + std::to_string(p.id) + " is defined twice");
    if (p.pid >= 0) {
      const auto it = byId.find(p.pid);
      if (it == byId.end()) {
        throw SwcError(lineNumber, "parent " + std::to_string(p.pid) + " of point " + std::to_string(p.id) + " is not defined before it",
                       "NEURON's reader needs every parent before its children");
      }
      p.parent = it->second;
    } else if (!points.empty()) {
      throw SwcError(lineNumber, "a second root point (parent -1); one cell per file");
    }
    points.push_back(p);
  }
  if (points.empty()) throw SwcError(0, "the file holds no points");
  if (points.front().parent != -1) throw SwcError(points.front().line, "the first point must be the root (parent -1)");
  return points;
}

}  // namespace

Morphology parseSwc(const std::string &text) {
  std::vector<SwcPoint> pts = read(text);
  const int n = static_cast<int>(pts.size());
  auto childrenOf = [&](int p) {
    std::vector<int> out;
    for (int i = p + 1; i < n; ++i) {
      if (pts[static_cast<std::size_t>(i)].parent == p) out.push_back(i);
    }
    return out;
  };
  auto type = [&](int i) { return pts[static_cast<std::size_t>(i)].type; };

  // NeuroMorpho's 3-point soma: three type-1 points, 1 and 2 children of 0 without
  // children, equal diameters, and |p1-p0| + |p2-p0| = d0 within 1 %: a one-point soma.
  bool threePointSoma = false;
  if (n >= 3 && type(0) == 1 && type(1) == 1 && type(2) == 1 && pts[1].parent == 0 && pts[2].parent == 0 &&
      childrenOf(1).empty() && childrenOf(2).empty() && pts[0].r == pts[1].r && pts[1].r == pts[2].r &&
      (n < 4 || type(3) != 1 || pts[3].parent != 0)) {
    const double ratio = (distance(pts[1], pts[0]) + distance(pts[2], pts[0])) / (2.0 * pts[0].r);
    threePointSoma = std::abs(ratio - 1.0) <= 0.01;
  }
  std::vector<bool> dropped(static_cast<std::size_t>(n), false);
  if (threePointSoma) dropped[1] = dropped[2] = true;

  // Which points end a section (nchild != 1 in read_swc.hoc).
  std::vector<double> nchild(static_cast<std::size_t>(n), 0.0);
  std::vector<bool> toProximal(static_cast<std::size_t>(n), false);
  for (int i = 1; i < n; ++i) {
    if (dropped[static_cast<std::size_t>(i)]) continue;
    const int p = pts[static_cast<std::size_t>(i)].parent;
    nchild[static_cast<std::size_t>(p)] += 1;
    if (i != p + 1) nchild[static_cast<std::size_t>(p)] += 0.01;
    if (type(i) != type(p)) nchild[static_cast<std::size_t>(p)] += 0.01;
  }
  for (int i = 1; i < n; ++i) {
    if (dropped[static_cast<std::size_t>(i)]) continue;
    const int p = pts[static_cast<std::size_t>(i)].parent;
    if (i == p + 1) continue;
    const bool branchOffSomaChild = p > 1 && type(p) != 1 && pts[static_cast<std::size_t>(p)].parent >= 0 && type(pts[static_cast<std::size_t>(p)].parent) == 1;
    if (branchOffSomaChild || (p == 0 && type(0) != 1)) {
      nchild[static_cast<std::size_t>(p)] = 1;
      toProximal[static_cast<std::size_t>(i)] = true;
    }
  }
  for (int i = 0; i + 1 < n; ++i) {
    if (type(i) != 1 || type(i + 1) != 1 || pts[static_cast<std::size_t>(i + 1)].parent != i || dropped[static_cast<std::size_t>(i + 1)]) continue;
    int somaChildren = 0;
    for (int c : childrenOf(i)) somaChildren += type(c) == 1;
    if (i == 0 || somaChildren <= 1) nchild[static_cast<std::size_t>(i)] = 1;
  }

  // Sections: maximal runs of consecutive lines, each ending at a point with nchild != 1.
  struct Run {
    std::vector<int> points;
  };
  std::vector<Run> runs;
  std::vector<int> sectionOfPoint(static_cast<std::size_t>(n), -1);
  Run current;
  for (int i = 0; i < n; ++i) {
    if (dropped[static_cast<std::size_t>(i)]) continue;
    current.points.push_back(i);
    sectionOfPoint[static_cast<std::size_t>(i)] = static_cast<int>(runs.size());
    if (nchild[static_cast<std::size_t>(i)] != 1 || i == n - 1) {
      runs.push_back(std::move(current));
      current = Run{};
    }
  }
  if (!current.points.empty()) runs.push_back(std::move(current));

  const bool onePointSoma = type(0) == 1 && runs[0].points.size() == 1;
  Morphology m;
  std::map<int, int> counts;
  std::vector<int> sectionIndex(runs.size(), -1);  // run -> index in m.sections (-1: removed)
  std::vector<std::pair<int, double>> attachedAt(runs.size());  // where a removed run hung
  for (std::size_t k = 0; k < runs.size(); ++k) {
    const Run &run = runs[k];
    const int first = run.points.front();
    Section s;
    s.region = regionOf(type(first));
    s.name = s.region + "[" + std::to_string(counts[type(first)]++) + "]";
    if (k == 0) {
      if (onePointSoma) {
        const Point3 c = point3(pts[static_cast<std::size_t>(first)]);
        s.points = {{c.x - c.diam / 2, c.y, c.z, c.diam}, c, {c.x + c.diam / 2, c.y, c.z, c.diam}};
        for (Point3 &p : s.points) p = {reprinted(p.x), reprinted(p.y), reprinted(p.z), reprinted(p.diam)};
      } else {
        for (int i : run.points) s.points.push_back(point3(pts[static_cast<std::size_t>(i)]));
      }
      sectionIndex[k] = 0;
      m.sections.push_back(std::move(s));
      continue;
    }
    const int pp = pts[static_cast<std::size_t>(first)].parent;
    const int parentRun = sectionOfPoint[static_cast<std::size_t>(pp)];
    const Run &parent = runs[static_cast<std::size_t>(parentRun)];
    const bool childIsSoma = type(first) == 1;
    const bool parentIsSoma = type(parent.points.front()) == 1;
    const int own = static_cast<int>(run.points.size());
    int typeOneChildren = 0;
    for (int c : childrenOf(pp)) typeOneChildren += type(c) == 1;
    double parentX = 1;
    bool wired = false;
    if (toProximal[static_cast<std::size_t>(first)]) {
      parentX = 0;
    } else if (parentRun == 0 && !childIsSoma && onePointSoma) {
      parentX = 0.5;
      wired = own >= 2;
    } else if (parentRun == 0 && pp == parent.points.front() && parent.points.size() > 1) {
      parentX = 0;
      wired = !childIsSoma && typeOneChildren > 1;
    } else if (parentIsSoma) {
      if (pp != parent.points.back()) {
        parentX = 0.5;
        wired = !childIsSoma && own >= 2;
      } else {
        parentX = 1;
        wired = !childIsSoma && own >= 2 && typeOneChildren > 1;
      }
    }
    if (!wired) {
      Point3 copy = point3(pts[static_cast<std::size_t>(pp)]);
      if (parentIsSoma && !childIsSoma) copy.diam = point3(pts[static_cast<std::size_t>(first)]).diam;
      s.points.push_back(copy);
    }
    for (int i : run.points) s.points.push_back(point3(pts[static_cast<std::size_t>(i)]));
    // A section left with one point, or two identical ones, is removed (chk_valid); its
    // children hang where it hung.
    int parentSection = sectionIndex[static_cast<std::size_t>(parentRun)];
    if (parentSection < 0) {
      parentSection = attachedAt[static_cast<std::size_t>(parentRun)].first;
      parentX = attachedAt[static_cast<std::size_t>(parentRun)].second;
    }
    const bool degenerate = s.points.size() < 2 || (s.points.size() == 2 && s.points[0].x == s.points[1].x &&
                                                    s.points[0].y == s.points[1].y && s.points[0].z == s.points[1].z &&
                                                    s.points[0].diam == s.points[1].diam);
    if (degenerate) {
      attachedAt[k] = {parentSection, parentX};
      --counts[type(first)];
      continue;
    }
    s.parent = parentSection;
    s.parentX = parentX;
    sectionIndex[k] = static_cast<int>(m.sections.size());
    m.sections.push_back(std::move(s));
  }
  return m;
}

Morphology readSwc(const std::filesystem::path &file) {
  std::ifstream in(file);
  if (!in) throw SwcError(0, "cannot read the SWC file " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  return parseSwc(text.str());
}

}  // namespace ranvier::cell
