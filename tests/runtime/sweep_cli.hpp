#pragma once
// `ranvier sweep` run as a user runs it, for the sweep tests.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <gtest/gtest.h>

#include "../unit/cli_support.hpp"

namespace ranvier::test {

// `ranvier sweep SPEC OPTIONS --out OUT -q --cache-dir CACHE` (which must succeed): the
// file it wrote.
inline std::string sweepCsv(const std::filesystem::path &spec, const std::string &options, const std::filesystem::path &out,
                            const std::filesystem::path &cache) {
  const auto run = runCommand(std::string(RANVIER_PATH) + " sweep " + spec.string() + " " + options + " --out " + out.string() + " -q --cache-dir " + cache.string());
  EXPECT_EQ(run.status, 0) << run.output;
  std::ifstream in(out, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace ranvier::test
