#pragma once
// A simulation split into parts (cell groups), each advanced by its own thread. Parts
// meet only once per exchange interval, the minimum NetCon delay: spikes fired during
// an interval cannot be due before the next one starts, so each part steps the whole
// interval alone, then all parts swap their spikes and queue the events they receive.
// Every connection goes through this exchange, with one part as with many, so the
// events a synapse receives, and their order, do not depend on the number of threads.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/communicator.hpp"
#include "sim/simulation.hpp"
#include "sim/spike.hpp"
#include "sim/spike_codec.hpp"

namespace ranvier::sim {

// Sees the run from one thread at a time, once per interval.
class RunObserver {
public:
  virtual ~RunObserver() = default;
  // The probe values of `count` consecutive steps, starting with step number `first`
  // (step 0: after initialisation): row k is values[k * columns ...], at times[k].
  virtual void samples(std::int64_t first, std::int64_t count, const double *times, const double *values, std::size_t columns) {
    (void)first, (void)count, (void)times, (void)values, (void)columns;
  }
  // The rows of each interval's steps (not initialisation's), but only the columns of
  // `part` are meant: called on that part's own thread right after it stepped the
  // interval, while other parts may be in the same call. For work that divides by part,
  // such as measuring each cell's trace.
  virtual void partSamples(std::size_t part, std::int64_t first, std::int64_t count, const double *times, const double *values, std::size_t columns) {
    (void)part, (void)first, (void)count, (void)times, (void)values, (void)columns;
  }
  // After every step of `part` (not initialisation's), on that part's thread, while other
  // parts may be in the same call; t is the part's time after the step. For work on each
  // step's state itself, read in place, without probes (the sweep's measures).
  virtual void afterStep(std::size_t part, double t) { (void)part, (void)t; }
  // After each interval; return false to stop the run there.
  virtual bool proceed(double t) {
    (void)t;
    return true;
  }
};

struct RunReport {
  std::vector<double> compute;  // s stepping, per part
  std::vector<double> wait;     // s waiting for the other parts, per part
  double wall = 0;              // s for the whole run
  std::int64_t intervals = 0, events = 0;
  std::int64_t spikes = 0;      // fired on this rank (every spike, with one rank)
  // Distributed runs: what this rank sent and got, and the time spent in the exchange
  // calls (which includes waiting for slower ranks).
  std::int64_t spikesSent = 0, spikesReceived = 0, bytesSent = 0;
  double exchangeSeconds = 0;
  // NEURON users' measure: the average over the maximum part compute time.
  double loadBalance() const;
};

class Network {
public:
  // `intervalSteps`: steps between exchanges (at least 1); with more than one part no
  // connection may be shorter than that.
  Network(std::vector<std::unique_ptr<Simulation>> parts, std::int64_t intervalSteps);
  ~Network();
  Network(const Network &) = delete;
  Network &operator=(const Network &) = delete;

  std::size_t partCount() const { return parts_.size(); }
  Simulation &part(std::size_t i) { return *parts_.at(i); }
  std::int64_t intervalSteps() const { return interval_; }
  // A longer or shorter exchange interval, before initialize(): for a network without
  // connections (any length is then exact), e.g. fewer meetings in a parameter sweep.
  void setIntervalSteps(std::int64_t steps) { interval_ = std::max<std::int64_t>(steps, 1); }
  double time() const { return parts_.front()->time(); }
  std::int64_t stepsDone() const { return steps_; }

  // A value to sample after every step; returns its column. The pointer must stay valid
  // and belong to `part` (which writes it).
  std::size_t addProbe(std::size_t part, const double *value);
  // The other ranks of a distributed run (default: none). Set before initialize(); it
  // must outlive the network.
  void setCommunicator(Communicator &communicator) { comm_ = &communicator; }
  const Communicator &communicator() const { return *comm_; }
  // With several ranks: the sources of this rank that connections on other ranks need;
  // only their spikes travel. Set before initialize().
  void setSentSources(const std::vector<std::int32_t> &sources);
  void setSpikeEncoding(SpikeEncoding encoding) { encoding_ = encoding; }
  // Keep the spikes of these sources (cells' gids, recorded detectors) fired here.
  void recordSource(std::int32_t source);
  // The kept spikes, sorted by time, then source. With several ranks, each keeps those
  // of its own sources.
  const std::vector<Spike> &spikes() const { return recorded_; }

  // finitialize on every part; samples step 0 through the observer.
  void initialize(RunObserver &observer);
  // Runs `steps` more steps (fewer when the observer stops it). Throws SimulationError
  // when a part reported an error (the first one); everything before is kept.
  std::int64_t run(std::int64_t steps, RunObserver &observer);
  const RunReport &report() const { return report_; }

private:
  void partLoop(std::size_t p);
  void stepPart(std::size_t p, std::int64_t count);
  void exchange(std::size_t steps);  // outboxes -> exchanged_, recorded_; `steps` of times_ are valid
  void endInterval(RunObserver &observer);  // on one thread, all parts waiting
  void sample(std::size_t p, std::int64_t row);

  std::vector<std::unique_ptr<Simulation>> parts_;
  std::int64_t interval_;
  std::vector<std::vector<std::pair<std::size_t, const double *>>> probes_;  // per part: (column, value)
  std::size_t columns_ = 0;
  std::vector<double> samples_, times_;  // this interval's rows
  std::vector<std::vector<double>> partTimes_;  // the same times, as each part stepped them
  std::vector<bool> recordedSource_, sentSource_;
  std::vector<Spike> local_, exchanged_, recorded_;
  std::vector<std::uint8_t> message_, messages_;
  std::vector<std::size_t> offsets_;
  SpikeEncoding encoding_ = SpikeEncoding::Compact;
  std::int64_t steps_ = 0;       // done since initialize
  std::int64_t target_ = 0;      // where run() stops
  std::int64_t current_ = 0;     // steps in the interval under way (0: stop)
  std::vector<std::string> errors_;  // per part: the first error
  RunReport report_;
  RunObserver *observer_ = nullptr;  // during run()
  Communicator single_;
  Communicator *comm_ = &single_;
  struct Sync;
  std::unique_ptr<Sync> sync_;
};

}  // namespace ranvier::sim
