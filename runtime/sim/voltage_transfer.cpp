#include "sim/voltage_transfer.hpp"

#include <cstring>
#include <numeric>
#include <stdexcept>

namespace ranvier::sim {

namespace {
using Clock = std::chrono::steady_clock;
}

VoltageExchange::VoltageExchange(const std::vector<std::size_t> &exports, int participants) : buffers_(exports.size()), barrier_(participants) {
  for (std::size_t p = 0; p < exports.size(); ++p) {
    for (std::vector<double> &buffer : buffers_[p]) buffer.assign(exports[p], 0.0);
  }
}

void VoltageExchange::setRemote(Communicator &comm, std::vector<RemoteExport> exports, std::vector<std::size_t> perRank) {
  comm_ = &comm;
  remoteExports_ = std::move(exports);
  perRank_ = std::move(perRank);
  remoteValues_.assign(std::accumulate(perRank_.begin(), perRank_.end(), std::size_t{0}), 0.0);
}

bool VoltageExchange::exchangeRemote(unsigned generation) {
  // one flag byte, then the voltages
  message_.resize(1 + sizeof(double) * remoteExports_.size());
  message_[0] = failed_.load(std::memory_order_acquire) ? 1 : 0;
  for (std::size_t i = 0; i < remoteExports_.size(); ++i) {
    const double v = published(remoteExports_[i].part, generation)[remoteExports_[i].k];
    std::memcpy(message_.data() + 1 + sizeof(double) * i, &v, sizeof v);
  }
  comm_->allGather(message_, all_, offsets_);
  bool anyFailed = false;
  std::size_t at = 0;
  for (std::size_t r = 0; r < perRank_.size(); ++r) {
    const std::size_t begin = offsets_[r], size = offsets_[r + 1] - begin;
    if (size != 1 + sizeof(double) * perRank_[r]) throw std::logic_error("the ranks disagree on the voltages they exchange");
    anyFailed = anyFailed || all_[begin] != 0;
    std::memcpy(remoteValues_.data() + at, all_.data() + begin + 1, sizeof(double) * perRank_[r]);
    at += perRank_[r];
  }
  return !anyFailed;
}

std::int32_t VoltageTransfer::exportVoltage(const double *v) {
  const auto [it, added] = exportIndex_.try_emplace(v, static_cast<std::int32_t>(exports_.size()));
  if (added) exports_.push_back(v);
  return it->second;
}

double *VoltageTransfer::importVoltage(std::size_t part, std::int32_t k) {
  imports_.push_back({part, k});
  return &slots_.emplace_back(0.0);
}

double *VoltageTransfer::importRemoteVoltage(std::int32_t i) {
  imports_.push_back({kRemote, i});
  return &slots_.emplace_back(0.0);
}

void VoltageTransfer::join(std::shared_ptr<VoltageExchange> exchange, std::size_t part) {
  exchange_ = std::move(exchange);
  part_ = part;
}

void VoltageTransfer::publishInitial() {
  generation_ = 0;
  wait_ = 0;
  stopped_ = false;
  exchange_->barrier().reset();
  exchange_->clearFailed();
  double *out = exchange_->published(part_, generation_);
  for (std::size_t k = 0; k < exports_.size(); ++k) out[k] = *exports_[k];
}

void VoltageTransfer::exchangeInitial() {
  if (exchange_->remote() && !exchange_->exchangeRemote(0)) throw std::runtime_error("another rank failed");
}

void VoltageTransfer::receiveInitial() { copyIn(); }

void VoltageTransfer::publish() {
  ++generation_;
  double *out = exchange_->published(part_, generation_);
  for (std::size_t k = 0; k < exports_.size(); ++k) out[k] = *exports_[k];
}

bool VoltageTransfer::receive() {
  const auto arrived = Clock::now();
  bool intact = false;
  if (exchange_->remote()) {
    // the last part of the rank to arrive exchanges with the other ranks
    intact = exchange_->barrier().arriveAndWait([this] {
      try {
        return exchange_->exchangeRemote(generation_);
      } catch (...) {
        return false;
      }
    });
  } else {
    intact = exchange_->barrier().arriveAndWait();
  }
  wait_ += std::chrono::duration<double>(Clock::now() - arrived).count();
  if (!intact) {
    stopped_ = true;
    return false;
  }
  copyIn();
  return true;
}

void VoltageTransfer::leave(bool moreSteps) {
  if (!exchange_->remote()) {
    exchange_->barrier().breakAll();
    return;
  }
  // Every rank must make the same exchanges: meet the others once more, saying that this
  // rank stops, unless this part already met them for the step, or no step is left.
  exchange_->markFailed();
  if (!stopped_ && moreSteps) (void)receive();
}

void VoltageTransfer::copyIn() {
  const std::vector<double> &remote = exchange_->remoteValues();  // empty without remote voltages
  for (std::size_t i = 0; i < imports_.size(); ++i) {
    const Import &in = imports_[i];
    slots_[i] = in.part == kRemote ? remote[static_cast<std::size_t>(in.k)] : exchange_->published(in.part, generation_)[in.k];
  }
}

}  // namespace ranvier::sim
