#pragma once
// Runs a sweep's parameter sets: a chunk of sets becomes one model of copies of the base
// model (sweep/copies.hpp), each copy with its own parameter values, so the SIMD lanes of
// every kernel call carry different sets and the network's threads share the copies.
// The measures are taken on the fly from v and calcium after every step; no trace is
// kept. A set's result does not depend on the chunk it runs in (copies do not interact,
// and every lane computes alike), so chunks may be cut anywhere.
#include <array>
#include <atomic>
#include <functional>
#include <vector>

#include "analysis/trace_measures.hpp"
#include "model/build.hpp"
#include "model/model.hpp"
#include "sweep/copies.hpp"
#include "sweep/sweep_spec.hpp"

namespace ranvier::sweep {

// The whole trace of one run at one measured place: rows of t (ms), v (mV) and the
// calcium variable.
struct RunTrace {
  std::size_t run = 0;
  std::size_t place = 0;  // in Runner::places()
  std::vector<std::array<double, 3>> rows;
};

class Runner {
public:
  // Loads the base model and resolves the parameters and measured places in it.
  // Throws model::ModelError.
  Runner(const Spec &spec, model::MechanismProvider &mechanisms);

  // The model of sets [first, first + count), which must agree in celsius and v_init:
  // for tests, and to check a sweep before it runs.
  model::Model chunkModel(std::size_t first, std::size_t count) const;

  // Simulates sets [first, first + count) and returns their measures, run by run, each
  // run's places() in order. `progress(fraction)` is called between exchange intervals;
  // when `stop` becomes non-zero the run ends early and nothing is returned. Throws
  // model::ModelError, sim::SimulationError.
  // The traces of the spec's traceRuns among them go to `traces` (when given).
  std::vector<analysis::Measures> run(std::size_t first, std::size_t count, const std::function<void(double)> &progress = {},
                                      const std::atomic<int> *stop = nullptr, std::vector<RunTrace> *traces = nullptr);

  const Spec &spec() const { return spec_; }
  const model::Model &base() const { return base_; }
  // The kernels the sweep runs with: the sweep file's, else the model's. The mechanism
  // provider must give mechanisms compiled that way.
  model::Kernels kernels() const { return spec_.kernels.value_or(base_.kernels); }
  std::size_t threads() const { return threads_; }
  // Where each run is measured (one place per measured cell), with the CSV labels.
  const std::vector<MeasuredPlace> &places() const { return copies_.places(); }
  std::size_t cellsPerRun() const { return copies_.cellsPerCopy(); }

private:
  model::Model modelOf(const std::vector<std::size_t> &runs) const;
  std::vector<analysis::Measures> runGroup(const std::vector<std::size_t> &runs, const std::function<void(double)> &progress, const std::atomic<int> *stop,
                                           std::vector<RunTrace> *traces);

  const Spec &spec_;
  model::MechanismProvider &mechanisms_;
  model::Model base_;
  Copies copies_;
  std::size_t threads_ = 1;
};

}  // namespace ranvier::sweep
