#pragma once
// A RunObserver for tests: keeps every sampled row (t, then the first `columns` probe
// values; all of them by default); and a whole run of a built model recorded that way.
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <limits>
#include <vector>

#include "model/build.hpp"
#include "sim/network.hpp"

namespace ranvier::test {

class TraceRows : public sim::RunObserver {
public:
  explicit TraceRows(std::vector<std::vector<double>> &rows, std::size_t columns = std::numeric_limits<std::size_t>::max())
      : rows_(rows), limit_(columns) {}
  void samples(std::int64_t, std::int64_t count, const double *times, const double *values, std::size_t columns) override {
    const std::size_t kept = std::min(columns, limit_);
    for (std::int64_t k = 0; k < count; ++k) {
      std::vector<double> row{times[k]};
      for (std::size_t c = 0; c < kept; ++c) row.push_back(values[static_cast<std::size_t>(k) * columns + c]);
      rows_.push_back(std::move(row));
    }
  }

private:
  std::vector<std::vector<double>> &rows_;
  std::size_t limit_;
};

// Initialises and runs `built` to tstop, sampling the probes of its first trace file
// every step: the rows are t, then those probes.
inline std::vector<std::vector<double>> runFirstTrace(model::BuiltModel &built, double tstop) {
  sim::Network &network = *built.network;
  const auto &probes = built.traces.at(0).probes;
  for (const model::TraceProbe &p : probes) network.addProbe(p.part, p.value);
  std::vector<std::vector<double>> out;
  TraceRows rows(out, probes.size());
  network.initialize(rows);
  network.run(std::llround(tstop / built.dt), rows);
  return out;
}

// Appends recordings of `variables` at `place` ("soma(0.5)", "pair[1].soma(0.5)") to `m`.
inline void recordAt(model::Model &m, const std::string &place, std::initializer_list<const char *> variables) {
  for (const char *variable : variables) {
    model::RecordSpec r;
    r.variable = variable;
    r.location = model::parseLocation(place, {});
    m.records.push_back(std::move(r));
  }
}

// Builds `m` and runs it to its tstop: the rows of runFirstTrace.
inline std::vector<std::vector<double>> simulateModel(const model::Model &m, model::MechanismProvider &mechanisms) {
  model::BuiltModel built = model::build(m, mechanisms);
  return runFirstTrace(built, m.tstop);
}

}  // namespace ranvier::test
