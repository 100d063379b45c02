#pragma once
// A parameter sweep (`ranvier sweep spec.toml`): a base model of one cell, the
// parameters to vary and how (grids, an explicit CSV of sets, or random samples), the
// run's length and the part to discard, and the measures' settings. docs/sweeps.md
// gives the file format.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "model/model.hpp"
#include "model/model_error.hpp"

namespace ranvier::sweep {

// One varied parameter, its values in `unit` ("": the parameter's own):
//   `mechanism.parameter`: of a density mechanism or a template's point, on every cell
//     that has it; or of a [[point]], or of a population of artificial cells, by name;
//     or `weight`/`delay` of a named [[netcon]];
//   `population.mechanism.parameter`: the same on the cells of one population only;
//   `celsius`, `v_init`: the simulation's (runs that differ in them are simulated apart).
// sweep/replicate.hpp resolves the names against the base model.
struct Parameter {
  std::string population, mechanism, parameter, unit;
  std::string name() const {
    if (mechanism.empty()) return parameter;
    return (population.empty() ? "" : population + ".") + mechanism + "." + parameter;
  }
  model::SourceLocation at;
};

struct Spec {
  std::filesystem::path file;
  std::filesystem::path model;           // the base model (one population of one template)
  double tstop = 1000, dt = 0.025;       // ms (the spec's, overriding the model's)
  double transient = 0;                  // ms discarded before measuring
  int threads = 0;                       // 0: one per core
  int chunk = 0;                         // sets simulated together; 0: chosen by the runner
  std::optional<model::Kernels> kernels; // overrides the model's [simulation] kernels
  double spikeThreshold = 0;             // mV
  std::string calcium = "cai";           // the variable burst metrics follow
  // Where v and calcium are read, one place per measured cell ("soma(0.5)",
  // "lp[0].soma(0.5)"); none: every cell of the base model, at its spike source or the
  // middle of its first section.
  std::vector<std::string> at;
  model::SourceLocation measuresAt;
  std::vector<Parameter> parameters;
  std::vector<std::vector<double>> sets; // one row per run, one value per parameter
  // Runs whose whole v and calcium traces are written too ([traces] runs = [...] or
  // `ranvier sweep --trace N`), every traceInterval ms (0: every step).
  std::vector<std::size_t> traceRuns;
  double traceInterval = 0;
  model::SourceLocation tracesAt;
};

// Reads and checks a sweep file and makes its parameter sets (grids: Cartesian product
// with the first parameter varying slowest; CSV: rows in file order; random: uniform or
// log-uniform draws from splitmix64 streams of (seed, run)). Throws model::ModelError.
Spec loadSpec(const std::filesystem::path &file);

}  // namespace ranvier::sweep
