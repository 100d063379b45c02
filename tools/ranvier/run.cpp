#include "run.hpp"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <thread>
#include <cstdio>
#include <unistd.h>

#include <fmt/format.h>

#include "catalogue.hpp"
#include "jit/object_cache.hpp"
#include "model/build.hpp"
#include "model/model.hpp"
#include "sim/recorder.hpp"
#ifdef RANVIER_HAVE_MPI
#include "comm/mpi_communicator.hpp"
#endif

namespace ranvier::tool {

namespace {

std::atomic<int> stopSignal{0};
extern "C" void onStopSignal(int signal) { stopSignal.store(signal); }

using Clock = std::chrono::steady_clock;
double secondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// Spikes as NEURON's out.spk: "time<TAB>gid" (or the label of a spike recording),
// sorted by time, then gid. Written as they are exchanged: intervals follow each other
// in time, so appending keeps the order.
class SpikeWriter {
public:
  SpikeWriter(const std::filesystem::path &path, const model::BuiltModel &built) : path_(path), built_(built) {
    if (path.has_parent_path()) {
      std::error_code ec;
      std::filesystem::create_directories(path.parent_path(), ec);
    }
    file_ = std::fopen(path.c_str(), "w");
    if (file_ == nullptr) throw std::runtime_error("cannot write " + path.string());
  }
  ~SpikeWriter() {
    if (file_ != nullptr) std::fclose(file_);
  }
  SpikeWriter(const SpikeWriter &) = delete;
  SpikeWriter &operator=(const SpikeWriter &) = delete;

  void write(const std::vector<sim::Spike> &spikes) {
    for (; written_ < spikes.size(); ++written_) {
      const sim::Spike &s = spikes[written_];
      fmt::format_to(std::back_inserter(buffer_), "{:.{}f}\t", s.time, built_.spikePrecision);
      if (s.source < built_.gidCount) fmt::format_to(std::back_inserter(buffer_), "{}\n", s.source);
      else fmt::format_to(std::back_inserter(buffer_), "{}\n", built_.sourceLabels[static_cast<std::size_t>(s.source - built_.gidCount)]);
    }
  }
  void flush() {
    std::fwrite(buffer_.data(), 1, buffer_.size(), file_);
    std::fflush(file_);
    buffer_.clear();
  }
  std::size_t count() const { return written_; }
  const std::filesystem::path &path() const { return path_; }

private:
  std::filesystem::path path_;
  const model::BuiltModel &built_;
  std::FILE *file_ = nullptr;
  std::string buffer_;
  std::size_t written_ = 0;
};

// Traces, spikes and the progress line, fed by the network once per exchange interval.
class Output : public sim::RunObserver {
public:
  Output(const RunOptions &options, model::BuiltModel &built, double tstop, const sim::Communicator &comm) : built_(built), tstop_(tstop) {
    terminal_ = !options.quiet && comm.rank() == 0 && isatty(STDERR_FILENO);
    for (const model::TraceFile &t : built.traces) {
      std::vector<std::string> names;
      offsets_.push_back(columnOf(t, names));
      // With several ranks each writes what it owns, to its own file: traces.rank1.csv
      std::filesystem::path file = options.outputDir / t.file;
      if (comm.size() > 1) file.replace_filename(file.stem().string() + ".rank" + std::to_string(comm.rank()) + file.extension().string());
      writers_.push_back(std::make_unique<sim::TraceWriter>(file, names, t.everySteps));
    }
    if (built.recordsSpikes && comm.rank() == 0) {  // every rank has every spike; rank 0 writes them
      const std::filesystem::path path = options.spikes ? *options.spikes : options.outputDir / built.spikesFile;
      spikes_ = std::make_unique<SpikeWriter>(path, built);
    }
  }

  void samples(std::int64_t first, std::int64_t count, const double *times, const double *values, std::size_t columns) override {
    for (std::int64_t k = 0; k < count; ++k) {
      for (std::size_t w = 0; w < writers_.size(); ++w) writers_[w]->sample(first + k, times[k], values + static_cast<std::size_t>(k) * columns + offsets_[w]);
    }
  }

  bool proceed(double t) override {
    if (spikes_) spikes_->write(built_.network->spikes());
    if (stopSignal.load() != 0) return false;
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

  // Finishes the files; returns what was written, for the summary.
  std::vector<std::string> finish() {
    if (showing_) fmt::print(stderr, "\r{:70}\r", "");
    if (spikes_) spikes_->write(built_.network->spikes());
    flush();
    std::vector<std::string> out;
    for (auto &w : writers_) out.push_back(fmt::format("{} ({} rows)", w->path().string(), w->rows()));
    if (spikes_) out.push_back(fmt::format("{} ({} spikes)", spikes_->path().string(), spikes_->count()));
    writers_.clear();
    spikes_.reset();
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
  bool terminal_ = false, showing_ = false;
  std::vector<std::unique_ptr<sim::TraceWriter>> writers_;
  std::vector<std::size_t> offsets_;
  std::size_t nextColumn_ = 0;
  std::unique_ptr<SpikeWriter> spikes_;
  Clock::time_point start_ = Clock::now(), lastReport_ = Clock::now();
};

}  // namespace

int runModel(const RunOptions &options) {
  const auto wallStart = Clock::now();
  sim::Communicator single;
  sim::Communicator *comm = &single;
#ifdef RANVIER_HAVE_MPI
  std::unique_ptr<comm::MpiCommunicator> mpi;
  if (comm::launchedByMpi()) {
    mpi = std::make_unique<comm::MpiCommunicator>();
    comm = mpi.get();
    if (!mpi->sameEverywhere(std::string("ranvier ") + RANVIER_VERSION + " abi " + std::to_string(RV_ABI_VERSION))) {
      fmt::print(stderr, "ranvier (rank {}): the ranks run different builds of ranvier ({}); every rank must run the same one\n", mpi->rank(), RANVIER_VERSION);
      mpi->abort(1);
    }
  }
  // A rank that fails before the run ends the whole job (the others would wait forever).
  auto fail = [&](const std::string &message) {
    fmt::print(stderr, "{}{}\n", comm->size() > 1 ? fmt::format("[rank {} of {}] ", comm->rank(), comm->size()) : "", message);
    if (mpi && mpi->size() > 1) mpi->abort(1);
    return 1;
  };
#else
  auto fail = [&](const std::string &message) {
    fmt::print(stderr, "{}\n", message);
    return 1;
  };
#endif
  model::Model m;
  try {
    m = model::loadModel(options.model);
  } catch (const model::ModelError &e) {
    return fail(e.formatted());
  }
  if (options.tstop) m.tstop = *options.tstop;
  if (options.threads) m.threads = *options.threads;
  if (m.threads == 0 && comm->size() > 1) {
    // One machine's cores are shared by the ranks on it (MPICH's hydra says how many).
    const char *local = std::getenv("MPI_LOCALNRANKS");
    const int ranksHere = local != nullptr ? std::max(1, std::atoi(local)) : 1;
    m.threads = std::max(1, static_cast<int>(std::thread::hardware_concurrency()) / ranksHere);
  }

  jit::JitOptions jitOptions;
  if (options.cache) jitOptions.cacheDirectory = options.cacheDir.empty() ? jit::ObjectCache::defaultDirectory() : options.cacheDir;
  std::unique_ptr<JitCatalogue> catalogue;
  model::BuiltModel built;
  try {
    catalogue = std::make_unique<JitCatalogue>(m.mechanismPaths, jitOptions);
    built = model::build(m, *catalogue, comm);
  } catch (const model::ModelError &e) {
    return fail(e.formatted());
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

  const auto steps = static_cast<std::int64_t>(std::llround(m.tstop / m.dt));
  stopSignal.store(0);
  auto previousInt = std::signal(SIGINT, onStopSignal);
  auto previousTerm = std::signal(SIGTERM, onStopSignal);
  const auto simStart = Clock::now();
  int status = 0;
  std::unique_ptr<Output> output;
  std::vector<std::string> outputs;
  try {
    output = std::make_unique<Output>(options, built, m.tstop, *comm);
    network.initialize(*output);
    output->started();
    network.run(steps, *output);
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
  if (output) {
    try {
      outputs = output->finish();
    } catch (const std::exception &e) {
      fmt::print(stderr, "error: {}\n", e.what());
      status = 1;
    }
  }
  const double simulated = network.time();
  if (stopSignal.load() != 0) {
    fmt::print(stderr, "{}: interrupted at t = {} ms; everything up to there is written\n", options.model.string(), simulated);
    status = 128 + stopSignal.load();
  }
  const sim::RunReport &report = network.report();
  double compute = 0;
  for (double c : report.compute) compute = std::max(compute, c);
  const std::vector<double> rankCompute = comm->gather(compute);  // collective: every rank
  if (comm->size() > 1 && comm->rank() == 0 && !options.quiet) {
    double most = 0, sum = 0;
    for (double c : rankCompute) {
      most = std::max(most, c);
      sum += c;
    }
    fmt::print("ranvier: {} ranks; compute per rank {:.3f} s; load balance {:.2f}; spike exchange and waiting {:.3f} s; {} spikes exchanged\n",
               comm->size(), fmt::join(rankCompute, " "), most > 0 ? sum / static_cast<double>(rankCompute.size()) / most : 1.0,
               std::max(0.0, simSeconds - most), report.spikes);
  }
  if (!options.quiet && comm->rank() == 0) {
    const sim::RunReport &r = network.report();
    std::string threads = fmt::format("{} thread(s)", network.partCount());
    if (network.partCount() > 1) {
      double waiting = 0;
      for (double w : r.wait) waiting += w;
      threads += fmt::format(" (load balance {:.2f}, waiting {:.3f} s per thread)", r.loadBalance(), waiting / static_cast<double>(r.wait.size()));
    }
    fmt::print("ranvier: {:.6g} ms simulated in {:.3f} s ({:.4g} ms/s; total {:.3f} s with {} compiled, {} cached mechanism(s)); {}{} cell(s), {} nodes, "
               "{} connection(s), {}; {}\n",
               simulated, simSeconds, simSeconds > 0 ? simulated / simSeconds : 0.0, secondsSince(wallStart), stats.compiled, stats.cached,
               comm->size() > 1 ? "on rank 0: " : "", built.cells + built.artificialCells, built.nodes, built.connections, threads,
               outputs.empty() ? std::string("nothing recorded") : fmt::format("{}", fmt::join(outputs, ", ")));
  }
  return status;
}

}  // namespace ranvier::tool
