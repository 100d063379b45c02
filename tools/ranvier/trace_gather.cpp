#include "trace_gather.hpp"

#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "spike_output.hpp"

namespace ranvier::tool {

namespace {
// The fields of a CSV line (trace files hold numbers and plain names: no quoting).
void splitFields(const std::string &line, std::vector<std::string_view> &out) {
  out.clear();
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = line.find(',', start);
    out.emplace_back(line.data() + start, (comma == std::string::npos ? line.size() : comma) - start);
    if (comma == std::string::npos) return;
    start = comma + 1;
  }
}
}  // namespace

std::filesystem::path rankTracePath(const std::filesystem::path &file, int rank) {
  std::filesystem::path out = file;
  out.replace_filename(file.stem().string() + ".rank" + std::to_string(rank) + file.extension().string());
  return out;
}

std::int64_t gatherTraces(const std::filesystem::path &file, int ranks, const model::TraceFile &trace) {
  // Column j of the joined file is field `field[j]` of rank `from[j]`'s file.
  std::vector<std::size_t> width(static_cast<std::size_t>(ranks), 1), from, field;
  for (std::size_t j = 0; j < trace.columns.size(); ++j) {
    const int owner = trace.columnRank[j];
    for (int r = 0; r < ranks; ++r) {
      if (owner < 0 || owner == r) {
        if (r == std::max(owner, 0)) {
          from.push_back(static_cast<std::size_t>(r));
          field.push_back(width[static_cast<std::size_t>(r)]);
        }
        ++width[static_cast<std::size_t>(r)];
      }
    }
  }
  std::vector<std::ifstream> in;
  for (int r = 0; r < ranks; ++r) {
    in.emplace_back(rankTracePath(file, r));
    if (!in.back()) throw std::runtime_error(fmt::format("cannot read {} to gather the traces", rankTracePath(file, r).string()));
  }
  OutputFile out(file, "w");
  std::vector<std::string> lines(static_cast<std::size_t>(ranks));
  std::vector<std::vector<std::string_view>> fields(static_cast<std::size_t>(ranks));
  std::string buffer;
  std::int64_t rows = -1;  // the header is not a row
  for (;;) {
    std::size_t ended = 0;
    for (std::size_t r = 0; r < in.size(); ++r) {
      if (!std::getline(in[r], lines[r])) {
        ++ended;
        continue;
      }
      splitFields(lines[r], fields[r]);
      if (fields[r].size() != width[r]) throw std::runtime_error(fmt::format("{} has {} columns where {} were expected", rankTracePath(file, static_cast<int>(r)).string(), fields[r].size(), width[r]));
    }
    if (ended == in.size()) break;
    if (ended != 0) throw std::runtime_error(fmt::format("the ranks' files of {} hold different numbers of rows", file.string()));
    buffer.append(fields[0][0]);  // t (every rank steps the same times)
    for (std::size_t j = 0; j < from.size(); ++j) {
      buffer += ',';
      buffer.append(fields[from[j]][field[j]]);
    }
    buffer += '\n';
    ++rows;
    if (buffer.size() >= (1 << 16)) {
      out.write(buffer);
      buffer.clear();
    }
  }
  out.write(buffer);
  in.clear();
  for (int r = 0; r < ranks; ++r) std::filesystem::remove(rankTracePath(file, r));
  return std::max<std::int64_t>(rows, 0);
}

}  // namespace ranvier::tool
