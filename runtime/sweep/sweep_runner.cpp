#include "sweep/sweep_runner.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

#include "model/connection_rules.hpp"

namespace ranvier::sweep {

namespace {

using model::ModelError;

// The measures of every measured place (one per measured cell of every run), taken by
// each part's thread from its own places' v and calcium after every step past the
// transient (read in place: no probes, no copies of whole rows), all places of a part
// at once (analysis::TraceMeasuresBatch).
class Measuring : public sim::RunObserver {
public:
  // probes: v and calcium of place 0, of place 1, ... (as chunkModel records them)
  // traced: per place of the chunk, the index of its trace in `traces` (-1: none), kept
  // every `every` steps.
  Measuring(const std::vector<model::TraceProbe> &probes, std::size_t parts, double from, const analysis::MeasureOptions &options,
            const std::function<void(double)> &progress, const std::atomic<int> *stop, double tstop, const std::vector<std::ptrdiff_t> &traced,
            std::int64_t every, std::vector<RunTrace> *traces)
      : from_(from), progress_(progress), stop_(stop), tstop_(tstop), parts_(parts), traced_(traced), every_(every), traces_(traces) {
    const std::size_t cells = probes.size() / 2;
    where_.resize(cells);
    for (std::size_t c = 0; c < cells; ++c) {
      const std::size_t p = probes[2 * c].part;
      if (p != probes[2 * c + 1].part) throw std::logic_error("a cell's probes in two parts");
      Part &part = parts_.at(p);
      where_[c] = {p, part.v.size()};
      if (traces_ != nullptr && traced_[c] >= 0) part.traced.emplace_back(part.v.size(), static_cast<std::size_t>(traced_[c]));
      part.v.push_back(probes[2 * c].value);
      part.ca.push_back(probes[2 * c + 1].value);
    }
    for (Part &part : parts_) {
      part.measures = std::make_unique<analysis::TraceMeasuresBatch>(part.v.size(), options);
      part.vNow.resize(part.v.size());
      part.caNow.resize(part.v.size());
      // Cells in node and instance order have their values side by side: read in place.
      auto consecutive = [](const std::vector<const double *> &values) {
        for (std::size_t c = 1; c < values.size(); ++c) {
          if (values[c] != values[0] + c) return false;
        }
        return !values.empty();
      };
      part.vArray = consecutive(part.v) ? part.v[0] : nullptr;
      part.caArray = consecutive(part.ca) ? part.ca[0] : nullptr;
    }
  }

  // Initialisation's row (t = 0) of the traced cells.
  void samples(std::int64_t first, std::int64_t, const double *times, const double *, std::size_t) override {
    if (first != 0 || traces_ == nullptr) return;
    for (const Part &part : parts_) {
      for (const auto &[k, trace] : part.traced) (*traces_)[trace].rows.push_back({times[0], *part.v[k], *part.ca[k]});
    }
  }

  void afterStep(std::size_t p, double t) override {
    Part &part = parts_[p];
    if (!part.traced.empty() && ++part.steps % every_ == 0) {  // each trace belongs to one part: no other thread writes it
      for (const auto &[k, trace] : part.traced) (*traces_)[trace].rows.push_back({t, *part.v[k], *part.ca[k]});
    }
    if (!(t > from_)) return;
    const std::size_t n = part.v.size();
    if (part.vArray == nullptr) {
      for (std::size_t c = 0; c < n; ++c) part.vNow[c] = *part.v[c];
    }
    if (part.caArray == nullptr) {
      for (std::size_t c = 0; c < n; ++c) part.caNow[c] = *part.ca[c];
    }
    part.measures->add(t, part.vArray != nullptr ? part.vArray : part.vNow.data(), part.caArray != nullptr ? part.caArray : part.caNow.data());
  }

  bool proceed(double t) override {
    if (progress_) progress_(tstop_ > 0 ? t / tstop_ : 1.0);
    return stop_ == nullptr || stop_->load() == 0;
  }

  std::vector<analysis::Measures> finish() const {
    std::vector<analysis::Measures> out;
    out.reserve(where_.size());
    for (const auto &[p, k] : where_) out.push_back(parts_[p].measures->finish(k));
    return out;
  }

private:
  struct Part {
    std::vector<const double *> v, ca;  // of the part's cells, in cell order
    std::vector<double> vNow, caNow;          // the values, copied (when not side by side)
    const double *vArray = nullptr, *caArray = nullptr;  // the values in place, when side by side
    std::unique_ptr<analysis::TraceMeasuresBatch> measures;
    std::vector<std::pair<std::size_t, std::size_t>> traced;  // (cell in the part, its trace)
    std::int64_t steps = 0;
  };
  double from_;
  const std::function<void(double)> &progress_;
  const std::atomic<int> *stop_;
  double tstop_;
  std::vector<Part> parts_;
  std::vector<std::pair<std::size_t, std::size_t>> where_;  // per cell: part, position in it
  std::vector<std::ptrdiff_t> traced_;
  std::int64_t every_;
  std::vector<RunTrace> *traces_;
};

}  // namespace

Runner::Runner(const Spec &spec, model::MechanismProvider &mechanisms)
    : spec_(spec), mechanisms_(mechanisms), base_(model::loadModel(spec.model)), copies_(base_, spec) {
  for (std::size_t run : spec.traceRuns) {
    if (run >= spec.sets.size()) {
      throw ModelError(spec.tracesAt.line > 0 ? spec.tracesAt : model::SourceLocation{spec.file.string(), 1, 1},
                       "there is no run " + std::to_string(run) + " to trace: the sweep has " + std::to_string(spec.sets.size()) + " runs (0 to " +
                           std::to_string(spec.sets.size() - 1) + ")");
    }
  }
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  threads_ = spec.threads > 0 ? static_cast<std::size_t>(spec.threads) : (base_.threads > 0 ? static_cast<std::size_t>(base_.threads) : cores);
}

model::Model Runner::chunkModel(std::size_t first, std::size_t count) const {
  std::vector<std::size_t> runs(count);
  for (std::size_t k = 0; k < count; ++k) runs[k] = first + k;
  return modelOf(runs);
}

model::Model Runner::modelOf(const std::vector<std::size_t> &runs) const {
  std::vector<std::vector<double>> values;
  for (std::size_t run : runs) values.push_back(spec_.sets.at(run));
  model::Model m = copies_.make(values);
  m.tstop = spec_.tstop;
  m.dt = spec_.dt;
  m.kernels = kernels();
  m.threads = static_cast<int>(std::min(threads_, runs.size() * copies_.cellsPerCopy()));
  m.spikes.clear();
  for (std::size_t i = 0; i < runs.size(); ++i) {
    for (std::size_t place = 0; place < copies_.places().size(); ++place) {
      const model::Location loc = copies_.placeIn(i, place);
      for (const std::string &variable : {std::string("v"), spec_.calcium}) {
        model::RecordSpec r;
        r.variable = variable;
        r.location = loc;
        r.label = fmt::format("{}_{}_{}", variable, runs[i], place);
        r.at = loc.at;
        m.records.push_back(std::move(r));
      }
    }
  }
  return m;
}

// Sets that differ in celsius or v_init cannot share a model: the chunk is simulated as
// groups of sets that agree, each group one model (in the order of its first set).
std::vector<analysis::Measures> Runner::run(std::size_t first, std::size_t count, const std::function<void(double)> &progress, const std::atomic<int> *stop,
                                            std::vector<RunTrace> *traces) {
  std::vector<std::vector<std::size_t>> groups;
  for (std::size_t run = first; run < first + count; ++run) {
    auto same = [&](const std::vector<std::size_t> &g) { return copies_.sameSimulation(spec_.sets[g.front()], spec_.sets[run]); };
    auto it = std::find_if(groups.begin(), groups.end(), same);
    if (it == groups.end()) groups.push_back({run});
    else it->push_back(run);
  }
  const std::size_t places = copies_.places().size();
  std::vector<analysis::Measures> out(count * places);
  if (traces != nullptr) traces->clear();
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const auto share = [&](double fraction) {
      if (progress) progress((static_cast<double>(g) + fraction) / static_cast<double>(groups.size()));
    };
    std::vector<analysis::Measures> measured = runGroup(groups[g], share, stop, traces);
    if (measured.size() != groups[g].size() * places) return {};  // stopped
    for (std::size_t i = 0; i < groups[g].size(); ++i) {
      for (std::size_t place = 0; place < places; ++place) out[(groups[g][i] - first) * places + place] = std::move(measured[i * places + place]);
    }
  }
  if (traces != nullptr) std::stable_sort(traces->begin(), traces->end(), [](const RunTrace &a, const RunTrace &b) { return a.run < b.run; });
  return out;
}

std::vector<analysis::Measures> Runner::runGroup(const std::vector<std::size_t> &runs, const std::function<void(double)> &progress, const std::atomic<int> *stop,
                                                 std::vector<RunTrace> *traces) {
  model::BuiltModel built = model::build(modelOf(runs), mechanisms_);
  sim::Network &network = *built.network;
  const std::vector<model::TraceProbe> &probes = built.traces.at(0).probes;
  // Cells do not interact: the parts need not meet every millisecond.
  constexpr std::int64_t kIntervalSteps = 1000;
  if (built.connections == 0) network.setIntervalSteps(kIntervalSteps);
  analysis::MeasureOptions options;
  options.spikeThreshold = spec_.spikeThreshold;
  // per measured place of the group (run-major), the index of its trace
  const std::size_t places = copies_.places().size();
  std::vector<std::ptrdiff_t> traced(runs.size() * places, -1);
  if (traces != nullptr) {
    for (std::size_t i = 0; i < runs.size(); ++i) {
      if (std::find(spec_.traceRuns.begin(), spec_.traceRuns.end(), runs[i]) == spec_.traceRuns.end()) continue;
      for (std::size_t place = 0; place < places; ++place) {
        traced[i * places + place] = static_cast<std::ptrdiff_t>(traces->size());
        traces->push_back(RunTrace{runs[i], place, {}});
      }
    }
  }
  const std::int64_t every = spec_.traceInterval > 0 ? std::max<std::int64_t>(1, std::llround(spec_.traceInterval / spec_.dt)) : 1;
  Measuring measuring(probes, network.partCount(), spec_.transient, options, progress, stop, spec_.tstop, traced, every, traces);
  network.initialize(measuring);
  const auto steps = static_cast<std::int64_t>(std::llround(spec_.tstop / spec_.dt));
  if (network.run(steps, measuring) != steps) return {};
  return measuring.finish();
}

}  // namespace ranvier::sweep
