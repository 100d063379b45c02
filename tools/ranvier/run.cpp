#include "run.hpp"

#include <algorithm>
#include <atomic>
#include <numeric>
#include <cstdio>
#include <unistd.h>

#include <fmt/format.h>

#include "catalogue.hpp"
#include "jit/object_cache.hpp"
#include "model/build.hpp"
#include "model/model.hpp"
#include "sim/recorder.hpp"
#include "spike_output.hpp"
#include "trace_gather.hpp"
#include "mpi_job.hpp"
#include "run_control.hpp"

namespace ranvier::tool {

namespace {

// Traces, spikes and the progress line, fed by the network once per exchange interval.
class Output : public sim::RunObserver {
public:
  Output(const RunOptions &options, model::BuiltModel &built, double tstop, sim::Communicator &comm, const StopSignals &stop)
      : built_(built), tstop_(tstop), comm_(comm), stop_(stop) {
    terminal_ = !options.quiet && comm.rank() == 0 && isatty(STDERR_FILENO);
    for (const model::TraceFile &t : built.traces) {
      std::vector<std::string> names;
      offsets_.push_back(columnOf(t, names));
      // With several ranks each writes what it records to its own file: traces.rank1.csv
      const std::filesystem::path file = options.outputDir / t.file;
      traceFiles_.push_back(file);
      writers_.push_back(std::make_unique<sim::TraceWriter>(comm.size() > 1 ? rankTracePath(file, comm.rank()) : file, names, t.everySteps));
    }
    gatherTraces_ = comm.size() > 1 && built.gatherTraces;
    if (built.recordsSpikes) {  // with several ranks: each its own, merged at the end
      spikesPath_ = options.spikes ? *options.spikes : options.outputDir / built.spikesFile;
      spikes_ = comm.size() > 1 ? std::make_unique<SpikeWriter>(spikePartPath(spikesPath_, comm.rank()), built, SpikeWriter::Form::Part)
                                : std::make_unique<SpikeWriter>(spikesPath_, built, SpikeWriter::Form::Text);
    }
  }

  void samples(std::int64_t first, std::int64_t count, const double *times, const double *values, std::size_t columns) override {
    for (std::int64_t k = 0; k < count; ++k) {
      for (std::size_t w = 0; w < writers_.size(); ++w) writers_[w]->sample(first + k, times[k], values + static_cast<std::size_t>(k) * columns + offsets_[w]);
    }
  }

  bool proceed(double t) override {
    if (spikes_) spikes_->write(built_.network->spikes());
    if (stop_.caught() != 0) return false;
    const double elapsed = secondsSince(start_);
    if (elapsed > 1.0 && secondsSince(lastReport_) > 0.25) {
      lastReport_ = Clock::now();
      flush();
      if (terminal_) {
        const double fraction = tstop_ > 0 ? t / tstop_ : 1;
        fmt::print(stderr, "\r  t = {:.1f} / {:.1f} ms  {:3.0f}%  {:.3g} ms/s  ETA {:.0f} s   ", t, tstop_, 100 * fraction, t / elapsed,
                   fraction > 0 ? elapsed * (1 - fraction) / fraction : 0.0);
        showing_ = true;
      }
    }
    return true;
  }

  void flush() {
    for (auto &w : writers_) w->flush();
    if (spikes_) spikes_->flush();
  }

  // Finishes the files (collective: rank 0 merges the ranks' spikes, and their traces
  // when asked); returns what was written, for the summary.
  std::vector<std::string> finish() {
    if (showing_) fmt::print(stderr, "\r{:70}\r", "");
    if (spikes_) spikes_->write(built_.network->spikes());
    flush();
    std::vector<std::string> out;
    std::size_t spikeCount = spikes_ ? spikes_->count() : 0;
    std::vector<std::int64_t> rows;
    for (auto &w : writers_) rows.push_back(w->rows());
    writers_.clear();
    spikes_.reset();
    if (comm_.size() > 1) {
      comm_.barrier();  // every rank's files are complete
      if (comm_.rank() == 0 && built_.recordsSpikes) spikeCount = mergeSpikeParts(spikesPath_, comm_.size(), built_);
      if (comm_.rank() == 0 && gatherTraces_) {
        for (std::size_t k = 0; k < traceFiles_.size(); ++k) rows[k] = gatherTraces(traceFiles_[k], comm_.size(), built_.traces[k]);
      }
    }
    for (std::size_t k = 0; k < traceFiles_.size(); ++k) {
      const std::filesystem::path file = comm_.size() > 1 && !gatherTraces_ ? rankTracePath(traceFiles_[k], comm_.rank()) : traceFiles_[k];
      out.push_back(fmt::format("{} ({} rows)", file.string(), rows[k]));
    }
    if (built_.recordsSpikes) out.push_back(fmt::format("{} ({} spikes)", spikesPath_.string(), spikeCount));
    return out;
  }

  void started() { start_ = lastReport_ = Clock::now(); }

private:
  // Registers a trace file's probes with the network: their columns are contiguous.
  std::size_t columnOf(const model::TraceFile &t, std::vector<std::string> &names) {
    std::size_t first = nextColumn_;
    for (const model::TraceProbe &p : t.probes) {
      const std::size_t column = built_.network->addProbe(p.part, p.value);
      if (column != nextColumn_) throw std::logic_error("trace columns out of order");
      ++nextColumn_;
      names.push_back(p.name);
    }
    return first;
  }

  model::BuiltModel &built_;
  double tstop_;
  sim::Communicator &comm_;
  bool terminal_ = false, showing_ = false, gatherTraces_ = false;
  std::vector<std::unique_ptr<sim::TraceWriter>> writers_;
  std::vector<std::filesystem::path> traceFiles_;
  std::filesystem::path spikesPath_;
  std::vector<std::size_t> offsets_;
  std::size_t nextColumn_ = 0;
  std::unique_ptr<SpikeWriter> spikes_;
  Clock::time_point start_ = Clock::now(), lastReport_ = Clock::now();
  const StopSignals &stop_;
};

// The distributed run's report (collective; rank 0 prints): NEURON users' measures.
void reportRanks(const sim::RunReport &report, double wall, sim::Communicator &comm, bool quiet) {
  const double compute = report.compute.empty() ? 0.0 : *std::max_element(report.compute.begin(), report.compute.end());
  const std::vector<double> rankCompute = comm.gather(compute);
  const std::vector<double> inExchange = comm.gather(report.exchangeSeconds);
  const std::vector<double> fired = comm.gather(static_cast<double>(report.spikes));
  const std::vector<double> sent = comm.gather(static_cast<double>(report.spikesSent));
  const std::vector<double> bytes = comm.gather(static_cast<double>(report.bytesSent));
  if (comm.rank() != 0 || quiet) return;
  auto sum = [](const std::vector<double> &v) { return std::accumulate(v.begin(), v.end(), 0.0); };
  const double most = *std::max_element(rankCompute.begin(), rankCompute.end());
  const double balance = most > 0 ? sum(rankCompute) / static_cast<double>(rankCompute.size()) / most : 1.0;
  fmt::print("ranvier: {} ranks; compute per rank {:.3f} s; load balance {:.2f}; spike exchange {:.3f} s (wall minus the slowest rank's compute; "
             "in exchange calls at most {:.3f} s); {:.0f} spikes fired, {:.0f} sent to other ranks, {:.0f} bytes sent ({:.1f} per spike)\n",
             comm.size(), fmt::join(rankCompute, " "), balance, std::max(0.0, wall - most), *std::max_element(inExchange.begin(), inExchange.end()), sum(fired), sum(sent),
             sum(bytes), sum(sent) > 0 ? sum(bytes) / sum(sent) : 0.0);
}

}  // namespace

int runModel(const RunOptions &options) {
  const auto wallStart = Clock::now();
  MpiJob job(options.quiet);
  sim::Communicator *comm = &job.comm();
  auto fail = [&](const std::string &message) { return job.fail(message); };
  model::Model m;
  try {
    m = model::loadModel(options.model);
  } catch (const model::ModelError &e) {
    return fail(e.formatted());
  }
  if (options.tstop) m.tstop = *options.tstop;
  if (options.threads) m.threads = *options.threads;
  if (options.kernels) m.kernels = kernelsNamed(*options.kernels);
  if (m.threads == 0 && comm->size() > 1) {
    m.threads = job.threadsPerRank();
  }

  jit::JitOptions jitOptions;
  jitOptions.math = kernelMath(m.kernels);
  if (options.cache) jitOptions.cacheDirectory = options.cacheDir.empty() ? jit::ObjectCache::defaultDirectory() : options.cacheDir;
  std::unique_ptr<JitCatalogue> catalogue;
  model::BuiltModel built;
  try {
    catalogue = std::make_unique<JitCatalogue>(m.mechanismPaths, jitOptions);
    built = model::build(m, *catalogue, comm);
  } catch (const model::ModelError &e) {
    return fail(e.formatted());
  } catch (const std::bad_alloc &) {
    return fail(fmt::format("{}: error: out of memory while building the model", options.model.string()));
  } catch (const std::exception &e) {
    return fail(fmt::format("{}: error: {}", options.model.string(), e.what()));
  }
  for (const std::string &w : catalogue->warnings) fmt::print(stderr, "warning: {}\n", w);
  for (const std::string &w : built.warnings) fmt::print(stderr, "{}: warning: {}\n", options.model.string(), w);
  const jit::JitStats &stats = catalogue->jit().stats();
  sim::Network &network = *built.network;
  if (options.dryRun) {
    fmt::print("{}: ok: {} cell(s){}, {} node(s), {} mechanism instance(s) of {}, {} connection(s); {} thread(s); {} compiled, {} from the cache\n",
               options.model.string(), built.cells, built.artificialCells > 0 ? fmt::format(" and {} artificial cell(s)", built.artificialCells) : "", built.nodes, built.instances, fmt::join(built.mechanisms, ", "), built.connections,
               network.partCount(), stats.compiled, stats.cached);
    return 0;
  }

  if (!options.quiet && comm->rank() == 0) {
    for (const model::SplitCellSummary &split : built.splitCells) {
      fmt::print("ranvier: cell {} split into {} pieces and {} interface node(s); its complexity per thread: {}\n", split.cell, split.pieces, split.interfaces,
                 fmt::join(split.partCost, ", "));
    }
  }
  const auto steps = static_cast<std::int64_t>(std::llround(m.tstop / m.dt));
  auto signals = std::make_unique<StopSignals>();
  const auto simStart = Clock::now();
  int status = 0;
  std::unique_ptr<Output> output;
  std::vector<std::string> outputs;
  try {
    output = std::make_unique<Output>(options, built, m.tstop, *comm, *signals);
    network.initialize(*output);
    output->started();
    network.run(steps, *output);
  } catch (const sim::SimulationError &e) {
    // With several ranks, the others have stopped at the same interval (they agree on
    // going on); this rank ends the job.
    if (comm->size() > 1) return fail(fmt::format("{}: error: the simulation stopped {}", options.model.string(), e.what()));
    fmt::print(stderr, "{}: error: the simulation stopped {}\n", options.model.string(), e.what());
    status = 1;
  } catch (const std::bad_alloc &) {
    return fail(fmt::format("{}: error: out of memory while simulating", options.model.string()));
  } catch (const std::exception &e) {
    if (comm->size() > 1) return fail(fmt::format("{}: error: {}", options.model.string(), e.what()));
    fmt::print(stderr, "{}: error: {}\n", options.model.string(), e.what());
    status = 1;
  }
  const int stopped = signals->caught();
  signals.reset();  // Ctrl-C while the files are finished kills, as without a run (the network no longer asks)
  const double simSeconds = secondsSince(simStart);
  if (output) {
    try {
      outputs = output->finish();
    } catch (const std::exception &e) {
      if (comm->size() > 1) return fail(fmt::format("error: {}", e.what()));
      fmt::print(stderr, "error: {}\n", e.what());
      status = 1;
    }
  }
  const double simulated = network.time();
  if (stopped != 0) {
    if (comm->rank() == 0) fmt::print(stderr, "{}: interrupted at t = {} ms; everything up to there is written\n", options.model.string(), simulated);
    status = 128 + stopped;
  }
  if (comm->size() > 1) reportRanks(network.report(), simSeconds, *comm, options.quiet);
  if (!options.quiet && comm->rank() == 0) {
    const sim::RunReport &r = network.report();
    std::string threads = fmt::format("{} thread(s)", network.partCount());
    if (!built.fewerThreads.empty()) threads += " (" + built.fewerThreads + ")";
    if (network.partCount() > 1) {
      double waiting = 0;
      for (double w : r.wait) waiting += w;
      threads += fmt::format(" (load balance {:.2f}, waiting {:.3f} s per thread)", r.loadBalance(), waiting / static_cast<double>(r.wait.size()));
    }
    fmt::print("ranvier: {:.6g} ms simulated in {:.3f} s ({:.4g} ms/s; total {:.3f} s with {} compiled, {} cached mechanism(s){}); {}{} cell(s), {} nodes, "
               "{} connection(s), {}; {}\n",
               simulated, simSeconds, simSeconds > 0 ? simulated / simSeconds : 0.0, secondsSince(wallStart), stats.compiled, stats.cached,
               m.kernels == model::Kernels::Fast ? ", fast kernels" : "",
               comm->size() > 1 ? "on rank 0: " : "", built.cells + built.artificialCells, built.nodes, built.connections, threads,
               outputs.empty() ? std::string("nothing recorded") : fmt::format("{}", fmt::join(outputs, ", ")));
  }
  return status;
}

}  // namespace ranvier::tool
