#include "sweep/sweep_runner.hpp"

#include <cmath>
#include <memory>
#include <stdexcept>
#include <thread>

#include "model/connection_rules.hpp"

namespace ranvier::sweep {

namespace {

using model::ModelError;

// The measures of every cell, taken by each part's thread from its own cells' v and
// calcium after every step past the transient (read in place: no probes, no copies of
// whole rows), all cells of a part at once (analysis::TraceMeasuresBatch).
class Measuring : public sim::RunObserver {
public:
  // probes: v and calcium of cell 0, of cell 1, ... (as chunkModel records them)
  // traced: per cell of the chunk, the index of its trace in `traces` (-1: none), kept
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

Runner::Runner(const Spec &spec, model::MechanismProvider &mechanisms) : spec_(spec), mechanisms_(mechanisms), base_(model::loadModel(spec.model)) {
  const model::SourceLocation at{spec.model.string(), 1, 1};
  std::size_t cellPopulations = 0;
  for (const model::Population &p : base_.populations) cellPopulations += p.mechanism.empty() ? 1 : 0;
  if (base_.populations.size() != 1 || cellPopulations != 1 || base_.populations[0].count != 1) {
    throw ModelError(at, "a sweep varies one cell: its model must have one cell (a [cell.<name>] template and no populations, or one population of count 1)");
  }
  if (!base_.netcons.empty()) throw ModelError(base_.netcons.front().at, "a sweep's cell model has no connections");
  if (!base_.points.empty()) throw ModelError(base_.points.front().at, "a sweep's cell model places points on the template (points = [...]), not with [[point]]",
                                              "move the point into the template's points");
  const model::CellTemplate &t = base_.templates.at(base_.populations[0].cellTemplate);
  if (!spec.at.empty()) {
    at_ = spec.at;
  } else if (t.spikeSource) {
    at_ = t.spikeSource->section + "(" + std::to_string(t.spikeSource->x) + ")";
  } else {
    at_ = t.morphology.sections.at(0).name + "(0.5)";
  }
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
  model::Model m = base_;
  m.tstop = spec_.tstop;
  m.dt = spec_.dt;
  m.kernels = kernels();
  m.threads = static_cast<int>(std::min(threads_, count));
  m.spikes.clear();
  m.records.clear();
  model::Population &pop = m.populations[0];
  pop.count = static_cast<int>(count);
  for (std::size_t k = 0; k < spec_.parameters.size(); ++k) {
    const Parameter &p = spec_.parameters[k];
    model::CellValues values{p.mechanism, p.parameter, p.unit, {}, p.at};
    for (std::size_t s = first; s < first + count; ++s) values.values.push_back(spec_.sets.at(s).at(k));
    pop.perCell.push_back(std::move(values));
  }
  for (std::size_t i = 0; i < count; ++i) {
    const std::string where = pop.name + "[" + std::to_string(i) + "]." + at_;
    const model::Location loc = model::parseLocation(where, spec_.file.empty() ? model::SourceLocation{} : model::SourceLocation{spec_.file.string(), 1, 1});
    for (const std::string &variable : {std::string("v"), spec_.calcium}) {
      model::RecordSpec r;
      r.variable = variable;
      r.location = loc;
      r.label = variable + "_" + std::to_string(first + i);
      r.at = loc.at;
      m.records.push_back(std::move(r));
    }
  }
  return m;
}

std::vector<analysis::Measures> Runner::run(std::size_t first, std::size_t count, const std::function<void(double)> &progress, const std::atomic<int> *stop,
                                            std::vector<RunTrace> *traces) {
  model::BuiltModel built = model::build(chunkModel(first, count), mechanisms_);
  sim::Network &network = *built.network;
  const std::vector<model::TraceProbe> &probes = built.traces.at(0).probes;
  // Cells do not interact: the parts need not meet every millisecond.
  constexpr std::int64_t kIntervalSteps = 1000;
  if (built.connections == 0) network.setIntervalSteps(kIntervalSteps);
  analysis::MeasureOptions options;
  options.spikeThreshold = spec_.spikeThreshold;
  std::vector<std::ptrdiff_t> traced(count, -1);
  if (traces != nullptr) {
    traces->clear();
    for (std::size_t run : spec_.traceRuns) {
      if (run < first || run >= first + count || traced[run - first] >= 0) continue;
      traced[run - first] = static_cast<std::ptrdiff_t>(traces->size());
      traces->push_back(RunTrace{run, {}});
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
