#pragma once
// Traces: values sampled every k steps and written as CSV rows (t, then one column per
// probe). Rows are flushed in small batches, so a run that is stopped keeps what it
// had written.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace ranvier::sim {

class TraceWriter {
public:
  // Opens (truncates) the file and writes the header. Throws std::runtime_error naming
  // the file when it cannot be written.
  TraceWriter(std::filesystem::path path, std::vector<std::string> columns, std::int64_t everySteps);
  ~TraceWriter();
  TraceWriter(const TraceWriter &) = delete;
  TraceWriter &operator=(const TraceWriter &) = delete;

  // Called after initialisation (step 0) and after every step with the columns' values;
  // keeps every k-th.
  void sample(std::int64_t step, double t, const double *values);
  void flush();
  const std::filesystem::path &path() const { return path_; }
  std::int64_t rows() const { return rows_; }

private:
  std::filesystem::path path_;
  std::size_t columns_;
  std::int64_t every_;
  std::FILE *file_ = nullptr;
  std::string buffer_;
  std::int64_t rows_ = 0;
};

}  // namespace ranvier::sim
