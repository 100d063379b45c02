#include "sweep_command.hpp"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <unistd.h>

#include <fmt/format.h>

#include "catalogue.hpp"
#include "jit/object_cache.hpp"
#include "sim/simulation.hpp"
#include "spike_output.hpp"
#include "sweep/sweep_runner.hpp"

namespace ranvier::tool {

namespace {

std::atomic<int> stopSweep{0};
extern "C" void onSweepSignal(int signal) { stopSweep.store(signal); }

using Clock = std::chrono::steady_clock;
double secondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

std::string header(const sweep::Spec &spec) {
  std::string out = "run";
  for (const sweep::Parameter &p : spec.parameters) out += "," + p.name();
  out += ",class,spikes,firing_rate_hz,burst_period_ms,spikes_per_burst,ca_peak_mean,duty_cycle,ca_peaks,v_min_mv,v_max_mv,reason\n";
  return out;
}

// The first columns of a row: the run number and its parameter values.
std::string rowStart(const sweep::Spec &spec, std::size_t run) {
  std::string out = fmt::format("{}", run);
  for (double v : spec.sets[run]) out += fmt::format(",{}", v);
  return out;
}

std::string row(const sweep::Spec &spec, std::size_t run, const analysis::Measures &m) {
  std::string reason = m.reason;
  for (char &c : reason) c = c == '"' || c == ',' ? ';' : c;
  return rowStart(spec, run) + fmt::format(",{},{},{},{},{},{},{},{},{},{},{}\n", analysis::kindName(m.kind), m.spikes, m.firingRate, m.burstPeriod, m.spikesPerBurst,
                                           m.caPeakMean, m.dutyCycle, m.caPeaks, m.vMin, m.vMax, reason);
}

// --resume: how many runs the file already holds (a prefix of the sweep, in order). The
// file is cut after its last complete row (an interrupted write leaves half a row).
// Throws when the file belongs to another sweep.
std::size_t rowsDone(const std::filesystem::path &path, const sweep::Spec &spec) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return 0;
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  in.close();
  const std::string head = header(spec);
  if (text.empty()) return 0;
  if (text.compare(0, head.size(), head) != 0) {
    throw std::runtime_error(fmt::format("{} was not written by this sweep (its header differs); move it away or drop --resume", path.string()));
  }
  std::size_t at = head.size(), done = 0;
  while (at < text.size()) {
    const std::size_t end = text.find('\n', at);
    if (end == std::string::npos) break;  // half a row
    const std::string line = text.substr(at, end - at);
    if (done >= spec.sets.size() || line.rfind(rowStart(spec, done) + ",", 0) != 0) {
      throw std::runtime_error(fmt::format("{}:{}: this row is not run {} of this sweep; move the file away or drop --resume", path.string(), done + 2, done));
    }
    ++done;
    at = end + 1;
  }
  std::filesystem::resize_file(path, at);
  return done;
}

}  // namespace

int runSweep(const SweepOptions &options) {
  const auto wallStart = Clock::now();
  sweep::Spec spec;
  try {
    spec = sweep::loadSpec(options.spec);
  } catch (const model::ModelError &e) {
    fmt::print(stderr, "{}\n", e.formatted());
    return 1;
  }
  if (options.threads) spec.threads = *options.threads;
  if (options.chunk) spec.chunk = *options.chunk;
  if (options.kernels) spec.kernels = kernelsNamed(*options.kernels);
  jit::JitOptions jitOptions;
  if (options.cache) jitOptions.cacheDirectory = options.cacheDir.empty() ? jit::ObjectCache::defaultDirectory() : options.cacheDir;
  std::unique_ptr<JitCatalogue> catalogue;
  std::unique_ptr<sweep::Runner> runner;
  std::size_t done = 0;
  try {
    const model::Model base = model::loadModel(spec.model);
    jitOptions.math = kernelMath(spec.kernels.value_or(base.kernels));
    runner = std::make_unique<sweep::Runner>(spec, *(catalogue = std::make_unique<JitCatalogue>(base.mechanismPaths, jitOptions)));
    (void)model::build(runner->chunkModel(0, 1), *catalogue);  // every mistake before any output: names, units, places
    if (options.resume) done = rowsDone(options.out, spec);
  } catch (const model::ModelError &e) {
    fmt::print(stderr, "{}\n", e.formatted());
    return 1;
  } catch (const std::exception &e) {
    fmt::print(stderr, "{}: error: {}\n", options.spec.string(), e.what());
    return 1;
  }
  const std::size_t total = spec.sets.size();
  const std::size_t chunk = spec.chunk > 0 ? static_cast<std::size_t>(spec.chunk) : std::min<std::size_t>(total, 256 * runner->threads());
  const bool terminal = !options.quiet && isatty(STDERR_FILENO);
  const std::size_t skipped = done;
  stopSweep.store(0);
  auto previousInt = std::signal(SIGINT, onSweepSignal);
  auto previousTerm = std::signal(SIGTERM, onSweepSignal);
  const auto simStart = Clock::now();
  int status = 0;
  try {
    OutputFile out(options.out, done > 0 ? "a" : "w");
    if (done == 0) out.write(header(spec));
    auto lastReport = Clock::now();
    while (done < total && stopSweep.load() == 0) {
      const std::size_t count = std::min(chunk, total - done);
      auto progress = [&](double fraction) {
        if (!terminal || secondsSince(lastReport) < 0.25) return;
        lastReport = Clock::now();
        const double runs = static_cast<double>(done - skipped) + fraction * static_cast<double>(count);
        const double elapsed = secondsSince(simStart);
        const double speed = elapsed > 0 ? runs * spec.tstop / 1000 / elapsed : 0;
        const double eta = runs > 0 ? elapsed * (static_cast<double>(total - skipped) - runs) / runs : 0;
        fmt::print(stderr, "\r  {:.0f}/{} runs  {:.0f}x real time  ETA {:.0f} s   ", runs + static_cast<double>(skipped), total, speed, eta);
      };
      const std::vector<analysis::Measures> measures = runner->run(done, count, progress, &stopSweep);
      if (measures.size() != count) break;  // stopped: the chunk is not written
      std::string rows;
      for (std::size_t k = 0; k < count; ++k) rows += row(spec, done + k, measures[k]);
      out.write(rows);
      done += count;
    }
    if (terminal) fmt::print(stderr, "\r{:70}\r", "");
  } catch (const model::ModelError &e) {
    fmt::print(stderr, "{}\n", e.formatted());
    status = 1;
  } catch (const sim::SimulationError &e) {
    fmt::print(stderr, "{}: error: a run of sets {}.. stopped {}\n", options.spec.string(), done, e.what());
    status = 1;
  } catch (const std::exception &e) {
    fmt::print(stderr, "{}: error: {}\n", options.spec.string(), e.what());
    status = 1;
  }
  std::signal(SIGINT, previousInt);
  std::signal(SIGTERM, previousTerm);
  const double seconds = secondsSince(simStart);
  if (stopSweep.load() != 0) {
    fmt::print(stderr, "{}: interrupted: {} of {} runs are in {}; `ranvier sweep {} --out {} --resume` goes on from there\n", options.spec.string(), done, total,
               options.out.string(), options.spec.string(), options.out.string());
    return 128 + stopSweep.load();
  }
  if (status == 0 && !options.quiet) {
    const double runs = static_cast<double>(done - skipped);
    fmt::print("ranvier: {} runs of {} ms in {:.3f} s ({:.0f}x real time; total {:.3f} s) with {} thread(s), {} per chunk, {} kernels{}; {} ({} rows)\n", done - skipped, spec.tstop, seconds,
               seconds > 0 ? runs * spec.tstop / 1000 / seconds : 0.0, secondsSince(wallStart), runner->threads(), chunk,
               runner->kernels() == model::Kernels::Fast ? "fast" : "exact",
               skipped > 0 ? fmt::format(", {} already done", skipped) : "", options.out.string(), done);
  }
  return status;
}

}  // namespace ranvier::tool
