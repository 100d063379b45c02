// mechlint: the thread-safety lint and fixer, in the spirit of NEURON's mkthreadsafe.
//
//   mechlint [FILE...]          interactive: for each file with findings, show them and
//                               ask "Add THREADSAFE? [y][n]" (default files: ./*.mod)
//   mechlint --fix [FILE...]    add THREADSAFE where it makes a file safe, rewrite
//                               METHOD euler; print a unified diff of every change
//   mechlint --dry-run ...      the same diff, nothing written
//   mechlint --check ...        no prompts, no writes: exit 0 if every file is safe,
//                               1 if any is fixable or unsafe, 2 on errors
//   --format json               [{"file","verdict","findings":[{"kind","line","column","message","vouched"}]}]
//
// Files are written atomically (temporary file, then rename); a file that does not
// parse is never touched.

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "analysis/thread_safety.hpp"
#include "analysis/threadsafe_fixes.hpp"
#include "ast/json.hpp"
#include "frontend/includes.hpp"
#include "frontend/parser.hpp"
#include "sema/analyze.hpp"
#include "support/text_edit.hpp"

namespace {

using namespace ranvier;
namespace fs = std::filesystem;

enum Exit : int { Ok = 0, Findings = 1, Errors = 2 };

struct Options {
  std::vector<std::string> files;
  bool fix = false;
  bool dryRun = false;
  bool check = false;
  std::string format = "text";
  std::string color = "auto";
};

struct Analyzed {
  std::unique_ptr<SourceFile> source;
  std::unique_ptr<ast::Program> program;
  std::unique_ptr<sema::Mechanism> mechanism;
  analysis::ThreadSafety safety;
};

// Parses and analyses one file; prints its diagnostics. Null when it has errors.
std::unique_ptr<Analyzed> analyzeFile(const std::string &path, const RenderOptions &render) {
  auto loaded = SourceFile::load(path);
  if (!loaded.file) {
    std::cerr << fmt::format("mechlint: error: {}: {}\n", path, loaded.error);
    return nullptr;
  }
  auto result = std::make_unique<Analyzed>();
  result->source = std::move(loaded.file);
  DiagnosticEngine diagnostics;
  if (auto binary = detectBinary(result->source->text())) {
    std::cerr << fmt::format("mechlint: error: {}: not an NMODL text file ({})\n", path, binary->reason);
    return nullptr;
  }
  result->program = frontend::parse(*result->source, diagnostics);
  if (result->program) frontend::resolveIncludes(*result->program, diagnostics, frontend::IncludeOptions::fromEnvironment());
  if (result->program && !diagnostics.hasErrors()) result->mechanism = sema::analyze(*result->program, diagnostics);
  // Only errors matter here; mechc --check shows the warnings.
  DiagnosticEngine errorsOnly;
  for (const Diagnostic &d : diagnostics.diagnostics()) {
    if (d.severity == Severity::Error) errorsOnly.report(d.severity, d.range, d.message) = d;
  }
  printAll(std::cerr, errorsOnly, render);
  if (diagnostics.hasErrors()) {
    std::cerr << fmt::format("mechlint: {}: not analysed (errors above); the file is left as it is\n", path);
    return nullptr;
  }
  result->safety = analysis::analyzeThreadSafety(*result->mechanism);
  return result;
}

void printFindings(const Analyzed &a, const RenderOptions &options) {
  std::cout << fmt::format("{}: {}\n", a.source->name(), analysis::to_string(a.safety.verdict));
  for (const analysis::Finding &f : a.safety.findings) {
    Diagnostic d{f.vouchedByThreadsafe ? Severity::Note : Severity::Warning, f.where,
                 fmt::format("{} [{}]", f.message, analysis::id(f.kind)), {}, {}, {}};
    if (f.fixedByThreadsafe) d.hint = "THREADSAFE fixes this: the variable becomes per-thread";
    if (f.vouchedByThreadsafe) d.hint = "THREADSAFE comes before it: the file's author vouches that it is safe";
    std::cout << render(d, options);
  }
}

nlohmann::json toJson(const Analyzed &a) {
  nlohmann::json findings = nlohmann::json::array();
  for (const analysis::Finding &f : a.safety.findings) {
    findings.push_back({{"kind", analysis::id(f.kind)},
                        {"line", f.where.begin.line},
                        {"column", f.where.begin.column},
                        {"message", f.message},
                        {"vouched", f.vouchedByThreadsafe}});
  }
  return {{"file", a.source->name()}, {"verdict", analysis::to_string(a.safety.verdict)}, {"findings", findings}};
}

// Writes via a temporary file in the same directory and a rename, keeping the mode.
bool writeAtomically(const std::string &path, const std::string &text) {
  const fs::path target(path);
  const fs::path temporary = target.parent_path() / fmt::format(".{}.mechlint-{}", target.filename().string(), getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) {
      std::error_code ignored;
      fs::remove(temporary, ignored);
      return false;
    }
  }
  std::error_code ec;
  fs::permissions(temporary, fs::status(target).permissions(), ec);
  fs::rename(temporary, target, ec);
  if (ec) {
    fs::remove(temporary, ec);
    return false;
  }
  return true;
}

// The NEURON block as written, for the interactive prompt.
std::string neuronBlockText(const Analyzed &a) {
  for (const ast::NodePtr &item : a.program->items) {
    if (ast::isa<ast::NeuronBlock>(*item)) return std::string(a.source->slice(item->range));
  }
  return "(no NEURON block)";
}

struct Change {
  std::vector<TextEdit> edits;
  std::vector<std::string> notes;
};

// What --fix does to one file: euler rewritten; THREADSAFE added when, after that,
// THREADSAFE alone makes the file safe.
Change plannedFix(const Analyzed &a) {
  Change change;
  for (const analysis::MethodRewrite &r : analysis::rewriteEuler(*a.program)) {
    if (r.file != a.source.get()) {  // other files may include it too: left to the user
      change.notes.push_back(fmt::format("METHOD euler of {} is in the INCLUDEd file {}: not changed; use {} there ({})",
                                         r.block, r.file != nullptr ? r.file->name() : "?", r.method, r.why));
      continue;
    }
    change.edits.push_back(r.edit);
    change.notes.push_back(fmt::format("METHOD euler -> {} for {}: {}", r.method, r.block, r.why));
  }
  const bool onlyFixable = std::all_of(a.safety.findings.begin(), a.safety.findings.end(), [](const analysis::Finding &f) {
    return f.fixedByThreadsafe || f.kind == analysis::FindingKind::Euler;
  });
  if (onlyFixable && a.safety.verdict != analysis::Verdict::Safe) {
    if (auto edit = analysis::insertThreadsafe(*a.program)) {
      change.edits.push_back(*edit);
      change.notes.push_back("THREADSAFE added to the NEURON block");
    }
  }
  return change;
}

// The changed text must parse, and be safe when THREADSAFE was the aim.
bool verifyChange(const Analyzed &before, const std::string &text) {
  SourceFile file(before.source->name(), text);
  DiagnosticEngine diagnostics;
  auto program = frontend::parse(file, diagnostics);
  if (!program) return false;
  frontend::resolveIncludes(*program, diagnostics, frontend::IncludeOptions::fromEnvironment());
  if (diagnostics.hasErrors()) return false;
  sema::analyze(*program, diagnostics);
  return !diagnostics.hasErrors();
}

std::vector<std::string> defaultFiles() {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto &entry : fs::directory_iterator(".", ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".mod") files.push_back(entry.path().filename().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

int run(Options options) {
  const bool json = options.format == "json";
  const char *term = std::getenv("TERM");
  const bool color = options.color == "always" ||
                     (options.color == "auto" && isatty(STDOUT_FILENO) && term != nullptr && std::string(term) != "dumb");
  const RenderOptions render{color, true};
  if (options.files.empty()) options.files = defaultFiles();
  if (options.files.empty()) {
    std::cerr << "mechlint: no .mod files given or found in the current directory\n";
    return Errors;
  }
  const bool interactive = !options.check && !options.fix && !options.dryRun && !json;

  int status = Ok;
  nlohmann::json report = nlohmann::json::array();
  bool stdinClosed = false;
  for (const std::string &path : options.files) {
    auto a = analyzeFile(path, render);
    if (!a) {
      status = Errors;
      continue;
    }
    if (json) report.push_back(toJson(*a));
    else printFindings(*a, render);
    if (a->safety.verdict != analysis::Verdict::Safe && status == Ok) status = Findings;
    if (options.check || (json && !options.fix && !options.dryRun)) continue;

    Change change;
    if (interactive) {
      if (a->safety.findings.empty() || a->mechanism->threadsafe || stdinClosed) continue;
      std::cout << neuronBlockText(*a) << '\n' << "Add THREADSAFE? [y][n] " << std::flush;
      std::string answer;
      if (!std::getline(std::cin, answer)) {
        stdinClosed = true;  // EOF: no more answers, nothing more changes
        std::cout << "\n";
        continue;
      }
      if (answer != "y" && answer != "Y") continue;
      if (auto edit = analysis::insertThreadsafe(*a->program)) {
        change.edits.push_back(*edit);
        change.notes.push_back("THREADSAFE added to the NEURON block");
      }
    } else {
      change = plannedFix(*a);
    }
    if (change.edits.empty()) {
      for (const std::string &note : change.notes) std::cout << fmt::format("{}: {}\n", path, note);
      continue;
    }

    const std::string before(a->source->text());
    const std::string after = applyEdits(before, change.edits);
    if (!verifyChange(*a, after)) {
      std::cerr << fmt::format("mechlint: internal error: the fixed {} would not check; left unchanged\n", path);
      status = Errors;
      continue;
    }
    if (!interactive) {
      std::cout << unifiedDiff(before, after, "a/" + path, "b/" + path);
    }
    for (const std::string &note : change.notes) std::cout << fmt::format("{}: {}\n", path, note);
    if (options.dryRun) continue;
    if (!writeAtomically(path, after)) {
      std::cerr << fmt::format("mechlint: error: {}: could not write the fixed file\n", path);
      status = Errors;
    }
  }
  if (json) std::cout << report.dump(2) << '\n';
  return status;
}

}  // namespace

int main(int argc, char **argv) {
  Options options;
  CLI::App app{"mechlint: find what makes NMODL mechanisms unsafe for threads, and fix what can be fixed"};
  app.set_version_flag("--version", std::string("mechlint (Ranvier) ") + RANVIER_VERSION);
  app.add_option("files", options.files, "NMODL files (default: every .mod file in the current directory)");
  auto *fix = app.add_flag("--fix", options.fix, "fix without asking: THREADSAFE where it suffices, METHOD euler rewritten");
  auto *dry = app.add_flag("--dry-run", options.dryRun, "show the diff --fix would apply; write nothing");
  auto *check = app.add_flag("--check", options.check, "no prompts, no writes; exit 0 if all files are safe, 1 if not");
  check->excludes(fix)->excludes(dry);
  app.add_option("--format", options.format, "report format: text or json")->check(CLI::IsMember({"text", "json"}));
  app.add_option("--color", options.color, "colour: auto, always or never")->check(CLI::IsMember({"auto", "always", "never"}));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError &e) {
    return app.exit(e) == 0 ? Ok : Errors;
  }
  if (options.dryRun) options.fix = true;
  try {
    return run(options);
  } catch (const std::exception &e) {
    std::cerr << "mechlint: internal error: " << e.what() << '\n';
    return Errors;
  }
}
