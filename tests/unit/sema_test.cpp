// Semantic analysis: the symbol table and each check, and no false alarms on real files.

#include "sema/analyze.hpp"
#include "test_support.hpp"

namespace ranvier::test {
namespace {

struct Analyzed {
  std::unique_ptr<Parsed> parsed;
  std::unique_ptr<sema::Mechanism> mechanism;

  std::vector<const Diagnostic *> with(Severity severity) const {
    std::vector<const Diagnostic *> found;
    for (const Diagnostic &d : parsed->diagnostics.diagnostics()) {
      if (d.severity == severity) found.push_back(&d);
    }
    return found;
  }
  bool says(Severity severity, const std::string &words) const {
    for (const Diagnostic *d : with(severity)) {
      if (d->message.find(words) != std::string::npos) return true;
    }
    return false;
  }
};

Analyzed analyzeText(const std::string &text) {
  Analyzed a;
  a.parsed = parseText(text);
  EXPECT_TRUE(a.parsed->ok()) << a.parsed->allMessages();
  if (a.parsed->program) a.mechanism = sema::analyze(*a.parsed->program, a.parsed->diagnostics);
  return a;
}

const std::string kHeader = "NEURON { SUFFIX m USEION na READ ena WRITE ina RANGE g GLOBAL tau }\n"
                            "PARAMETER { g = 1 (S/cm2) tau = 1 (ms) }\n"
                            "ASSIGNED { v (mV) ena (mV) ina (mA/cm2) x }\n";

TEST(Sema, SymbolTableKnowsKindsAndNeuronBlockProperties) {
  auto a = analyzeText(kHeader + "STATE { m }\nBREAKPOINT { SOLVE s METHOD cnexp ina = g * m * (v - ena) }\n"
                                 "DERIVATIVE s { m' = (1 - m) / tau }\n");
  ASSERT_TRUE(a.mechanism);
  EXPECT_EQ(a.mechanism->name, "m");
  const sema::Symbol *g = a.mechanism->symbols.find("g");
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->kind, sema::SymbolKind::Parameter);
  EXPECT_TRUE(g->range);
  EXPECT_EQ(g->unit->text, "S/cm2");
  EXPECT_TRUE(a.mechanism->symbols.find("tau")->global);
  const sema::Symbol *ina = a.mechanism->symbols.find("ina");
  EXPECT_EQ(ina->ion, "na");
  EXPECT_TRUE(ina->ionWrite);
  EXPECT_TRUE(ina->isCurrent());
  ASSERT_EQ(ina->writes.size(), 1u);
  EXPECT_EQ(ina->writes[0].where.begin.line, 5u);
  EXPECT_EQ(a.mechanism->symbols.find("m")->kind, sema::SymbolKind::State);
  EXPECT_EQ(a.mechanism->symbols.find("tau")->reads.size(), 1u);
  EXPECT_TRUE(a.with(Severity::Error).empty()) << a.parsed->allMessages();
  EXPECT_TRUE(a.with(Severity::Warning).empty()) << a.parsed->allMessages();
}

TEST(Sema, UndefinedNamesAreErrorsWithALocation) {
  auto a = analyzeText(kHeader + "BREAKPOINT { x = zzz + 1 x = zzz }\n");
  ASSERT_EQ(a.with(Severity::Error).size(), 1u);  // reported once per name
  const Diagnostic &e = *a.with(Severity::Error)[0];
  EXPECT_EQ(e.message, "name 'zzz' is not declared");
  EXPECT_EQ(e.range.begin.line, 4u);
  EXPECT_EQ(e.range.begin.column, 18u);
  EXPECT_TRUE(analyzeText(kHeader + "BREAKPOINT { x = nofunc(1) }\n").says(Severity::Error, "function 'nofunc'"));
}

TEST(Sema, WithVerbatimOrIncludeUndefinedNamesAreWarnings) {
  // As nocmodl: the name may be declared in C ("declared within VERBATIM?").
  auto a = analyzeText(kHeader + "BREAKPOINT { x = zzz }\nPROCEDURE p() {\nVERBATIM\n int z;\nENDVERBATIM\n}\n");
  EXPECT_TRUE(a.with(Severity::Error).empty());
  EXPECT_TRUE(a.says(Severity::Warning, "'zzz' is not declared"));
  auto b = analyzeText("INCLUDE \"x.inc\"\n" + kHeader + "BREAKPOINT { x = fromInclude(1) }\n");
  EXPECT_TRUE(b.with(Severity::Error).empty());
}

TEST(Sema, BuiltinsLocalsArgumentsAndLoopIndicesResolve) {
  auto a = analyzeText(kHeader + "LOCAL top\nBREAKPOINT { LOCAL k k = exp(-v / 10) * t * dt\n"
                                 " FROM i = 0 TO 3 { x = i + top } }\n"
                                 "FUNCTION f(y) { f = y * 2 }\nPROCEDURE p(z) { x = f(z) }\n"
                                 "NET_RECEIVE(w) { if (flag == 0) { net_send(0, 1) } }\n");
  EXPECT_TRUE(a.with(Severity::Error).empty()) << a.parsed->allMessages();
}

TEST(Sema, LocalsAreScopedToTheirBlock) {
  auto a = analyzeText(kHeader + "BREAKPOINT { LOCAL k k = 1 }\nINITIAL { x = k }\n");
  EXPECT_TRUE(a.says(Severity::Error, "'k' is not declared"));
  EXPECT_TRUE(analyzeText(kHeader + "INITIAL { LOCAL a, a }\n").says(Severity::Error, "declared twice in this block"));
}

TEST(Sema, DuplicateDeclarationsPointAtTheFirst) {
  auto a = analyzeText("PARAMETER { x = 1 }\nASSIGNED { x }\n");
  ASSERT_EQ(a.with(Severity::Error).size(), 1u);
  const Diagnostic &e = *a.with(Severity::Error)[0];
  EXPECT_EQ(e.message, "'x' is declared twice");
  EXPECT_EQ(e.range.begin.line, 2u);
  ASSERT_EQ(e.notes.size(), 1u);
  EXPECT_EQ(e.notes[0].range.begin.line, 1u);
  EXPECT_TRUE(analyzeText("FUNCTION f() { f = 1 }\nFUNCTION f() { f = 2 }\n").says(Severity::Error, "declared twice"));
}

TEST(Sema, CallsWithTheWrongNumberOfArguments) {
  auto a = analyzeText(kHeader + "FUNCTION f(a, b) { f = a + b }\nBREAKPOINT { x = f(1) }\n");
  EXPECT_TRUE(a.says(Severity::Error, "FUNCTION 'f' takes 2 arguments, but 1 is given"));
  EXPECT_TRUE(analyzeText(kHeader + "FUNCTION_TABLE tb(v (mV))\nBREAKPOINT { x = tb(1, 2) }\n")
                  .says(Severity::Error, "takes 1 argument, but 2 are given"));
  EXPECT_TRUE(analyzeText(kHeader + "BREAKPOINT { x = g(1) }\n").says(Severity::Error, "not a function"));
}

TEST(Sema, WritesThatMustNotHappen) {
  EXPECT_TRUE(analyzeText("CONSTANT { c = 1 }\nINITIAL { c = 2 }\n").says(Severity::Error, "CONSTANT and cannot be assigned"));
  EXPECT_TRUE(analyzeText("DEFINE N 3\nINITIAL { N = 2 }\n").says(Severity::Error, "cannot be assigned"));
  auto parameter = analyzeText(kHeader + "BREAKPOINT { g = 2 }\n");
  EXPECT_TRUE(parameter.says(Severity::Warning, "PARAMETER 'g' is assigned here"));
  EXPECT_TRUE(analyzeText(kHeader + "INITIAL { g = 2 }\n").with(Severity::Warning).empty());
  // x0 of a STATE x is its start value, which a mechanism may keep up to date (vclamp.mod);
  // a PARAMETER that only looks like one still warns.
  const std::string startValues = "NEURON { SUFFIX s RANGE x0, y0 }\nPARAMETER { x0 y0 }\nSTATE { x }\n"
                                  "DERIVATIVE d { x' = -x }\n";
  EXPECT_TRUE(analyzeText(startValues + "BREAKPOINT { SOLVE d METHOD cnexp  x0 = x }\n").with(Severity::Warning).empty());
  EXPECT_TRUE(analyzeText(startValues + "BREAKPOINT { SOLVE d METHOD cnexp  y0 = x }\n").says(Severity::Warning, "PARAMETER 'y0' is assigned here"));
  EXPECT_TRUE(analyzeText(kHeader + "INITIAL { ena = 50 }\n").says(Severity::Warning, "read from ion 'na' but not written"));
  EXPECT_TRUE(analyzeText(kHeader + "INITIAL { x' = 1 }\n").says(Severity::Error, "not a STATE"));
}

TEST(Sema, CurrentsComputedButNotDeclared) {
  auto a = analyzeText("NEURON { SUFFIX leak USEION k READ ek }\nASSIGNED { v (mV) ek (mV) ik (mA/cm2) }\n"
                       "BREAKPOINT { ik = 0.001 * (v - ek) }\n");
  EXPECT_TRUE(a.says(Severity::Warning, "'ik' has the units of a current"));
  // A current-valued variable kept for later is not a current.
  EXPECT_TRUE(analyzeText("NEURON { SUFFIX s }\nASSIGNED { lastica (mA/cm2) }\nBREAKPOINT { lastica = 1 }\n")
                  .with(Severity::Warning).empty());
}

TEST(Sema, StatesNothingIntegratesAndBlocksNothingSolves) {
  auto a = analyzeText("NEURON { SUFFIX s }\nSTATE { m n }\nBREAKPOINT { SOLVE d METHOD cnexp }\n"
                       "DERIVATIVE d { m' = -m }\nDERIVATIVE unused { n' = -n }\n");
  EXPECT_TRUE(a.says(Severity::Warning, "DERIVATIVE block 'unused' is never used by a SOLVE"));
  EXPECT_FALSE(a.says(Severity::Warning, "STATE 'm' is never integrated"));
  auto b = analyzeText("NEURON { SUFFIX s }\nSTATE { m }\nINITIAL { m = 1 }\n");
  EXPECT_TRUE(b.says(Severity::Warning, "STATE 'm' is never integrated"));
  auto kinetic = analyzeText("NEURON { SUFFIX s }\nSTATE { A B }\nBREAKPOINT { SOLVE k METHOD sparse }\n"
                             "KINETIC k { ~ A <-> B (1, 2) }\n");
  EXPECT_TRUE(kinetic.with(Severity::Warning).empty()) << kinetic.parsed->allMessages();
  EXPECT_TRUE(analyzeText("BREAKPOINT { SOLVE nothing }\n").says(Severity::Error, "SOLVE names 'nothing'"));
  // NEURON's classic hh.mod: a PROCEDURE named by SOLVE advances the state itself.
  auto classic = analyzeText("NEURON { SUFFIX s }\nSTATE { m }\nASSIGNED { mexp }\nBREAKPOINT { SOLVE states }\n"
                             "PROCEDURE states() { m = m + mexp*(1 - m) }\n");
  EXPECT_TRUE(classic.with(Severity::Warning).empty()) << classic.parsed->allMessages();
}

TEST(Sema, LagMakesItsVariable) {
  auto a = analyzeText(kHeader + "PARAMETER { delay = 1 }\nBREAKPOINT { LAG v BY delay x = lag_v_delay }\n");
  EXPECT_TRUE(a.with(Severity::Error).empty()) << a.parsed->allMessages();
}

// Our mechanism library is clean; every file NEURON accepts has no error.
TEST(Sema, NoErrorsOnRealFilesAndNoWarningsOnOurLibrary) {
  std::vector<std::filesystem::path> files = modFilesUnder(sourceDir() / "mechanisms");
  const std::size_t library = files.size();
  auto constructs = modFilesUnder(sourceDir() / "tests" / "mod" / "constructs");
  files.insert(files.end(), constructs.begin(), constructs.end());
  for (const char *dir : {"/usr/share/nrn/demo/release", "/usr/lib/python3/dist-packages/nmodl/ext/example"}) {
    auto more = modFilesUnder(dir);
    files.insert(files.end(), more.begin(), more.end());
  }
  for (std::size_t i = 0; i < files.size(); ++i) {
    auto loaded = SourceFile::load(files[i]);
    DiagnosticEngine diagnostics;
    auto program = frontend::parse(*loaded.file, diagnostics);
    ASSERT_NE(program, nullptr) << files[i];
    sema::analyze(*program, diagnostics);
    std::string messages;
    for (const Diagnostic &d : diagnostics.diagnostics()) messages += render(d);
    EXPECT_FALSE(diagnostics.hasErrors()) << messages;
    if (i < library) {
      EXPECT_EQ(diagnostics.warningCount(), 0u) << messages;
    }
  }
}

}  // namespace
}  // namespace ranvier::test
