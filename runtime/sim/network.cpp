#include "sim/network.hpp"

#include <algorithm>
#include <barrier>
#include <chrono>
#include <exception>
#include <functional>
#include <span>
#include <thread>

namespace ranvier::sim {

namespace {
using Clock = std::chrono::steady_clock;
double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }
}  // namespace

double RunReport::loadBalance() const {
  if (compute.empty()) return 1;
  const double most = *std::max_element(compute.begin(), compute.end());
  double sum = 0;
  for (double c : compute) sum += c;
  return most > 0 ? sum / static_cast<double>(compute.size()) / most : 1;
}

// The barrier the parts meet at; its completion step runs on the last part to arrive
// while the others wait.
struct Network::Sync {
  struct Completion {
    Network *network;
    void operator()() noexcept { network->endInterval(*network->observer_); }
  };
  explicit Sync(Network &n) : barrier(static_cast<std::ptrdiff_t>(n.parts_.size()), Completion{&n}) {}
  std::barrier<Completion> barrier;
};

Network::Network(std::vector<std::unique_ptr<Simulation>> parts, std::int64_t intervalSteps)
    : parts_(std::move(parts)), interval_(std::max<std::int64_t>(intervalSteps, 1)) {
  if (parts_.empty()) throw std::invalid_argument("a network needs at least one part");
  probes_.resize(parts_.size());
  errors_.resize(parts_.size());
  report_.compute.assign(parts_.size(), 0);
  report_.wait.assign(parts_.size(), 0);
  sync_ = std::make_unique<Sync>(*this);
}

Network::~Network() = default;

std::size_t Network::addProbe(std::size_t part, const double *value) {
  probes_.at(part).emplace_back(columns_, value);
  return columns_++;
}

void Network::recordSource(std::int32_t source) {
  if (source < 0) return;
  if (static_cast<std::size_t>(source) >= recordedSource_.size()) recordedSource_.resize(static_cast<std::size_t>(source) + 1, false);
  recordedSource_[static_cast<std::size_t>(source)] = true;
}

void Network::sample(std::size_t p, std::int64_t row) {
  double *out = samples_.data() + static_cast<std::size_t>(row) * columns_;
  for (const auto &[column, value] : probes_[p]) out[column] = *value;
  partTimes_[p][static_cast<std::size_t>(row)] = parts_[p]->time();
  if (p == 0) times_[static_cast<std::size_t>(row)] = parts_[0]->time();
}

void Network::setSentSources(const std::vector<std::int32_t> &sources) {
  sentSource_.clear();
  for (std::int32_t source : sources) {
    if (source < 0) continue;
    if (static_cast<std::size_t>(source) >= sentSource_.size()) sentSource_.resize(static_cast<std::size_t>(source) + 1, false);
    sentSource_[static_cast<std::size_t>(source)] = true;
  }
}

namespace {
bool member(const std::vector<bool> &set, std::int32_t source) { return static_cast<std::size_t>(source) < set.size() && set[static_cast<std::size_t>(source)]; }
}  // namespace

// Merges what every part fired this interval, and with several ranks what the others
// sent: sorted by time, then source, so the order does not depend on which part or rank
// a cell lives in.
void Network::exchange(std::size_t steps) {
  local_.clear();
  for (auto &part : parts_) {
    std::vector<Spike> &out = part->outbox();
    local_.insert(local_.end(), out.begin(), out.end());
    out.clear();
  }
  std::sort(local_.begin(), local_.end());
  report_.spikes += static_cast<std::int64_t>(local_.size());
  for (const Spike &s : local_) {
    if (member(recordedSource_, s.source)) recorded_.push_back(s);
  }
  exchanged_ = local_;
  if (comm_->size() > 1) {
    const auto start = Clock::now();
    const std::span<const double> stepTimes(times_.data(), steps);
    std::vector<Spike> &sent = local_;  // reused: the local spikes are in exchanged_
    std::erase_if(sent, [this](const Spike &s) { return !member(sentSource_, s.source); });
    message_.clear();
    encodeSpikes(sent, stepTimes, encoding_, message_);
    comm_->allGather(message_, messages_, offsets_);
    for (int r = 0; r < comm_->size(); ++r) {
      if (r == comm_->rank()) continue;
      const std::size_t from = offsets_[static_cast<std::size_t>(r)], to = offsets_[static_cast<std::size_t>(r) + 1];
      const std::size_t before = exchanged_.size();
      decodeSpikes(std::span<const std::uint8_t>(messages_).subspan(from, to - from), stepTimes, exchanged_);
      report_.spikesReceived += static_cast<std::int64_t>(exchanged_.size() - before);
    }
    std::sort(exchanged_.begin(), exchanged_.end());
    report_.spikesSent += static_cast<std::int64_t>(sent.size());
    report_.bytesSent += static_cast<std::int64_t>(message_.size());
    report_.exchangeSeconds += seconds(Clock::now() - start);
  }
}

void Network::initialize(RunObserver &observer) {
  recorded_.clear();
  exchanged_.clear();
  for (auto &e : errors_) e.clear();
  report_ = RunReport{};
  report_.compute.assign(parts_.size(), 0);
  report_.wait.assign(parts_.size(), 0);
  steps_ = 0;
  for (auto &part : parts_) part->setInitialVoltages();  // what other parts' INITIAL may read
  for (auto &part : parts_) {
    if (VoltageTransfer *transfer = part->transfer()) {  // and other ranks' (one collective)
      transfer->exchangeInitial();
      break;
    }
  }
  for (auto &part : parts_) part->initialize();
  samples_.assign(std::max<std::size_t>(columns_, 1) * static_cast<std::size_t>(interval_), 0.0);
  times_.assign(static_cast<std::size_t>(interval_), 0.0);
  partTimes_.assign(parts_.size(), times_);
  for (std::size_t p = 0; p < parts_.size(); ++p) sample(p, 0);
  observer.samples(0, 1, times_.data(), samples_.data(), columns_);
  exchange(1);
}

void Network::stepPart(std::size_t p, std::int64_t count) {
  Simulation &part = *parts_[p];
  std::int64_t k = 0;
  try {
    for (; k < count; ++k) {
      part.step();
      sample(p, k);
      observer_->afterStep(p, part.time());
    }
  } catch (const PeerStopped &) {
    part.abandonPeers(k + 1 < count);  // the part that failed reports why
  } catch (const std::exception &e) {
    errors_[p] = e.what();
    part.abandonPeers(k + 1 < count);  // its partners must not wait for it
  }
}

void Network::partLoop(std::size_t p) {
  Simulation &part = *parts_[p];
  for (;;) {
    const std::int64_t count = current_;  // set before the barrier released us
    if (count == 0) break;
    const auto start = Clock::now();
    const double barrierWait = part.barrierWaitSeconds();
    part.receive(exchanged_);
    stepPart(p, count);
    try {
      observer_->partSamples(p, steps_ + 1, count, partTimes_[p].data(), samples_.data(), columns_);
    } catch (const std::exception &e) {
      if (errors_[p].empty()) errors_[p] = e.what();
    }
    const auto arrived = Clock::now();
    sync_->barrier.arrive_and_wait();
    // Time at the per-step barriers (split cells, voltages) is waiting, not computing.
    const double waited = part.barrierWaitSeconds() - barrierWait;
    report_.compute[p] += seconds(arrived - start) - waited;
    report_.wait[p] += seconds(Clock::now() - arrived) + waited;
  }
}

// The barrier's completion step: noexcept, so what the observer throws becomes the
// run's error.
void Network::endInterval(RunObserver &observer) {
  const std::int64_t count = current_;
  steps_ += count;
  try {
    exchange(static_cast<std::size_t>(count));
  } catch (const std::exception &e) {
    if (errors_[0].empty()) errors_[0] = std::string("in the spike exchange: ") + e.what();
  }
  ++report_.intervals;
  bool go = std::all_of(errors_.begin(), errors_.end(), [](const std::string &e) { return e.empty(); });
  try {
    observer.samples(steps_ - count + 1, count, times_.data(), samples_.data(), columns_);
    go = observer.proceed(time()) && go;
  } catch (const std::exception &e) {
    if (errors_[0].empty()) errors_[0] = e.what();
    go = false;
  }
  go = comm_->allTrue(go);  // every rank stops at the same interval
  current_ = go ? std::min(interval_, target_ - steps_) : 0;
}

std::int64_t Network::run(std::int64_t steps, RunObserver &observer) {
  const auto start = Clock::now();
  const std::int64_t before = steps_;
  observer_ = &observer;
  target_ = steps_ + std::max<std::int64_t>(steps, 0);
  current_ = std::min(interval_, target_ - steps_);
  {
    std::vector<std::jthread> threads;
    for (std::size_t p = 1; p < parts_.size(); ++p) threads.emplace_back([this, p] { partLoop(p); });
    partLoop(0);
  }
  report_.wall += seconds(Clock::now() - start);
  report_.events = 0;
  for (const auto &part : parts_) report_.events += static_cast<std::int64_t>(part->eventsDelivered());
  for (auto &e : errors_) {
    if (!e.empty()) {
      std::string message = std::move(e);
      for (auto &other : errors_) other.clear();
      throw SimulationError(message);
    }
  }
  return steps_ - before;
}

}  // namespace ranvier::sim
