#include "sweep_command.hpp"

#include <atomic>
#include <cstdio>
#include <fstream>
#include <unistd.h>

#include <fmt/format.h>

#include "analysis/burst_phase.hpp"
#include "catalogue.hpp"
#include "jit/object_cache.hpp"
#include "mpi_job.hpp"
#include "run_control.hpp"
#include "sim/simulation.hpp"
#include "spike_output.hpp"
#include "sweep/sweep_runner.hpp"

namespace ranvier::tool {

namespace {

constexpr const char *kMeasureColumns[] = {"class", "spikes", "firing_rate_hz", "burst_period_ms", "spikes_per_burst", "ca_peak_mean",
                                           "duty_cycle", "ca_peaks", "v_min_mv", "v_max_mv", "reason"};

// run, the parameters, then the measures of each measured place (prefixed by its label
// when there are several: "lp.spikes"), then the burst phase of every place but the
// first in the first one's cycle ("lp.phase").
std::string header(const sweep::Spec &spec, const std::vector<sweep::MeasuredPlace> &places) {
  std::string out = "run";
  for (const sweep::Parameter &p : spec.parameters) out += "," + p.name();
  for (const sweep::MeasuredPlace &place : places) {
    for (const char *column : kMeasureColumns) out += "," + (place.label.empty() ? std::string() : place.label + ".") + column;
  }
  for (std::size_t k = 1; k < places.size(); ++k) out += "," + places[k].label + ".phase";  // in the first place's cycle
  return out + "\n";
}

// The first columns of a row: the run number and its parameter values.
std::string rowStart(const sweep::Spec &spec, std::size_t run) {
  std::string out = fmt::format("{}", run);
  for (double v : spec.sets[run]) out += fmt::format(",{}", v);
  return out;
}

// A run's row: its places' measures are measures[0 .. places).
std::string row(const sweep::Spec &spec, std::size_t run, const analysis::Measures *measures, std::size_t places) {
  std::string out = rowStart(spec, run);
  for (std::size_t k = 0; k < places; ++k) {
    const analysis::Measures &m = measures[k];
    std::string reason = m.reason;
    for (char &c : reason) c = c == '"' || c == ',' ? ';' : c;
    out += fmt::format(",{},{},{},{},{},{},{},{},{},{},{}", analysis::kindName(m.kind), m.spikes, m.firingRate, m.burstPeriod, m.spikesPerBurst, m.caPeakMean,
                       m.dutyCycle, m.caPeaks, m.vMin, m.vMax, reason);
  }
  for (std::size_t k = 1; k < places; ++k) out += fmt::format(",{}", analysis::burstPhase(measures[0], measures[k]));
  return out + "\n";
}

// --resume: how many runs the file already holds (a prefix of the sweep, in order). The
// file is cut after its last complete row (an interrupted write leaves half a row).
// Throws when the file belongs to another sweep.
std::size_t rowsDone(const std::filesystem::path &path, const sweep::Spec &spec, const std::string &head) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return 0;
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  in.close();
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

// Where run N's traces go: next to the CSV, <stem>.runN.csv.
std::filesystem::path tracePath(const std::filesystem::path &out, std::size_t run) {
  return out.parent_path() / fmt::format("{}.run{}.csv", out.stem().string(), run);
}

// One run's traces (one per measured place, side by side, all with the same times).
void writeTrace(const std::filesystem::path &out, const sweep::Spec &spec, const std::vector<sweep::MeasuredPlace> &places, const sweep::RunTrace *traces) {
  std::string text = "t";
  for (const sweep::MeasuredPlace &place : places) {
    const std::string prefix = place.label.empty() ? "" : place.label + ".";
    text += fmt::format(",{}v,{}{}", prefix, prefix, spec.calcium);
  }
  text += "\n";
  for (std::size_t r = 0; r < traces[0].rows.size(); ++r) {
    text += fmt::format("{}", traces[0].rows[r][0]);
    for (std::size_t k = 0; k < places.size(); ++k) text += fmt::format(",{},{}", traces[k].rows.at(r)[1], traces[k].rows.at(r)[2]);
    text += "\n";
  }
  OutputFile(tracePath(out, traces[0].run), "w").write(text);
}

// Rank 0's number, on every rank.
std::size_t fromRankZero(sim::Communicator &comm, std::size_t value) {
  std::vector<std::uint8_t> mine, all;
  std::vector<std::size_t> offsets;
  if (comm.rank() == 0) {
    const auto v = static_cast<std::uint64_t>(value);
    for (int b = 0; b < 8; ++b) mine.push_back(static_cast<std::uint8_t>(v >> (8 * b)));
  }
  comm.allGather(mine, all, offsets);
  std::uint64_t v = 0;
  for (int b = 0; b < 8; ++b) v |= static_cast<std::uint64_t>(all.at(static_cast<std::size_t>(b))) << (8 * b);
  return static_cast<std::size_t>(v);
}

}  // namespace

// Under mpiexec every rank runs its own chunk of each round (rank r the r-th chunk after
// the rows already written), with its own threads; the rows travel to rank 0, which
// writes them in run order, so the file is the single process's, byte for byte.
int runSweep(const SweepOptions &options) {
  const auto wallStart = Clock::now();
  MpiJob job(options.quiet);
  sim::Communicator &comm = job.comm();
  const auto ranks = static_cast<std::size_t>(comm.size()), rank = static_cast<std::size_t>(comm.rank());
  sweep::Spec spec;
  try {
    spec = sweep::loadSpec(options.spec);
  } catch (const model::ModelError &e) {
    return job.fail(e.formatted());
  }
  if (options.threads) spec.threads = *options.threads;
  spec.traceRuns.insert(spec.traceRuns.end(), options.trace.begin(), options.trace.end());
  if (spec.threads == 0 && ranks > 1) spec.threads = job.threadsPerRank();
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
    if (options.resume && rank == 0) done = rowsDone(options.out, spec, header(spec, runner->places()));
  } catch (const model::ModelError &e) {
    return job.fail(e.formatted());
  } catch (const std::exception &e) {
    return job.fail(fmt::format("{}: error: {}", options.spec.string(), e.what()));
  }
  done = fromRankZero(comm, done);
  const std::size_t total = spec.sets.size();
  // By default at most 256 cells per thread in a chunk, in as few rounds as that allows,
  // the sets shared evenly by the rounds' chunks (no short last chunk for one rank).
  const std::size_t most = std::max<std::size_t>(1, 256 / runner->cellsPerRun()) * runner->threads() * ranks;
  const std::size_t rounds = std::max<std::size_t>(1, (total - std::min(total, done) + most - 1) / most);
  const std::size_t chunk = spec.chunk > 0 ? static_cast<std::size_t>(spec.chunk)
                                           : std::max<std::size_t>(1, (total - std::min(total, done) + rounds * ranks - 1) / (rounds * ranks));
  const bool terminal = !options.quiet && rank == 0 && isatty(STDERR_FILENO);
  const std::size_t skipped = done;
  auto signals = std::make_unique<StopSignals>();
  const auto simStart = Clock::now();
  int status = 0;
  try {
    std::unique_ptr<OutputFile> out;
    if (rank == 0) {
      out = std::make_unique<OutputFile>(options.out, done > 0 ? "a" : "w");
      if (done == 0) out->write(header(spec, runner->places()));
    }
    auto lastReport = Clock::now();
    std::vector<std::uint8_t> all;
    std::vector<std::size_t> offsets;
    for (;;) {
      // this round: chunk r of the runs after `done` is rank r's
      auto countOf = [&](std::size_t r) { return std::min(chunk, total - std::min(total, done + r * chunk)); };
      const std::size_t first = done + rank * chunk, count = countOf(rank), round = std::min(total - done, ranks * chunk);
      auto progress = [&](double fraction) {
        if (!terminal || secondsSince(lastReport) < 0.25) return;
        lastReport = Clock::now();
        const double runs = static_cast<double>(done - skipped) + fraction * static_cast<double>(round);
        const double elapsed = secondsSince(simStart);
        const double speed = elapsed > 0 ? runs * spec.tstop / 1000 / elapsed : 0;
        const double eta = runs > 0 ? elapsed * (static_cast<double>(total - skipped) - runs) / runs : 0;
        fmt::print(stderr, "\r  {:.0f}/{} runs  {:.0f}x real time  ETA {:.0f} s   ", runs + static_cast<double>(skipped), total, speed, eta);
      };
      std::string rows;
      if (count > 0) {
        std::vector<sweep::RunTrace> traces;
        const std::vector<analysis::Measures> measures = runner->run(first, count, progress, &signals->flag(), &traces);
        const std::size_t places = runner->places().size();
        if (measures.size() == count * places) {  // else stopped: the chunk is not written
          for (std::size_t k = 0; k < count; ++k) rows += row(spec, first + k, &measures[k * places], places);
          for (std::size_t k = 0; k < traces.size(); k += places) writeTrace(options.out, spec, runner->places(), &traces[k]);
        }
      }
      comm.allGather(std::vector<std::uint8_t>(rows.begin(), rows.end()), all, offsets);
      // the rows of the leading complete chunks, in run order
      std::vector<std::size_t> counts(ranks);
      for (std::size_t r = 0; r < ranks; ++r) counts[r] = countOf(r);
      bool complete = true;
      for (std::size_t r = 0; r < ranks && complete; ++r) {
        complete = counts[r] == 0 || offsets[r + 1] > offsets[r];
        if (!complete || counts[r] == 0) continue;
        if (out) out->write(std::string(all.begin() + static_cast<std::ptrdiff_t>(offsets[r]), all.begin() + static_cast<std::ptrdiff_t>(offsets[r + 1])));
        done += counts[r];
      }
      if (!comm.allTrue(complete && signals->caught() == 0) || done >= total) break;
    }
    if (terminal) fmt::print(stderr, "\r{:70}\r", "");
  } catch (const model::ModelError &e) {
    if (job.distributed()) return job.fail(e.formatted());
    fmt::print(stderr, "{}\n", e.formatted());
    status = 1;
  } catch (const sim::SimulationError &e) {
    const std::string message = fmt::format("{}: error: a run of sets {}.. stopped {}", options.spec.string(), done + rank * chunk, e.what());
    if (job.distributed()) return job.fail(message);
    fmt::print(stderr, "{}\n", message);
    status = 1;
  } catch (const std::exception &e) {
    if (job.distributed()) return job.fail(fmt::format("{}: error: {}", options.spec.string(), e.what()));
    fmt::print(stderr, "{}: error: {}\n", options.spec.string(), e.what());
    status = 1;
  }
  const int stopped = signals->caught();
  signals.reset();
  const double seconds = secondsSince(simStart);
  if (stopped != 0) {
    if (rank != 0) return 128 + stopped;
    fmt::print(stderr, "{}: interrupted: {} of {} runs are in {}; `ranvier sweep {} --out {} --resume` goes on from there\n", options.spec.string(), done, total,
               options.out.string(), options.spec.string(), options.out.string());
    return 128 + stopped;
  }
  if (status == 0 && !options.quiet && rank == 0) {
    const double runs = static_cast<double>(done - skipped);
    fmt::print("ranvier: {} runs of {} ms in {:.3f} s ({:.0f}x real time; total {:.3f} s) with {}{} thread(s), {} per chunk, {} kernels{}; {} ({} rows)\n", done - skipped, spec.tstop, seconds,
               seconds > 0 ? runs * spec.tstop / 1000 / seconds : 0.0, secondsSince(wallStart), ranks > 1 ? fmt::format("{} ranks x ", ranks) : "", runner->threads(), chunk,
               runner->kernels() == model::Kernels::Fast ? "fast" : "exact",
               skipped > 0 ? fmt::format(", {} already done", skipped) : "", options.out.string(), done);
  }
  return status;
}

}  // namespace ranvier::tool
