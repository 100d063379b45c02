#include "model/build.hpp"

#include <cmath>
#include <map>
#include <numbers>
#include <set>

#include "cell/discretisation.hpp"
#include "cell/section_geometry.hpp"
#include "cell/swc.hpp"
#include "model/units.hpp"
#include "sim/group_builder.hpp"

namespace ranvier::model {

namespace {

// One discretised copy of a template, shared by every cell of it.
struct Shape {
  const CellTemplate *source = nullptr;
  cell::Morphology morphology;
  cell::Discretisation discretisation;
};

// NEURON's lambda_f(freq) in um, from L and diam or from the 3-D points.
double lambdaAt(const cell::Section &s, double frequency) {
  constexpr double pi = std::numbers::pi;
  if (s.points.size() < 2) return 1e5 * std::sqrt(s.diam / (4 * pi * frequency * s.Ra * s.cm));
  const std::vector<double> arc = cell::arcLengths(s.points);
  double lam = 0;
  for (std::size_t i = 1; i < s.points.size(); ++i) {
    const double d1 = std::abs(static_cast<double>(static_cast<float>(s.points[i - 1].diam)));
    const double d2 = std::abs(static_cast<double>(static_cast<float>(s.points[i].diam)));
    lam += (arc[i] - arc[i - 1]) / std::sqrt(d1 + d2);
  }
  lam *= std::sqrt(2.0) * 1e-5 * std::sqrt(4 * pi * frequency * s.Ra * s.cm);
  return cell::sectionLength(s) / lam;
}

bool selects(const std::vector<std::string> &where, const cell::Section &s) {
  for (const std::string &w : where) {
    if (w == "all" || w == s.name || w == s.region) return true;
  }
  return false;
}

void checkSelectors(const std::vector<std::string> &where, const cell::Morphology &m, const SourceLocation &at, const std::string &owner) {
  for (const std::string &w : where) {
    if (w == "all") continue;
    bool found = false;
    std::vector<std::string> known{"all"};
    std::set<std::string> regions;
    for (const auto &s : m.sections) {
      found = found || s.name == w || s.region == w;
      known.push_back(s.name);
      regions.insert(s.region);
    }
    if (!found) {
      known.insert(known.end(), regions.begin(), regions.end());
      throw ModelError(at, "no section or region '" + w + "' in " + owner, suggestion(w, known, "the sections and regions"));
    }
  }
}

double plainNumber(const Value &v, std::string_view unit, const std::string &what) {
  if (v.expression) throw ModelError(v.where, what + " cannot vary along a section here", "give a number");
  if (!v.quantity.empty()) {
    const Conversion c = convertQuantity(v.quantity, unit);
    if (!c.value) throw ModelError(v.where, "bad value for " + what + ": " + c.error);
    return *c.value;
  }
  return v.number;
}

Shape makeShape(const CellTemplate &t) {
  Shape shape;
  shape.source = &t;
  if (!t.swc.empty()) {
    try {
      shape.morphology = cell::readSwc(t.swc);
    } catch (const cell::SwcError &e) {
      if (e.line() == 0) throw ModelError(t.swcAt, e.what(), e.hint().empty() ? "the path is relative to the model file" : e.hint());
      const std::string usedBy = "in the morphology of cell template '" + t.name + "' (" + t.swcAt.file + ":" + std::to_string(t.swcAt.line) + ")";
      throw ModelError({t.swc.string(), e.line(), 1}, e.what(), e.hint().empty() ? usedBy : e.hint() + "; " + usedBy);
    }
  } else {
    shape.morphology = t.morphology;
  }
  for (const SectionProperties &p : t.properties) {
    checkSelectors(p.where, shape.morphology, p.at, "cell template '" + t.name + "'");
    for (cell::Section &s : shape.morphology.sections) {
      if (!selects(p.where, s)) continue;
      if (p.Ra) s.Ra = plainNumber(*p.Ra, "ohm cm", "Ra");
      if (p.cm) s.cm = plainNumber(*p.cm, "uF/cm2", "cm");
      if (p.nseg) s.nseg = *p.nseg;
      if (!(s.Ra > 0) || !(s.cm >= 0)) throw ModelError(p.at, "Ra must be positive and cm not negative");
    }
  }
  if (t.dLambda) {
    for (cell::Section &s : shape.morphology.sections) {
      const double L = cell::sectionLength(s);
      s.nseg = static_cast<int>((L / (*t.dLambda * lambdaAt(s, t.dLambdaFrequency)) + 0.9) / 2) * 2 + 1;
    }
  }
  try {
    shape.discretisation = cell::discretise(shape.morphology);
  } catch (const cell::MorphologyError &e) {
    throw ModelError(t.at, std::string("cell template '") + t.name + "': " + e.what());
  }
  return shape;
}

struct CellInstance {
  const Shape *shape = nullptr;
  std::int32_t firstNode = 0;
  std::string name;  // "pop[i]"
};

// A placed density instance: where it is, for parameters that vary with position.
struct DensityPlacement {
  std::int32_t id;
  const Insertion *insertion;
  const CellInstance *cell;
  std::int32_t section;
  double x;
  std::int32_t node;
};

const rv_variable *findVariable(const rv_mechanism &m, const std::string &name) {
  for (std::int32_t i = 0; i < m.variable_count; ++i) {
    const rv_variable &v = m.variables[i];
    if (name == v.name || name == std::string(v.name) + "_" + m.name) return &v;
  }
  return nullptr;
}

std::vector<std::string> settableNames(const rv_mechanism &m) {
  std::vector<std::string> out;
  for (std::int32_t i = 0; i < m.variable_count; ++i) {
    const rv_variable &v = m.variables[i];
    if (v.role == RV_ROLE_PARAMETER && (v.storage == RV_STORAGE_FIELD || v.storage == RV_STORAGE_GLOBAL)) out.push_back(v.name);
  }
  return out;
}

std::vector<std::string> recordableNames(const rv_mechanism &m) {
  std::vector<std::string> out;
  for (std::int32_t i = 0; i < m.variable_count; ++i) {
    const rv_variable &v = m.variables[i];
    if (v.storage == RV_STORAGE_FIELD && v.role != RV_ROLE_TEMPORARY && v.role != RV_ROLE_INTERNAL) out.push_back(v.name);
  }
  return out;
}

struct PointPlacement {
  const PointSpec *spec;
  const rv_mechanism *mechanism;
  std::int32_t node;
  std::int32_t section;
  std::int32_t id;
  sim::InstanceRef ref{};
};


class Builder {
public:
  Builder(const Model &model, MechanismProvider &provider) : model_(model), provider_(provider) {}

  BuiltModel run() {
    makeCells();
    placeDensities();
    placePoints();
    sim::CellGroup group = builder_.build(refs_);
    for (const auto &set : group.mechanisms) out_.mechanisms.push_back(set->description().name);
    for (const auto &set : group.mechanisms) out_.instances += static_cast<std::size_t>(set->instances.count());
    out_.nodes = static_cast<std::size_t>(group.nodes.count);
    setDensityParameters(group);
    setPointParameters(group);
    sim::Settings settings{model_.dt, model_.celsius, model_.vInit, model_.secondorder};
    out_.simulation = std::make_unique<sim::Simulation>(std::move(group), settings);
    connect();
    record();
    out_.tstop = model_.tstop;
    out_.spikesFile = model_.spikes;
    return std::move(out_);
  }

private:
  const rv_mechanism &mechanism(const std::string &name, const SourceLocation &at) {
    const rv_mechanism *m = provider_.find(name);
    if (m == nullptr) throw ModelError(at, "unknown mechanism '" + name + "'", suggestion(name, provider_.names(), "the mechanisms"));
    return *m;
  }

  void makeCells() {
    for (const auto &[name, t] : model_.templates) shapes_.emplace(name, makeShape(t));
    for (const Population &pop : model_.populations) {
      const Shape &shape = shapes_.at(pop.cellTemplate);
      for (int i = 0; i < pop.count; ++i) {
        CellInstance c{&shape, builder_.addCell(shape.discretisation), pop.name + "[" + std::to_string(i) + "]"};
        cells_.push_back(c);
        out_.sections += shape.morphology.sections.size();
      }
    }
    out_.cells = cells_.size();
  }

  void placeDensities() {
    // Every cell of a template gets the template's insertions.
    for (const CellInstance &c : cells_) {
      const CellTemplate &t = *c.shape->source;
      for (const Insertion &ins : t.insertions) {
        const rv_mechanism &m = mechanism(ins.mechanism, ins.at);
        if (m.kind != RV_DENSITY) {
          throw ModelError(ins.at, std::string(m.name) + " is a point process, not a density mechanism", "place it with a [[point]] entry");
        }
        checkSelectors(ins.where, c.shape->morphology, ins.at, "cell template '" + t.name + "'");
        const auto &sections = c.shape->morphology.sections;
        for (std::size_t s = 0; s < sections.size(); ++s) {
          if (!selects(ins.where, sections[s])) continue;
          const auto &nodes = c.shape->discretisation.sections[s];
          for (int j = 0; j < nodes.nseg; ++j) {
            const std::int32_t node = c.firstNode + nodes.first + j;
            const std::int32_t id = builder_.place(m, node);
            densities_.push_back({id, &ins, &c, static_cast<std::int32_t>(s), (j + 0.5) / nodes.nseg, node});
            densityAt_[{m.name, node}] = id;
          }
        }
      }
    }
  }

  const CellInstance &cellOf(const Location &loc) {
    if (loc.population.empty()) {
      if (cells_.size() != 1) {
        throw ModelError(loc.at, "'" + loc.text + "' does not say which cell", "the model has " + std::to_string(cells_.size()) + " cells: write population[i].section(x)");
      }
      return cells_.front();
    }
    std::size_t offset = 0;
    for (const Population &pop : model_.populations) {
      if (pop.name == loc.population) {
        if (loc.cell >= pop.count) {
          throw ModelError(loc.at, "population '" + pop.name + "' has " + std::to_string(pop.count) + " cells; there is no cell " + std::to_string(loc.cell),
                           "cells are numbered from 0");
        }
        return cells_[offset + static_cast<std::size_t>(loc.cell)];
      }
      offset += static_cast<std::size_t>(pop.count);
    }
    std::vector<std::string> known;
    for (const Population &pop : model_.populations) known.push_back(pop.name);
    throw ModelError(loc.at, "unknown population '" + loc.population + "'", suggestion(loc.population, known, "the populations"));
  }

  std::int32_t sectionOf(const CellInstance &c, const Location &loc) {
    if (auto s = c.shape->morphology.find(loc.section)) return *s;
    std::vector<std::string> known;
    for (const auto &s : c.shape->morphology.sections) known.push_back(s.name);
    throw ModelError(loc.at, "cell " + c.name + " has no section '" + loc.section + "'", suggestion(loc.section, known, "its sections"));
  }

  void placePoints() {
    for (const PointSpec &p : model_.points) {
      const rv_mechanism &m = mechanism(p.mechanism, p.at);
      PointPlacement placed{&p, &m, -1, -1, -1};
      if (m.kind == RV_DENSITY) throw ModelError(p.at, std::string(m.name) + " is a density mechanism", "insert it in a cell template's insert list");
      if (m.kind == RV_POINT_PROCESS) {
        if (!p.location) throw ModelError(p.at, std::string(m.name) + " is a point process and needs a location", "add at = \"soma(0.5)\"");
        const CellInstance &c = cellOf(*p.location);
        placed.section = sectionOf(c, *p.location);
        placed.node = c.firstNode + c.shape->discretisation.nodeAt(placed.section, p.location->x);
      } else if (p.location) {
        throw ModelError(p.location->at, std::string(m.name) + " is an artificial cell: it has no location", "remove at = ...");
      }
      placed.id = builder_.place(m, placed.node);
      points_.push_back(placed);
    }
  }

  double evaluate(const Value &v, const rv_variable &var, const std::string &owner, const sim::Nodes *nodes, const DensityPlacement *at) {
    if (!v.quantity.empty()) {
      const Conversion c = convertQuantity(v.quantity, var.unit);
      if (!c.value) throw ModelError(v.where, "bad value for " + owner + ": " + c.error, std::string("the parameter is in ") + (*var.unit ? var.unit : "no unit"));
      return *c.value;
    }
    if (v.expression) {
      if (at == nullptr) throw ModelError(v.where, owner + " cannot be an expression here", "expressions of position are for mechanisms inserted in sections");
      const auto &dis = at->cell->shape->discretisation;
      const std::int32_t local = at->node - at->cell->firstNode;
      ExpressionVariables vars{dis.distance[static_cast<std::size_t>(local)], at->x, nodes->diam.data()[at->node],
                               dis.sections[static_cast<std::size_t>(at->section)].length};
      const double value = v.expression->evaluate(vars);
      if (!std::isfinite(value)) {
        throw ModelError(v.where, "the expression for " + owner + " gives " + std::to_string(value) + " at " + at->cell->name + "." +
                                      at->cell->shape->morphology.sections[static_cast<std::size_t>(at->section)].name + "(" + std::to_string(at->x) + ")");
      }
      return value;
    }
    return v.number;
  }

  void setParameters(sim::CellGroup &g, const std::vector<ParameterSetting> &settings, sim::InstanceRef ref, const DensityPlacement *at) {
    sim::MechanismSet &set = *g.mechanisms[static_cast<std::size_t>(ref.mechanism)];
    const rv_mechanism &m = set.description();
    for (const ParameterSetting &p : settings) {
      const rv_variable *var = findVariable(m, p.name);
      if (var == nullptr) {
        throw ModelError(p.where, std::string(m.name) + " has no parameter '" + p.name + "'", suggestion(p.name, settableNames(m), std::string("the parameters of ") + m.name));
      }
      if (var->storage != RV_STORAGE_FIELD && var->storage != RV_STORAGE_GLOBAL) {
        throw ModelError(p.where, std::string(var->name) + " of " + m.name + " is not a parameter one can set");
      }
      if (var->role == RV_ROLE_STATE || var->role == RV_ROLE_ASSIGNED || var->role == RV_ROLE_CURRENT) {
        throw ModelError(p.where, std::string(var->name) + " of " + m.name + " is computed by the mechanism (INITIAL and the solver set it)",
                         suggestion(p.name, settableNames(m), std::string("the parameters of ") + m.name));
      }
      if (static_cast<std::int32_t>(p.values.size()) > var->size) {
        throw ModelError(p.where, std::string(var->name) + " has " + std::to_string(var->size) + " element(s), " + std::to_string(p.values.size()) + " given");
      }
      for (std::size_t e = 0; e < p.values.size(); ++e) {
        set.instances.value(*var, ref.instance, static_cast<std::int32_t>(e)) = evaluate(p.values[e], *var, std::string(m.name) + " " + p.name, &g.nodes, at);
      }
    }
  }

  void setDensityParameters(sim::CellGroup &g) {
    for (const DensityPlacement &d : densities_) setParameters(g, d.insertion->parameters, refs_[static_cast<std::size_t>(d.id)], &d);
  }

  void setPointParameters(sim::CellGroup &g) {
    for (PointPlacement &p : points_) {
      p.ref = refs_[static_cast<std::size_t>(p.id)];
      setParameters(g, p.spec->parameters, p.ref, nullptr);
    }
  }

  const PointPlacement *point(const std::string &name) const {
    for (const auto &p : points_) {
      if (p.spec->name == name) return &p;
    }
    return nullptr;
  }

  std::int32_t detectorAt(const Location &loc, double threshold, bool recordSpikes) {
    const CellInstance &c = cellOf(loc);
    const std::int32_t node = c.firstNode + c.shape->discretisation.nodeAt(sectionOf(c, loc), loc.x);
    for (std::size_t i = 0; i < detectors_.size(); ++i) {
      if (detectors_[i].first == node && detectors_[i].second == threshold) {
        if (recordSpikes) out_.simulation->recordSpikes(static_cast<std::int32_t>(i));
        return static_cast<std::int32_t>(i);
      }
    }
    detectors_.emplace_back(node, threshold);
    return out_.simulation->addDetector(sim::SpikeDetector{node, threshold, false, {}, recordSpikes});
  }

  void connect() {
    sim::Simulation &s = *out_.simulation;
    for (const NetConSpec &c : model_.netcons) {
      sim::NetCon nc;
      nc.delay = c.delay;
      if (c.sourceLocation) {
        nc.sourceDetector = detectorAt(*c.sourceLocation, c.threshold, false);
      } else {
        const auto *p = point(c.source);
        nc.sourceMechanism = p->ref.mechanism;
        nc.sourceInstance = p->ref.instance;
      }
      if (!c.target.empty()) {
        const auto *p = point(c.target);
        if (p->mechanism->net_receive_args <= 0 && s.group().mechanisms[static_cast<std::size_t>(p->ref.mechanism)]->netReceive == nullptr) {
          throw ModelError(c.at, std::string(p->mechanism->name) + " ('" + c.target + "') has no NET_RECEIVE block", "the target must be a synapse or an artificial cell");
        }
        nc.targetMechanism = p->ref.mechanism;
        nc.targetInstance = p->ref.instance;
        const auto expected = static_cast<std::size_t>(std::max(p->mechanism->net_receive_args, 1));
        if (c.weights.size() > expected) {
          throw ModelError(c.at, std::to_string(c.weights.size()) + " weights given; " + p->mechanism->name + "'s NET_RECEIVE takes " + std::to_string(expected));
        }
        // Weights of conductance synapses are in uS (NEURON's convention); a plain number is taken as is.
        for (const Value &w : c.weights) nc.weights.push_back(plainNumber(w, "uS", "a weight"));
      }
      try {
        s.addNetCon(std::move(nc));
      } catch (const std::invalid_argument &e) {
        throw ModelError(c.at, e.what());
      }
    }
  }

  // v, an ion variable (ina, ena, cai, cao) or mech.var at a location; point.var.
  const double *probe(const RecordSpec &r) {
    sim::CellGroup &g = out_.simulation->group();
    const std::string &name = r.variable;
    if (const auto dot = name.find('.'); dot != std::string::npos) {
      const std::string owner = name.substr(0, dot), var = name.substr(dot + 1);
      if (const auto *p = point(owner)) {
        if (r.location) throw ModelError(r.location->at, "'" + owner + "' is a point process: its variables need no location");
        auto &set = *g.mechanisms[static_cast<std::size_t>(p->ref.mechanism)];
        const rv_variable *v = findVariable(set.description(), var);
        if (v == nullptr || v->storage != RV_STORAGE_FIELD) {
          throw ModelError(r.at, std::string(set.description().name) + " has no variable '" + var + "' to record", suggestion(var, recordableNames(set.description()), "its variables"));
        }
        return &set.instances.value(*v, p->ref.instance);
      }
      return densityProbe(r, owner, var);
    }
    if (const auto under = name.rfind('_'); under != std::string::npos && provider_.find(name.substr(under + 1)) != nullptr) {
      return densityProbe(r, name.substr(under + 1), name.substr(0, under));
    }
    if (!r.location) throw ModelError(r.at, "recording '" + name + "' needs a location", "add at = \"soma(0.5)\"");
    const CellInstance &c = cellOf(*r.location);
    const std::int32_t section = sectionOf(c, *r.location);
    if (name == "v") return g.nodes.v.data() + c.firstNode + c.shape->discretisation.nodeAt(section, r.location->x);
    const std::int32_t node = c.firstNode + c.shape->discretisation.segmentAt(section, r.location->x);
    for (const sim::Ion &ion : g.ions) {
      const std::string &i = ion.species.name;
      const std::pair<std::string, int> names[] = {{"e" + i, RV_ION_REVERSAL}, {i + "i", RV_ION_INSIDE}, {i + "o", RV_ION_OUTSIDE}, {"i" + i, RV_ION_CURRENT}};
      for (const auto &[n, q] : names) {
        if (n == name) return ion.values[static_cast<std::size_t>(q)].data() + node;
      }
    }
    throw ModelError(r.at, "nothing to record under the name '" + name + "'",
                     "record \"v\", an ion variable (e.g. \"ina\", \"cai\"), \"mechanism.variable\" at a location, \"point.variable\" or \"spikes\"");
  }

  const double *densityProbe(const RecordSpec &r, const std::string &mechanismName, const std::string &var) {
    if (!r.location) throw ModelError(r.at, "recording '" + r.variable + "' needs a location", "add at = \"soma(0.5)\"");
    const rv_mechanism &m = mechanism(mechanismName, r.at);
    const CellInstance &c = cellOf(*r.location);
    const std::int32_t section = sectionOf(c, *r.location);
    const std::int32_t node = c.firstNode + c.shape->discretisation.segmentAt(section, r.location->x);
    const auto it = densityAt_.find({m.name, node});
    if (it == densityAt_.end()) {
      throw ModelError(r.at, std::string(m.name) + " is not inserted at " + r.location->text, "insert it there or record elsewhere");
    }
    const rv_variable *v = findVariable(m, var);
    if (v == nullptr || v->storage != RV_STORAGE_FIELD) throw ModelError(r.at, std::string(m.name) + " has no variable '" + var + "' to record", suggestion(var, recordableNames(m), "its variables"));
    const sim::InstanceRef ref = refs_[static_cast<std::size_t>(it->second)];
    return &out_.simulation->group().mechanisms[static_cast<std::size_t>(ref.mechanism)]->instances.value(*v, ref.instance);
  }

  void record() {
    const double dt = model_.dt;
    std::map<std::string, std::size_t> files;
    for (const RecordSpec &r : model_.records) {
      if (r.variable == "spikes") {
        if (!r.location) throw ModelError(r.at, "recording spikes needs a location (where v crosses the threshold)", "add at = \"soma(0.5)\"");
        out_.spikes.push_back({detectorAt(*r.location, r.threshold, true), r.label.empty() ? r.location->text : r.label});
        continue;
      }
      const double interval = r.interval > 0 ? r.interval : (model_.interval > 0 ? model_.interval : dt);
      const double steps = interval / dt;
      const auto every = static_cast<std::int64_t>(std::llround(steps));
      if (every < 1 || std::abs(steps - static_cast<double>(every)) > 1e-9 * steps) {
        throw ModelError(r.at, "the sampling interval " + std::to_string(interval) + " ms is not a multiple of dt = " + std::to_string(dt) + " ms");
      }
      const std::string file = r.file.empty() ? model_.traces : r.file;
      auto [it, added] = files.try_emplace(file, out_.traces.size());
      if (added) out_.traces.push_back(TraceFile{file, {}, every});
      TraceFile &tf = out_.traces[it->second];
      if (tf.everySteps != every) {
        throw ModelError(r.at, "recordings in one file share one interval; " + file + " already samples every " + std::to_string(tf.everySteps) + " steps",
                         "give this recording its own file = \"...\"");
      }
      std::string label = r.label;
      if (label.empty()) label = r.location ? r.location->text + "." + r.variable : r.variable;
      tf.probes.push_back({label, probe(r)});
    }
  }

  const Model &model_;
  MechanismProvider &provider_;
  sim::GroupBuilder builder_;
  std::map<std::string, Shape> shapes_;
  std::vector<CellInstance> cells_;
  std::vector<DensityPlacement> densities_;
  std::map<std::pair<std::string, std::int32_t>, std::int32_t> densityAt_;
  std::vector<PointPlacement> points_;
  std::vector<sim::InstanceRef> refs_;
  std::vector<std::pair<std::int32_t, double>> detectors_;
  BuiltModel out_;
};

}  // namespace

BuiltModel build(const Model &model, MechanismProvider &mechanisms) {
  if (model.populations.empty() && model.points.empty()) {
    throw ModelError({model.file.string(), 1, 1}, "the model has no cells", "add a [cell.<name>] template (and [population.<name>] entries for more than one cell)");
  }
  return Builder(model, mechanisms).run();
}

}  // namespace ranvier::model
