// INCLUDE: where included files are found (as nocmodl 8.2.2 finds them, measured in
// docs/nmodl-language.md), what their items become, the errors (with the INCLUDE's
// location), and the tools that read them: compiling, the JIT cache key, mechc,
// mechlint's fixes.

#include <cstdlib>

#include "cli_support.hpp"
#include "driver/compile.hpp"
#include "frontend/includes.hpp"
#include "ir/printer.hpp"
#include "jit/jit.hpp"
#include "test_support.hpp"

namespace ranvier::test {
namespace {

namespace fs = std::filesystem;

struct Resolved {
  std::unique_ptr<SourceFile> file;
  DiagnosticEngine diagnostics{0};
  std::unique_ptr<ast::Program> program;

  std::string messages() const {
    std::string text;
    for (const Diagnostic &d : diagnostics.diagnostics()) text += render(d) + "\n";
    return text;
  }
};

std::unique_ptr<Resolved> resolve(const fs::path &path, const frontend::IncludeOptions &options = {}) {
  auto r = std::make_unique<Resolved>();
  auto loaded = SourceFile::load(path);
  EXPECT_TRUE(loaded.file) << loaded.error;
  r->file = std::move(loaded.file);
  r->program = frontend::parse(*r->file, r->diagnostics);
  EXPECT_NE(r->program, nullptr);
  if (r->program) frontend::resolveIncludes(*r->program, r->diagnostics, options);
  return r;
}

// The value of PARAMETER `name`, as written, in the resolved program.
std::string parameter(const ast::Program &program, const std::string &name) {
  for (const ast::NodePtr &item : program.items) {
    const auto *block = ast::dyn_cast<ast::DeclarationBlock>(item.get());
    if (block == nullptr) continue;
    for (const ast::VarDecl &declaration : block->declarations) {
      if (declaration.name.name == name && declaration.value) return declaration.value->spelling;
    }
  }
  return "";
}

// The working directory for one test (each test runs in its own process under ctest).
class InDirectory {
public:
  explicit InDirectory(const fs::path &dir) : before_(fs::current_path()) { fs::current_path(dir); }
  ~InDirectory() { fs::current_path(before_); }

private:
  fs::path before_;
};

TEST(Includes, BesideTheIncludingFileThenTheWorkingDirectoryThenTheSearchPath) {
  const fs::path dir = freshDirectory("include_order");
  fs::create_directories(dir / "a");
  fs::create_directories(dir / "cwd");
  fs::create_directories(dir / "path1");
  fs::create_directories(dir / "path2");
  writeFile(dir / "a" / "m.mod", "NEURON { SUFFIX m RANGE g }\nINCLUDE \"p.inc\"\nASSIGNED { g }\nBREAKPOINT { g = k }\n");
  writeFile(dir / "a" / "p.inc", "PARAMETER { k = 1 }\n");
  writeFile(dir / "cwd" / "p.inc", "PARAMETER { k = 2 }\n");
  writeFile(dir / "path1" / "p.inc", "PARAMETER { k = 3 }\n");
  writeFile(dir / "path2" / "p.inc", "PARAMETER { k = 4 }\n");
  InDirectory in(dir / "cwd");
  const frontend::IncludeOptions search{.directories = {dir / "path1", dir / "path2"}};

  auto r = resolve("../a/m.mod", search);
  EXPECT_FALSE(r->diagnostics.hasErrors()) << r->messages();
  EXPECT_EQ(parameter(*r->program, "k"), "1");
  ASSERT_EQ(r->program->included.size(), 1u);
  EXPECT_EQ(r->program->included[0]->name(), "../a/p.inc");
  fs::remove(dir / "a" / "p.inc");
  EXPECT_EQ(parameter(*resolve("../a/m.mod", search)->program, "k"), "2");
  fs::remove(dir / "cwd" / "p.inc");
  EXPECT_EQ(parameter(*resolve("../a/m.mod", search)->program, "k"), "3");
  fs::remove(dir / "path1" / "p.inc");
  EXPECT_EQ(parameter(*resolve("../a/m.mod", search)->program, "k"), "4");
  // An absolute name is that file only.
  writeFile(dir / "a" / "abs.mod", "NEURON { SUFFIX abs }\nINCLUDE \"" + (dir / "path2" / "p.inc").string() + "\"\n");
  EXPECT_EQ(parameter(*resolve("../a/abs.mod")->program, "k"), "4");
}

TEST(Includes, ItemsTakeTheIncludesPlaceAndKeepTheirOwnFile) {
  const fs::path dir = freshDirectory("include_items");
  writeFile(dir / "m.mod", "NEURON { SUFFIX m }\nINCLUDE \"p.inc\"\nASSIGNED { x }\n");
  writeFile(dir / "p.inc", ": a comment\nPARAMETER { k = 1 }\nPROCEDURE f() { }\n");
  auto r = resolve(dir / "m.mod");
  ASSERT_FALSE(r->diagnostics.hasErrors()) << r->messages();
  ASSERT_EQ(r->program->items.size(), 4u);
  EXPECT_TRUE(ast::isa<ast::NeuronBlock>(*r->program->items[0]));
  EXPECT_TRUE(ast::isa<ast::DeclarationBlock>(*r->program->items[1]));
  EXPECT_TRUE(ast::isa<ast::CallableBlock>(*r->program->items[2]));
  EXPECT_TRUE(ast::isa<ast::DeclarationBlock>(*r->program->items[3]));
  EXPECT_EQ(r->program->items[1]->range.file, r->program->included.at(0).get());
  EXPECT_EQ(r->program->items[1]->range.begin.line, 2u);
  EXPECT_EQ(r->program->items[3]->range.file, r->file.get());
}

TEST(Includes, NestedNamesAreRelativeToTheFileThatSaysThem) {
  // nocmodl 8.2.2 looks for a nested relative name relative to the working directory
  // plus the outer INCLUDE's directory, which is the same place when it runs in the
  // .mod file's directory (as nrnivmodl does); Ranvier looks beside the file.
  const fs::path dir = freshDirectory("include_nested");
  fs::create_directories(dir / "sub");
  writeFile(dir / "m.mod", "NEURON { SUFFIX m }\nINCLUDE \"sub/q.inc\"\n");
  writeFile(dir / "sub" / "q.inc", "INCLUDE \"r.inc\"\nPARAMETER { k = 1 }\n");
  writeFile(dir / "sub" / "r.inc", "PARAMETER { j = 10 }\n");
  writeFile(dir / "r.inc", "PARAMETER { j = 20 }\n");
  auto r = resolve(dir / "m.mod");
  EXPECT_FALSE(r->diagnostics.hasErrors()) << r->messages();
  EXPECT_EQ(parameter(*r->program, "j"), "10");
  EXPECT_EQ(parameter(*r->program, "k"), "1");
  EXPECT_EQ(r->program->included.size(), 2u);
}

TEST(Includes, ModlIncludeListsDirectoriesSeparatedByColons) {
  ASSERT_EQ(setenv("MODL_INCLUDE", "/one::/two/three:", 1), 0);
  const frontend::IncludeOptions options = frontend::IncludeOptions::fromEnvironment();
  ASSERT_EQ(options.directories.size(), 2u);
  EXPECT_EQ(options.directories[0], fs::path("/one"));
  EXPECT_EQ(options.directories[1], fs::path("/two/three"));
  ASSERT_EQ(unsetenv("MODL_INCLUDE"), 0);
  EXPECT_TRUE(frontend::IncludeOptions::fromEnvironment().directories.empty());
}

TEST(Includes, AMissingFileIsAnErrorAtTheIncludeNamingThePlacesTried) {
  const fs::path dir = freshDirectory("include_missing");
  writeFile(dir / "m.mod", "NEURON { SUFFIX m }\nINCLUDE \"nothere.inc\"\nPARAMETER { k = 1 }\n");
  auto r = resolve(dir / "m.mod", {.directories = {"/nonexistent-dir"}});
  ASSERT_EQ(r->diagnostics.errorCount(), 1u);
  const Diagnostic &d = r->diagnostics.diagnostics().at(0);
  EXPECT_EQ(d.message, "cannot find the included file \"nothere.inc\"");
  EXPECT_EQ(d.range.file, r->file.get());
  EXPECT_EQ(d.range.begin.line, 2u);
  EXPECT_EQ(d.range.begin.column, 1u);
  EXPECT_NE(d.hint.find((dir / "nothere.inc").string()), std::string::npos) << d.hint;
  EXPECT_NE(d.hint.find("/nonexistent-dir/nothere.inc"), std::string::npos) << d.hint;
  EXPECT_EQ(parameter(*r->program, "k"), "1");  // the rest is still there
}

TEST(Includes, ACycleIsAnErrorNamingItsFiles) {
  const fs::path dir = freshDirectory("include_cycle");
  writeFile(dir / "m.mod", "NEURON { SUFFIX m }\nINCLUDE \"a.inc\"\n");
  writeFile(dir / "a.inc", "PARAMETER { x = 1 }\nINCLUDE \"b.inc\"\n");
  writeFile(dir / "b.inc", "INCLUDE \"a.inc\"\n");
  auto r = resolve(dir / "m.mod");
  ASSERT_EQ(r->diagnostics.errorCount(), 1u) << r->messages();
  const Diagnostic &d = r->diagnostics.diagnostics().at(0);
  EXPECT_EQ(d.message, "INCLUDE cycle: a.inc -> b.inc -> a.inc");
  EXPECT_EQ(fs::path(d.range.file->name()).filename(), "b.inc");
  // Where each file of the chain was included from, innermost first.
  ASSERT_EQ(d.notes.size(), 2u);
  EXPECT_EQ(fs::path(d.notes[0].range.file->name()).filename(), "a.inc");
  EXPECT_EQ(d.notes[0].range.begin.line, 2u);
  EXPECT_EQ(d.notes[1].range.file, r->file.get());
  // A file that includes itself.
  writeFile(dir / "self.mod", "NEURON { SUFFIX s }\nINCLUDE \"self.mod\"\n");
  auto self = resolve(dir / "self.mod");
  ASSERT_EQ(self->diagnostics.errorCount(), 1u);
  EXPECT_EQ(self->diagnostics.diagnostics().at(0).message, "INCLUDE cycle: self.mod -> self.mod");
}

TEST(Includes, ChainsDeeperThanTheLimitAreRefused) {
  const fs::path dir = freshDirectory("include_deep");
  writeFile(dir / "m.mod", "NEURON { SUFFIX m }\nINCLUDE \"f1.inc\"\n");
  for (int i = 1; i <= 40; ++i) {
    writeFile(dir / ("f" + std::to_string(i) + ".inc"), "INCLUDE \"f" + std::to_string(i + 1) + ".inc\"\n");
  }
  writeFile(dir / "f41.inc", "PARAMETER { k = 1 }\n");
  auto deep = resolve(dir / "m.mod", {.maxDepth = 32});
  ASSERT_EQ(deep->diagnostics.errorCount(), 1u);
  EXPECT_EQ(deep->diagnostics.diagnostics().at(0).message, "INCLUDE nested more than 32 files deep");
  auto allowed = resolve(dir / "m.mod", {.maxDepth = 64});
  EXPECT_FALSE(allowed->diagnostics.hasErrors()) << allowed->messages();
  EXPECT_EQ(parameter(*allowed->program, "k"), "1");
}

TEST(Includes, ErrorsInsideAnIncludedFileSayWhereItWasIncluded) {
  const fs::path dir = freshDirectory("include_syntax");
  writeFile(dir / "m.mod", "NEURON { SUFFIX m }\n\nINCLUDE \"bad.inc\"\n");
  writeFile(dir / "bad.inc", "PARAMETER { k = 1 }\nBREAKPOINT { x = }\n");
  auto r = resolve(dir / "m.mod");
  ASSERT_TRUE(r->diagnostics.hasErrors());
  const Diagnostic &d = r->diagnostics.diagnostics().at(0);
  EXPECT_EQ(fs::path(d.range.file->name()).filename(), "bad.inc");
  EXPECT_EQ(d.range.begin.line, 2u);
  ASSERT_FALSE(d.notes.empty());
  EXPECT_EQ(d.notes.back().message, "in the file included here");
  EXPECT_EQ(d.notes.back().range.file, r->file.get());
  EXPECT_EQ(d.notes.back().range.begin.line, 3u);
  EXPECT_NE(r->messages().find("bad.inc:2:"), std::string::npos) << r->messages();

  writeFile(dir / "bin.mod", "NEURON { SUFFIX b }\nINCLUDE \"bin.inc\"\n");
  writeFile(dir / "bin.inc", std::string("PARAMETER {\0\0\0 }", 17));
  auto binary = resolve(dir / "bin.mod");
  ASSERT_EQ(binary->diagnostics.errorCount(), 1u);
  EXPECT_NE(binary->diagnostics.diagnostics().at(0).message.find("is not NMODL text"), std::string::npos);
  EXPECT_EQ(binary->diagnostics.diagnostics().at(0).range.begin.line, 2u);

  // A directory of that name is not a file.
  fs::create_directories(dir / "adir.inc");
  writeFile(dir / "dir.mod", "NEURON { SUFFIX d }\nINCLUDE \"adir.inc\"\n");
  EXPECT_EQ(resolve(dir / "dir.mod")->diagnostics.errorCount(), 1u);
}

TEST(Includes, CompilingAnIncludingFileGivesTheKernelsOfTheFileWrittenOut) {
  const fs::path dir = freshDirectory("include_compile");
  const std::string head = "NEURON { SUFFIX leaky NONSPECIFIC_CURRENT i RANGE g, e }\n";
  const std::string body = "PARAMETER { g = 0.001 (S/cm2) e = -65 (mV) }\nASSIGNED { v (mV) i (mA/cm2) }\n"
                           "PROCEDURE current() { i = g * (v - e) }\n";
  const std::string tail = "BREAKPOINT { current() }\n";
  writeFile(dir / "inline.mod", head + body + tail);
  writeFile(dir / "split.mod", head + "INCLUDE \"body.inc\"\n" + tail);
  writeFile(dir / "body.inc", body);
  auto compile = [](const fs::path &path) {
    auto loaded = SourceFile::load(path);
    DiagnosticEngine diagnostics;
    auto kernels = driver::compileToKernels(*loaded.file, diagnostics);
    EXPECT_FALSE(diagnostics.hasErrors());
    return kernels ? ir::print(*kernels) : std::string("(failed)");
  };
  const std::string expected = compile(dir / "inline.mod");
  EXPECT_NE(expected.find("current"), std::string::npos) << expected;
  EXPECT_EQ(compile(dir / "split.mod"), expected);

  // A missing included file stops compiling with its error.
  writeFile(dir / "broken.mod", head + "INCLUDE \"gone.inc\"\n" + tail);
  auto loaded = SourceFile::load(dir / "broken.mod");
  DiagnosticEngine diagnostics;
  EXPECT_FALSE(driver::compileToKernels(*loaded.file, diagnostics));
  ASSERT_TRUE(diagnostics.hasErrors());
  EXPECT_EQ(diagnostics.diagnostics().at(0).message, "cannot find the included file \"gone.inc\"");
}

TEST(Includes, TheJitCacheNoticesAnEditedIncludedFile) {
  const fs::path dir = freshDirectory("include_cache");
  writeFile(dir / "m.mod", "NEURON { SUFFIX incl NONSPECIFIC_CURRENT i }\nINCLUDE \"p.inc\"\n"
                           "ASSIGNED { v (mV) i (mA/cm2) }\nBREAKPOINT { i = g * v }\n");
  writeFile(dir / "p.inc", "PARAMETER { g = 1 }\n");
  auto textOf = [&] { return driver::textRead(*SourceFile::load(dir / "m.mod").file, {}); };
  const std::string before = textOf();
  EXPECT_NE(before.find("PARAMETER { g = 1 }"), std::string::npos);

  jit::Jit jit({.target = codegen::hostTarget(), .cacheDirectory = dir / "cache"});
  auto load = [&] {
    auto loaded = SourceFile::load(dir / "m.mod");
    DiagnosticEngine diagnostics;
    const rv_mechanism *m = jit.loadSource(*loaded.file, diagnostics);
    EXPECT_NE(m, nullptr);
  };
  load();
  EXPECT_EQ(jit.stats().compiled, 1u);
  load();
  EXPECT_EQ(jit.stats().compiled, 1u);  // from the cache
  EXPECT_EQ(jit.stats().cached, 1u);
  writeFile(dir / "p.inc", "PARAMETER { g = 2 }\n");
  EXPECT_NE(textOf(), before);
  load();
  EXPECT_EQ(jit.stats().compiled, 2u);  // the main file did not change; its include did

  // Without INCLUDE the text read is the file's own.
  const SourceFile plain("plain.mod", "NEURON { SUFFIX p }\n");
  EXPECT_EQ(driver::textRead(plain, {}), "NEURON { SUFFIX p }\n");
}

std::string mechc(const std::string &arguments, const fs::path &dir) {
  return "cd '" + dir.string() + "' && " + MECHC_PATH + " --color=never " + arguments;
}

TEST(Includes, MechcSearchesMinusIDirectoriesAndPrintsIncludesAsWritten) {
  const fs::path dir = freshDirectory("include_mechc");
  fs::create_directories(dir / "lib");
  writeFile(dir / "m.mod", "NEURON { SUFFIX m RANGE g }\nINCLUDE \"params.inc\"\nASSIGNED { g }\nBREAKPOINT { g = k }\n");
  writeFile(dir / "lib" / "params.inc", "PARAMETER { k = 1 }\n");
  CliRun missing = runCommand(mechc("--check m.mod", dir));
  EXPECT_EQ(missing.status, 1);
  EXPECT_NE(missing.output.find("m.mod:2:1: error: cannot find the included file \"params.inc\""), std::string::npos)
      << missing.output;
  CliRun found = runCommand(mechc("--check -I lib m.mod", dir));
  EXPECT_EQ(found.status, 0) << found.output;
  CliRun viaEnvironment = runCommand("cd '" + dir.string() + "' && MODL_INCLUDE=/nonexistent:" + (dir / "lib").string() +
                                     " " + MECHC_PATH + " --check m.mod");
  EXPECT_EQ(viaEnvironment.status, 0) << viaEnvironment.output;
  CliRun printed = runCommand(mechc("--print m.mod", dir));  // syntax only: no file is read
  EXPECT_EQ(printed.status, 0) << printed.output;
  EXPECT_NE(printed.output.find("INCLUDE \"params.inc\""), std::string::npos) << printed.output;
  CliRun kernels = runCommand(mechc("--emit-kernels -I lib m.mod", dir));
  EXPECT_EQ(kernels.status, 0) << kernels.output;
  EXPECT_NE(kernels.output.find("k = 1"), std::string::npos) << kernels.output;
}

TEST(Includes, MechlintReportsFindingsInIncludedFilesAndEditsOnlyTheFileItWasGiven) {
  const fs::path dir = freshDirectory("include_mechlint");
  const std::string main = "NEURON { SUFFIX e GLOBAL q }\nASSIGNED { q }\nSTATE { m }\n"
                           "BREAKPOINT { SOLVE d METHOD euler }\nINCLUDE \"d.inc\"\n";
  const std::string included = "DERIVATIVE d {\n  q = 1\n  m' = (1 - m) / 2\n}\n";
  writeFile(dir / "e.mod", main);
  writeFile(dir / "d.inc", included);
  CliRun check = runCommand("cd '" + dir.string() + "' && " + MECHLINT_PATH + " --color=never --check e.mod");
  EXPECT_EQ(check.status, 1) << check.output;
  EXPECT_NE(check.output.find("d.inc:2:3: warning: GLOBAL 'q' is assigned here"), std::string::npos) << check.output;

  // The SOLVE is in e.mod: METHOD euler is rewritten there; THREADSAFE is added.
  CliRun fix = runCommand("cd '" + dir.string() + "' && " + MECHLINT_PATH + " --color=never --fix e.mod");
  EXPECT_EQ(fix.status, 1) << fix.output;
  EXPECT_NE(readFile(dir / "e.mod").find("METHOD cnexp"), std::string::npos) << fix.output;
  EXPECT_NE(readFile(dir / "e.mod").find("THREADSAFE"), std::string::npos) << fix.output;
  EXPECT_EQ(readFile(dir / "d.inc"), included);

  // A SOLVE in the included file: named, not edited (other files may include it).
  const std::string solveInside = "BREAKPOINT { SOLVE d METHOD euler }\n" + included;
  writeFile(dir / "s.inc", solveInside);
  const std::string outer = "NEURON { SUFFIX s }\nSTATE { m }\nASSIGNED { q }\nINCLUDE \"s.inc\"\n";
  writeFile(dir / "s.mod", outer);
  CliRun inside = runCommand("cd '" + dir.string() + "' && " + MECHLINT_PATH + " --color=never --fix s.mod");
  EXPECT_NE(inside.output.find("METHOD euler of d is in the INCLUDEd file"), std::string::npos) << inside.output;
  EXPECT_EQ(readFile(dir / "s.inc"), solveInside);
  EXPECT_EQ(readFile(dir / "s.mod").find("euler"), std::string::npos);
}

}  // namespace
}  // namespace ranvier::test
