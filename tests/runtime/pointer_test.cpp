// POINTER variables, set by [[pointer]] entries of the model file (NEURON's setpointer).
// Against NEURON 8.2.2 (tests/golden/pointer, scripts/neuron/reference_pointer.py): a gap
// junction of two Gaps reading each other's cell's v, and a graded synapse whose state
// kernel reads the presynaptic v. Then what the golden runs do not reach: a vector
// kernel reading ten instances' POINTERs, kernels writing through one, and bad entries.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include <gtest/gtest.h>

#include "model_text_test.hpp"

#include "expect_model_error.hpp"
#include "golden_differences.hpp"
#include "sweep/sweep_runner.hpp"

namespace ranvier {
namespace {

TEST(Pointer, GapJunctionEqualsNeuron) {
  const model::Model m = model::loadModel(test::sourceDir() + "/examples/gap-junction/gap.toml");
  for (int threads : {1, 2}) {  // with 2, one cell each: the Gaps read a copy of the other thread's v
    const auto d = test::worstDifferences(m, 50, "tests/golden/pointer/gap.csv", threads);
    ASSERT_EQ(d.size(), 4u);
    EXPECT_LT(d.at("va"), 1e-9) << threads;  // measured 2.5e-11 mV
    EXPECT_LT(d.at("vb"), 1e-9) << threads;  // 1.6e-11 mV: b fires through the junction alone
    EXPECT_LT(d.at("ia"), 1e-11) << threads;  // 1.2e-13 nA
    EXPECT_LT(d.at("ib"), 1e-11) << threads;
  }
}


TEST(Pointer, GradedSynapseEqualsNeuron) {
  const model::Model m = model::loadModel(test::sourceDir() + "/tests/golden/pointer/graded.toml");
  const auto d = test::worstDifferences(m, 50, "tests/golden/pointer/graded.csv", 1);
  ASSERT_EQ(d.size(), 4u);
  EXPECT_LT(d.at("vpre"), 1e-9);  // measured 7.4e-11 mV
  EXPECT_LT(d.at("vpost"), 1e-11);  // 5.1e-13 mV
  EXPECT_LT(d.at("s"), 1e-12);  // 7.5e-14: INITIAL and the cnexp state kernel read vpre
  EXPECT_LT(d.at("i"), 1e-12);
}

class PointerModels : public test::ModelTextTest {
protected:
  PointerModels() : ModelTextTest("ranvier-pointer") {}
  tool::JitCatalogue catalogue(const model::Model &m) { return tool::JitCatalogue(m.mechanismPaths, jit::JitOptions{}); }

  // Ten passive cells, cell i with a step of 0.01 i nA and vcopy, whose src reads the v
  // of cell (i + 3) mod 10: one vector kernel call gathers from ten addresses.
  static std::string ring() {
    std::ostringstream s;
    s << "[simulation]\ntstop = 5\ndt = 0.025\nthreads = 1\n[mechanisms]\npaths = [\"" << test::sourceDir() << "/tests/mod/pointer\"]\n"
      << "[cell.c]\nsections = [{ name = \"soma\", L = 20, diam = 20 }]\n"
      << "insert = [{ mechanism = \"pas\", where = \"all\" }, { mechanism = \"vcopy\", where = \"all\" }]\n"
      << "points = [{ name = \"stim\", mechanism = \"IClamp\", at = \"soma(0.5)\", del = 0, dur = 10, amp = \"0.01 * i\" }]\n"
      << "[population.ring]\ncell = \"c\"\ncount = 10\n";
    for (int i = 0; i < 10; ++i) {
      s << "[[pointer]]\npointer = \"vcopy.src\"\nat = \"ring[" << i << "].soma(0.5)\"\ntarget = \"v\"\ntarget_at = \"ring[" << (i + 3) % 10
        << "].soma(0.5)\"\n";
    }
    for (int i = 0; i < 10; ++i) s << "[[record]]\nvariable = \"v\"\nat = \"ring[" << i << "].soma(0.5)\"\n";
    for (int i = 0; i < 10; ++i) s << "[[record]]\nvariable = \"vcopy.copy\"\nat = \"ring[" << i << "].soma(0.5)\"\n";
    return s.str();
  }
};

// vcopy reads its POINTER after the voltage update (tests/runtime/voltage_transfer_test.cpp),
// so the cells it joins stay on thread 0: with more threads than one the run says so;
// asked for one thread, it says nothing.
TEST_F(PointerModels, JoinedCellsOnThreadZeroAreReportedOnlyWithMoreThreads) {
  model::Model m = load(ring());
  auto mechanisms = catalogue(m);
  EXPECT_TRUE(model::build(m, mechanisms).warnings.empty());
  m.threads = 2;
  const auto warnings = model::build(m, mechanisms).warnings;
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("the 10 cell(s) that [[pointer]] entries join run on thread 0"), std::string::npos) << warnings[0];
}

TEST_F(PointerModels, AVectorKernelReadsEachInstancesTarget) {
  const model::Model m = load(ring());
  auto mechanisms = catalogue(m);
  const rv_mechanism *vcopy = mechanisms.find("vcopy");
  ASSERT_NE(vcopy, nullptr);
  const rv_kernel *state = nullptr;
  for (std::int32_t k = 0; k < vcopy->kernel_count; ++k) {
    if (vcopy->kernels[k].kind == RV_KERNEL_STATE) state = &vcopy->kernels[k];
  }
  ASSERT_NE(state, nullptr);
  EXPECT_EQ(state->vector_width, vcopy->vector_width);  // gathers, not a scalar loop
  const auto rows = test::simulateModel(m, mechanisms);
  ASSERT_EQ(rows.size(), 201u);
  for (std::size_t n = 1; n < rows.size(); ++n) {
    for (int i = 0; i < 10; ++i) {
      // A BREAKPOINT without currents runs with the states (NEURON's nrn_state), after
      // the voltage update: it copies the v its target has at the end of the step.
      ASSERT_EQ(rows[n][11 + i], rows[n][1 + (i + 3) % 10]) << "cell " << i << " row " << n;
    }
  }
  EXPECT_NE(rows.back()[1], rows.back()[2]);  // the cells differ, so a wrong lane would show
}

TEST_F(PointerModels, KernelsWriteThroughAPointerOneInstanceAtATime) {
  // Two Setters on cell a write value + t into pas.e of cell b and into the amp of an
  // IClamp on b, which then follows it.
  const std::string text = std::string("[simulation]\ntstop = 1\ndt = 0.025\n[mechanisms]\npaths = [\"") + test::sourceDir() +
                           "/tests/mod/pointer\"]\n"
                           "[cell.c]\nsections = [{ name = \"soma\", L = 20, diam = 20 }]\ninsert = [{ mechanism = \"pas\", where = \"all\" }]\n"
                           "[population.a]\ncell = \"c\"\n[population.b]\ncell = \"c\"\n"
                           "[[point]]\nname = \"toE\"\nmechanism = \"Setter\"\nat = \"a[0].soma(0.5)\"\nvalue = -50\n"
                           "[[point]]\nname = \"toAmp\"\nmechanism = \"Setter\"\nat = \"a[0].soma(0.5)\"\nvalue = 0.2\n"
                           "[[point]]\nname = \"stim\"\nmechanism = \"IClamp\"\nat = \"b[0].soma(0.5)\"\ndel = 0\ndur = 10\n"
                           "[[pointer]]\npointer = \"toE.target\"\ntarget = \"pas.e\"\ntarget_at = \"b[0].soma(0.5)\"\n"
                           "[[pointer]]\npointer = \"toAmp.target\"\ntarget = \"stim.amp\"\n"
                           "[[record]]\nvariable = \"pas.e\"\nat = \"b[0].soma(0.5)\"\n"
                           "[[record]]\nvariable = \"stim.amp\"\n"
                           "[[record]]\nvariable = \"stim.i\"\n";
  const model::Model m = load(text);
  auto mechanisms = catalogue(m);
  const rv_mechanism *setter = mechanisms.find("Setter");
  ASSERT_NE(setter, nullptr);
  for (std::int32_t k = 0; k < setter->kernel_count; ++k) EXPECT_EQ(setter->kernels[k].vector_width, 1) << setter->kernels[k].name;
  const auto rows = test::simulateModel(m, mechanisms);
  ASSERT_EQ(rows.size(), 41u);
  EXPECT_EQ(rows[0][1], -50);  // INITIAL wrote the value
  EXPECT_EQ(rows[0][2], 0.2);
  for (std::size_t n = 1; n < rows.size(); ++n) {
    // Setter has no current: its BREAKPOINT runs with the states, at the step's end t.
    const double t = rows[n][0];
    EXPECT_EQ(rows[n][1], -50 + t) << n;
    EXPECT_EQ(rows[n][2], 0.2 + t) << n;
    EXPECT_EQ(rows[n][3], rows[n - 1][2]) << n;  // the IClamp's next current uses the amp written
  }
}

// A template's insert entry sets its instances' POINTERs within each cell: at their own
// segment ("v"), or at one place of the cell ("soma(0.5).v"), as ModelDB's dendritic
// mechanisms that read the soma's voltage or calcium do.
TEST_F(PointerModels, InsertEntriesPointIntoTheirOwnCell) {
  const model::Model m = load(std::string("[simulation]\ntstop = 5\ndt = 0.025\n[mechanisms]\npaths = [\"") + test::sourceDir() +
                              "/tests/mod/pointer\"]\n"
                              "[cell.c]\nsections = [{ name = \"soma\", L = 20, diam = 20 }, { name = \"dend\", parent = \"soma(1)\", L = 200, diam = 1, nseg = 5 }]\n"
                              "insert = [{ mechanism = \"hh\", where = \"soma\" }, { mechanism = \"pas\", where = \"dend\" },\n"
                              "  { mechanism = \"vcopy\", where = \"soma\", pointers = { src = \"v\" } },\n"
                              "  { mechanism = \"vcopy\", where = \"dend\", pointers = { src = \"soma(0.5).v\" } }]\n"
                              "points = [{ name = \"stim\", mechanism = \"IClamp\", at = \"dend(1)\", del = 1, dur = 2, amp = 0.2 }]\n"
                              "[population.cells]\ncell = \"c\"\ncount = 2\n");
  model::Model recorded = m;
  for (const char *cell : {"cells[0]", "cells[1]"}) {
    for (const char *x : {"soma(0.5)", "dend(0.1)", "dend(0.5)", "dend(0.9)"}) test::recordAt(recorded, std::string(cell) + "." + x, {"v", "vcopy.copy"});
  }
  auto mechanisms = catalogue(m);
  const auto rows = test::simulateModel(recorded, mechanisms);
  ASSERT_EQ(rows.size(), 201u);
  for (std::size_t n = 1; n < rows.size(); ++n) {
    for (std::size_t cell = 0; cell < 2; ++cell) {
      const std::size_t soma = 1 + 8 * cell;
      for (std::size_t place = 0; place < 4; ++place) ASSERT_EQ(rows[n][soma + 2 * place + 1], rows[n][soma]) << "cell " << cell << " place " << place << " row " << n;
      EXPECT_NE(rows[n][soma + 2], rows[n][soma]);  // the dendrite's own v is not the soma's
    }
  }
}

// The form for many cells: "ring.next.vgap" paired with "ring.soma(0.5)" at offset 1
// (and "prev" at -1) is the same model as one [[point]] and one [[pointer]] per junction
// side, spike for spike and bit for bit (scripts/make_gap_ring.py wrote the long form
// once; examples/gap-junction/ring.toml is the short one).
TEST_F(PointerModels, TheFormForManyCellsEqualsOneEntryPerPointer) {
  constexpr int kCells = 7;
  const std::string head = std::string("[simulation]\ntstop = 60\ndt = 0.025\nthreads = 1\n") +
                           "[cell.hh]\nsections = [{ name = \"soma\", L = 20, diam = 20 }]\ninsert = [{ mechanism = \"hh\", where = \"soma\" }]\n";
  const std::string ring = "[population.ring]\ncell = \"hh\"\ncount = 7\n"
                           "[[point]]\nname = \"stim\"\nmechanism = \"IClamp\"\nat = \"ring[0].soma(0.5)\"\ndel = 5\ndur = 1e9\namp = 0.3\n";
  std::ostringstream longForm, shortForm;
  longForm << head << ring;
  for (int k = 0; k < kCells; ++k) {
    for (const auto &[side, other] : {std::pair{"next", (k + 1) % kCells}, std::pair{"prev", (k + kCells - 1) % kCells}}) {
      longForm << "[[point]]\nname = \"" << side << k << "\"\nmechanism = \"Gap\"\nat = \"ring[" << k << "].soma(0.5)\"\ng = 0.01\n"
               << "[[pointer]]\npointer = \"" << side << k << ".vgap\"\ntarget = \"v\"\ntarget_at = \"ring[" << other << "].soma(0.5)\"\n";
    }
  }
  shortForm << head << "points = [{ name = \"next\", mechanism = \"Gap\", at = \"soma(0.5)\", g = 0.01 }, "
            << "{ name = \"prev\", mechanism = \"Gap\", at = \"soma(0.5)\", g = 0.01 }]\n" << ring
            << "[[pointer]]\npointer = \"ring.next.vgap\"\ntarget = \"v\"\ntarget_at = \"ring.soma(0.5)\"\noffset = 1\n"
            << "[[pointer]]\npointer = \"ring[0:7].prev.vgap\"\ntarget = \"v\"\ntarget_at = \"ring[*].soma(0.5)\"\noffset = -1\n";
  std::vector<std::vector<std::vector<double>>> runs;
  for (const std::string &text : {longForm.str(), shortForm.str()}) {
    model::Model m = load(text);
    for (int k = 0; k < kCells; ++k) test::recordAt(m, "ring[" + std::to_string(k) + "].soma(0.5)", {"v"});
    auto mechanisms = catalogue(m);
    runs.push_back(test::simulateModel(m, mechanisms));
  }
  EXPECT_EQ(runs[0], runs[1]);
  // Swept, each copy's ring closes on itself: a run in a chunk equals the file run alone.
  std::ofstream(dir_ / "ring.toml") << shortForm.str();
  std::ofstream(dir_ / "sets.csv") << "stim.amp\n0.3\n0.6\n";
  std::ofstream(dir_ / "sweep.toml") << "model = \"ring.toml\"\ntstop = 60\ndt = 0.025\ntransient = 0\nsets = \"sets.csv\"\n"
                                     << "[measures]\nthreshold = 0\ncalcium = \"hh.m\"\n";
  const sweep::Spec spec = sweep::loadSpec(dir_ / "sweep.toml");
  const model::Model base = model::loadModel(spec.model);
  auto mechanisms = catalogue(base);
  sweep::Runner runner(spec, mechanisms);
  const auto chunk = test::simulateModel(runner.chunkModel(0, 2), mechanisms);  // per run: v, m of each of the 7 cells
  for (std::size_t k = 0; k < 2; ++k) {
    model::Model alone = base;
    std::erase_if(alone.points[0].parameters, [](const model::ParameterSetting &s) { return s.name == "amp"; });
    alone.points[0].parameters.push_back(model::ParameterSetting{"amp", {model::Value{spec.sets[k][0], "", std::nullopt, {}}}, {}});
    alone.records.clear();
    for (int c = 0; c < kCells; ++c) test::recordAt(alone, "ring[" + std::to_string(c) + "].soma(0.5)", {"v"});
    const auto single = test::simulateModel(alone, mechanisms);
    ASSERT_EQ(single.size(), chunk.size());
    for (std::size_t r = 0; r < single.size(); ++r) {
      for (std::size_t c = 0; c < kCells; ++c) ASSERT_EQ(single[r][1 + c], chunk[r][1 + 2 * kCells * k + 2 * c]) << "run " << k << " cell " << c << " row " << r;
    }
  }
  double peak = -100;
  for (const auto &row : runs[1]) peak = std::max(peak, row[4]);  // ring[3], three junctions from the stimulus
  EXPECT_GT(peak, 0);
  auto fails = [this, &head, &ring](const std::string &entry) {
    return [this, text = head + "points = [{ name = \"next\", mechanism = \"Gap\", at = \"soma(0.5)\" }]\n" + ring + entry] {
      const model::Model m = load(text);
      auto compiled = catalogue(m);
      model::build(m, compiled);
    };
  };
  // the ring's entries start on line 19
  test::expectModelError(fails("[[pointer]]\npointer = \"ring.next.vgap\"\ntarget = \"v\"\ntarget_at = \"ring[0:6].soma(0.5)\"\n"), 19,
                         "7 POINTERs and 6 places", "counts");
  test::expectModelError(fails("[[pointer]]\npointer = \"ring.nxt.vgap\"\ntarget = \"v\"\ntarget_at = \"ring.soma(0.5)\"\n"), 19,
                         "cell template 'hh' has no point 'nxt'", "point");
  test::expectModelError(fails("[[pointer]]\npointer = \"rung.next.vgap\"\ntarget = \"v\"\ntarget_at = \"ring.soma(0.5)\"\n"), 19,
                         "no population of cells is named 'rung'", "population");
  test::expectModelError(fails("[[pointer]]\npointer = \"ring.next.vgap\"\ntarget = \"v\"\n"), 19, "need target_at", "no places");
  test::expectModelError(fails("[[pointer]]\npointer = \"ring.next.vgap\"\ntarget = \"v\"\ntarget_at = \"ring.soma(0.5)\"\nat = \"ring[0].soma(0.5)\"\n"), 23,
                         "at does not apply", "at");
  test::expectModelError(fails("[[pointer]]\npointer = \"ring.next.vgap\"\ntarget = \"v\"\ntarget_at = \"ring.soma(9)\"\n"), 22,
                         "outside [0, 1]", "x");
  test::expectModelError(fails("[[pointer]]\npointer = \"stim.amp\"\ntarget = \"v\"\ntarget_at = \"ring[1].soma(0.5)\"\noffset = 1\n"), 23,
                         "offset pairs the POINTERs of many cells", "offset");
}

// A sweep copies [[pointer]] entries with the model: each copy's Gaps read their own
// copy's cells, and a run in a chunk equals the model file run alone, bit for bit.
TEST_F(PointerModels, ASweepCopiesEachPointerIntoItsOwnCopy) {
  std::ofstream(dir_ / "sets.csv") << "ga.g,gb.g\n0.005,0.005\n0.001,0.001\n0.02,0\n";
  std::ofstream(dir_ / "sweep.toml") << "model = \"" << test::sourceDir() << "/examples/gap-junction/gap.toml\"\ntstop = 20\ndt = 0.025\n"
                                     << "transient = 0\nsets = \"sets.csv\"\n[measures]\nthreshold = 0\ncalcium = \"hh.m\"\n";  // no calcium here
  const sweep::Spec spec = sweep::loadSpec(dir_ / "sweep.toml");
  const model::Model base = model::loadModel(spec.model);
  auto mechanisms = catalogue(base);
  sweep::Runner runner(spec, mechanisms);
  const auto chunk = test::simulateModel(runner.chunkModel(0, 3), mechanisms);
  for (std::size_t k = 0; k < 3; ++k) {
    model::Model alone = base;
    alone.tstop = spec.tstop;
    for (std::size_t p = 0; p < 2; ++p) {  // ga, gb: points 1 and 2 of the file
      std::erase_if(alone.points[1 + p].parameters, [](const model::ParameterSetting &s) { return s.name == "g"; });
      alone.points[1 + p].parameters.push_back(model::ParameterSetting{"g", {model::Value{spec.sets[k][p], "", std::nullopt, {}}}, {}});
    }
    alone.records.clear();
    test::recordAt(alone, "a[0].soma(0.5)", {"v", "hh.m"});
    test::recordAt(alone, "b[0].soma(0.5)", {"v", "hh.m"});
    const auto single = test::simulateModel(alone, mechanisms);
    ASSERT_EQ(single.size(), chunk.size());
    for (std::size_t r = 0; r < single.size(); ++r) {
      // the chunk records, run by run, v and m of a then of b
      for (std::size_t c = 0; c < 4; ++c) ASSERT_EQ(single[r][1 + c], chunk[r][1 + 4 * k + c]) << "run " << k << " column " << c << " at t = " << single[r][0];
    }
  }
  EXPECT_NE(chunk.back()[3], chunk.back()[7]);  // the couplings differ, and so do the b cells
}

// nrn_pointing(p): 1 where the POINTER is set, 0 where it is not; a POINTER its mechanism
// tests so may stay unset (it then points at a value of its own), as in NEURON.
TEST_F(PointerModels, APointerTestedWithNrnPointingMayStayUnset) {
  const model::Model m = load(std::string("[simulation]\ntstop = 1\ndt = 0.025\n[mechanisms]\npaths = [\"") + test::sourceDir() +
                              "/tests/mod/pointer\"]\n[cell.c]\nsections = [{ name = \"soma\", L = 20, diam = 20 }]\n"
                              "[[point]]\nname = \"set\"\nmechanism = \"Optional\"\nat = \"soma(0.5)\"\n"
                              "[[point]]\nname = \"unset\"\nmechanism = \"Optional\"\nat = \"soma(0.5)\"\n"
                              "[[pointer]]\npointer = \"set.p\"\ntarget = \"v\"\ntarget_at = \"soma(0.5)\"\n"
                              "[[record]]\nvariable = \"set.y\"\n[[record]]\nvariable = \"unset.y\"\n[[record]]\nvariable = \"v\"\nat = \"soma(0.5)\"\n");
  auto mechanisms = catalogue(m);
  const auto rows = test::simulateModel(m, mechanisms);
  ASSERT_EQ(rows.size(), 41u);
  for (std::size_t n = 1; n < rows.size(); ++n) {
    EXPECT_EQ(rows[n][1], rows[n][3]) << n;  // set: the v it reads (with the states, at the new v)
    EXPECT_EQ(rows[n][2], -1) << n;          // unset
  }
}

TEST_F(PointerModels, BadEntriesAreLocatedErrors) {
  const std::string base = std::string("[simulation]\ntstop = 1\n") +  // 1-2
                           "[cell.c]\nsections = [{ name = \"soma\", L = 20, diam = 20 }]\ninsert = [{ mechanism = \"pas\", where = \"all\" }]\n" +  // 3-5
                           "[population.a]\ncell = \"c\"\n[population.b]\ncell = \"c\"\n" +  // 6-9
                           "[[point]]\nname = \"ga\"\nmechanism = \"Gap\"\nat = \"a[0].soma(0.5)\"\n";  // 10-13
  auto run = [&](const std::string &pointers) {
    return [this, text = base + pointers] {
      const model::Model m = load(text);
      auto mechanisms = catalogue(m);
      model::build(m, mechanisms);
    };
  };
  const std::string good = "[[pointer]]\npointer = \"ga.vgap\"\ntarget = \"v\"\ntarget_at = \"b[0].soma(0.5)\"\n";  // 14-17
  EXPECT_NO_THROW(run(good)());
  test::expectModelError(run(""), 10, "the POINTER vgap of 'ga' (Gap) is not set", "no [[pointer]]");
  test::expectModelError(run(good + good), 18, "already set, by the [[pointer]] at line 14", "twice");
  test::expectModelError(run("[[pointer]]\npointer = \"gx.vgap\"\ntarget = \"v\"\ntarget_at = \"b[0].soma(0.5)\"\n"), 14, "no [[point]] is named 'gx'", "gx");
  test::expectModelError(run("[[pointer]]\npointer = \"ga.vgp\"\ntarget = \"v\"\ntarget_at = \"b[0].soma(0.5)\"\n"), 14, "Gap has no POINTER 'vgp'", "vgp");
  test::expectModelError(run("[[pointer]]\npointer = \"ga\"\ntarget = \"v\"\n"), 15, "does not name a POINTER", "no dot");
  test::expectModelError(run("[[pointer]]\npointer = \"ga.vgap\"\ntarget = \"v\"\n"), 14, "'v' needs a location", "no target_at");
  test::expectModelError(run("[[pointer]]\npointer = \"ga.vgap\"\ntarget = \"vv\"\ntarget_at = \"b[0].soma(0.5)\"\n"), 14,
                         "nothing to point at under the name 'vv'", "vv");
  test::expectModelError(run("[[pointer]]\npointer = \"ga.vgap\"\ntarget_at = \"b[0].soma(0.5)\"\n"), 14, "needs target", "no target");
  test::expectModelError(run("[[pointer]]\npointer = \"ga.vgap\"\ntarget = \"v\"\ntarget_at = \"c[0].soma(0.5)\"\n"), 17,
                         "no population of cells is named 'c'", "bad target cell");
  test::expectModelError(run("[[pointer]]\npointer = \"Gap.vgap\"\nat = \"a[0].soma(0.5)\"\ntarget = \"v\"\ntarget_at = \"b[0].soma(0.5)\"\n"), 16,
                         "Gap is not a density mechanism", "point process with at");
  test::expectModelError(run(good + "[[pointer]]\npointer = \"pas.g\"\nat = \"a[0].soma(0.5)\"\ntarget = \"v\"\ntarget_at = \"b[0].soma(0.5)\"\n"), 18,
                         "pas has no POINTER 'g'", "not a POINTER");
  test::expectModelError(run(good + "[[pointer]]\npointer = \"hh.x\"\nat = \"a[0].soma(0.5)\"\ntarget = \"v\"\ntarget_at = \"b[0].soma(0.5)\"\n"), 20,
                         "hh is not inserted at a[0].soma(0.5)", "not inserted");
  test::expectModelError(run("[[pointer]]\npointer = \"ga.vgap\"\ntarget = \"v\"\ntarget_at = \"b[0].soma(0.5)\"\nwhere = 1\n"), 18, "where", "unknown key");
  // insert entries: line 5 holds the insert list
  const std::string paths = std::string("[mechanisms]\npaths = [\"") + test::sourceDir() + "/tests/mod/pointer\"]\n";  // after line 17
  auto withInsert = [&](const std::string &insert) {
    const std::string pas = "insert = [{ mechanism = \"pas\", where = \"all\" }]";
    std::string text = base + good + paths;
    text.replace(text.find(pas), pas.size(), insert);
    return [this, text] {
      const model::Model m = load(text);
      auto mechanisms = catalogue(m);
      model::build(m, mechanisms);
    };
  };
  EXPECT_NO_THROW(withInsert("insert = [{ mechanism = \"vcopy\", where = \"all\", pointers = { src = \"v\" } }]")());
  test::expectModelError(withInsert("insert = [{ mechanism = \"vcopy\", where = \"all\" }]"), 5, "the POINTER src of vcopy at a[0].soma(0.5) is not set",
                         "unset");
  test::expectModelError(withInsert("insert = [{ mechanism = \"vcopy\", where = \"all\", pointers = { srx = \"v\" } }]"), 5, "vcopy has no POINTER 'srx'",
                         "misspelt");
  test::expectModelError(withInsert("insert = [{ mechanism = \"vcopy\", where = \"all\", pointers = { src = \"b[0].soma(0.5).v\" } }]"), 5,
                         "points into its own cell", "another cell");
  test::expectModelError(withInsert("insert = [{ mechanism = \"vcopy\", where = \"all\", pointers = { src = \"soma(0.5).\" } }]"), 5,
                         "has no target variable", "no variable");
  test::expectModelError(withInsert("insert = [{ mechanism = \"vcopy\", where = \"all\", pointers = \"v\" }]"), 5, "pointers is a table", "not a table");
}

}  // namespace
}  // namespace ranvier
