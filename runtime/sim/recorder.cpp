#include "sim/recorder.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

namespace ranvier::sim {

namespace {
constexpr std::size_t kFlushBytes = 1 << 16;
}

TraceWriter::TraceWriter(std::filesystem::path path, std::vector<std::string> columns, std::int64_t everySteps)
    : path_(std::move(path)), columns_(columns.size()), every_(std::max<std::int64_t>(everySteps, 1)) {
  if (path_.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(path_.parent_path(), ec);
  }
  file_ = std::fopen(path_.c_str(), "w");
  if (file_ == nullptr) throw std::runtime_error(fmt::format("cannot write {}: {}", path_.string(), std::strerror(errno)));
  buffer_ = "t";
  for (const std::string &name : columns) {
    buffer_ += ',';
    buffer_ += name;
  }
  buffer_ += '\n';
  flush();
}

TraceWriter::~TraceWriter() {
  if (file_ != nullptr) {
    flush();
    std::fclose(file_);
  }
}

void TraceWriter::sample(std::int64_t step, double t, const double *values) {
  if (step % every_ != 0) return;
  auto out = std::back_inserter(buffer_);
  fmt::format_to(out, "{}", t);
  for (std::size_t c = 0; c < columns_; ++c) fmt::format_to(out, ",{}", values[c]);
  buffer_ += '\n';
  ++rows_;
  if (buffer_.size() >= kFlushBytes) flush();
}

void TraceWriter::flush() {
  if (file_ == nullptr || buffer_.empty()) return;
  std::fwrite(buffer_.data(), 1, buffer_.size(), file_);
  std::fflush(file_);
  buffer_.clear();
}

}  // namespace ranvier::sim
