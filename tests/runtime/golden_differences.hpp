#pragma once
// A model run against NEURON's golden traces: the largest difference per recorded
// column, every step.
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "catalogue.hpp"
#include "golden_csv.hpp"
#include "model/build.hpp"
#include "trace_rows.hpp"

namespace ranvier::test {

// Runs `m` with `threads` threads to tstop and compares each recording of its first
// trace file with the golden CSV's column of the same label (a path under the source
// tree). NaN differences propagate.
inline std::map<std::string, double> worstDifferences(const model::Model &m, double tstop, const std::string &golden, int threads) {
  model::Model copy = m;
  copy.threads = threads;
  tool::JitCatalogue catalogue(copy.mechanismPaths, jit::JitOptions{});
  model::BuiltModel built = model::build(copy, catalogue);
  const std::vector<std::vector<double>> rows = runFirstTrace(built, tstop);
  const Csv csv = readCsv(sourceDir() + "/" + golden);
  EXPECT_EQ(rows.size(), csv.rows.size());
  std::map<std::string, double> out;
  const auto &probes = built.traces.at(0).probes;
  for (std::size_t p = 0; p < probes.size(); ++p) {
    const std::size_t column = csv.column(probes[p].name);
    double worst = 0;
    for (std::size_t r = 0; r < csv.rows.size() && r < rows.size(); ++r) {
      const double d = std::abs(rows[r][p + 1] - csv.number(r, column));
      if (!(d <= worst)) worst = d;
    }
    out[probes[p].name] = worst;
  }
  return out;
}

}  // namespace ranvier::test
