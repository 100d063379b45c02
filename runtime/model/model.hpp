#pragma once
// A model as its file describes it, checked for form but not yet bound to mechanisms:
// settings, cell templates, populations, point processes, connections, recordings.
// See docs/model-files.md for the format.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cell/morphology.hpp"
#include "model/expression.hpp"
#include "model/model_error.hpp"

namespace ranvier::model {

// A value as written: a number, "<number> <unit>", or an expression of position.
struct Value {
  double number = 0;
  std::string quantity;                   // "0.1 nA": converted once the unit is known
  std::optional<Expression> expression;   // "0.001 * exp(-distance/100)"
  SourceLocation where;
};

struct ParameterSetting {
  std::string name;
  std::vector<Value> values;  // one per array element (a scalar: one)
  SourceLocation where;
};

struct Insertion {
  std::string mechanism;
  std::vector<std::string> where;  // "all", regions, section names
  std::vector<ParameterSetting> parameters;
  SourceLocation at;
};

struct SectionProperties {
  std::vector<std::string> where;
  std::optional<Value> Ra, cm;
  std::optional<int> nseg;
  SourceLocation at;
};

struct CellTemplate {
  std::string name;
  SourceLocation at;
  cell::Morphology morphology;
  std::vector<SourceLocation> sectionAt;  // where each section was declared
  std::filesystem::path swc;               // when the morphology comes from a file
  SourceLocation swcAt;                    // where the file is named
  std::optional<double> dLambda;           // nseg from the d_lambda rule when set
  double dLambdaFrequency = 100;           // Hz
  std::vector<SectionProperties> properties;
  std::vector<Insertion> insertions;
};

struct Population {
  std::string name, cellTemplate;
  int count = 1;
  SourceLocation at;
};

// "pop[i].section(x)", or "section(x)" when the model has one cell.
struct Location {
  std::string text;
  std::string population;  // empty: the only cell
  int cell = 0;
  std::string section;
  double x = 0.5;
  SourceLocation at;
};

struct PointSpec {
  std::string name, mechanism;
  std::optional<Location> location;  // none for artificial cells
  std::vector<ParameterSetting> parameters;
  SourceLocation at;
};

struct NetConSpec {
  std::string source;                     // a point's name
  std::optional<Location> sourceLocation; // or a threshold detector on v there
  std::string target;                     // a point's name (empty: no target)
  std::vector<Value> weights;
  double delay = 1, threshold = 10;
  SourceLocation at;
};

struct RecordSpec {
  std::string variable;                 // "v", "hh.m", "ina", "stim.i", "spikes"
  std::optional<Location> location;
  std::string label;                    // the column name
  std::string file;                     // "" = the traces file
  double interval = 0;                  // ms; 0 = the output interval
  double threshold = 0;                 // for "spikes"
  SourceLocation at;
};

struct Model {
  std::filesystem::path file;
  double tstop = 100, dt = 0.025, celsius = 6.3, vInit = -65;
  int secondorder = 0, threads = 0;
  std::vector<std::filesystem::path> mechanismPaths;
  std::map<std::string, CellTemplate> templates;
  std::vector<Population> populations;
  std::vector<PointSpec> points;
  std::vector<NetConSpec> netcons;
  std::vector<RecordSpec> records;
  std::string traces = "traces.csv", spikes = "spikes.txt";
  double interval = 0;  // ms; 0 = dt
  SourceLocation settingsAt;
};

// Reads and checks a model file. Throws ModelError (file, line, hint) for any mistake.
Model loadModel(const std::filesystem::path &file);

// Parses "pop[i].section(x)" or "section(x)"; throws ModelError at `where`.
Location parseLocation(const std::string &text, const SourceLocation &where);

}  // namespace ranvier::model
