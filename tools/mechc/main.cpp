// mechc: the NMODL compiler driver. Check files (--check), print the AST as JSON
// (--dump-ast) or as normalised NMODL (--print), lower to kernels and print them
// (--emit-kernels), compile to an object file (-o x.o), a shared library (--shared
// -o libx.so) or LLVM IR (--emit-llvm), or load through the JIT and its cache (--jit).
// Exit status: 0 success, 1 errors in the input, 2 usage or I/O errors.

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "ast/json.hpp"
#include "ast/printer.hpp"
#include "backend.hpp"
#include "driver/compile.hpp"
#include "frontend/includes.hpp"
#include "frontend/parser.hpp"
#include "analysis/global_storage.hpp"
#include "analysis/thread_safety.hpp"
#include "ir/printer.hpp"
#include "sema/analyze.hpp"
#include "transform/lower.hpp"

namespace {

using namespace ranvier;

enum Exit : int { Ok = 0, InputErrors = 1, UsageOrIo = 2 };

struct Options {
  std::vector<std::string> files;
  bool check = false;
  bool dumpAst = false;
  bool print = false;
  bool explainThreads = false;
  bool emitKernels = false;
  bool noLocations = false;
  bool verbose = false;
  std::string color = "auto";
  std::size_t maxErrors = 50;
  bool jit = false;
  std::vector<std::string> includeDirectories;  // -I
  mechc::BackendOptions backend;

  // -I's directories come before MODL_INCLUDE's, as a C compiler's before its system ones.
  frontend::IncludeOptions includes() const {
    frontend::IncludeOptions result = frontend::IncludeOptions::fromEnvironment();
    result.directories.insert(result.directories.begin(), includeDirectories.begin(), includeDirectories.end());
    return result;
  }

  bool generatesCode() const { return !backend.output.empty() || backend.shared || backend.emitLlvm; }
  // --check lowers too: solving (METHOD euler, cnexp on a non-linear ODE, a KINETIC
  // block without reactions, ...) finds errors that compiling would report.
  bool needsKernels() const { return check || emitKernels || generatesCode(); }
};

bool useColor(const std::string &mode) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char *term = std::getenv("TERM");
  return isatty(STDERR_FILENO) != 0 && term != nullptr && std::string(term) != "dumb";
}

std::string describe(const ast::Program &program) {
  for (const ast::NodePtr &item : program.items) {
    if (const auto *neuron = ast::dyn_cast<ast::NeuronBlock>(item.get())) {
      for (const ast::NodePtr &stmt : neuron->statements) {
        if (const auto *suffix = ast::dyn_cast<ast::SuffixStmt>(stmt.get())) {
          return fmt::format("{} {}", ast::keyword(suffix->mechanism), suffix->name.name);
        }
      }
    }
  }
  return "no NEURON block";
}

struct FileResult {
  Exit status = Ok;
  std::unique_ptr<SourceFile> source;
  std::unique_ptr<ast::Program> program;
  std::unique_ptr<sema::Mechanism> mechanism;
  std::optional<ir::Mechanism> kernels;
};

std::unique_ptr<SourceFile> readStdin() {
  std::string text{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
  return std::make_unique<SourceFile>("<stdin>", std::move(text));
}

FileResult processFile(const std::string &path, const Options &options, const RenderOptions &render) {
  FileResult result;
  if (path == "-") {
    result.source = readStdin();
  } else {
    auto loaded = SourceFile::load(path);
    if (!loaded.file) {
      std::cerr << fmt::format("mechc: error: {}: {}\n", path, loaded.error);
      result.status = UsageOrIo;
      return result;
    }
    result.source = std::move(loaded.file);
  }
  const SourceFile &file = *result.source;
  DiagnosticEngine diagnostics(options.maxErrors);

  if (file.text().empty()) {
    diagnostics.error(SourceRange{&file, {}, {}}, "file is empty: there is no NMODL to check");
  } else if (auto binary = detectBinary(file.text())) {
    SourceLocation at = file.locationOfOffset(binary->offset);
    diagnostics.error(SourceRange{&file, at, at},
                      fmt::format("not an NMODL text file: it {} (byte offset {})", binary->reason,
                                  binary->offset));
  } else {
    result.program = frontend::parse(file, diagnostics);
    if (result.program && result.program->items.empty()) {
      diagnostics.error(SourceRange{&file, {}, {}},
                        "file contains only comments and blanks: there is no NMODL to check");
    } else if (result.program && !options.dumpAst && !options.print) {  // --dump-ast/--print: syntax only
      frontend::resolveIncludes(*result.program, diagnostics, options.includes());
      if (!diagnostics.hasErrors()) result.mechanism = sema::analyze(*result.program, diagnostics);
      if (options.needsKernels() && result.mechanism && !diagnostics.hasErrors()) {
        result.kernels = transform::lower(*result.mechanism, diagnostics);
      }
    }
  }
  printAll(std::cerr, diagnostics, render);
  if (diagnostics.hasErrors()) {
    result.status = InputErrors;
    result.program.reset();
    result.mechanism.reset();
    result.kernels.reset();
  }
  return result;
}

// What THREADSAFE does to each GLOBAL, and what else stands in the way of threads.
void explainThreads(const std::string &path, const sema::Mechanism &m) {
  const auto safety = analysis::analyzeThreadSafety(m);
  std::cout << fmt::format("{}: {} {}: {}{}\n", path, ast::keyword(m.kind), m.name,
                           analysis::to_string(safety.verdict), m.threadsafe ? " (THREADSAFE)" : "");
  for (const analysis::GlobalPlacement &p : analysis::placeGlobals(m)) {
    std::string storage = analysis::to_string(p.storage);
    if (p.storage != analysis::GlobalStorage::Shared && !m.threadsafe) storage += " once THREADSAFE (shared until then)";
    std::cout << fmt::format("  GLOBAL {:<12} {:<14} {}\n", p.name, storage, p.reason);
  }
  for (const analysis::Finding &f : safety.findings) {
    if (f.kind == analysis::FindingKind::GlobalAssigned) continue;
    std::cout << fmt::format("  {}:{}: {} [{}]{}\n", f.where.begin.line, f.where.begin.column, f.message,
                             analysis::id(f.kind), f.vouchedByThreadsafe ? " (vouched for by THREADSAFE)" : "");
  }
}

// -o, --shared, --emit-llvm: every file must compile before any code is written.
int generate(const Options &options, const RenderOptions &render) {
  const mechc::BackendOptions &b = options.backend;
  if (!b.shared && !b.emitLlvm && options.files.size() != 1) {
    std::cerr << "mechc: error: -o writes one object file from one .mod file; use --shared for several\n";
    return UsageOrIo;
  }
  if ((b.shared || !b.emitLlvm) && b.output.empty()) {
    std::cerr << "mechc: error: --shared needs -o FILE (the library to write)\n";
    return UsageOrIo;
  }
  std::vector<ir::Mechanism> mechanisms;
  std::vector<std::string> texts;
  int worst = Ok;
  for (const std::string &path : options.files) {
    FileResult result = processFile(path, options, render);
    worst = std::max(worst, static_cast<int>(result.status));
    if (result.status != Ok) continue;
    for (const ir::Mechanism &m : mechanisms) {
      if (m.name == result.kernels->name) {
        std::cerr << fmt::format("mechc: error: {}: mechanism {} is defined twice\n", path, m.name);
        return InputErrors;
      }
    }
    texts.push_back(driver::textRead(*result.program));  // hashed into the object
    mechanisms.push_back(std::move(*result.kernels));
  }
  if (worst != Ok) return worst;
  return mechc::emitCode(mechanisms, texts, b);
}

int run(const Options &options) {
  const RenderOptions render{useColor(options.color), true};
  if (options.jit) {
    mechc::BackendOptions backend = options.backend;
    backend.includes = options.includes();
    return mechc::jitLoad(options.files, backend, render.color);
  }
  if (options.generatesCode()) return generate(options, render);
  if ((options.dumpAst || options.print || options.explainThreads || options.emitKernels) &&
      options.files.size() != 1) {
    std::cerr << "mechc: error: --dump-ast, --print, --explain-threads and --emit-kernels take exactly one file\n";
    return UsageOrIo;
  }
  int worst = Ok;
  std::size_t ok = 0;
  std::size_t failed = 0;
  for (const std::string &path : options.files) {
    FileResult result = processFile(path, options, render);
    worst = std::max(worst, static_cast<int>(result.status));
    if (result.status != Ok) {
      ++failed;
      continue;
    }
    ++ok;
    if (options.dumpAst) {
      std::cout << ast::toJson(*result.program, {.locations = !options.noLocations}).dump(2) << '\n';
    } else if (options.print) {
      std::cout << ast::print(*result.program);
    } else if (options.explainThreads) {
      explainThreads(path, *result.mechanism);
    } else if (options.emitKernels) {
      std::cout << ir::print(*result.kernels);
    } else if (options.verbose) {
      std::cout << fmt::format("ok      {}  ({})\n", path, describe(*result.program));
    }
  }
  if (options.files.size() > 1 || options.verbose) {
    std::cerr << fmt::format("mechc: {} file{} checked: {} ok, {} with errors\n",
                             options.files.size(), options.files.size() == 1 ? "" : "s", ok, failed);
  }
  return worst;
}

}  // namespace

int main(int argc, char **argv) {
  Options options;
  CLI::App app{"mechc: compile NMODL mechanisms (.mod files) for the Ranvier simulator"};
  app.set_version_flag("--version", std::string("mechc (Ranvier) ") + RANVIER_VERSION);
  app.add_option("files", options.files, "NMODL files to process ('-' reads standard input)")
      ->required();
  auto *check = app.add_flag("--check", options.check, "parse and check the files; report problems");
  auto *dump = app.add_flag("--dump-ast", options.dumpAst, "print the syntax tree as JSON");
  auto *print = app.add_flag("--print", options.print, "print the file back as normalised NMODL");
  auto *explain = app.add_flag("--explain-threads", options.explainThreads,
                               "say where each GLOBAL lives with threads and SIMD, and what is not thread safe");
  auto *emit = app.add_flag("--emit-kernels", options.emitKernels,
                            "lower the mechanism to kernels (ODEs solved, calls inlined) and print them");
  check->excludes(dump)->excludes(print)->excludes(explain)->excludes(emit);
  dump->excludes(print)->excludes(explain)->excludes(emit);
  print->excludes(explain)->excludes(emit);
  explain->excludes(emit);
  auto *output = app.add_option("-o,--output", options.backend.output,
                                "write an object file (or with --shared a library, with --emit-llvm IR) to FILE");
  auto *shared = app.add_flag("--shared", options.backend.shared,
                              "link a shared library of all the files' mechanisms (needs -o; uses the system's cc)");
  auto *llvm = app.add_flag("--emit-llvm", options.backend.emitLlvm, "print the optimised LLVM IR of the kernels");
  app.add_option("-I", options.includeDirectories,
                 "a directory to look in for INCLUDEd files, after the including file's directory and the working "
                 "directory and before MODL_INCLUDE's (repeatable)");
  app.add_option("-O", options.backend.optLevel, "optimisation level 0-3 (default 2)")->check(CLI::Range(0, 3));
  app.add_option("--target", options.backend.target,
                 "code for: " + mechc::targetHelp() + " (default native: the best this machine runs)")
      ->check(CLI::IsMember({"native", "avx512", "avx2", "sse4", "scalar"}));
  app.add_option("--kernels", options.backend.kernels,
                 "kernel arithmetic: exact (IEEE, NEURON's results to round-off; the default) or fast (reciprocals, FMA, "
                 "inline exp; see docs/kernels.md)")
      ->check(CLI::IsMember({"exact", "fast"}));
  auto *jit = app.add_flag("--jit", options.jit,
                           "compile in-process through the JIT and its on-disk cache; say what was compiled and how fast");
  app.add_option("--cache-dir", options.backend.cacheDir, "with --jit: the cache directory (default ~/.cache/ranvier)");
  app.add_flag("--no-cache", options.backend.noCache, "with --jit: neither read nor write the cache");
  for (CLI::Option *mode : {check, dump, print, explain, emit}) {
    mode->excludes(output)->excludes(shared)->excludes(llvm)->excludes(jit);
  }
  jit->excludes(output)->excludes(shared)->excludes(llvm);
  shared->excludes(llvm);
  app.add_flag("--no-locations", options.noLocations, "with --dump-ast: leave out source ranges");
  app.add_flag("-v,--verbose", options.verbose, "name each file checked and what it defines");
  app.add_option("--color", options.color, "colour diagnostics: auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  app.add_option("--max-errors", options.maxErrors, "stop listing errors after this many per file (0: all)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError &e) {
    const int code = app.exit(e);
    return code == 0 ? Ok : UsageOrIo;
  }
  try {
    return run(options);
  } catch (const std::exception &e) {
    std::cerr << "mechc: internal error: " << e.what() << '\n';
    return UsageOrIo;
  }
}
