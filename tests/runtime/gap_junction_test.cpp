// [[gap_junction]] entries: pairs of cells by a rule, a Gap on each side reading the other
// side's v. Against NEURON 8.2.2 (tests/golden/pointer/gapnet.csv, built by
// scripts/neuron/reference_pointer.py with the rule's documented algorithm), then the
// rules' pairs, what an entry becomes, and bad entries.
#include <filesystem>
#include <fstream>
#include <set>
#include <unistd.h>

#include <gtest/gtest.h>

#include "model_text_test.hpp"

#include "expect_model_error.hpp"
#include "golden_differences.hpp"
#include "model/connection_rules.hpp"
#include "model/gap_junctions.hpp"
#include "sweep/sweep_runner.hpp"

namespace ranvier {
namespace {

TEST(GapJunctions, ARandomGapNetworkEqualsNeuron) {
  const model::Model m = model::loadModel(test::sourceDir() + "/tests/golden/pointer/gapnet.toml");
  EXPECT_EQ(m.points.size(), 1u + 2 * 23);  // the stimulus, and 23 pairs (NEURON's generator lists them)
  for (int threads : {1, 2}) {  // with 2, junctions between the threads read copies of v
    const auto d = test::worstDifferences(m, 50, "tests/golden/pointer/gapnet.csv", threads);
    ASSERT_EQ(d.size(), 4u);
    for (const auto &[label, worst] : d) EXPECT_LT(worst, 1e-9) << label << ", " << threads << " thread(s)";
  }
}

// A sweep varies a parameter of every junction of an entry at once ("gj0.g": the entry
// has no name, so it is gj0): coupled, cell 3 fires, and its highest v is the file run's
// to the bit; uncoupled, it stays at rest.
TEST(GapJunctions, ASweepVariesEveryJunctionOfAnEntry) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("ranvier-gj-sweep-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::filesystem::copy_file(test::sourceDir() + "/tests/golden/pointer/gapnet.toml", dir / "gapnet.toml");
  std::ofstream(dir / "sets.csv") << "gj0.g\n0\n0.01\n";
  std::ofstream(dir / "sweep.toml") << "model = \"gapnet.toml\"\ntstop = 50\ndt = 0.025\ntransient = 0\nsets = \"sets.csv\"\n"
                                    << "[measures]\nthreshold = 0\ncalcium = \"hh.m\"\nat = \"net[3].soma(0.5)\"\n";
  const sweep::Spec spec = sweep::loadSpec(dir / "sweep.toml");
  const model::Model base = model::loadModel(spec.model);
  tool::JitCatalogue mechanisms(base.mechanismPaths, jit::JitOptions{});
  sweep::Runner runner(spec, mechanisms);
  const model::Model chunk = runner.chunkModel(0, 2);
  std::size_t set[2] = {0, 0};
  for (const model::PointSpec &p : chunk.points) {
    if (p.mechanism != "Gap") continue;
    ASSERT_EQ(p.parameters.size(), 1u) << p.name;
    const double g = p.parameters[0].values.at(0).number;
    EXPECT_TRUE(g == 0 || g == 0.01) << p.name << ": " << g;
    ++set[g == 0 ? 0 : 1];
  }
  EXPECT_EQ(set[0], 46u);
  EXPECT_EQ(set[1], 46u);
  const auto measures = runner.run(0, 2);
  ASSERT_EQ(measures.size(), 2u);
  const auto alone = test::simulateModel(base, mechanisms);  // columns t, v0, v3, v7, v11
  double highest = -1e9;
  for (const auto &row : alone) highest = std::max(highest, row[2]);
  EXPECT_EQ(measures[1].vMax, highest);
  EXPECT_GT(highest, 0);
  EXPECT_LT(measures[0].vMax, -60);
  std::filesystem::remove_all(dir);
}

using Pairs = std::vector<std::pair<int, int>>;

Pairs pairs(model::GapRule rule, int n, double p = 0, std::uint64_t seed = 1) { return model::gapJunctionPairs(rule, n, p, seed, {}, {}); }

TEST(GapJunctions, RulesMakeTheirPairs) {
  EXPECT_EQ(pairs(model::GapRule::Ring, 4), (Pairs{{0, 1}, {1, 2}, {2, 3}, {3, 0}}));
  EXPECT_EQ(pairs(model::GapRule::Chain, 4), (Pairs{{0, 1}, {1, 2}, {2, 3}}));
  EXPECT_EQ(pairs(model::GapRule::AllToAll, 4), (Pairs{{0, 1}, {0, 2}, {0, 3}, {1, 2}, {1, 3}, {2, 3}}));
  EXPECT_TRUE(pairs(model::GapRule::FixedProbability, 50, 0.0).empty());
  EXPECT_EQ(pairs(model::GapRule::FixedProbability, 50, 1.0), pairs(model::GapRule::AllToAll, 50));
  // about p of the n(n-1)/2 pairs, each once, i < j; the same for the same seed only
  const Pairs some = pairs(model::GapRule::FixedProbability, 200, 0.1, 7);
  EXPECT_NEAR(static_cast<double>(some.size()), 0.1 * 200 * 199 / 2, 4 * std::sqrt(0.1 * 0.9 * 200 * 199 / 2));
  const std::set<std::pair<int, int>> distinct(some.begin(), some.end());
  EXPECT_EQ(distinct.size(), some.size());
  for (const auto &[i, j] : some) EXPECT_LT(i, j);
  EXPECT_EQ(some, pairs(model::GapRule::FixedProbability, 200, 0.1, 7));
  EXPECT_NE(some, pairs(model::GapRule::FixedProbability, 200, 0.1, 8));
}

class GapJunctionEntries : public test::ModelTextTest {
protected:
  GapJunctionEntries() : ModelTextTest("ranvier-gj") {}
  model::Model load(const std::string &entry) { return ModelTextTest::load(kHead + entry, "m.toml"); }
  // 10 lines; the entry starts on line 11
  inline static const std::string kHead =
      "[simulation]\ntstop = 5\n[cell.hh]\nsections = [{ name = \"soma\", L = 20, diam = 20 }]\ninsert = [{ mechanism = \"hh\" }]\n"
      "[population.fs]\ncell = \"hh\"\ncount = 5\n[population.stims]\nmechanism = \"NetStim\"\n";
};

TEST_F(GapJunctionEntries, AnEntryBecomesAPointAndAPointerOnEachSide) {
  const model::Model m = load("[[gap_junction]]\nname = \"gj\"\nmechanism = \"Gap\"\npointer = \"vgap\"\ncells = [\"fs[3:5]\", \"fs[0]\"]\nat = \"soma(0.5)\"\n"
                              "rule = \"chain\"\ng = 0.02\n");
  ASSERT_EQ(m.points.size(), 4u);  // pairs (fs[3], fs[4]) and (fs[4], fs[0])
  const std::pair<const char *, const char *> expected[] = {
      {"gj_0a", "fs[3].soma(0.5)"}, {"gj_0b", "fs[4].soma(0.5)"}, {"gj_1a", "fs[4].soma(0.5)"}, {"gj_1b", "fs[0].soma(0.5)"}};
  const char *targets[] = {"fs[4].soma(0.5)", "fs[3].soma(0.5)", "fs[0].soma(0.5)", "fs[4].soma(0.5)"};
  for (std::size_t k = 0; k < 4; ++k) {
    EXPECT_EQ(m.points[k].name, expected[k].first);
    EXPECT_EQ(m.points[k].mechanism, "Gap");
    ASSERT_TRUE(m.points[k].location);
    EXPECT_EQ(m.points[k].location->text, expected[k].second);
    ASSERT_EQ(m.points[k].parameters.size(), 1u);
    EXPECT_EQ(m.points[k].parameters[0].name, "g");
    EXPECT_EQ(m.pointers[k].pointer, std::string(expected[k].first) + ".vgap");
    EXPECT_EQ(m.pointers[k].target, "v");
    ASSERT_TRUE(m.pointers[k].targetLocation);
    EXPECT_EQ(m.pointers[k].targetLocation->text, targets[k]);
    EXPECT_EQ(m.pointers[k].targetLocation->population, "fs");
  }
}

// A parameter given as a distribution is drawn for each junction, the same on its two
// sides: junction k from the stream of index n + k (n cells), as docs/model-files.md says.
TEST_F(GapJunctionEntries, AParameterDrawnPerJunction) {
  const model::Model m = load("[[gap_junction]]\nmechanism = \"Gap\"\npointer = \"vgap\"\ncells = \"fs\"\nat = \"soma(0.5)\"\nrule = \"chain\"\nseed = 9\n"
                              "g = { distribution = \"uniform\", low = 0.001, high = 0.003 }\n");
  ASSERT_EQ(m.points.size(), 8u);
  std::set<double> values;
  for (std::size_t k = 0; k < 4; ++k) {
    model::RandomStream stream(9, 5 + k);
    const double expected = 0.001 + 0.002 * stream.uniform01();
    for (std::size_t side = 0; side < 2; ++side) {
      const model::PointSpec &p = m.points[2 * k + side];
      ASSERT_EQ(p.parameters.size(), 1u) << p.name;
      EXPECT_EQ(p.parameters[0].name, "g");
      EXPECT_EQ(p.parameters[0].values.at(0).number, expected) << p.name;
    }
    values.insert(expected);
  }
  EXPECT_EQ(values.size(), 4u);
  test::expectModelError([this] { (void)load("[[gap_junction]]\nmechanism = \"Gap\"\npointer = \"vgap\"\ncells = \"fs\"\nat = \"soma(0.5)\"\n"
                                             "rule = \"chain\"\ng = { distribution = \"uniform\", low = 2, high = 1 }\n"); },
                         17, "low must not be above high", "bad draw");
}

// A pair list with at_a,at_b says where each junction sits on its two cells; each side's
// POINTER reads the v of the other side's place.
TEST_F(GapJunctionEntries, APairListMayPlaceEachJunction) {
  std::ofstream(dir_ / "pairs.csv") << "a,b,at_a,at_b\n0,1,soma(0.2),soma(0.8)\n# another\n 3 , 4 , soma(1) ,soma(0)\n";
  const model::Model m = load("[[gap_junction]]\nname = \"gj\"\nmechanism = \"Gap\"\npointer = \"vgap\"\ncells = \"fs\"\nrule = \"file\"\n"
                              "file = \"pairs.csv\"\n");
  ASSERT_EQ(m.points.size(), 4u);
  const char *places[] = {"fs[0].soma(0.2)", "fs[1].soma(0.8)", "fs[3].soma(1)", "fs[4].soma(0)"};
  const char *targets[] = {"fs[1].soma(0.8)", "fs[0].soma(0.2)", "fs[4].soma(0)", "fs[3].soma(1)"};
  const double xs[] = {0.2, 0.8, 1, 0};
  for (std::size_t k = 0; k < 4; ++k) {
    ASSERT_TRUE(m.points[k].location);
    EXPECT_EQ(m.points[k].location->text, places[k]);
    EXPECT_EQ(m.points[k].location->section, "soma");
    EXPECT_EQ(m.points[k].location->x, xs[k]);
    ASSERT_TRUE(m.pointers[k].targetLocation);
    EXPECT_EQ(m.pointers[k].targetLocation->text, targets[k]);
  }
}

// Placed junctions between dendrites and somata run as the [[point]] and [[pointer]]
// entries they stand for, written by hand, do: the same traces, bit for bit.
TEST_F(GapJunctionEntries, PlacedJunctionsRunAsTheEntriesTheyStandFor) {
  const std::string head =
      "[simulation]\ntstop = 30\n[cell.c]\nsections = [{ name = \"soma\", L = 20, diam = 20 }, { name = \"dend\", parent = \"soma(1)\", L = 200, diam = 1, nseg = 5 }]\n"
      "insert = [{ mechanism = \"hh\" }]\n[population.p]\ncell = \"c\"\ncount = 3\n"
      "[[point]]\nname = \"stim\"\nmechanism = \"IClamp\"\nat = \"p[0].soma(0.5)\"\ndel = 1\ndur = 1e9\namp = 0.3\n"
      "[output]\ntraces = \"v.csv\"\n"
      "[[record]]\nvariable = \"v\"\nat = \"p[1].soma(0.5)\"\n[[record]]\nvariable = \"v\"\nat = \"p[2].dend(0.5)\"\n";
  std::ofstream(dir_ / "pairs.csv") << "a,b,at_a,at_b\n0,1,dend(0.9),soma(0.5)\n1,2,dend(0.5),dend(0.1)\n";
  const model::Model placed = ModelTextTest::load(head + "[[gap_junction]]\nname = \"gj\"\nmechanism = \"Gap\"\npointer = \"vgap\"\ncells = \"p\"\n"
                                                  "rule = \"file\"\nfile = \"pairs.csv\"\ng = 0.05\n", "placed.toml");
  std::string explicitEntries;
  const char *sides[][4] = {{"gj_0a", "p[0].dend(0.9)", "p[1].soma(0.5)", ""}, {"gj_0b", "p[1].soma(0.5)", "p[0].dend(0.9)", ""},
                            {"gj_1a", "p[1].dend(0.5)", "p[2].dend(0.1)", ""}, {"gj_1b", "p[2].dend(0.1)", "p[1].dend(0.5)", ""}};
  for (const auto &side : sides) {
    explicitEntries += std::string("[[point]]\nname = \"") + side[0] + "\"\nmechanism = \"Gap\"\nat = \"" + side[1] + "\"\ng = 0.05\n";
    explicitEntries += std::string("[[pointer]]\npointer = \"") + side[0] + ".vgap\"\ntarget = \"v\"\ntarget_at = \"" + side[2] + "\"\n";
  }
  const model::Model byHand = ModelTextTest::load(head + explicitEntries, "by-hand.toml");
  tool::JitCatalogue mechanisms(placed.mechanismPaths, jit::JitOptions{});
  const auto a = test::simulateModel(placed, mechanisms), b = test::simulateModel(byHand, mechanisms);
  ASSERT_GT(a.size(), 100u);
  EXPECT_TRUE(a == b);
  double highest = -1e9;
  for (const auto &row : a) highest = std::max(highest, row[2]);
  EXPECT_GT(highest, -60);  // the junctions carry the stimulated cell's spikes on
}

TEST_F(GapJunctionEntries, BadEntriesAreLocatedErrors) {
  const std::string ok = "mechanism = \"Gap\"\npointer = \"vgap\"\ncells = \"fs\"\nat = \"soma(0.5)\"\n";
  auto entry = [&](const std::string &text) {
    return [this, text] { (void)load("[[gap_junction]]\n" + text); };
  };
  test::expectModelError(entry(ok), 11, "needs rule", "rule");
  test::expectModelError(entry(ok + "rule = \"star\"\n"), 16, "unknown junction rule 'star'", "bad rule");
  test::expectModelError(entry(ok + "rule = \"ring\"\nprobability = 0.5\n"), 17, "only rule that takes probability", "probability");
  test::expectModelError(entry(ok + "rule = \"fixed_probability\"\n"), 11, "needs probability", "no probability");
  test::expectModelError(entry(ok + "rule = \"fixed_probability\"\nprobability = 1.5\n"), 17, "between 0 and 1", "probability range");
  test::expectModelError(entry("mechanism = \"Gap\"\npointer = \"vgap\"\ncells = \"fs[0:2]\"\nat = \"soma(0.5)\"\nrule = \"ring\"\n"), 11, "at least 3 cells",
                         "small ring");
  test::expectModelError(entry("mechanism = \"Gap\"\npointer = \"vgap\"\ncells = \"fz\"\nat = \"soma(0.5)\"\nrule = \"ring\"\n"), 14, "no population of cells is named 'fz'",
                         "population");
  test::expectModelError(entry("mechanism = \"Gap\"\npointer = \"vgap\"\ncells = \"stims\"\nat = \"soma(0.5)\"\nrule = \"chain\"\n"), 14, "artificial cells",
                         "artificial");
  test::expectModelError(entry("mechanism = \"Gap\"\npointer = \"vgap\"\ncells = \"fs\"\nat = \"fs[0].soma(0.5)\"\nrule = \"chain\"\n"), 15, "a place on each cell",
                         "at with a cell");
  test::expectModelError(entry("mechanism = \"Gap\"\ncells = \"fs\"\nat = \"soma(0.5)\"\nrule = \"chain\"\n"), 11, "needs pointer", "pointer");
  test::expectModelError(entry(ok + "rule = \"chain\"\nname = \"a.b\"\n"), 17, "name is a word", "name");
  test::expectModelError(entry("mechanism = \"Gap\"\npointer = \"vgap\"\ncells = [\"fs[1]\", \"fs[1]\"]\nat = \"soma(0.5)\"\nrule = \"chain\"\n"), 11,
                         "not fs[1] with itself", "a cell twice");
  std::ofstream(dir_ / "pairs.csv") << "a,b\n0,1\n# a comment\n2,2\n";
  test::expectModelError(entry(ok + "rule = \"file\"\nfile = \"pairs.csv\"\n"), 4, "not cell 2 with itself", "file row");
  std::ofstream(dir_ / "pairs.csv") << "a,b\n0,7\n";
  test::expectModelError(entry(ok + "rule = \"file\"\nfile = \"pairs.csv\"\n"), 2, "outside the 5 cells", "file index");
  std::ofstream(dir_ / "pairs.csv") << "source,target\n0,1\n";
  test::expectModelError(entry(ok + "rule = \"file\"\nfile = \"pairs.csv\"\n"), 1, "header a,b", "file header");
  // pair lists that place their junctions
  const std::string unplaced = "mechanism = \"Gap\"\npointer = \"vgap\"\ncells = \"fs\"\nrule = \"file\"\nfile = \"pairs.csv\"\n";
  std::ofstream(dir_ / "pairs.csv") << "a,b,at_a,at_b\n0,1,soma(0.5),soma(0.5)\n";
  test::expectModelError(entry(ok + "rule = \"file\"\nfile = \"pairs.csv\"\n"), 15, "leave out at", "at and placed list");
  std::ofstream(dir_ / "pairs.csv") << "a,b,at_a,at_b\n0,1,soma(0.5)\n";
  test::expectModelError(entry(unplaced), 2, "a,b,at_a,at_b: two cell indices and the place on each", "short placed row");
  std::ofstream(dir_ / "pairs.csv") << "a,b,at_a,at_b\n\n0,1,soma(0.5),fs[2].soma(0.5)\n";
  test::expectModelError(entry(unplaced), 3, "places on the row's cells", "placed row with a cell");
  std::ofstream(dir_ / "pairs.csv") << "a,b\n0,1\n";
  test::expectModelError(entry(unplaced), 11, "needs at", "unplaced list without at");
  // two entries without names do not clash; a [[point]] that takes a junction's name does
  EXPECT_EQ(load("[[gap_junction]]\n" + ok + "rule = \"chain\"\n[[gap_junction]]\n" + ok + "rule = \"ring\"\n").points.size(), 2u * (4 + 5));
  test::expectModelError([this, ok] { (void)load("[[point]]\nname = \"j_0a\"\nmechanism = \"IClamp\"\nat = \"fs[0].soma(0.5)\"\n[[gap_junction]]\nname = \"j\"\n" + ok + "rule = \"chain\"\n"); },
                         15, "two point processes are named 'j_0a'", "clash");
}

}  // namespace
}  // namespace ranvier
