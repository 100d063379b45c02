// Discretisation and SWC import against NEURON 8.2.2 (tests/golden/geometry, made by
// scripts/neuron/reference_geometry.py): every segment's area and the coupling
// coefficients a and b of every node, for cylinders, 3-D points and four SWC files.
#include <cmath>
#include <fstream>
#include <map>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cell/discretisation.hpp"
#include "cell/swc.hpp"
#include "golden_csv.hpp"

namespace ranvier::cell {
namespace {

using nlohmann::json;

json load(const std::string &name) {
  std::ifstream in(test::sourceDir() + "/tests/golden/geometry/" + name);
  return json::parse(in);
}

double relative(double a, double b) { return std::abs(a - b) / std::max({std::abs(a), std::abs(b), 1e-300}); }

// Compares every node NEURON reports with ours. Sections in `skip` (not supported:
// attached by their 1 end, or rallbranch != 1 for their first node) are left out.
void compareNodes(const json &golden, const Morphology &m, const Discretisation &d, const std::set<std::string> &skip,
                  const std::set<std::string> &skipFirstA) {
  int compared = 0;
  for (const json &seg : golden["segments"]) {
    const std::string name = seg["section"];
    if (skip.count(name)) continue;
    const auto s = m.find(name);
    ASSERT_TRUE(s) << name;
    const double x = seg["x"];
    const std::int32_t node = d.nodeAt(*s, x);
    SCOPED_TRACE(name + "(" + std::to_string(x) + ")");
    if (x > 0 && x < 1) {
      EXPECT_LE(relative(d.area[static_cast<std::size_t>(node)], seg["area"]), 1e-13) << d.area[static_cast<std::size_t>(node)] << " vs " << seg["area"];
    }
    if (x == 0) continue;  // the 0 end is the parent's node (or the root): its a and b belong to others
    const bool firstNode = node == d.sections[static_cast<std::size_t>(*s)].first;
    if (!(firstNode && skipFirstA.count(name))) {
      EXPECT_LE(relative(d.a[static_cast<std::size_t>(node)], seg["a"]), 1e-13) << d.a[static_cast<std::size_t>(node)] << " vs " << seg["a"];
    }
    EXPECT_LE(relative(d.b[static_cast<std::size_t>(node)], seg["b"]), 1e-13) << d.b[static_cast<std::size_t>(node)] << " vs " << seg["b"];
    ++compared;
  }
  EXPECT_GT(compared, 3);
}

// Sections as NEURON had them (cylinders or 3-D points), minus those in `skip`.
Morphology fromJson(const json &golden, std::set<std::string> &skip, std::set<std::string> &skipFirstA) {
  std::map<std::string, double> diam;
  for (const json &seg : golden["segments"]) {
    const double x = seg["x"];
    if (x > 0 && x < 1) diam[seg["section"]] = seg["diam"];
  }
  Morphology m;
  for (const json &s : golden["sections"]) {
    const std::string name = s["name"];
    const bool parentSkipped = !s["parent"].is_null() && skip.count(s["parent"].get<std::string>());
    if (s["x_child_end"].get<double>() != 0 || parentSkipped) {
      skip.insert(name);
      continue;
    }
    if (s["rallbranch"].get<double>() != 1) skipFirstA.insert(name);
    Section sec;
    sec.name = name;
    sec.nseg = s["nseg"];
    sec.L = s["L"];
    sec.Ra = s["Ra"];
    sec.cm = s["cm"];
    sec.diam = diam[name];
    for (const json &p : s["pt3d"]) sec.points.push_back({p[0], p[1], p[2], p[3]});
    if (!s["parent"].is_null()) {
      sec.parent = *m.find(s["parent"].get<std::string>());
      sec.parentX = s["parent_x"];
    }
    m.sections.push_back(sec);
  }
  return m;
}

TEST(GeometryGolden, CylindersAndThreeDPointsMatchNeuron) {
  for (const char *file : {"cables.json", "pt3d.json"}) {
    SCOPED_TRACE(file);
    const json golden = load(file);
    std::set<std::string> skip, skipFirstA;
    const Morphology m = fromJson(golden, skip, skipFirstA);
    compareNodes(golden, m, discretise(m), skip, skipFirstA);
  }
}

// Our SWC import against NEURON's Import3d: the same sections, parents, attachment
// points, 3-D points and therefore the same nodes.
TEST(GeometryGolden, SwcImportMatchesNeuron) {
  for (const char *name : {"swc_one_point_soma", "swc_three_point_soma", "swc_contour_soma", "swc_cylinder_soma", "swc_three_point_soma_dlambda"}) {
    SCOPED_TRACE(name);
    const json golden = load(std::string(name) + ".json");
    const std::string swc = golden["swc_file"];
    Morphology m = readSwc(test::sourceDir() + "/tests/golden/geometry/" + std::filesystem::path(swc).filename().string());
    ASSERT_EQ(m.sections.size(), golden["sections"].size());
    for (const json &s : golden["sections"]) {
      const std::string sname = s["name"];
      const auto index = m.find(sname);
      ASSERT_TRUE(index) << sname;
      Section &sec = m.sections[static_cast<std::size_t>(*index)];
      SCOPED_TRACE(sname);
      if (s["parent"].is_null()) {
        EXPECT_EQ(sec.parent, -1);
      } else {
        ASSERT_GE(sec.parent, 0);
        EXPECT_EQ(m.sections[static_cast<std::size_t>(sec.parent)].name, s["parent"].get<std::string>());
        EXPECT_EQ(sec.parentX, s["parent_x"].get<double>());
      }
      ASSERT_EQ(sec.points.size(), s["pt3d"].size());
      for (std::size_t i = 0; i < sec.points.size(); ++i) {
        const json &p = s["pt3d"][i];
        EXPECT_EQ(sec.points[i].x, p[0].get<double>()) << i;
        EXPECT_EQ(sec.points[i].y, p[1].get<double>()) << i;
        EXPECT_EQ(sec.points[i].z, p[2].get<double>()) << i;
        EXPECT_EQ(sec.points[i].diam, p[3].get<double>()) << i;
      }
      EXPECT_EQ(sectionLength(sec), s["L"].get<double>());
      sec.nseg = s["nseg"];
      sec.Ra = s["Ra"];
      sec.cm = s["cm"];
    }
    compareNodes(golden, m, discretise(m), {}, {});
  }
}

TEST(Discretisation, NodesComeAfterTheirParentsAndEndsHaveNoMembrane) {
  Morphology m;
  m.sections.push_back(Section{.name = "soma", .region = "soma", .L = 20, .diam = 20, .nseg = 3});
  m.sections.push_back(Section{.name = "dend", .region = "dend", .parent = 0, .parentX = 0.5, .L = 100, .diam = 1, .nseg = 5});
  const Discretisation d = discretise(m);
  ASSERT_EQ(d.size(), 1u + 3 + 1 + 5 + 1);
  for (std::size_t i = 0; i < d.size(); ++i) EXPECT_LT(d.parent[i], static_cast<std::int32_t>(i));
  EXPECT_EQ(d.parent[0], -1);
  EXPECT_FALSE(d.hasMembrane(d.sections[0].start));
  EXPECT_FALSE(d.hasMembrane(d.sections[1].end));
  EXPECT_EQ(d.sections[1].start, d.sections[0].first + 1);  // soma(0.5) is the middle segment
  EXPECT_EQ(d.nodeAt(1, 0.0), d.sections[1].start);
  EXPECT_EQ(d.segmentAt(1, 1.0), d.sections[1].first + 4);
  EXPECT_EQ(segmentIndex(100, 0.57), 56);  // 0.57*100 = 56.999...: NEURON truncates
}

// NEURON's connect dend(1), soma(0.5): the section's nodes go from x = 1 to x = 0, its
// free end is at x = 0, and positions and distances are the section's own.
TEST(Discretisation, ASectionAttachedByItsOneEndRunsTheOtherWay) {
  Morphology m;
  m.sections.push_back(Section{.name = "soma", .region = "soma", .L = 20, .diam = 20, .nseg = 1});
  m.sections.push_back(Section{.name = "dend", .region = "dend", .parent = 0, .parentX = 0.5, .attachedEnd = 1, .L = 100,
                               .diam = 1, .nseg = 5});
  m.sections.push_back(Section{.name = "twig", .region = "dend", .parent = 1, .parentX = 0.3, .L = 10, .diam = 1, .nseg = 1});
  const Discretisation d = discretise(m);
  const auto &dend = d.sections[1];
  const std::int32_t somaMiddle = d.sections[0].first;
  EXPECT_TRUE(dend.reversed);
  EXPECT_EQ(dend.end, somaMiddle);  // x = 1 is where it hangs
  EXPECT_EQ(d.parent[static_cast<std::size_t>(dend.first)], somaMiddle);
  EXPECT_DOUBLE_EQ(d.x[static_cast<std::size_t>(dend.first)], 0.9);
  EXPECT_FALSE(d.hasMembrane(dend.start));  // the free end, x = 0
  EXPECT_EQ(d.x[static_cast<std::size_t>(dend.start)], 0.0);
  EXPECT_EQ(d.nodeAt(1, 0.0), dend.start);
  EXPECT_EQ(d.nodeAt(1, 1.0), somaMiddle);
  EXPECT_EQ(d.segmentAt(1, 0.95), dend.first);
  EXPECT_EQ(d.segmentAt(1, 0.05), dend.first + 4);
  EXPECT_EQ(d.segmentAt(1, 0.3), dend.segment(1));
  for (int j = 0; j < 5; ++j) {
    const auto node = static_cast<std::size_t>(dend.segment(j));
    EXPECT_DOUBLE_EQ(d.x[node], (j + 0.5) / 5) << j;
    EXPECT_DOUBLE_EQ(d.distance[node], 100 * (1 - (j + 0.5) / 5)) << j;  // the soma's middle is at 0
  }
  EXPECT_DOUBLE_EQ(d.distance[static_cast<std::size_t>(dend.start)], 100);
  // A child hanging from dend(0.3) is as far as the node there (NEURON's distance()).
  EXPECT_EQ(d.sections[2].start, dend.segment(1));
  EXPECT_DOUBLE_EQ(d.distance[static_cast<std::size_t>(d.sections[2].first)], 70 + 5);
}

TEST(Discretisation, RefusesBadShapes) {
  Morphology m;
  m.sections.push_back(Section{.name = "a", .nseg = 0});
  EXPECT_THROW(discretise(m), MorphologyError);
  m.sections[0].nseg = 1;
  m.sections.push_back(Section{.name = "b", .parent = 5});
  EXPECT_THROW(discretise(m), MorphologyError);
  m.sections[1].parent = 0;
  m.sections[1].attachedEnd = 2;
  EXPECT_THROW(discretise(m), MorphologyError);
  m.sections[1].attachedEnd = 0;
  m.sections[0].attachedEnd = 1;  // a root has nothing to attach to
  EXPECT_THROW(discretise(m), MorphologyError);
  m.sections[0].attachedEnd = 0;
  m.sections[1].parent = 1;  // its own parent: no root reaches it
  EXPECT_THROW(discretise(m), MorphologyError);
  EXPECT_THROW(discretise(Morphology{}), MorphologyError);
}

TEST(Swc, ErrorsNameTheLine) {
  try {
    parseSwc("# header\n1 1 0 0 0 5 -1\n2 3 0 10 zero 1 1\n");
    FAIL();
  } catch (const SwcError &e) {
    EXPECT_EQ(e.line(), 3);
  }
  try {
    parseSwc("1 1 0 0 0 5 -1\n2 3 0 10 0 1 7\n");
    FAIL();
  } catch (const SwcError &e) {
    EXPECT_EQ(e.line(), 2);
    EXPECT_NE(std::string(e.what()).find("parent 7"), std::string::npos);
  }
  EXPECT_THROW(parseSwc(""), SwcError);
  EXPECT_THROW(parseSwc("1 1 0 0 0 5 -1\n2 1 0 0 0 5 -1\n"), SwcError);
  EXPECT_THROW(parseSwc("1 1 0 0 0 -5 -1\n"), SwcError);
}

}  // namespace
}  // namespace ranvier::cell
