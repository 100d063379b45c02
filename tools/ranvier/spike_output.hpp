#pragma once
// The spike file, NEURON's out.spk: "time<TAB>gid" (or the label of a spike recording),
// sorted by time, then source. A single process writes it as the run goes (intervals
// follow each other in time, so appending keeps the order). In a distributed run each
// rank writes its own spikes, exact, to a part file as the run goes, and rank 0 merges
// the parts into the one file at the end: byte-identical to the single-process file.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "model/build.hpp"
#include "sim/spike.hpp"

namespace ranvier::tool {

// Appends a spike's line.
void formatSpike(const sim::Spike &s, const model::BuiltModel &built, std::string &out);

// A file written in pieces; throws std::runtime_error naming it when it cannot be.
class OutputFile {
public:
  OutputFile(const std::filesystem::path &path, const char *mode);
  ~OutputFile();
  OutputFile(const OutputFile &) = delete;
  OutputFile &operator=(const OutputFile &) = delete;
  void write(const std::string &bytes);
  const std::filesystem::path &path() const { return path_; }

private:
  std::filesystem::path path_;
  std::FILE *file_ = nullptr;
};

// Takes the network's growing list of kept spikes and writes the new ones: as text, or
// (a rank's part) as binary records of the exact time and the source.
class SpikeWriter {
public:
  enum class Form { Text, Part };
  SpikeWriter(const std::filesystem::path &path, const model::BuiltModel &built, Form form);
  void write(const std::vector<sim::Spike> &spikes);
  void flush();
  std::size_t count() const { return written_; }
  const std::filesystem::path &path() const { return file_.path(); }

private:
  OutputFile file_;
  const model::BuiltModel &built_;
  Form form_;
  std::string buffer_;
  std::size_t written_ = 0;
};

// The part file of `rank` for the spike file `path`: path.rankN.part
std::filesystem::path spikePartPath(const std::filesystem::path &path, int rank);

// Merges the ranks' part files (each sorted) into the text file `path`, then removes
// them. Returns the number of spikes.
std::size_t mergeSpikeParts(const std::filesystem::path &path, int ranks, const model::BuiltModel &built);

}  // namespace ranvier::tool
