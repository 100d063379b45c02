#pragma once
// Reading the NEURON reference CSV files of tests/golden/.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace ranvier::test {

struct Csv {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::size_t column(const std::string &name) const {
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (header[i] == name) return i;
    }
    throw std::runtime_error("no column " + name);
  }
  double number(std::size_t row, std::size_t column) const { return std::stod(rows.at(row).at(column)); }
};

inline std::vector<std::string> splitCsvLine(const std::string &line) {
  std::vector<std::string> out;
  std::stringstream in(line);
  std::string field;
  while (std::getline(in, field, ',')) out.push_back(field);
  return out;
}

inline Csv readCsv(const std::string &path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  Csv csv;
  std::string line;
  std::getline(in, line);
  csv.header = splitCsvLine(line);
  while (std::getline(in, line)) {
    if (!line.empty()) csv.rows.push_back(splitCsvLine(line));
  }
  return csv;
}

inline std::string sourceDir() { return RANVIER_SOURCE_DIR; }

}  // namespace ranvier::test
