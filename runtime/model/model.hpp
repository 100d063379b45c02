#pragma once
// A model as its file describes it, checked for form but not yet bound to mechanisms:
// settings, cell templates, populations, point processes, connections, recordings.
// See docs/model-files.md for the format.
#include <filesystem>
#include <map>
#include <cstdint>
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

// "pop[i].section(x)", or "section(x)" when the model has one cell.
struct Location {
  std::string text;
  std::string population;  // empty: the only cell
  int cell = 0;
  std::string section;
  double x = 0.5;
  SourceLocation at;
};

// A POINTER of each instance of an inserted mechanism, set to `variable` of the same
// cell: at the instance's own segment, or at `place` ("soma(0.5)") when given.
struct InsertionPointer {
  std::string name, variable;
  std::optional<Location> place;
  SourceLocation at;
};

struct Insertion {
  std::string mechanism;
  std::vector<std::string> where;  // "all", regions, section names
  std::vector<ParameterSetting> parameters;
  std::vector<InsertionPointer> pointers;
  SourceLocation at;
};

struct SectionProperties {
  std::vector<std::string> where;
  std::optional<Value> Ra, cm;
  std::optional<int> nseg;
  SourceLocation at;
};

// Where a cell's spikes come from (NEURON: the NetCon given to pc.cell(gid, nc)).
struct SpikeSource {
  std::string section;
  double x = 0.5;
  double threshold = 10;  // mV
  SourceLocation at;
};


struct PointSpec {
  std::string name, mechanism;
  std::optional<Location> location;  // none for artificial cells
  std::vector<ParameterSetting> parameters;
  SourceLocation at;
  // A sweep's copy of the base model's [[point]] number copyOf (sweep/replicate.hpp):
  // it draws that point's random numbers.
  std::optional<std::size_t> copyOf;
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
  std::optional<SpikeSource> spikeSource;
  std::vector<PointSpec> points;           // on every cell of the template ("dend(0.5)")
};

// Cells of one template, or artificial cells of one mechanism (then `parameters`).
// Gids are given in the order populations appear in the file.
// Values that differ from cell to cell of a population (a parameter sweep): cell i gets
// values[i] for parameter `parameter` of `mechanism` (a density mechanism or a point of
// the template, by its name) wherever that sits on the cell. The numbers are in `unit`
// ("": the parameter's own unit).
struct CellValues {
  std::string mechanism, parameter, unit;
  std::vector<double> values;
  SourceLocation at;  // where they were asked for (a sweep file's [[parameter]])
};

// Copies of a base model's population (a sweep's copies, sweep/replicate.hpp): cell i
// of the copies stands for cell i % count of the base population, whose gid was
// firstGid + i % count. Expressions of gid and i and the random streams see that cell,
// so each copy computes what the base model computes alone.
struct CopyOf {
  int count = 1;
  std::int64_t firstGid = 0;
};

struct Population {
  std::string name, cellTemplate;
  std::string mechanism;  // an artificial cell, instead of a template
  int count = 1;
  std::vector<ParameterSetting> parameters;
  std::vector<CellValues> perCell;
  SourceLocation at;
  std::optional<CopyOf> copyOf;
  // The template of each cell when they differ (a sweep's copies with varied geometry);
  // empty: cellTemplate for every cell.
  std::vector<std::string> cellTemplates;
  const std::string &templateOf(int cell) const { return cellTemplates.empty() ? cellTemplate : cellTemplates.at(static_cast<std::size_t>(cell)); }
};



// A value drawn per connection: a constant, or from a distribution (numbers in the
// quantity's unit: uS for weights, ms for delays).
struct Draw {
  enum class Kind { Constant, Uniform, Normal } kind = Kind::Constant;
  Value constant;
  double low = 0, high = 0, mean = 0, sd = 0;
  double minimum = -1e300, maximum = 1e300;  // normal: redrawn outside
  SourceLocation where;
};

enum class ConnectionRule { OneToOne, AllToAll, Ring, FixedIndegree, FixedProbability, File };

// A text naming sources or targets, kept with where it was written.
struct Selection {
  std::string text;
  SourceLocation at;
};

// Connections from sources to targets by a rule. Sources: populations or cells
// ("exc", "exc[3]", "exc[0:10]"; their spike sources), artificial cells, point
// processes by name, or a location "pop[i].section(x)" (a threshold detector there).
// Targets: "pop[selection].point" (a point of the cells' template), artificial cells
// ("stim[0]"), or point processes by name.
struct NetConSpec {
  std::string name;  // optional: for sweeps of its weight or delay ("inh.weight")
  std::vector<Selection> sources, targets;
  ConnectionRule rule = ConnectionRule::OneToOne;
  bool ruleGiven = false;
  int indegree = 0;
  double probability = 0;
  std::filesystem::path file;  // rule = file: CSV of source,target[,weight][,delay]
  std::uint64_t seed = 1;
  bool autapses = false;
  Draw weight;                 // the first weight
  std::vector<Value> moreWeights;  // weights after the first (constants)
  bool hasWeight = false;
  Draw delay;
  double threshold = 10;       // for a location source
  SourceLocation at;
};

// A POINTER of one mechanism instance set to a value elsewhere (NEURON's setpointer):
// `pointer` is "point.name" (a [[point]]'s POINTER) or "mechanism.name" of the density
// mechanism at `location`; the target is what a [[record]] of `target` at
// `targetLocation` would record ("v", "cai", "hh.m", "point.variable").
// The form for many cells: `pointer` = "pop[range].point.name" (the POINTER of a
// template point on each selected cell) and `targetSelection` = "pop[range].section(x)",
// paired in order: the k-th owner with the ((k + offset) mod n)-th place (offset 1 on
// one population: each cell's next, round the ring). The builder expands it into one
// entry per cell with `templatePoint` set: `pointer` = "point.name" on the cell at
// `location`.
struct PointerSpec {
  std::string pointer;
  std::optional<Location> location;
  std::string target;
  std::optional<Location> targetLocation;
  std::string targetSelection;  // non-empty: the form for many cells
  int offset = 0;
  bool templatePoint = false;
  SourceLocation at, targetAt;
};

// The values of a FUNCTION_TABLE (NEURON: hoc's table_<name>_<suffix>(...)): a
// constant, or values over one or two axes, each of explicit points or uniform from
// `from` to `to`.
struct FunctionTableSpec {
  struct Axis {
    std::vector<double> points;  // explicit; empty: uniform
    double from = 0, to = 0;
    std::size_t size = 0;
    SourceLocation at;
  };
  std::string function;      // "mechanism.name"
  std::optional<double> constant;
  std::vector<Axis> axes;    // x, then y
  std::vector<double> values;  // row-major: x outer
  SourceLocation at, valuesAt;
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

// Which rank owns which gid in a distributed run.
enum class Distribution {
  RoundRobin,  // gid mod ranks
  Balanced,    // heaviest cells first, each to the least loaded rank (by complexity)
};

// How the mechanisms' kernels compute (codegen::KernelMath): exact IEEE arithmetic, which
// agrees with NEURON to round-off, or fast (reciprocals, FMA, inline exp; docs/kernels.md).
enum class Kernels { Exact, Fast };

struct Model {
  std::filesystem::path file;
  double tstop = 100, dt = 0.025, celsius = 6.3, vInit = -65;
  int secondorder = 0, threads = 0;
  Kernels kernels = Kernels::Exact;
  Distribution distribution = Distribution::RoundRobin;
  // "auto": a cell that is a large share of the load is cut into pieces solved on
  // several threads (sim/tree_partition.hpp); "off": every cell on one thread.
  bool splitCells = true;
  bool spikeCompression = true;  // the compact spike encoding between ranks
  bool gatherTraces = false;     // one traces file from all ranks instead of one per rank
  std::vector<std::filesystem::path> mechanismPaths;
  std::map<std::string, CellTemplate> templates;
  std::vector<Population> populations;
  std::vector<PointSpec> points;
  std::vector<NetConSpec> netcons;
  std::vector<PointerSpec> pointers;
  // What each [[gap_junction]] entry became: points [firstPoint, firstPoint + points) of
  // `points` (and as many POINTERs), so that a sweep can vary "name.parameter" on all.
  struct GapJunctionGroup {
    std::string name;
    std::size_t firstPoint = 0, points = 0;
    SourceLocation at;
  };
  std::vector<GapJunctionGroup> gapJunctions;
  std::vector<FunctionTableSpec> functionTables;
  std::vector<RecordSpec> records;
  std::string traces = "traces.csv", spikes = "spikes.txt";
  int spikePrecision = 3;  // digits after the point of spike times
  double interval = 0;  // ms; 0 = dt
  SourceLocation settingsAt;
};

// Reads and checks a model file. Throws ModelError (file, line, hint) for any mistake.
Model loadModel(const std::filesystem::path &file);

// Parses "pop[i].section(x)" or "section(x)"; throws ModelError at `where`.
Location parseLocation(const std::string &text, const SourceLocation &where);

}  // namespace ranvier::model
