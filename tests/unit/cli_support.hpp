#pragma once
// Running the project's executables from tests.

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace ranvier::test {

struct CliRun {
  int status = -1;
  std::string output;  // stdout and stderr together
};

inline CliRun runCommand(const std::string &command) {
  CliRun run;
  FILE *pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return run;
  std::array<char, 4096> buffer{};
  std::size_t n = 0;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) run.output.append(buffer.data(), n);
  const int raw = pclose(pipe);
  run.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
  return run;
}

// A fresh directory under the system's temporary directory.
inline std::filesystem::path freshDirectory(const std::string &name) {
  const auto dir = std::filesystem::temp_directory_path() / ("ranvier_test_" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

inline void writeFile(const std::filesystem::path &path, const std::string &contents) {
  std::ofstream(path, std::ios::binary) << contents;
}

}  // namespace ranvier::test
