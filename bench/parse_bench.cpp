// parse_bench: in-process timing of the front end (parse + AST construction).
//
//   parse_bench [--runs N] FILE.mod...
//
// For each file:
//   cold    the first parse in a fresh process. Measured in a child forked before
//           the parent has parsed anything, so every file gets a parser with empty
//           lazily-built state (ANTLR DFA and prediction-context caches). The
//           ANTLR 4.9 generated code deserializes its ATNs in static initializers
//           at program load, so that one-off cost is in neither number (it shows
//           in whole-process timings instead).
//   median, p90 over N warm runs in this process (default 200), after one
//           discarded warm-up parse of the same file.
// Timed: frontend::parse() with a fresh DiagnosticEngine, destroying the AST
// included. Not timed: reading the file and building the SourceFile.
// Exit status: 0 all files parsed, 1 a file failed to load or parse, 2 usage.

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "frontend/parser.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using namespace ranvier;

// One parse: returns elapsed nanoseconds, or -1 if the file did not parse.
long long timedParse(const SourceFile &file, DiagnosticEngine &diagnostics) {
  diagnostics.clear();
  const auto start = Clock::now();
  bool ok = false;
  {
    std::unique_ptr<ast::Program> program = frontend::parse(file, diagnostics);
    ok = program != nullptr && !diagnostics.hasErrors();
  }  // AST destroyed inside the timed region: building it is only half its cost
  const auto stop = Clock::now();
  if (!ok) return -1;
  return std::chrono::duration_cast<std::chrono::nanoseconds>(stop - start).count();
}

// Forks a child that parses `file` once (its first parse in the process) and
// sends back the elapsed nanoseconds (-1 on parse failure, -2 on fork/pipe error).
long long coldParseInChild(const SourceFile &file) {
  int fds[2];
  if (pipe(fds) != 0) return -2;
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return -2;
  }
  if (pid == 0) {
    close(fds[0]);
    DiagnosticEngine diagnostics;
    const long long ns = timedParse(file, diagnostics);
    const ssize_t written = write(fds[1], &ns, sizeof ns);
    _exit(written == static_cast<ssize_t>(sizeof ns) ? 0 : 3);
  }
  close(fds[1]);
  long long ns = -2;
  if (read(fds[0], &ns, sizeof ns) != static_cast<ssize_t>(sizeof ns)) ns = -2;
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) ns = -2;
  return ns;
}

double ms(double ns) { return ns / 1e6; }

double median(const std::vector<long long> &sorted) {
  const std::size_t n = sorted.size();
  if (n % 2 == 1) return static_cast<double>(sorted[n / 2]);
  return (static_cast<double>(sorted[n / 2 - 1]) + static_cast<double>(sorted[n / 2])) / 2.0;
}

// Nearest-rank percentile.
double percentile(const std::vector<long long> &sorted, double p) {
  const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return static_cast<double>(sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1]);
}

int usage(const char *argv0) {
  std::cerr << fmt::format("usage: {} [--runs N] FILE.mod...\n", argv0);
  return 2;
}

}  // namespace

int main(int argc, char **argv) {
  std::size_t runs = 200;
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--runs" && i + 1 < argc) {
      char *end = nullptr;
      const long value = std::strtol(argv[++i], &end, 10);
      if (*end != '\0' || value < 1) return usage(argv[0]);
      runs = static_cast<std::size_t>(value);
    } else if (arg == "-h" || arg == "--help") {
      usage(argv[0]);
      return 0;
    } else if (!arg.empty() && arg[0] == '-') {
      return usage(argv[0]);
    } else {
      paths.push_back(arg);
    }
  }
  if (paths.empty()) return usage(argv[0]);

  struct Entry {
    std::string path;
    std::unique_ptr<SourceFile> file;
    std::string loadError;
    long long coldNs = -2;
  };
  std::vector<Entry> entries;
  for (const std::string &path : paths) {
    auto loaded = SourceFile::load(path);
    entries.push_back(Entry{path, std::move(loaded.file), loaded.error, -2});
  }
  // All cold measurements first, while this process has not parsed anything yet.
  for (Entry &entry : entries) {
    if (entry.file) entry.coldNs = coldParseInChild(*entry.file);
  }

  int exitStatus = 0;
  std::cout << fmt::format("parse_bench: parse + AST build, {} warm runs per file "
                           "(cold = first parse in a fresh process)\n\n",
                           runs);
  std::cout << "| file | bytes | cold ms | median ms | p90 ms | µs/KB |\n";
  std::cout << "|---|---:|---:|---:|---:|---:|\n";
  for (Entry &entry : entries) {
    if (!entry.file) {
      std::cout << fmt::format("| {} | - | FAILED to load: {} | | | |\n", entry.path, entry.loadError);
      exitStatus = 1;
      continue;
    }
    const std::size_t bytes = entry.file->text().size();
    DiagnosticEngine diagnostics;
    long long first = timedParse(*entry.file, diagnostics);  // warm-up, discarded
    if (first < 0 || entry.coldNs < 0) {
      if (first < 0) printAll(std::cerr, diagnostics);
      std::cout << fmt::format("| {} | {} | FAILED to parse{} | | | |\n", entry.path, bytes,
                               entry.coldNs == -2 ? " (cold child failed)" : "");
      exitStatus = 1;
      continue;
    }
    std::vector<long long> samples;
    samples.reserve(runs);
    for (std::size_t r = 0; r < runs; ++r) samples.push_back(timedParse(*entry.file, diagnostics));
    std::sort(samples.begin(), samples.end());
    const double med = median(samples);
    const double kb = static_cast<double>(bytes) / 1024.0;
    std::cout << fmt::format("| {} | {} | {:.3f} | {:.3f} | {:.3f} | {:.1f} |\n", entry.path, bytes,
                             ms(static_cast<double>(entry.coldNs)), ms(med),
                             ms(percentile(samples, 0.90)), kb > 0 ? (med / 1e3) / kb : 0.0);
  }
  std::cout << "\n(KB = 1024 bytes; µs/KB uses the warm median.)\n";
  return exitStatus;
}
