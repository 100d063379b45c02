#include "sim/voltage_transfer.hpp"

namespace ranvier::sim {

namespace {
using Clock = std::chrono::steady_clock;
}

VoltageExchange::VoltageExchange(const std::vector<std::size_t> &exports, int participants) : buffers_(exports.size()), barrier_(participants) {
  for (std::size_t p = 0; p < exports.size(); ++p) {
    for (std::vector<double> &buffer : buffers_[p]) buffer.assign(exports[p], 0.0);
  }
}

std::int32_t VoltageTransfer::exportVoltage(const double *v) {
  for (std::size_t k = 0; k < exports_.size(); ++k) {
    if (exports_[k] == v) return static_cast<std::int32_t>(k);
  }
  exports_.push_back(v);
  return static_cast<std::int32_t>(exports_.size() - 1);
}

double *VoltageTransfer::importVoltage(std::size_t part, std::int32_t k) {
  imports_.push_back({part, k});
  return &slots_.emplace_back(0.0);
}

void VoltageTransfer::join(std::shared_ptr<VoltageExchange> exchange, std::size_t part) {
  exchange_ = std::move(exchange);
  part_ = part;
}

void VoltageTransfer::publishInitial() {
  generation_ = 0;
  wait_ = 0;
  exchange_->barrier().reset();
  double *out = exchange_->published(part_, generation_);
  for (std::size_t k = 0; k < exports_.size(); ++k) out[k] = *exports_[k];
}

void VoltageTransfer::receiveInitial() { copyIn(); }

void VoltageTransfer::publish() {
  ++generation_;
  double *out = exchange_->published(part_, generation_);
  for (std::size_t k = 0; k < exports_.size(); ++k) out[k] = *exports_[k];
}

bool VoltageTransfer::receive() {
  const auto arrived = Clock::now();
  const bool intact = exchange_->barrier().arriveAndWait();
  wait_ += std::chrono::duration<double>(Clock::now() - arrived).count();
  if (!intact) return false;
  copyIn();
  return true;
}

void VoltageTransfer::copyIn() {
  for (std::size_t i = 0; i < imports_.size(); ++i) {
    slots_[i] = exchange_->published(imports_[i].part, generation_)[imports_[i].k];
  }
}

}  // namespace ranvier::sim
