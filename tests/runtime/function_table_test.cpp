// FUNCTION_TABLEs: functions whose values the model file gives ([[function_table]];
// NEURON: hoc's table_<name>_<suffix>). Against NEURON 8.2.2 (tests/golden/function_table,
// scripts/neuron/reference_function_table.py): every form of table NEURON takes, read at
// points inside, on and beyond their axes, bit for bit; and a delayed rectifier whose
// rates are tables. Then the compiled kernels reading tables, and bad entries.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include <gtest/gtest.h>

#include "model_text_test.hpp"
#include <nlohmann/json.hpp>

#include "expect_model_error.hpp"
#include "golden_differences.hpp"
#include "mechanism/function_table.hpp"

namespace ranvier {
namespace {

using nlohmann::json;

const std::string kGolden = "tests/golden/function_table/";

runtime::TableAxis axisOf(const json &form, const std::string &name) {
  const std::size_t size = form.at("n" + name).get<std::size_t>();
  if (!form.at(name).is_null()) return runtime::TableAxis::explicitPoints(form.at(name).get<std::vector<double>>());
  return runtime::TableAxis::uniform(form.at(name + "_from").get<double>(), form.at(name + "_to").get<double>(), size);
}

TEST(FunctionTables, LookupsEqualNeuronsBitForBit) {
  const json tables = json::parse(std::ifstream(test::sourceDir() + "/" + kGolden + "tables.json"));
  std::map<std::string, runtime::FunctionTableData> data;
  for (const auto &[form, t] : tables.items()) {
    const bool twoD = t.at("function") == "f2";
    if (t.contains("constant") && !t.at("constant").is_null()) {
      data.emplace(form, runtime::FunctionTableData::constant(t.at("constant").get<double>(), twoD ? 2 : 1));
      continue;
    }
    std::vector<runtime::TableAxis> axes{axisOf(t, "x")};
    if (twoD) axes.push_back(axisOf(t, "y"));
    data.emplace(form, runtime::FunctionTableData(std::move(axes), t.at("values").get<std::vector<double>>()));
  }
  ASSERT_EQ(data.size(), 7u);  // vector, uniform, constant, and 2-D with each kind of axis
  const test::Csv csv = test::readCsv(test::sourceDir() + "/" + kGolden + "lookups.csv");
  std::map<std::string, int> checked;
  for (std::size_t r = 0; r < csv.rows.size(); ++r) {
    const std::string form = csv.rows[r][csv.column("form")];
    const double args[2] = {csv.number(r, csv.column("x")), csv.number(r, csv.column("y"))};
    ASSERT_EQ(data.at(form)(args), csv.number(r, csv.column("value"))) << form << " at (" << args[0] << ", " << args[1] << ")";
    ++checked[form];
  }
  EXPECT_EQ(checked.at("vector"), 303);
  EXPECT_EQ(checked.at("grid-axes"), 697);
}

TEST(FunctionTables, ADelayedRectifierOnTablesEqualsNeuron) {
  const model::Model m = model::loadModel(test::sourceDir() + "/" + kGolden + "ftkdr.toml");
  // the model file holds the numbers NEURON was given
  const test::Csv given = test::readCsv(test::sourceDir() + "/" + kGolden + "ftkdr-tables.csv");
  ASSERT_EQ(m.functionTables.size(), 2u);
  for (std::size_t r = 0; r < given.rows.size(); ++r) {
    for (std::size_t k = 0; k < 2; ++k) {
      ASSERT_EQ(m.functionTables[k].axes.at(0).points.at(r), given.number(r, given.column("v")));
      ASSERT_EQ(m.functionTables[k].values.at(r), given.number(r, given.column(k == 0 ? "ninf" : "ntau")));
    }
  }
  for (int threads : {1, 2}) {
    const auto d = test::worstDifferences(m, 50, kGolden + "ftkdr.csv", threads);
    ASSERT_EQ(d.size(), 3u);
    EXPECT_LT(d.at("v"), 1e-9) << threads;   // measured 2.3e-11 mV
    EXPECT_LT(d.at("n"), 1e-12) << threads;  // 2.0e-14
    EXPECT_LT(d.at("ik"), 1e-11) << threads; // 9.8e-14 mA/cm2
  }
}

class FunctionTableModels : public test::ModelTextTest {
protected:
  FunctionTableModels() : ModelTextTest("ranvier-ftable") {}
  // A passive cable with fttest (y1 = f1(v), y2 = f2(v, v/2) with the states) in its
  // 13 segments, and the tables given by `tables`.
  std::string cable(const std::string &tables) const {
    return std::string("[simulation]\ntstop = 20\ndt = 0.025\n[mechanisms]\npaths = [\"") + test::sourceDir() + "/" + kGolden + "\"]\n" +  // 1-4
           "[cell.c]\nsections = [{ name = \"dend\", L = 500, diam = 1, nseg = 13 }]\n" +  // 6-7
           "insert = [{ mechanism = \"pas\", where = \"all\", e = -65 }, { mechanism = \"fttest\", where = \"all\" }]\n" +  // 8
           "points = [{ name = \"stim\", mechanism = \"IClamp\", at = \"dend(0)\", del = 1, dur = 10, amp = 0.5 }]\n" + tables;  // 9, then 10-
  }
};

const std::string kBothTables =
    "[[function_table]]\nfunction = \"fttest.f1\"\nx = [-80, -65, -40, -35, 0, 30]\nvalues = [0.1, 0.3, 0.2, 0.7, 0.9, 1.0]\n"
    "[[function_table]]\nfunction = \"fttest.f2\"\nx = { from = -60, to = 0 }\ny = [-20, 5, 20]\n"
    "values = [[1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12]]\n";

TEST_F(FunctionTableModels, CompiledKernelsReadTheModelsTables) {
  model::Model m = load(cable(kBothTables));
  for (const char *x : {"dend(0.04)", "dend(0.5)", "dend(0.96)"}) test::recordAt(m, x, {"v", "fttest.y1", "fttest.y2"});
  tool::JitCatalogue mechanisms(m.mechanismPaths, jit::JitOptions{});
  const rv_mechanism *fttest = mechanisms.find("fttest");
  ASSERT_NE(fttest, nullptr);
  ASSERT_EQ(fttest->function_table_count, 2);
  EXPECT_EQ(std::string(fttest->function_tables[1].name), "f2");
  EXPECT_EQ(fttest->function_tables[1].arity, 2);
  const runtime::FunctionTableData f1({runtime::TableAxis::explicitPoints({-80, -65, -40, -35, 0, 30})}, {0.1, 0.3, 0.2, 0.7, 0.9, 1.0});
  const runtime::FunctionTableData f2({runtime::TableAxis::uniform(-60, 0, 4), runtime::TableAxis::explicitPoints({-20, 5, 20})},
                                      {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  const auto rows = test::simulateModel(m, mechanisms);
  ASSERT_EQ(rows.size(), 801u);
  double lowest = 0, highest = -100;
  for (std::size_t n = 1; n < rows.size(); ++n) {
    for (std::size_t place = 0; place < 3; ++place) {
      const double v = rows[n][1 + 3 * place];
      const double args[2] = {v, 0.5 * v};
      // fttest has no current: its BREAKPOINT runs with the states, at the new v
      ASSERT_EQ(rows[n][2 + 3 * place], f1(args)) << "row " << n << " place " << place;
      ASSERT_EQ(rows[n][3 + 3 * place], f2(args)) << "row " << n << " place " << place;
      lowest = std::min(lowest, v);
      highest = std::max(highest, v);
    }
  }
  EXPECT_LT(lowest, -64);   // the values cross several knots of both tables
  EXPECT_GT(highest, -20);
}

// file = "f1.csv" (a header, then x,value rows) gives the same table as inline numbers.
TEST_F(FunctionTableModels, ATableFromAFileEqualsTheSameNumbersInline) {
  std::ofstream(dir_ / "f1.csv") << "# f1 of fttest\nv,f1\n-80,0.1\n-65, 0.3\n\n-40,0.2\r\n-35,0.7\n0,0.9\n30,1.0\n";
  const std::string f2 = kBothTables.substr(kBothTables.find("[[function_table]]\nfunction = \"fttest.f2\""));
  model::Model inline_ = load(cable(kBothTables)), fromFile = load(cable("[[function_table]]\nfunction = \"fttest.f1\"\nfile = \"f1.csv\"\n" + f2));
  ASSERT_EQ(fromFile.functionTables.at(0).axes.at(0).points, inline_.functionTables.at(0).axes.at(0).points);
  ASSERT_EQ(fromFile.functionTables.at(0).values, inline_.functionTables.at(0).values);
  for (model::Model *m : {&inline_, &fromFile}) test::recordAt(*m, "dend(0.5)", {"v", "fttest.y1"});
  tool::JitCatalogue mechanisms(inline_.mechanismPaths, jit::JitOptions{});
  EXPECT_EQ(test::simulateModel(inline_, mechanisms), test::simulateModel(fromFile, mechanisms));
  auto loading = [this](const std::string &csv) {
    return [this, csv] {
      std::ofstream(dir_ / "bad.csv") << csv;
      load(cable("[[function_table]]\nfunction = \"fttest.f1\"\nfile = \"bad.csv\"\n"));
    };
  };
  test::expectModelError(loading("x,value\n1,2\n2,x\n"), 3, "'x' is not a number", "a word");
  test::expectModelError(loading("x,value\n1,2,3\n"), 2, "two columns", "three columns");
  test::expectModelError(loading("x,value\n"), 12, "has no rows", "empty");
  test::expectModelError([this] { load(cable("[[function_table]]\nfunction = \"fttest.f1\"\nfile = \"none.csv\"\n")); }, 12, "cannot read the table",
                         "missing file");
  test::expectModelError([this] { load(cable("[[function_table]]\nfunction = \"fttest.f1\"\nfile = \"f1.csv\"\nx = [1]\n")); }, 12,
                         "takes its x and values from there", "file and x");
}

TEST_F(FunctionTableModels, BadEntriesAreLocatedErrors) {
  auto build = [this](const std::string &text) {
    return [this, text] {
      const model::Model m = load(text);
      tool::JitCatalogue mechanisms(m.mechanismPaths, jit::JitOptions{});
      model::build(m, mechanisms);
    };
  };
  EXPECT_NO_THROW(build(cable(kBothTables))());
  const std::string f1 = "[[function_table]]\nfunction = \"fttest.f1\"\nvalue = 3\n";  // lines 10-12
  const std::string table = "[[function_table]]\nfunction = \"fttest.";  // lines 10-11 (a second one: 13-14)
  test::expectModelError(build(cable(f1)), 8, "the FUNCTION_TABLE fttest.f2 has no values", "f2 missing");
  test::expectModelError(build(cable(f1 + table + "f3\"\nvalue = 1\n")), 13, "fttest has no FUNCTION_TABLE 'f3'", "f3");
  test::expectModelError(build(cable(f1 + f1)), 13, "fttest.f1 is already given, at line 10", "twice");
  test::expectModelError(build(cable(f1 + table + "f2\"\nx = [1, 2]\nvalues = [1, 2]\n")), 13, "fttest.f2 takes 2 arguments: give x and y", "arity");
  test::expectModelError(build(cable(table + "f1\"\nx = [1, 3, 2]\nvalues = [1, 2, 3]\n")), 13, "axis points must increase", "decreasing x");
  test::expectModelError(build(cable(table + "f1\"\nx = [1, 2, 3]\nvalues = [1, 2]\n")), 13, "2 values for 3 points", "short");
  test::expectModelError(build(cable(table + "f2\"\nx = [1, 2]\ny = [1, 2]\nvalues = [[1, 2], [3]]\n")), 14, "this row has 1 values, not 2", "ragged");
  test::expectModelError(build(cable(table + "f1\"\nvalue = 3\nx = [1]\n")), 12, "a constant table takes value alone", "mixed");
  test::expectModelError(build(cable(table + "f1\"\nx = { from = 1 }\nvalues = [1, 2]\n")), 12, "needs from and to", "no to");
  test::expectModelError(build(cable(table + "f1\"\nx = { from = 2, to = 1 }\nvalues = [1, 2]\n")), 13, "from a smaller value to a larger one", "backwards");
  test::expectModelError(build(cable("[[function_table]]\nfunction = \"f1\"\nvalue = 3\n")), 11, "does not name a FUNCTION_TABLE", "no dot");
  test::expectModelError(build(cable("[[function_table]]\nfunction = \"nosuch.f1\"\nvalue = 3\n")), 10, "unknown mechanism 'nosuch'", "mechanism");
}

}  // namespace
}  // namespace ranvier
