#include "sweep/copies.hpp"

#include <algorithm>
#include <limits>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

#include "model/selection.hpp"
#include "model/units.hpp"

namespace ranvier::sweep {

namespace {

using model::ModelError;

bool hasMechanism(const model::CellTemplate &t, const std::string &name) {
  return std::any_of(t.insertions.begin(), t.insertions.end(), [&](const model::Insertion &i) { return i.mechanism == name; }) ||
         std::any_of(t.points.begin(), t.points.end(), [&](const model::PointSpec &p) { return p.name == name; });
}

std::string locationText(const std::string &population, int cell, const std::string &section, double x) {
  return fmt::format("{}[{}].{}({})", population, cell, section, x);
}

// A swept value as the model file would hold it: "<value> <unit>", or the bare number.
model::Value valueOf(double value, const Parameter &p) {
  model::Value v;
  v.number = value;
  if (!p.unit.empty()) v.quantity = fmt::format("{} {}", value, p.unit);
  v.where = p.at;
  return v;
}

}  // namespace

Copies::Copies(const model::Model &base, const Spec &spec) : base_(base), spec_(spec) {
  const model::SourceLocation top{spec.file.string(), 1, 1};
  int cells = 0;
  for (const model::Population &pop : base.populations) {
    if (pop.mechanism.empty()) cells += pop.count;
  }
  if (cells == 0) throw ModelError(top, "a sweep measures cells, and the model " + spec.model.string() + " has none", "give it a cell template");
  cellsPerCopy_ = static_cast<std::size_t>(cells);
  if (cells == 1) {
    for (const model::Population &pop : base.populations) {
      if (pop.mechanism.empty() && pop.count == 1) onlyCell_ = pop.name;
    }
  }
  for (const Parameter &p : spec.parameters) targets_.push_back(resolve(p));

  if (!spec.at.empty()) {
    for (const std::string &text : spec.at) {
      const model::Location loc = model::parseLocation(text, spec.measuresAt);
      MeasuredPlace place{loc.population.empty() ? onlyCell_ : loc.population, loc.cell, loc.section, loc.x, ""};
      if (place.population.empty()) {
        throw ModelError(spec.measuresAt, "'" + text + "' does not say which cell: the model has " + std::to_string(cells) + " cells", "write population[i].section(x)");
      }
      const int count = countOf(place.population);
      if (count < 0) throw ModelError(spec.measuresAt, "no population of cells is named '" + place.population + "'");
      if (place.cell >= count) {
        throw ModelError(spec.measuresAt, "population '" + place.population + "' has " + std::to_string(count) + " cells; there is no cell " + std::to_string(place.cell),
                         "cells are numbered from 0");
      }
      places_.push_back(place);
    }
  } else {  // every cell, where its spikes are detected or in the middle of its first section
    for (const model::Population &pop : base.populations) {
      if (!pop.mechanism.empty()) continue;
      const model::CellTemplate &t = base.templates.at(pop.cellTemplate);
      const std::string section = t.spikeSource ? t.spikeSource->section : t.morphology.sections.empty() ? "soma" : t.morphology.sections.front().name;
      for (int i = 0; i < pop.count; ++i) places_.push_back(MeasuredPlace{pop.name, i, section, t.spikeSource ? t.spikeSource->x : 0.5, ""});
    }
  }
  if (places_.size() > 1) {
    std::set<std::string> labels;
    for (MeasuredPlace &place : places_) place.label = countOf(place.population) == 1 ? place.population : fmt::format("{}[{}]", place.population, place.cell);
    for (const MeasuredPlace &place : places_) labels.insert(place.label);
    if (labels.size() < places_.size()) {  // a cell measured in two places
      for (MeasuredPlace &place : places_) place.label = locationText(place.population, place.cell, place.section, place.x);
    }
  }
}

int Copies::countOf(const std::string &population) const {
  for (const model::Population &pop : base_.populations) {
    if (pop.name == population && pop.mechanism.empty()) return pop.count;
  }
  return -1;
}

Copies::Target Copies::resolve(const Parameter &p) const {
  const std::vector<model::Population> &pops = base_.populations;
  if (p.mechanism.empty()) {  // celsius, v_init
    const char *unit = p.parameter == "celsius" ? "degC" : "mV";
    if (!p.unit.empty() && !model::convertQuantity(fmt::format("1 {}", p.unit), unit).value) {
      throw ModelError(p.at, fmt::format("{} is in {}, not '{}'", p.parameter, unit, p.unit), fmt::format("unit = \"{}\"", unit));
    }
    return Target{Target::Kind::Simulation, {}, "", p.parameter};
  }
  if (!p.population.empty()) {
    const auto it = std::find_if(pops.begin(), pops.end(), [&](const model::Population &pop) { return pop.name == p.population; });
    if (it == pops.end()) {
      std::vector<std::string> names;
      for (const model::Population &pop : pops) names.push_back(pop.name);
      throw ModelError(p.at, "the model has no population '" + p.population + "'", model::suggestion(p.population, names, "its populations"));
    }
    if (!it->mechanism.empty()) {
      throw ModelError(p.at, "'" + p.population + "' is a population of artificial cells (" + it->mechanism + ")", "vary \"" + p.population + "." + p.parameter + "\"");
    }
    const auto index = static_cast<std::size_t>(it - pops.begin());
    if (!hasMechanism(base_.templates.at(it->cellTemplate), p.mechanism)) {
      if (auto g = geometry(p, {index})) return *g;
      throw ModelError(p.at, "'" + p.mechanism + "' is neither inserted on nor a point of the cells of '" + p.population + "'",
                       "vary parameters of mechanisms the template inserts, or a section's L, diam, cm or Ra");
    }
    return Target{Target::Kind::CellValues, {index}, p.mechanism, ""};
  }
  for (std::size_t k = 0; k < base_.netcons.size(); ++k) {
    const model::NetConSpec &c = base_.netcons[k];
    if (c.name.empty() || c.name != p.mechanism) continue;
    if (p.parameter != "weight" && p.parameter != "delay") {
      throw ModelError(p.at, "a connection's weight or delay can vary, not '" + p.parameter + "'", "\"" + c.name + ".weight\" or \"" + c.name + ".delay\"");
    }
    if (c.rule == model::ConnectionRule::File) throw ModelError(p.at, "the connections of '" + c.name + "' come from an edge list", "vary the weight of a [[netcon]] made by a rule");
    if (p.parameter == "delay" && !p.unit.empty() && !model::convertQuantity(fmt::format("1 {}", p.unit), "ms").value) {
      throw ModelError(p.at, "a delay's unit is one of time, not '" + p.unit + "'", "unit = \"ms\"");
    }
    return Target{p.parameter == "weight" ? Target::Kind::NetConWeight : Target::Kind::NetConDelay, {k}, "", ""};
  }
  for (std::size_t k = 0; k < pops.size(); ++k) {
    if (pops[k].name == p.mechanism && !pops[k].mechanism.empty()) return Target{Target::Kind::ArtificialValues, {k}, pops[k].mechanism, ""};
  }
  for (std::size_t k = 0; k < base_.points.size(); ++k) {
    if (base_.points[k].name == p.mechanism) return Target{Target::Kind::Point, {k}, "", ""};
  }
  for (const model::Model::GapJunctionGroup &g : base_.gapJunctions) {  // every point of the entry
    if (g.name != p.mechanism) continue;
    if (g.points == 0) throw ModelError(p.at, "the [[gap_junction]] '" + g.name + "' makes no junction: there is nothing to vary");
    Target t{Target::Kind::Point, {}, "", ""};
    for (std::size_t k = g.firstPoint; k < g.firstPoint + g.points; ++k) t.items.push_back(k);
    return t;
  }
  Target cellValues{Target::Kind::CellValues, {}, p.mechanism, ""};
  std::vector<std::size_t> cellPopulations;
  for (std::size_t k = 0; k < pops.size(); ++k) {
    if (!pops[k].mechanism.empty()) continue;
    cellPopulations.push_back(k);
    if (hasMechanism(base_.templates.at(pops[k].cellTemplate), p.mechanism)) cellValues.items.push_back(k);
  }
  if (!cellValues.items.empty()) return cellValues;
  if (auto g = geometry(p, cellPopulations)) return *g;
  std::vector<std::string> names;
  for (const auto &[_, t] : base_.templates) {
    for (const model::Insertion &i : t.insertions) names.push_back(i.mechanism);
    for (const model::PointSpec &q : t.points) names.push_back(q.name);
  }
  for (const model::PointSpec &q : base_.points) names.push_back(q.name);
  for (const model::Population &pop : pops) {
    if (!pop.mechanism.empty()) names.push_back(pop.name);
  }
  for (const model::NetConSpec &c : base_.netcons) {
    if (!c.name.empty()) names.push_back(c.name);
  }
  for (const auto &[_, t] : base_.templates) {
    for (const cell::Section &section : t.morphology.sections) names.push_back(section.name);
  }
  throw ModelError(p.at, "nothing in the model " + spec_.model.filename().string() + " is named '" + p.mechanism + "'",
                   model::suggestion(p.mechanism, names, "the mechanisms, points, artificial cells, named connections and sections"));
}

namespace {

bool selectsSection(const cell::Section &s, const std::string &where) { return where == "all" || s.name == where || s.region == where; }

const char *geometryUnit(const std::string &property) {
  if (property == "L" || property == "diam") return "um";
  if (property == "cm") return "uF/cm2";
  if (property == "Ra") return "ohm cm";
  return nullptr;
}

}  // namespace

// `section.L`, `.diam`, `.cm` or `.Ra` (a section's name, a region or "all") of the cells
// of `populations` that have such sections; none when the name is not one of those.
std::optional<Copies::Target> Copies::geometry(const Parameter &p, const std::vector<std::size_t> &populations) const {
  const char *unit = geometryUnit(p.parameter);
  if (unit == nullptr) return std::nullopt;
  Target target{Target::Kind::Geometry, {}, p.mechanism, p.parameter};
  for (std::size_t k : populations) {
    const model::CellTemplate &t = base_.templates.at(base_.populations[k].cellTemplate);
    const bool lengths = p.parameter == "L" || p.parameter == "diam";
    if (!t.swc.empty()) {  // sections known once the file is read: the model builder checks the name
      if (lengths) throw ModelError(p.at, "the sections of cell template '" + t.name + "' come from " + t.swc.filename().string() + ": their " + p.parameter + " is the file's");
      target.items.push_back(k);
      continue;
    }
    for (const cell::Section &s : t.morphology.sections) {
      if (!selectsSection(s, p.mechanism)) continue;
      if (lengths && !s.points.empty()) throw ModelError(p.at, "section '" + s.name + "' of cell template '" + t.name + "' is drawn by 3-D points: they give its " + p.parameter);
      if (std::find(target.items.begin(), target.items.end(), k) == target.items.end()) target.items.push_back(k);
    }
  }
  if (target.items.empty()) return std::nullopt;
  if (!p.unit.empty() && !model::convertQuantity(fmt::format("1 {}", p.unit), unit).value) {
    throw ModelError(p.at, fmt::format("{} is in units of {}, not '{}'", p.parameter, unit, p.unit), fmt::format("unit = \"{}\"", unit));
  }
  return target;
}

double Copies::geometryValue(const Parameter &p, double value) const {
  if (p.unit.empty()) return value;
  return model::convertQuantity(fmt::format("{} {}", value, p.unit), geometryUnit(p.parameter)).value.value_or(value);
}

void Copies::setGeometry(model::CellTemplate &t, const Target &target, const Parameter &p, double value) const {
  const double v = geometryValue(p, value);
  if (target.property == "cm" || target.property == "Ra") {  // after the template's own properties, so it wins
    model::SectionProperties properties;
    properties.where = {target.mechanism};
    model::Value number;
    number.number = v;
    number.where = p.at;
    (target.property == "cm" ? properties.cm : properties.Ra) = number;
    properties.at = p.at;
    t.properties.push_back(std::move(properties));
    return;
  }
  for (cell::Section &s : t.morphology.sections) {
    if (!selectsSection(s, target.mechanism)) continue;
    (target.property == "L" ? s.L : s.diam) = v;
  }
}

std::string Copies::pointName(const std::string &name, std::size_t copy) const { return copy == 0 ? name : fmt::format("{}@{}", name, copy); }

// "point.variable" of a base [[point]] names that point's copy; other names stay.
std::string Copies::movePointName(const std::string &name, std::size_t copy) const {
  const auto dot = name.find('.');
  if (dot == std::string::npos) return name;
  const std::string owner = name.substr(0, dot);
  const bool point = std::any_of(base_.points.begin(), base_.points.end(), [&](const model::PointSpec &p) { return p.name == owner; });
  return point ? pointName(owner, copy) + name.substr(dot) : name;
}

model::Location Copies::moveLocation(const model::Location &loc, std::size_t copy) const {
  model::Location out = loc;
  out.population = loc.population.empty() ? onlyCell_ : loc.population;
  const int count = countOf(out.population);
  if (count < 0) return loc;  // not a population of cells: the model builder says so
  if (loc.cell >= count) {
    throw ModelError(loc.at, "population '" + out.population + "' has " + std::to_string(count) + " cells; there is no cell " + std::to_string(loc.cell), "cells are numbered from 0");
  }
  out.cell = static_cast<int>(copy) * count + loc.cell;
  out.text = locationText(out.population, out.cell, out.section, out.x);
  return out;
}

std::string Copies::moveSelection(const model::Selection &s, std::size_t copy) const {
  if (s.text.find('(') != std::string::npos) return moveLocation(model::parseLocation(s.text, s.at), copy).text;
  const model::SelectionParts parts = model::splitSelection(s.text, s.at);
  const auto pop = std::find_if(base_.populations.begin(), base_.populations.end(), [&](const model::Population &p) { return p.name == parts.name; });
  if (pop != base_.populations.end()) {
    if (pop->count == 0) return s.text;  // no cells in any copy: the same (empty) selection
    const auto [first, end] = model::parseRange(parts.range, pop->count, s.at, "population '" + pop->name + "'");
    const std::size_t offset = copy * static_cast<std::size_t>(pop->count);
    return fmt::format("{}[{}:{}]{}", parts.name, offset + static_cast<std::size_t>(first), offset + static_cast<std::size_t>(end), parts.rest.empty() ? "" : "." + parts.rest);
  }
  const bool point = std::any_of(base_.points.begin(), base_.points.end(), [&](const model::PointSpec &p) { return p.name == parts.name; });
  if (point && !parts.bracketed && parts.rest.empty()) return pointName(parts.name, copy);
  return s.text;  // not a name of the model: the model builder says so
}

model::Location Copies::placeIn(std::size_t copy, std::size_t m) const {
  const MeasuredPlace &p = places_.at(m);
  model::Location loc;
  loc.population = p.population;
  loc.cell = static_cast<int>(copy) * countOf(p.population) + p.cell;
  loc.section = p.section;
  loc.x = p.x;
  loc.text = locationText(loc.population, loc.cell, loc.section, loc.x);
  loc.at = spec_.measuresAt.line > 0 ? spec_.measuresAt : model::SourceLocation{spec_.file.string(), 1, 1};
  return loc;
}

bool Copies::sameSimulation(const std::vector<double> &a, const std::vector<double> &b) const {
  for (std::size_t k = 0; k < targets_.size(); ++k) {
    if (targets_[k].kind == Target::Kind::Simulation && a.at(k) != b.at(k)) return false;
  }
  return true;
}

model::Model Copies::make(const std::vector<std::vector<double>> &values) const {
  const std::size_t copies = values.size();
  model::Model m = base_;
  for (std::size_t k = 0; k < targets_.size(); ++k) {
    if (targets_[k].kind != Target::Kind::Simulation || values.empty()) continue;
    for (const std::vector<double> &set : values) {
      if (set.at(k) != values.front().at(k)) throw std::logic_error("copies with different " + targets_[k].property + " in one model");
    }
    const Parameter &p = spec_.parameters[k];
    const double raw = values.front().at(k);
    const double value = p.unit.empty() ? raw : model::convertQuantity(fmt::format("{} {}", raw, p.unit), p.parameter == "celsius" ? "degC" : "mV").value.value_or(raw);
    (p.parameter == "celsius" ? m.celsius : m.vInit) = value;
  }
  m.records.clear();
  m.points.clear();
  m.netcons.clear();
  m.pointers.clear();
  std::int64_t firstGid = 0;
  for (model::Population &pop : m.populations) {
    if (static_cast<std::size_t>(pop.count) * copies > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
      throw ModelError(pop.at, fmt::format("{} copies of population '{}' are more than 2^31 cells", copies, pop.name), "use a smaller chunk");
    }
    pop.copyOf = model::CopyOf{pop.count, firstGid};
    firstGid += pop.count;
    pop.count *= static_cast<int>(copies);
  }
  for (std::size_t k = 0; k < targets_.size(); ++k) {
    const Target &t = targets_[k];
    const Parameter &p = spec_.parameters[k];
    if (t.kind != Target::Kind::CellValues && t.kind != Target::Kind::ArtificialValues) continue;
    for (std::size_t index : t.items) {
      model::Population &pop = m.populations[index];
      model::CellValues cv{t.mechanism, p.parameter, p.unit, {}, p.at};
      for (std::size_t c = 0; c < copies; ++c) cv.values.insert(cv.values.end(), static_cast<std::size_t>(pop.copyOf->count), values[c].at(k));
      pop.perCell.push_back(std::move(cv));
    }
  }
  // Varied geometry: each copy's cells get a template of their own (`liu@pair@3`).
  for (std::size_t index = 0; index < m.populations.size(); ++index) {
    model::Population &pop = m.populations[index];
    const auto varies = [&](const Target &t) {
      return t.kind == Target::Kind::Geometry && std::find(t.items.begin(), t.items.end(), index) != t.items.end();
    };
    if (std::none_of(targets_.begin(), targets_.end(), varies)) continue;
    for (std::size_t c = 0; c < copies; ++c) {
      model::CellTemplate t = base_.templates.at(pop.cellTemplate);
      t.name = fmt::format("{}@{}@{}", pop.cellTemplate, pop.name, c);
      for (std::size_t k = 0; k < targets_.size(); ++k) {
        if (varies(targets_[k])) setGeometry(t, targets_[k], spec_.parameters[k], values[c].at(k));
      }
      pop.cellTemplates.insert(pop.cellTemplates.end(), static_cast<std::size_t>(pop.copyOf->count), t.name);
      m.templates.emplace(t.name, std::move(t));
    }
  }
  for (std::size_t c = 0; c < copies; ++c) {
    for (std::size_t j = 0; j < base_.points.size(); ++j) {
      model::PointSpec q = base_.points[j];
      q.name = pointName(q.name, c);
      q.copyOf = j;
      if (q.location) q.location = moveLocation(*q.location, c);
      for (std::size_t k = 0; k < targets_.size(); ++k) {
        const std::vector<std::size_t> &points = targets_[k].items;
        if (targets_[k].kind != Target::Kind::Point || std::find(points.begin(), points.end(), j) == points.end()) continue;
        const Parameter &p = spec_.parameters[k];
        std::erase_if(q.parameters, [&](const model::ParameterSetting &s) { return s.name == p.parameter; });
        q.parameters.push_back(model::ParameterSetting{p.parameter, {valueOf(values[c].at(k), p)}, p.at});
      }
      m.points.push_back(std::move(q));
    }
    for (std::size_t j = 0; j < base_.netcons.size(); ++j) {
      model::NetConSpec n = base_.netcons[j];
      for (model::Selection &s : n.sources) s.text = moveSelection(s, c);
      for (model::Selection &s : n.targets) s.text = moveSelection(s, c);
      for (std::size_t k = 0; k < targets_.size(); ++k) {
        const bool netcon = targets_[k].kind == Target::Kind::NetConWeight || targets_[k].kind == Target::Kind::NetConDelay;
        if (!netcon || targets_[k].items.front() != j) continue;
        const Parameter &p = spec_.parameters[k];
        if (targets_[k].kind == Target::Kind::NetConWeight) {
          n.weight = model::Draw{};
          n.weight.constant = valueOf(values[c].at(k), p);
          n.weight.where = p.at;
          n.hasWeight = true;
        } else if (targets_[k].kind == Target::Kind::NetConDelay) {
          const double delay = p.unit.empty() ? values[c].at(k) : model::convertQuantity(fmt::format("{} {}", values[c].at(k), p.unit), "ms").value.value_or(-1);
          if (!(delay >= 0)) throw ModelError(p.at, fmt::format("a delay of {} ms", delay), "delays are not negative");
          n.delay = model::Draw{};
          n.delay.constant.number = delay;
          n.delay.where = p.at;
        }
      }
      m.netcons.push_back(std::move(n));
    }
    for (const model::PointerSpec &base : base_.pointers) {
      model::PointerSpec q = base;
      if (!q.targetSelection.empty()) {  // the form for many cells: both selections move
        q.pointer = moveSelection(model::Selection{q.pointer, q.at}, c);
        const model::SelectionParts place = model::splitSelection(q.targetSelection, q.targetAt);
        const std::string cells = moveSelection(model::Selection{place.bracketed ? place.name + "[" + place.range + "]" : place.name, q.targetAt}, c);
        q.targetSelection = cells + (place.rest.empty() ? "" : "." + place.rest);
        m.pointers.push_back(std::move(q));
        continue;
      }
      q.pointer = movePointName(q.pointer, c);
      if (q.location) q.location = moveLocation(*q.location, c);
      if (q.targetLocation) {
        q.targetLocation = moveLocation(*q.targetLocation, c);
      } else {
        q.target = movePointName(q.target, c);
      }
      m.pointers.push_back(std::move(q));
    }
  }
  return m;
}

}  // namespace ranvier::sweep
