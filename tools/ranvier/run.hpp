#pragma once
// `ranvier run`: load, build, simulate, write traces and spikes, report.
#include <filesystem>
#include <optional>
#include <string>

namespace ranvier::tool {

struct RunOptions {
  std::filesystem::path model;
  std::filesystem::path outputDir = ".";
  std::optional<double> tstop;
  std::optional<int> threads;              // overrides the model's threads
  std::optional<std::string> kernels;      // overrides the model's [simulation] kernels
  std::optional<std::filesystem::path> spikes;  // overrides the model's spike file
  bool dryRun = false;
  bool quiet = false;
  bool cache = true;
  std::filesystem::path cacheDir;  // empty: the default cache directory
};

// Returns the process exit code; messages go to stderr, the summary to stdout.
int runModel(const RunOptions &options);

}  // namespace ranvier::tool
