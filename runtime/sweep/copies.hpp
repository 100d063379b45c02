#pragma once
// A sweep's chunk of runs as one model: copies of the base model side by side, copy k
// with the values of run k. Every population holds its copies one after the other
// (population `exc` of n cells becomes n * copies cells, copy k's are k*n ... k*n + n-1),
// so the SIMD lanes of each kernel call carry different runs; every [[point]] and every
// [[netcon]] is repeated per copy, its selections moved to that copy's cells, so copies
// never connect to each other and each computes what the base model computes alone
// (model::CopyOf: gid, i and random streams are the base model's).
#include <optional>
#include <string>
#include <vector>

#include "model/model.hpp"
#include "sweep/sweep_spec.hpp"

namespace ranvier::sweep {

// A cell the sweep measures, as the base model names it.
struct MeasuredPlace {
  std::string population;  // a population of cells
  int cell = 0;            // in the base population
  std::string section;
  double x = 0.5;
  std::string label;       // the CSV columns' prefix ("" when only one place is measured)
};

class Copies {
public:
  // Resolves the parameters' names and the measured places against the base model;
  // throws model::ModelError at the [[parameter]] or [measures] entry.
  Copies(const model::Model &base, const Spec &spec);

  // Copies of the base model, copy k with values[k] (one per parameter, in the spec's
  // order). Records and the spike file are left out: the caller adds its own. The
  // copies must agree in celsius and v_init (sameSimulation).
  model::Model make(const std::vector<std::vector<double>> &values) const;
  // Whether two parameter sets can be copies in one model: the same celsius and v_init.
  bool sameSimulation(const std::vector<double> &a, const std::vector<double> &b) const;

  const std::vector<MeasuredPlace> &places() const { return places_; }
  // Where measured place `m` of copy `k` is in make()'s model.
  model::Location placeIn(std::size_t copy, std::size_t m) const;
  // Cells (not artificial) of one copy.
  std::size_t cellsPerCopy() const { return cellsPerCopy_; }

private:
  // What a varied parameter sets.
  struct Target {
    enum class Kind { CellValues, ArtificialValues, Point, NetConWeight, NetConDelay, Geometry, Simulation } kind;
    std::vector<std::size_t> items;  // populations, the [[point]] or the [[netcon]] (indices in the base model)
    std::string mechanism;           // CellValues/ArtificialValues: the mechanism or template point name;
                                     // Geometry: the section, region or "all"
    std::string property;            // Geometry: L, diam, cm or Ra; Simulation: celsius or v_init
  };
  Target resolve(const Parameter &p) const;
  std::optional<Target> geometry(const Parameter &p, const std::vector<std::size_t> &populations) const;
  double geometryValue(const Parameter &p, double value) const;
  void setGeometry(model::CellTemplate &t, const Target &target, const Parameter &p, double value) const;
  int countOf(const std::string &population) const;
  std::string moveSelection(const model::Selection &s, std::size_t copy) const;
  model::Location moveLocation(const model::Location &loc, std::size_t copy) const;
  std::string pointName(const std::string &name, std::size_t copy) const;
  std::string movePointName(const std::string &name, std::size_t copy) const;

  const model::Model &base_;
  const Spec &spec_;
  std::vector<Target> targets_;
  std::vector<MeasuredPlace> places_;
  std::size_t cellsPerCopy_ = 0;
  std::string onlyCell_;  // the population of the base model's only cell, if it has one
};

}  // namespace ranvier::sweep
