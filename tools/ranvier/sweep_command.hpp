#pragma once
// `ranvier sweep`: simulate every parameter set of a sweep file and write one CSV row of
// measures per set, appended as chunks of sets finish; --resume continues an
// interrupted sweep from the rows already written.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ranvier::tool {

struct SweepOptions {
  std::filesystem::path spec;
  std::filesystem::path out = "sweep.csv";
  std::optional<int> threads;  // overrides the sweep file
  std::optional<int> chunk;    // sets simulated together (overrides the sweep file)
  std::optional<std::string> kernels;     // overrides the sweep file and the model
  std::vector<std::size_t> trace;         // runs whose whole traces are written too (with the sweep file's)
  bool resume = false;
  bool quiet = false;
  bool cache = true;
  std::filesystem::path cacheDir;
};

// Returns the process exit code; messages go to stderr, the summary to stdout.
int runSweep(const SweepOptions &options);

}  // namespace ranvier::tool
