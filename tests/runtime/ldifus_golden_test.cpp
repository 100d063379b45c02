// LONGITUDINAL_DIFFUSION against NEURON 8.2.2 (tests/golden/ldifus, made by
// scripts/neuron/reference_ldifus.py): calcium in two shells diffusing along a cell of
// four sections (one attached at the soma's 0 end, one at a dendrite's 1 end), entering
// near the soma. Everywhere the same to round-off: most columns bit for bit, the rest
// within 1.3e-15 relative (the order in which a branch point's children are eliminated).
#include <cmath>

#include <gtest/gtest.h>

#include "golden_differences.hpp"

namespace ranvier {
namespace {

TEST(LongitudinalDiffusionGolden, CalciumAlongATreeEqualsNeuron) {
  const model::Model m = model::loadModel(test::sourceDir() + "/tests/golden/ldifus/ldifus.toml");
  for (int threads : {1, 2}) {
    const auto d = test::worstDifferences(m, 50, "tests/golden/ldifus/ldifus.csv", threads);
    ASSERT_EQ(d.size(), 17u);
    for (const auto &[column, worst] : d) EXPECT_LT(worst, 1e-16) << column << ", " << threads << " thread(s)";  // mM; measured 2.4e-17
  }
}

// The influx profile of the model file (an expression of distance) is the one NEURON was
// given segment by segment (influx.csv).
TEST(LongitudinalDiffusionGolden, TheInfluxProfileIsNeurons) {
  const test::Csv given = test::readCsv(test::sourceDir() + "/tests/golden/ldifus/influx.csv");
  model::Model m = model::loadModel(test::sourceDir() + "/tests/golden/ldifus/ldifus.toml");
  m.records.clear();
  for (std::size_t r = 0; r < given.rows.size(); ++r) {
    model::RecordSpec rec;
    rec.variable = "cadl.influx";
    rec.location = model::parseLocation(given.rows[r][given.column("section")] + "(" + given.rows[r][given.column("x")] + ")", {});
    m.records.push_back(rec);
  }
  tool::JitCatalogue catalogue(m.mechanismPaths, jit::JitOptions{});
  m.tstop = 0.025;
  const auto rows = test::simulateModel(m, catalogue);
  ASSERT_EQ(rows.at(0).size(), given.rows.size() + 1);
  for (std::size_t r = 0; r < given.rows.size(); ++r) EXPECT_EQ(rows[0][r + 1], given.number(r, given.column("influx"))) << given.rows[r][0] << " " << given.rows[r][1];
}

// Recordings name array elements as cadl.ca[1]; a missing element or a malformed one is
// a located error.
TEST(LongitudinalDiffusionGolden, RecordingsNameArrayElements) {
  for (const auto &[variable, message] : {std::pair{"cadl.ca[2]", "ca has 2 elements; there is no ca[2]"},
                                          std::pair{"cadl.ca[x]", "'ca[x]' is not a variable or an element of one"},
                                          std::pair{"cadl.ca[1", "'ca[1' is not a variable or an element of one"}}) {
    model::Model m = model::loadModel(test::sourceDir() + "/tests/golden/ldifus/ldifus.toml");
    m.records.at(0).variable = variable;
    tool::JitCatalogue catalogue(m.mechanismPaths, jit::JitOptions{});
    try {
      model::build(m, catalogue);
      ADD_FAILURE() << variable;
    } catch (const model::ModelError &e) {
      EXPECT_NE(e.message().find(message), std::string::npos) << e.formatted();
    }
  }
}

}  // namespace
}  // namespace ranvier
