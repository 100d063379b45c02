#include "spike_output.hpp"

#include <cerrno>
#include <cstring>
#include <queue>
#include <stdexcept>

#include <fmt/format.h>

namespace ranvier::tool {

namespace {
constexpr std::size_t kFlushBytes = 1 << 16;
constexpr std::size_t kRecordBytes = sizeof(double) + sizeof(std::int32_t);

void appendRecord(const sim::Spike &s, std::string &out) {
  char bytes[kRecordBytes];
  std::memcpy(bytes, &s.time, sizeof(double));
  std::memcpy(bytes + sizeof(double), &s.source, sizeof(std::int32_t));
  out.append(bytes, kRecordBytes);
}

// One part file, read a record at a time.
class PartReader {
public:
  explicit PartReader(const std::filesystem::path &path) : path_(path), file_(std::fopen(path.c_str(), "rb")) {
    if (file_ == nullptr) throw std::runtime_error(fmt::format("cannot read {}: {}", path.string(), std::strerror(errno)));
    std::setvbuf(file_, nullptr, _IOFBF, 1 << 16);
  }
  ~PartReader() {
    if (file_ != nullptr) std::fclose(file_);
  }
  PartReader(const PartReader &) = delete;
  PartReader &operator=(const PartReader &) = delete;
  bool next(sim::Spike &s) {
    char bytes[kRecordBytes];
    const std::size_t got = std::fread(bytes, 1, kRecordBytes, file_);
    if (got == 0) return false;
    if (got != kRecordBytes) throw std::runtime_error(fmt::format("{} ends in the middle of a spike", path_.string()));
    std::memcpy(&s.time, bytes, sizeof(double));
    std::memcpy(&s.source, bytes + sizeof(double), sizeof(std::int32_t));
    return true;
  }

private:
  std::filesystem::path path_;
  std::FILE *file_;
};
}  // namespace

void formatSpike(const sim::Spike &s, const model::BuiltModel &built, std::string &out) {
  fmt::format_to(std::back_inserter(out), "{:.{}f}\t", s.time, built.spikePrecision);
  if (s.source < built.gidCount) fmt::format_to(std::back_inserter(out), "{}\n", s.source);
  else fmt::format_to(std::back_inserter(out), "{}\n", built.sourceLabels.at(static_cast<std::size_t>(s.source - built.gidCount)));
}

OutputFile::OutputFile(const std::filesystem::path &path, const char *mode) : path_(path) {
  if (path.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
  }
  file_ = std::fopen(path.c_str(), mode);
  if (file_ == nullptr) throw std::runtime_error(fmt::format("cannot write {}: {}", path.string(), std::strerror(errno)));
}

OutputFile::~OutputFile() {
  if (file_ != nullptr) std::fclose(file_);
}

void OutputFile::write(const std::string &bytes) {
  if (bytes.empty()) return;
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size() || std::fflush(file_) != 0) {
    throw std::runtime_error(fmt::format("cannot write {}: {}", path_.string(), std::strerror(errno)));
  }
}

SpikeWriter::SpikeWriter(const std::filesystem::path &path, const model::BuiltModel &built, Form form)
    : file_(path, form == Form::Text ? "w" : "wb"), built_(built), form_(form) {}

void SpikeWriter::write(const std::vector<sim::Spike> &spikes) {
  for (; written_ < spikes.size(); ++written_) {
    if (form_ == Form::Text) formatSpike(spikes[written_], built_, buffer_);
    else appendRecord(spikes[written_], buffer_);
  }
  if (buffer_.size() >= kFlushBytes) flush();
}

void SpikeWriter::flush() {
  file_.write(buffer_);
  buffer_.clear();
}

std::filesystem::path spikePartPath(const std::filesystem::path &path, int rank) {
  std::filesystem::path part = path;
  part += ".rank" + std::to_string(rank) + ".part";
  return part;
}

std::size_t mergeSpikeParts(const std::filesystem::path &path, int ranks, const model::BuiltModel &built) {
  std::vector<std::unique_ptr<PartReader>> parts;
  using Head = std::pair<sim::Spike, int>;  // the next spike of a part, and the part
  auto later = [](const Head &a, const Head &b) { return b.first < a.first; };
  std::priority_queue<Head, std::vector<Head>, decltype(later)> heads(later);
  for (int r = 0; r < ranks; ++r) {
    parts.push_back(std::make_unique<PartReader>(spikePartPath(path, r)));
    if (sim::Spike s; parts.back()->next(s)) heads.emplace(s, r);
  }
  OutputFile out(path, "w");
  std::string buffer;
  std::size_t count = 0;
  while (!heads.empty()) {
    const auto [spike, r] = heads.top();
    heads.pop();
    formatSpike(spike, built, buffer);
    ++count;
    if (buffer.size() >= kFlushBytes) {
      out.write(buffer);
      buffer.clear();
    }
    if (sim::Spike s; parts[static_cast<std::size_t>(r)]->next(s)) heads.emplace(s, r);
  }
  out.write(buffer);
  parts.clear();
  for (int r = 0; r < ranks; ++r) std::filesystem::remove(spikePartPath(path, r));
  return count;
}

}  // namespace ranvier::tool
