#include "run.hpp"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <unistd.h>

#include <fmt/format.h>

#include "catalogue.hpp"
#include "jit/object_cache.hpp"
#include "model/build.hpp"
#include "model/model.hpp"
#include "sim/recorder.hpp"

namespace ranvier::tool {

namespace {

std::atomic<int> stopSignal{0};
extern "C" void onStopSignal(int signal) { stopSignal.store(signal); }

using Clock = std::chrono::steady_clock;
double secondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// Spikes as NEURON's out.spk: "time<TAB>label", sorted by time then label.
void writeSpikes(const std::filesystem::path &path, const model::BuiltModel &built) {
  std::vector<std::pair<double, std::string>> all;
  for (const model::SpikeRecord &r : built.spikes) {
    for (double t : built.simulation->detector(r.detector).spikes) all.emplace_back(t, r.label);
  }
  std::sort(all.begin(), all.end());
  std::FILE *f = std::fopen(path.c_str(), "w");
  if (f == nullptr) throw std::runtime_error("cannot write " + path.string());
  for (const auto &[t, label] : all) fmt::print(f, "{:.3f}\t{}\n", t, label);
  std::fclose(f);
}

}  // namespace

int runModel(const RunOptions &options) {
  const auto wallStart = Clock::now();
  model::Model m;
  try {
    m = model::loadModel(options.model);
  } catch (const model::ModelError &e) {
    fmt::print(stderr, "{}\n", e.formatted());
    return 1;
  }
  if (options.tstop) m.tstop = *options.tstop;

  jit::JitOptions jitOptions;
  if (options.cache) jitOptions.cacheDirectory = options.cacheDir.empty() ? jit::ObjectCache::defaultDirectory() : options.cacheDir;
  std::unique_ptr<JitCatalogue> catalogue;
  model::BuiltModel built;
  try {
    catalogue = std::make_unique<JitCatalogue>(m.mechanismPaths, jitOptions);
    built = model::build(m, *catalogue);
  } catch (const model::ModelError &e) {
    fmt::print(stderr, "{}\n", e.formatted());
    return 1;
  } catch (const std::exception &e) {
    fmt::print(stderr, "{}: error: {}\n", options.model.string(), e.what());
    return 1;
  }
  for (const std::string &w : catalogue->warnings) fmt::print(stderr, "warning: {}\n", w);
  const jit::JitStats &stats = catalogue->jit().stats();
  if (options.dryRun) {
    fmt::print("{}: ok: {} cell(s), {} node(s), {} mechanism instance(s) of {}; {} compiled, {} from the cache\n", options.model.string(), built.cells,
               built.nodes, built.instances, fmt::join(built.mechanisms, ", "), stats.compiled, stats.cached);
    return 0;
  }

  std::vector<std::unique_ptr<sim::TraceWriter>> writers;
  sim::Simulation &s = *built.simulation;
  const double dt = s.settings().dt;
  const auto steps = static_cast<std::int64_t>(std::llround(m.tstop / dt));
  std::int64_t done = 0;
  stopSignal.store(0);
  auto previousInt = std::signal(SIGINT, onStopSignal);
  auto previousTerm = std::signal(SIGTERM, onStopSignal);
  const bool terminal = !options.quiet && isatty(STDERR_FILENO);
  const auto simStart = Clock::now();
  int status = 0;
  try {
    for (const model::TraceFile &t : built.traces) {
      writers.push_back(std::make_unique<sim::TraceWriter>(options.outputDir / t.file, t.probes, t.everySteps));
    }
    s.initialize();
    for (auto &w : writers) w->sample(0, s.time());
    auto lastReport = Clock::now();
    bool showing = false;
    for (done = 0; done < steps; ++done) {
      s.step();
      for (auto &w : writers) w->sample(done + 1, s.time());
      if ((done & 255) == 0) {
        if (stopSignal.load() != 0) break;
        const double elapsed = secondsSince(simStart);
        if (elapsed > 1.0 && secondsSince(lastReport) > 0.25) {
          lastReport = Clock::now();
          for (auto &w : writers) w->flush();
          if (terminal) {
            const double fraction = static_cast<double>(done + 1) / static_cast<double>(steps);
            fmt::print(stderr, "\r  t = {:.1f} / {:.1f} ms  {:3.0f}%  {:.3g} ms/s  ETA {:.0f} s   ", s.time(), m.tstop, 100 * fraction,
                       s.time() / elapsed, elapsed * (1 - fraction) / fraction);
            showing = true;
          }
        }
      }
    }
    if (showing) fmt::print(stderr, "\r{:70}\r", "");
  } catch (const sim::SimulationError &e) {
    fmt::print(stderr, "{}: error: the simulation stopped {}\n", options.model.string(), e.what());
    status = 1;
  } catch (const std::exception &e) {
    fmt::print(stderr, "{}: error: {}\n", options.model.string(), e.what());
    status = 1;
  }
  std::signal(SIGINT, previousInt);
  std::signal(SIGTERM, previousTerm);
  const double simSeconds = secondsSince(simStart);
  std::vector<std::string> outputs;
  for (auto &w : writers) {
    w->flush();
    outputs.push_back(fmt::format("{} ({} rows)", w->path().string(), w->rows()));
  }
  writers.clear();
  if (!built.spikes.empty()) {
    const auto path = options.outputDir / built.spikesFile;
    try {
      writeSpikes(path, built);
      std::size_t count = 0;
      for (const auto &r : built.spikes) count += s.detector(r.detector).spikes.size();
      outputs.push_back(fmt::format("{} ({} spikes)", path.string(), count));
    } catch (const std::exception &e) {
      fmt::print(stderr, "error: {}\n", e.what());
      status = 1;
    }
  }
  const double simulated = s.time();
  if (stopSignal.load() != 0) {
    fmt::print(stderr, "{}: interrupted at t = {} ms; everything up to there is written\n", options.model.string(), simulated);
    status = 128 + stopSignal.load();
  }
  if (!options.quiet) {
    fmt::print("ranvier: {:.6g} ms simulated in {:.3f} s ({:.4g} ms/s; total {:.3f} s with {} compiled, {} cached mechanism(s)); {} cell(s), {} nodes; {}\n",
               simulated, simSeconds, simSeconds > 0 ? simulated / simSeconds : 0.0, secondsSince(wallStart), stats.compiled, stats.cached,
               built.cells, built.nodes, outputs.empty() ? std::string("nothing recorded") : fmt::format("{}", fmt::join(outputs, ", ")));
  }
  return status;
}

}  // namespace ranvier::tool
