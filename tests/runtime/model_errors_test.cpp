// Every kind of mistake in a model file is an error with the file, the line and a hint,
// found by `ranvier run --dry-run` before anything is simulated.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "catalogue.hpp"
#include "golden_csv.hpp"
#include "model/build.hpp"
#include "model/units.hpp"

#include <cmath>
#include <unistd.h>

namespace ranvier::model {
namespace {

const char *const kGood = R"TOML([simulation]
tstop = 5
dt = 0.025

[cell.ball]
sections = [
  { name = "soma", L = 20, diam = 20 },
  { name = "dend", parent = "soma(1)", L = 200, diam = 1, nseg = 9 },
]
insert = [
  { mechanism = "hh", where = "soma" },
  { mechanism = "pas", where = "dend", g = "0.001 * exp(-distance / 100)", e = -65 },
]

[[point]]
name = "stim"
mechanism = "IClamp"
at = "soma(0.5)"
amp = "100 pA"
del = 1
dur = 2

[[record]]
variable = "v"
at = "dend(1)"
)TOML";

class ModelFiles : public ::testing::Test {
protected:
  std::filesystem::path write(const std::string &text, const std::string &name = "model.toml") {
    const auto path = dir_ / name;
    std::ofstream(path) << text;
    return path;
  }
  // The model with one line replaced (`from` must occur in kGood).
  std::string edited(const std::string &from, const std::string &to) {
    std::string text = kGood;
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return text.replace(at, from.size(), to);
  }
  // The model with its sections replaced by an SWC file (line numbers kept).
  std::string withMorphology(const std::string &file) {
    return edited(R"X(sections = [
  { name = "soma", L = 20, diam = 20 },
  { name = "dend", parent = "soma(1)", L = 200, diam = 1, nseg = 9 },
])X", "morphology = \"" + file + "\"\n\n\n");
  }
  // Loads and builds; returns the error (empty when there was none).
  std::optional<ModelError> error(const std::string &text) {
    try {
      const Model m = loadModel(write(text));
      tool::JitCatalogue catalogue(m.mechanismPaths, jit::JitOptions{});
      build(m, catalogue);
    } catch (const ModelError &e) {
      return e;
    }
    return std::nullopt;
  }
  void expectError(const std::string &text, int line, const std::string &message, const std::string &hint) {
    const auto e = error(text);
    ASSERT_TRUE(e) << "no error for:\n" << text;
    EXPECT_EQ(e->where().line, line) << e->formatted();
    EXPECT_NE(e->message().find(message), std::string::npos) << e->formatted();
    EXPECT_NE(e->hint().find(hint), std::string::npos) << e->formatted();
    EXPECT_EQ(e->formatted().rfind(e->where().file + ":" + std::to_string(line) + ":", 0), 0u) << e->formatted();
  }
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("ranvier-model-" + std::to_string(::getpid()) + "-" +
                                                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(ModelFiles, TheGoodModelBuildsAndEvaluatesExpressions) {
  const Model m = loadModel(write(kGood));
  tool::JitCatalogue catalogue(m.mechanismPaths, jit::JitOptions{});
  BuiltModel b = build(m, catalogue);
  EXPECT_EQ(b.cells, 1u);
  EXPECT_EQ(b.nodes, 1u + 1 + 1 + 9 + 1);
  // pas g falls off with distance from the soma's middle: 10 um + 200*(j+0.5)/9
  auto &group = b.network->part(0).group();
  auto &pas = *group.mechanisms[static_cast<std::size_t>(group.findMechanism("pas"))];
  const rv_variable *g = pas.instances.variable("g");
  ASSERT_NE(g, nullptr);
  ASSERT_EQ(pas.instances.count(), 9);
  for (int j = 0; j < 9; ++j) {
    EXPECT_NEAR(pas.instances.value(*g, j), 0.001 * std::exp(-(10 + 200.0 * (j + 0.5) / 9) / 100), 1e-15) << j;
  }
  auto &stim = *group.mechanisms[static_cast<std::size_t>(group.findMechanism("IClamp"))];
  EXPECT_DOUBLE_EQ(stim.instances.value(*stim.instances.variable("amp"), 0), 0.1);  // 100 pA in nA
}

TEST_F(ModelFiles, UnknownSplitMode) {
  expectError(edited("dt = 0.025", "dt = 0.025\nsplit_cells = \"yes\""), 4, "unknown split_cells mode 'yes'", "\"auto\"");
}
TEST_F(ModelFiles, UnknownSection) {
  expectError(edited("at = \"soma(0.5)\"", "at = \"somma(0.5)\""), 18, "no section 'somma'", "did you mean 'soma'");
  expectError(edited("where = \"dend\"", "where = \"dendrite\""), 12, "no section or region 'dendrite'", "dend");
  expectError(edited("parent = \"soma(1)\"", "parent = \"axon(1)\""), 8, "unknown parent section 'axon'", "soma");
}

TEST_F(ModelFiles, AttachedEnd) {
  expectError(edited("{ name = \"soma\", L = 20", "{ name = \"soma\", attached_end = 1, L = 20"), 7, "attached_end without a parent",
              "parent = ");
  expectError(edited("parent = \"soma(1)\",", "parent = \"soma(1)\", attached_end = 2,"), 8, "attached_end", "");
  expectError(edited("parent = \"soma(1)\",", "parent = \"soma(1)\", attached_end = \"1\","), 8, "attached_end", "");
  const Model m = loadModel(write(edited("parent = \"soma(1)\",", "parent = \"soma(1)\", attached_end = 1,")));
  EXPECT_EQ(m.templates.begin()->second.morphology.sections.at(1).attachedEnd, 1);
}

TEST_F(ModelFiles, UnknownMechanismAndParameter) {
  expectError(edited("mechanism = \"hh\"", "mechanism = \"HH\""), 11, "unknown mechanism 'HH'", "did you mean 'hh'");
  expectError(edited("e = -65", "erev = -65"), 12, "pas has no parameter 'erev'", "did you mean 'e'");
  expectError(edited("amp = \"100 pA\"", "amp = \"100 pA\"\nm = 3"), 20, "has no parameter 'm'", "amp");
  expectError(edited("mechanism = \"IClamp\"", "mechanism = \"hh\""), 15, "hh is a density mechanism", "insert");
}

TEST_F(ModelFiles, OutOfRangeLocations) {
  expectError(edited("at = \"soma(0.5)\"", "at = \"soma(1.5)\""), 18, "outside [0, 1]", "0 <= x <= 1");
  expectError(edited("at = \"soma(0.5)\"", "at = \"soma(half)\""), 18, "not a number", "section(x)");
  expectError(edited("at = \"soma(0.5)\"", "at = \"ball[3].soma(0.5)\""), 18, "no cell 3", "numbered from 0");
}

TEST_F(ModelFiles, BadUnits) {
  expectError(edited("amp = \"100 pA\"", "amp = \"100 mV\""), 19, "'mV' does not convert to 'nA'", "nA");
  expectError(edited("tstop = 5", "tstop = \"5 parsecs\""), 2, "unknown unit", "ms");
  expectError(edited("L = 200,", "L = \"200 nA\","), 8, "does not convert", "um");
}

TEST_F(ModelFiles, MissingFiles) {
  expectError(withMorphology("nowhere.swc"), 6, "cannot read the SWC file", "relative to the model file");
  std::ofstream(dir_ / "bad.swc") << "1 1 0 0 0 5 -1\n2 3 0 10 0 x 1\n";
  expectError(withMorphology("bad.swc"), 2, "7 numbers", "ball");
  expectError("[mechanisms]\npaths = [\"no/such/dir\"]\n", 2, "is not a directory", "relative to the model file");
  try {
    loadModel(dir_ / "absent.toml");
    FAIL();
  } catch (const ModelError &e) {
    EXPECT_NE(e.message().find("does not exist"), std::string::npos);
  }
}

TEST_F(ModelFiles, KernelsAreExactUnlessTheFileSaysFast) {
  EXPECT_EQ(loadModel(write(edited("tstop = 5", "tstop = 5"))).kernels, Kernels::Exact);
  EXPECT_EQ(loadModel(write(edited("tstop = 5", "tstop = 5\nkernels = \"fast\""))).kernels, Kernels::Fast);
  EXPECT_EQ(loadModel(write(edited("tstop = 5", "tstop = 5\nkernels = \"exact\""))).kernels, Kernels::Exact);
}

TEST_F(ModelFiles, FormMistakes) {
  expectError(edited("tstop = 5", "tstop = 5\ntsop = 6"), 3, "unknown key 'tsop'", "did you mean 'tstop'");
  expectError(edited("dt = 0.025", "dt = 0.025 ms"), 3, "TOML syntax", "docs/model-files.md");
  expectError(edited("nseg = 9", "nseg = 0"), 8, "nseg must be between 1", "");
  expectError(edited("dt = 0.025", "dt = -1"), 3, "dt must be positive", "");
  expectError(edited("tstop = 5", "tstop = 5\ndistribution = \"even\""), 3, "unknown distribution 'even'", "\"balanced\"");
  expectError(edited("tstop = 5", "tstop = 5\nspike_compression = 1"), 3, "spike_compression must be true or false", "");
  expectError(edited("tstop = 5", "tstop = 5\nkernels = \"quick\""), 3, "unknown kernels 'quick'", "\"fast\"");
  expectError(edited("variable = \"v\"", "variable = \"vv\""), 23, "nothing to record under the name 'vv'", "\"v\"");
  expectError(edited("variable = \"v\"", "variable = \"hh.m\""), 23, "hh is not inserted at dend(1)", "insert it there");
  expectError(edited("g = \"0.001 * exp(-distance / 100)\"", "g = \"0.001 * exq(-distance)\""), 12, "unknown function 'exq'", "expression");
  expectError(edited("[[point]]\nname = \"stim\"\nmechanism = \"IClamp\"\nat = \"soma(0.5)\"", "[[point]]\nname = \"stim\"\nmechanism = \"IClamp\""), 15,
              "needs a location", "at =");
}

TEST_F(ModelFiles, UserMechanismsAreCompiledAndTheirErrorsShown) {
  std::filesystem::create_directories(dir_ / "mods");
  std::ofstream(dir_ / "mods" / "leak.mod") << "NEURON { SUFFIX leak NONSPECIFIC_CURRENT i RANGE g }\nPARAMETER { g = 1e-4 (S/cm2) }\n"
                                               "ASSIGNED { v (mV) i (mA/cm2) }\nBREAKPOINT { i = g*(v + 70) }\n";
  const std::string withLeak = edited("[simulation]", "[mechanisms]\npaths = [\"mods\"]\n\n[simulation]");
  std::string text = withLeak;
  text.replace(text.find("mechanism = \"hh\""), 16, "mechanism = \"leak\"");
  EXPECT_FALSE(error(text)) << error(text)->formatted();
  std::ofstream(dir_ / "mods" / "leak.mod") << "NEURON { SUFFIX leak NONSPECIFIC_CURRENT i }\nBREAKPOINT { i = undefined_thing }\n";
  const auto e = error(text);
  ASSERT_TRUE(e);
  EXPECT_NE(e->message().find("does not compile"), std::string::npos) << e->formatted();
  EXPECT_NE(e->message().find("leak.mod:2"), std::string::npos) << e->formatted();
}

TEST(ModelValues, UnitsConvertWithinAKindOnly) {
  EXPECT_DOUBLE_EQ(*convertQuantity("100 pA", "nA").value, 0.1);
  EXPECT_DOUBLE_EQ(*convertQuantity("2 mS/cm2", "S/cm2").value, 0.002);
  EXPECT_DOUBLE_EQ(*convertQuantity("1 mm", "um").value, 1000);
  EXPECT_DOUBLE_EQ(*convertQuantity("0.354 ohm m", "ohm cm").value, 35.4);
  EXPECT_DOUBLE_EQ(*convertQuantity("50 uM", "mM").value, 0.05);
  EXPECT_DOUBLE_EQ(*convertQuantity("2 /s", "/ms").value, 0.002);
  EXPECT_FALSE(convertQuantity("1 mV", "nA").value);
  EXPECT_FALSE(convertQuantity("1 furlong", "um").value);
  EXPECT_FALSE(convertQuantity("abc", "um").value);
  EXPECT_TRUE(looksLikeQuantity("0.1 nA"));
  EXPECT_FALSE(looksLikeQuantity("distance * 2"));
}

TEST(ModelValues, ExpressionsAndTheirErrors) {
  const Expression e = Expression::parse("2 * exp(-distance / 100) + x^2 - -1");
  EXPECT_DOUBLE_EQ(e.evaluate({.distance = 100, .x = 0.5}), 2 * std::exp(-1.0) + 0.25 + 1);
  EXPECT_DOUBLE_EQ(Expression::parse("max(diam, L) / 2").evaluate({.diam = 3, .L = 8}), 4);
  for (const char *bad : {"", "2 +", "(1", "foo", "exp(1, 2)", "1 $ 2", "min(1)"}) {
    EXPECT_THROW(Expression::parse(bad), std::invalid_argument) << bad;
  }
}

// The model files' mechanism search finds a file's mechanism by its declaration: also in
// old files whose lines end with a lone CR (a ModelDB synapse, 64170_synampa.mod, was
// "unknown"), and the last of several declarations, as nocmodl takes it.
TEST(MechanismSearch, FindsTheDeclaredNameAsNocmodlDoes) {
  EXPECT_EQ(tool::declaredName(": a comment\rNEURON {\r POINT_PROCESS syn\r}\r"), "syn");
  EXPECT_EQ(tool::declaredName("COMMENT SUFFIX not ENDCOMMENT\nNEURON { SUFFIX a\n POINT_PROCESS b }\n"), "b");
  EXPECT_EQ(tool::declaredName(": SUFFIX commented\nNEURON { }\n"), "");
}

}  // namespace
}  // namespace ranvier::model
