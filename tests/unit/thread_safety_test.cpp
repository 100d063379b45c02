// Thread-safety analysis: each finding kind and verdict, and agreement with what
// NEURON 8.2.2's nocmodl reports (golden data in tests/golden/nocmodl-threadsafe).

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "analysis/thread_safety.hpp"
#include "frontend/includes.hpp"
#include "test_support.hpp"

namespace ranvier::test {
namespace {

using analysis::FindingKind;
using analysis::Verdict;

struct Checked {
  std::unique_ptr<Parsed> parsed;
  std::unique_ptr<sema::Mechanism> mechanism;
  analysis::ThreadSafety safety;

  std::size_t count(FindingKind kind) const {
    return static_cast<std::size_t>(std::count_if(safety.findings.begin(), safety.findings.end(),
                                                  [&](const analysis::Finding &f) { return f.kind == kind; }));
  }
};

Checked check(const std::string &text) {
  Checked c;
  c.parsed = parseText(text);
  EXPECT_TRUE(c.parsed->ok()) << c.parsed->allMessages();
  c.mechanism = sema::analyze(*c.parsed->program, c.parsed->diagnostics);
  c.safety = analysis::analyzeThreadSafety(*c.mechanism);
  return c;
}

const std::string kChannel =
    "NEURON { SUFFIX k USEION k READ ek WRITE ik RANGE g GLOBAL ninf, ntau }\n"
    "PARAMETER { g = .036 (S/cm2) }\nSTATE { n }\n"
    "ASSIGNED { v (mV) ek (mV) ik (mA/cm2) ninf ntau (ms) }\n"
    "BREAKPOINT { SOLVE states METHOD cnexp ik = g * n^4 * (v - ek) }\n"
    "INITIAL { rates(v) n = ninf }\n"
    "DERIVATIVE states { rates(v) n' = (ninf - n) / ntau }\n"
    "PROCEDURE rates(v (mV)) { ninf = 1 / (1 + exp(-v / 10)) ntau = 5 }\n";

TEST(ThreadSafety, AssignedGlobalsAreFixable) {
  Checked c = check(kChannel);
  EXPECT_EQ(c.safety.verdict, Verdict::Fixable);
  ASSERT_EQ(c.count(FindingKind::GlobalAssigned), 2u);
  const analysis::Finding &ninf = c.safety.findings[0];
  EXPECT_EQ(ninf.subject, "ninf");
  EXPECT_EQ(ninf.where.begin.line, 8u);  // where it is written
  EXPECT_FALSE(ninf.related.empty());    // and where it is read
  EXPECT_TRUE(ninf.fixedByThreadsafe);
  EXPECT_TRUE(ninf.nocmodlNotice);
}

TEST(ThreadSafety, ThreadsafeMakesAssignedGlobalsSafe) {
  std::string text = kChannel;
  text.replace(text.find("RANGE g"), 7, "RANGE g THREADSAFE");
  Checked c = check(text);
  EXPECT_EQ(c.safety.verdict, Verdict::Safe);
  for (const analysis::Finding &f : c.safety.findings) EXPECT_FALSE(f.nocmodlNotice);
}

TEST(ThreadSafety, ProtectedOrLocalWritesDoNotCount) {
  EXPECT_EQ(check("NEURON { SUFFIX p GLOBAL n }\nASSIGNED { n }\nINITIAL { PROTECT n = n + 1 }\n").safety.verdict,
            Verdict::Safe);
  EXPECT_EQ(check("NEURON { SUFFIX p GLOBAL n }\nASSIGNED { n }\nINITIAL { LOCAL n n = 1 }\n").safety.verdict,
            Verdict::Safe);
}

TEST(ThreadSafety, PointerExternalAndVerbatimAreUnsafe) {
  Checked pointer = check("NEURON { SUFFIX p POINTER q }\nASSIGNED { q }\n");
  EXPECT_EQ(pointer.safety.verdict, Verdict::Unsafe);
  EXPECT_EQ(pointer.count(FindingKind::Pointer), 1u);
  EXPECT_EQ(check("NEURON { SUFFIX p EXTERNAL e }\n").count(FindingKind::External), 1u);
  Checked verbatim = check("NEURON { SUFFIX p }\nVERBATIM\nstatic int n;\nENDVERBATIM\n");
  EXPECT_EQ(verbatim.safety.verdict, Verdict::Unsafe);
  EXPECT_EQ(verbatim.count(FindingKind::Verbatim), 1u);
}

// mkthreadsafe asks the author to examine a POINTER and put THREADSAFE first if it is
// safe; nocmodl then says "Thread Safe". After THREADSAFE, the finding stays as the
// author's word; before it (or without it), the file needs a human.
TEST(ThreadSafety, ThreadsafeBeforeAPointerVouchesForIt) {
  Checked before = check("NEURON { SUFFIX p THREADSAFE POINTER q }\nASSIGNED { q }\n");
  EXPECT_EQ(before.safety.verdict, Verdict::Safe);
  ASSERT_EQ(before.count(FindingKind::Pointer), 1u);
  EXPECT_TRUE(before.safety.findings[0].vouchedByThreadsafe);
  EXPECT_FALSE(before.safety.findings[0].nocmodlNotice);

  Checked after = check("NEURON { SUFFIX p POINTER q THREADSAFE }\nASSIGNED { q }\n");
  EXPECT_EQ(after.safety.verdict, Verdict::Unsafe);
  EXPECT_FALSE(after.safety.findings[0].vouchedByThreadsafe);
  EXPECT_TRUE(after.safety.findings[0].nocmodlNotice);

  // The vouch covers the POINTER only: an EXTERNAL or a VERBATIM after THREADSAFE still
  // needs a human, and so does anything else unsafe in the file.
  EXPECT_EQ(check("NEURON { SUFFIX p THREADSAFE EXTERNAL e }\n").safety.verdict, Verdict::Unsafe);
  EXPECT_EQ(check("NEURON { SUFFIX p THREADSAFE POINTER q }\nASSIGNED { q }\nVERBATIM\nstatic int n;\n"
                  "ENDVERBATIM\n").safety.verdict,
            Verdict::Unsafe);
  EXPECT_EQ(check("NEURON { SUFFIX p THREADSAFE BBCOREPOINTER r }\nASSIGNED { r }\n").safety.verdict,
            Verdict::Safe);
}

TEST(ThreadSafety, VerbatimThatOnlyReturnsIsFixable) {
  Checked c = check("NEURON { SUFFIX p }\nFUNCTION f(x) {\nVERBATIM\n  return _lx * 2.;\nENDVERBATIM\n}\n");
  EXPECT_EQ(c.safety.verdict, Verdict::Fixable);
}

TEST(ThreadSafety, SolveMethods) {
  const std::string base = "NEURON { SUFFIX s }\nSTATE { m }\nDERIVATIVE d { m' = -m }\n";
  Checked euler = check(base + "BREAKPOINT { SOLVE d METHOD euler }\n");
  EXPECT_EQ(euler.count(FindingKind::Euler), 1u);
  EXPECT_EQ(euler.safety.verdict, Verdict::Unsafe);
  EXPECT_FALSE(euler.safety.findings[0].nocmodlNotice);  // nocmodl says nothing about euler
  EXPECT_EQ(check(base + "BREAKPOINT { SOLVE d METHOD runge }\n").count(FindingKind::SolveMethod), 1u);
  EXPECT_EQ(check(base + "BREAKPOINT { SOLVE d }\n").count(FindingKind::SolveMethod), 1u);  // adrunge
  EXPECT_EQ(check(base + "BREAKPOINT { SOLVE d METHOD cnexp }\n").safety.verdict, Verdict::Safe);
  EXPECT_EQ(check(base + "INITIAL { SOLVE d STEADYSTATE derivimplicit }\n").safety.verdict, Verdict::Safe);
  const std::string kinetic = "NEURON { SUFFIX k }\nSTATE { A B }\nKINETIC k { ~ A <-> B (1, 2) }\n";
  EXPECT_EQ(check(kinetic + "BREAKPOINT { SOLVE k METHOD euler }\n").count(FindingKind::KineticMethod), 1u);
  EXPECT_EQ(check(kinetic + "BREAKPOINT { SOLVE k METHOD sparse }\n").safety.verdict, Verdict::Safe);
  Checked linear = check("NEURON { SUFFIX l }\nSTATE { a }\nLINEAR lin { ~ a = 1 }\nINITIAL { SOLVE lin }\n");
  EXPECT_EQ(linear.count(FindingKind::LinearBlock), 1u);
  EXPECT_EQ(linear.safety.verdict, Verdict::Unsafe);
}

TEST(ThreadSafety, SharedStateFunctionsAndTables) {
  Checked random = check("NEURON { SUFFIX r RANGE x }\nASSIGNED { x }\nINITIAL { x = exprand(1) }\n");
  EXPECT_EQ(random.count(FindingKind::UnsafeFunction), 1u);
  EXPECT_EQ(check("NEURON { SUFFIX r RANGE x }\nASSIGNED { x }\nINITIAL { state_discontinuity(x, 1) }\n")
                .count(FindingKind::StateDiscontinuity), 1u);
  Checked table = check("NEURON { SUFFIX t GLOBAL q }\nASSIGNED { q m }\nINITIAL { q = 2 rates(1) }\n"
                        "PROCEDURE rates(v) { TABLE m DEPEND q FROM -1 TO 1 WITH 10 m = q * v }\n");
  EXPECT_EQ(table.count(FindingKind::TableOfGlobal), 1u);
  EXPECT_EQ(table.safety.verdict, Verdict::Unsafe);
}

// ── agreement with nocmodl ──

struct Notices {
  std::set<std::string> globals;
  bool verbatim = false;
  std::size_t pointerLike = 0;  // Use of POINTER / BBCOREPOINTER / EXTERNAL
  std::size_t linearLike = 0;   // LINEAR / NONLINEAR / DISCRETE / PARTIAL is not thread safe.
  bool exitOk = false;
};

Notices readGolden(const std::filesystem::path &path) {
  Notices n;
  std::ifstream in(path);
  std::string line;
  static const std::regex global(R"re(Assignment to the GLOBAL variable, "([^"]+)", is not thread safe)re");
  static const std::regex linear(R"(Notice: (LINEAR|NONLINEAR|DISCRETE|PARTIAL) is not thread safe\.)");
  while (std::getline(in, line)) {
    std::smatch m;
    if (line == "exit: 0") n.exitOk = true;
    if (std::regex_search(line, m, global)) n.globals.insert(m[1]);
    if (line.find("VERBATIM blocks are not thread safe") != std::string::npos) n.verbatim = true;
    if (line.rfind("Notice: Use of POINTER", 0) == 0 || line.rfind("Notice: Use of BBCOREPOINTER", 0) == 0 ||
        line.rfind("Notice: Use of EXTERNAL", 0) == 0) {
      ++n.pointerLike;
    }
    if (std::regex_search(line, linear)) ++n.linearLike;
  }
  return n;
}

Notices ours(const analysis::ThreadSafety &safety) {
  Notices n;
  for (const analysis::Finding &f : safety.findings) {
    if (!f.nocmodlNotice) continue;
    if (f.kind == FindingKind::GlobalAssigned) n.globals.insert(f.subject);
    if (f.kind == FindingKind::Verbatim) n.verbatim = true;
    if (f.kind == FindingKind::Pointer || f.kind == FindingKind::External) ++n.pointerLike;
    if (f.kind == FindingKind::LinearBlock) ++n.linearLike;
  }
  return n;
}

std::filesystem::path sourceFor(const std::string &origin, const std::string &name) {
  const auto golden = sourceDir() / "tests" / "golden" / "nocmodl-threadsafe";
  if (origin == "mechanisms") return sourceDir() / "mechanisms" / (name + ".mod");
  if (origin == "constructs") return sourceDir() / "tests" / "mod" / "constructs" / (name + ".mod");
  if (origin == "probes") return golden / "probes-src" / (name + ".mod");
  for (const char *dir : {"/usr/share/nrn/demo/release", "/usr/lib/python3/dist-packages/nmodl/ext/example"}) {
    if (std::filesystem::exists(std::filesystem::path(dir) / (name + ".mod"))) return std::filesystem::path(dir) / (name + ".mod");
  }
  return {};
}

TEST(ThreadSafety, AgreesWithNocmodlNotices) {
  const auto golden = sourceDir() / "tests" / "golden" / "nocmodl-threadsafe";
  std::size_t compared = 0;
  std::size_t skippedDebian = 0;
  std::size_t withIncludes = 0;
  for (const char *origin : {"debian", "mechanisms", "constructs", "probes"}) {
    for (const auto &entry : std::filesystem::directory_iterator(golden / origin)) {
      const std::string name = entry.path().stem().string();
      const Notices expected = readGolden(entry.path());
      if (!expected.exitOk) continue;  // nocmodl rejected it: nothing to compare
      const auto source = sourceFor(origin, name);
      if (source.empty()) {
        ++skippedDebian;  // Debian's packages not installed
        continue;
      }
      SCOPED_TRACE(source.string());
      auto loaded = SourceFile::load(source);
      ASSERT_TRUE(loaded.file) << loaded.error;
      DiagnosticEngine diagnostics;
      auto program = frontend::parse(*loaded.file, diagnostics);
      ASSERT_NE(program, nullptr);
      frontend::resolveIncludes(*program, diagnostics, {});
      ASSERT_FALSE(diagnostics.hasErrors());
      if (!program->included.empty()) ++withIncludes;
      auto mechanism = sema::analyze(*program, diagnostics);
      const Notices actual = ours(analysis::analyzeThreadSafety(*mechanism));
      EXPECT_EQ(actual.globals, expected.globals);
      EXPECT_EQ(actual.verbatim, expected.verbatim);
      EXPECT_EQ(actual.pointerLike, expected.pointerLike);
      EXPECT_EQ(actual.linearLike, expected.linearLike);
      ++compared;
    }
  }
  EXPECT_GT(compared, 150u);
  EXPECT_GE(withIncludes, 3u);  // verb_include, g_include, define_include
  RecordProperty("compared", static_cast<int>(compared));
  RecordProperty("skipped", static_cast<int>(skippedDebian));
}

}  // namespace
}  // namespace ranvier::test

#include "analysis/global_storage.hpp"

namespace ranvier::test {
namespace {

std::map<std::string, analysis::GlobalStorage> placements(const std::string &text) {
  Checked c = check(text);
  std::map<std::string, analysis::GlobalStorage> result;
  for (const auto &p : analysis::placeGlobals(*c.mechanism)) result[p.name] = p.storage;
  return result;
}

TEST(GlobalStorage, TemporariesBecomePerInstanceCountersPerThread) {
  using analysis::GlobalStorage;
  // hh-style rates: written by rates(v) before every use.
  auto hh = placements(kChannel);
  EXPECT_EQ(hh["ninf"], GlobalStorage::PerInstance);
  EXPECT_EQ(hh["ntau"], GlobalStorage::PerInstance);
  // A counter reads its old value: per-thread.
  auto counter = placements("NEURON { SUFFIX c GLOBAL n, k }\nASSIGNED { n k }\nINITIAL { n = n + k }\n");
  EXPECT_EQ(counter["n"], GlobalStorage::PerThread);
  EXPECT_EQ(counter["k"], GlobalStorage::Shared);
  // Written on one branch only: a later read may see an older value.
  auto branch = placements("NEURON { SUFFIX b GLOBAL q RANGE x }\nASSIGNED { q x v }\n"
                           "BREAKPOINT { if (v > 0) { q = 1 } x = q }\n");
  EXPECT_EQ(branch["q"], GlobalStorage::PerThread);
  auto both = placements("NEURON { SUFFIX b GLOBAL q RANGE x }\nASSIGNED { q x v }\n"
                         "BREAKPOINT { if (v > 0) { q = 1 } else { q = 2 } x = q }\n");
  EXPECT_EQ(both["q"], GlobalStorage::PerInstance);
}

}  // namespace
}  // namespace ranvier::test
