// Model files (TOML) -> Model. Only form is checked here: keys, types, ranges and
// references between parts of the file. Mechanism names and parameters are checked
// when the model is built (model/build.cpp), where the compiled descriptions are known.
#include <algorithm>
#include <set>

#include <toml++/toml.h>

#include "model/model.hpp"
#include "model/units.hpp"

namespace ranvier::model {

namespace {

class Reader {
public:
  explicit Reader(std::filesystem::path file) : file_(std::move(file)) {}

  SourceLocation at(const toml::node &node) const {
    const auto &s = node.source();
    return {file_.string(), static_cast<int>(s.begin.line), static_cast<int>(s.begin.column)};
  }
  SourceLocation at(const toml::key &key) const {
    const auto &s = key.source();
    return {file_.string(), static_cast<int>(s.begin.line), static_cast<int>(s.begin.column)};
  }

  void checkKeys(const toml::table &table, std::initializer_list<const char *> allowed, const std::string &what) const {
    std::vector<std::string> names(allowed.begin(), allowed.end());
    for (auto &&[key, value] : table) {
      if (std::find(names.begin(), names.end(), key.str()) == names.end()) {
        throw ModelError(at(key), "unknown key '" + std::string(key.str()) + "' in " + what, suggestion(std::string(key.str()), names, "the keys of " + what));
      }
    }
  }

  const toml::table &table(const toml::node &node, const std::string &what) const {
    if (const toml::table *t = node.as_table()) return *t;
    throw ModelError(at(node), what + " must be a table", "write it as [" + what + "] or { key = value, ... }");
  }
  const toml::array &array(const toml::node &node, const std::string &what) const {
    if (const toml::array *a = node.as_array()) return *a;
    throw ModelError(at(node), what + " must be an array", "write it as [ ..., ... ]");
  }
  std::string string(const toml::node &node, const std::string &what) const {
    if (auto s = node.value<std::string>()) return *s;
    throw ModelError(at(node), what + " must be a string", "put it in double quotes");
  }
  int integer(const toml::node &node, const std::string &what, std::int64_t lo, std::int64_t hi) const {
    auto i = node.value<std::int64_t>();
    if (!i || !node.is_integer()) throw ModelError(at(node), what + " must be a whole number");
    if (*i < lo || *i > hi) throw ModelError(at(node), what + " must be between " + std::to_string(lo) + " and " + std::to_string(hi));
    return static_cast<int>(*i);
  }
  // A number in `unit` (a plain number is taken to be in that unit already).
  double number(const toml::node &node, const std::string &what, std::string_view unit) const {
    if (node.is_number()) return *node.value<double>();
    if (auto s = node.value<std::string>()) {
      const Conversion c = convertQuantity(*s, unit);
      if (c.value) return *c.value;
      throw ModelError(at(node), "bad value for " + what + ": " + c.error,
                       unit.empty() ? "give a plain number" : "give a number (in " + std::string(unit) + ") or a number with a unit of the same kind, e.g. \"1 " + std::string(unit) + "\"");
    }
    throw ModelError(at(node), what + " must be a number", unit.empty() ? "" : "in " + std::string(unit));
  }
  Value value(const toml::node &node, const std::string &what) const {
    Value v;
    v.where = at(node);
    if (node.is_number()) {
      v.number = *node.value<double>();
    } else if (auto s = node.value<std::string>()) {
      if (looksLikeQuantity(*s)) {
        v.quantity = *s;
      } else {
        try {
          v.expression = Expression::parse(*s);
        } catch (const std::invalid_argument &e) {
          throw ModelError(v.where, "bad expression for " + what + ": " + e.what(),
                           "a number, a number with a unit (\"0.1 nA\") or an expression of distance, x, diam and L");
        }
      }
    } else if (node.is_boolean()) {
      v.number = *node.value<bool>() ? 1 : 0;
    } else {
      throw ModelError(v.where, what + " must be a number, a quantity or an expression");
    }
    return v;
  }
  std::vector<std::string> names(const toml::node &node, const std::string &what) const {
    if (node.is_string()) return {string(node, what)};
    std::vector<std::string> out;
    for (const toml::node &n : array(node, what)) out.push_back(string(n, what));
    if (out.empty()) throw ModelError(at(node), what + " must name at least one place");
    return out;
  }
  std::filesystem::path path(const std::string &relative) const {
    const std::filesystem::path p(relative);
    return p.is_absolute() ? p : file_.parent_path() / p;
  }
  const std::filesystem::path &file() const { return file_; }

private:
  std::filesystem::path file_;
};

// Everything in a table except `reserved` keys is a mechanism parameter.
std::vector<ParameterSetting> parameters(const Reader &r, const toml::table &t, const std::set<std::string> &reserved, const std::string &owner) {
  std::vector<ParameterSetting> out;
  for (auto &&[key, node] : t) {
    const std::string name(key.str());
    if (reserved.count(name)) continue;
    ParameterSetting p;
    p.name = name;
    p.where = r.at(key);
    if (const toml::array *a = node.as_array()) {
      for (const toml::node &element : *a) p.values.push_back(r.value(element, owner + " " + name));
      if (p.values.empty()) throw ModelError(p.where, "an empty array for " + name);
    } else {
      p.values.push_back(r.value(node, owner + " " + name));
    }
    out.push_back(std::move(p));
  }
  return out;
}

cell::Section readSection(const Reader &r, const toml::table &t, const cell::Morphology &sofar, const SourceLocation &where) {
  r.checkKeys(t, {"name", "region", "parent", "L", "diam", "nseg", "Ra", "cm", "points"}, "a section");
  cell::Section s;
  if (!t.contains("name")) throw ModelError(where, "a section without a name", "add name = \"soma\" (or any name)");
  s.name = r.string(*t.get("name"), "name");
  if (sofar.find(s.name)) throw ModelError(r.at(*t.get("name")), "section '" + s.name + "' is declared twice");
  s.region = t.contains("region") ? r.string(*t.get("region"), "region") : s.name.substr(0, s.name.find('['));
  if (const toml::node *p = t.get("parent")) {
    const std::string text = r.string(*p, "parent");
    std::string name = text;
    double x = 1;
    if (const auto open = text.find('('); open != std::string::npos) {
      const Location loc = parseLocation(text, r.at(*p));
      name = loc.section;
      x = loc.x;
    }
    const auto parent = sofar.find(name);
    if (!parent) {
      std::vector<std::string> known;
      for (const auto &sec : sofar.sections) known.push_back(sec.name);
      throw ModelError(r.at(*p), "unknown parent section '" + name + "'", suggestion(name, known, "sections declared before this one") );
    }
    s.parent = *parent;
    s.parentX = x;
  } else if (!sofar.sections.empty()) {
    throw ModelError(where, "section '" + s.name + "' has no parent", "every section but the first needs parent = \"name(x)\"");
  }
  if (const toml::node *n = t.get("L")) s.L = r.number(*n, "L", "um");
  if (const toml::node *n = t.get("diam")) s.diam = r.number(*n, "diam", "um");
  if (const toml::node *n = t.get("nseg")) s.nseg = r.integer(*n, "nseg", 1, 32767);
  if (const toml::node *n = t.get("Ra")) s.Ra = r.number(*n, "Ra", "ohm cm");
  if (const toml::node *n = t.get("cm")) s.cm = r.number(*n, "cm", "uF/cm2");
  if (const toml::node *n = t.get("points")) {
    for (const toml::node &pt : r.array(*n, "points")) {
      const toml::array &xyzd = r.array(pt, "a 3-D point");
      if (xyzd.size() != 4) throw ModelError(r.at(pt), "a 3-D point is [x, y, z, diam] (um)");
      s.points.push_back({r.number(*xyzd.get(0), "x", "um"), r.number(*xyzd.get(1), "y", "um"), r.number(*xyzd.get(2), "z", "um"),
                          r.number(*xyzd.get(3), "diam", "um")});
    }
    if (s.points.size() < 2) throw ModelError(r.at(*n), "a section needs at least two 3-D points");
    if (t.contains("L") || t.contains("diam")) throw ModelError(where, "a section has either points or L and diam, not both");
  }
  if (!(s.L > 0)) throw ModelError(where, "L must be positive");
  if (!(s.diam > 0)) throw ModelError(where, "diam must be positive");
  if (!(s.Ra > 0)) throw ModelError(where, "Ra must be positive");
  if (!(s.cm >= 0)) throw ModelError(where, "cm must not be negative");
  return s;
}

CellTemplate readTemplate(const Reader &r, const std::string &name, const toml::table &t, const SourceLocation &where) {
  r.checkKeys(t, {"sections", "morphology", "Ra", "cm", "nseg", "d_lambda", "d_lambda_frequency", "properties", "insert"},
              "cell template '" + name + "'");
  CellTemplate c;
  c.name = name;
  c.at = where;
  const bool hasSections = t.contains("sections"), hasFile = t.contains("morphology");
  if (hasSections == hasFile) {
    throw ModelError(where, "cell template '" + name + "' needs either sections or morphology (an SWC file)",
                     "sections = [{ name = \"soma\", L = 20, diam = 20 }] or morphology = \"cell.swc\"");
  }
  if (hasSections) {
    for (const toml::node &n : r.array(*t.get("sections"), "sections")) {
      c.morphology.sections.push_back(readSection(r, r.table(n, "a section"), c.morphology, r.at(n)));
      c.sectionAt.push_back(r.at(n));
    }
    if (c.morphology.sections.empty()) throw ModelError(r.at(*t.get("sections")), "a cell needs at least one section");
  } else {
    c.swc = r.path(r.string(*t.get("morphology"), "morphology"));
    c.swcAt = r.at(*t.get("morphology"));
  }
  // Template-wide values become the first property entry: later entries override.
  SectionProperties all;
  all.where = {"all"};
  all.at = where;
  if (const toml::node *n = t.get("Ra")) all.Ra = r.value(*n, "Ra");
  if (const toml::node *n = t.get("cm")) all.cm = r.value(*n, "cm");
  if (const toml::node *n = t.get("nseg")) all.nseg = r.integer(*n, "nseg", 1, 32767);
  if (all.Ra || all.cm || all.nseg) c.properties.push_back(all);
  if (const toml::node *n = t.get("d_lambda")) {
    c.dLambda = r.number(*n, "d_lambda", "");
    if (!(*c.dLambda > 0)) throw ModelError(r.at(*n), "d_lambda must be positive", "NEURON's usual value is 0.1");
  }
  if (const toml::node *n = t.get("d_lambda_frequency")) c.dLambdaFrequency = r.number(*n, "d_lambda_frequency", "Hz");
  if (const toml::node *n = t.get("properties")) {
    for (const toml::node &entry : r.array(*n, "properties")) {
      const toml::table &p = r.table(entry, "a properties entry");
      r.checkKeys(p, {"where", "Ra", "cm", "nseg"}, "a properties entry");
      SectionProperties props;
      props.at = r.at(entry);
      if (!p.contains("where")) throw ModelError(props.at, "a properties entry needs where = \"...\"", "a section name, a region (soma, axon, dend, apic) or \"all\"");
      props.where = r.names(*p.get("where"), "where");
      if (const toml::node *v = p.get("Ra")) props.Ra = r.value(*v, "Ra");
      if (const toml::node *v = p.get("cm")) props.cm = r.value(*v, "cm");
      if (const toml::node *v = p.get("nseg")) props.nseg = r.integer(*v, "nseg", 1, 32767);
      c.properties.push_back(std::move(props));
    }
  }
  if (const toml::node *n = t.get("insert")) {
    for (const toml::node &entry : r.array(*n, "insert")) {
      const toml::table &i = r.table(entry, "an insert entry");
      Insertion ins;
      ins.at = r.at(entry);
      if (!i.contains("mechanism")) throw ModelError(ins.at, "an insert entry needs mechanism = \"...\"", "e.g. { mechanism = \"hh\", where = \"soma\" }");
      ins.mechanism = r.string(*i.get("mechanism"), "mechanism");
      ins.where = i.contains("where") ? r.names(*i.get("where"), "where") : std::vector<std::string>{"all"};
      ins.parameters = parameters(r, i, {"mechanism", "where"}, ins.mechanism);
      c.insertions.push_back(std::move(ins));
    }
  }
  return c;
}

}  // namespace

Location parseLocation(const std::string &text, const SourceLocation &where) {
  Location loc;
  loc.text = text;
  loc.at = where;
  const auto open = text.rfind('(');
  const auto close = text.rfind(')');
  const std::string hint = "write a location as \"section(x)\" or \"population[i].section(x)\", with 0 <= x <= 1";
  if (open == std::string::npos || close != text.size() - 1 || close < open) throw ModelError(where, "'" + text + "' is not a location", hint);
  std::string head = text.substr(0, open);
  const std::string xText = text.substr(open + 1, close - open - 1);
  try {
    std::size_t used = 0;
    loc.x = std::stod(xText, &used);
    if (used != xText.size()) throw std::invalid_argument(xText);
  } catch (const std::exception &) {
    throw ModelError(where, "'" + xText + "' in '" + text + "' is not a number", hint);
  }
  if (!(loc.x >= 0 && loc.x <= 1)) throw ModelError(where, "x = " + xText + " in '" + text + "' is outside [0, 1]", hint);
  if (const auto dot = head.find('.'); dot != std::string::npos) {
    std::string cellPart = head.substr(0, dot);
    head = head.substr(dot + 1);
    const auto bracket = cellPart.find('[');
    if (bracket == std::string::npos || cellPart.back() != ']') {
      loc.population = cellPart;
    } else {
      loc.population = cellPart.substr(0, bracket);
      const std::string index = cellPart.substr(bracket + 1, cellPart.size() - bracket - 2);
      try {
        std::size_t used = 0;
        loc.cell = std::stoi(index, &used);
        if (used != index.size() || loc.cell < 0) throw std::invalid_argument(index);
      } catch (const std::exception &) {
        throw ModelError(where, "'" + index + "' is not a cell index", hint);
      }
    }
  }
  if (head.empty()) throw ModelError(where, "'" + text + "' names no section", hint);
  loc.section = head;
  return loc;
}

Model loadModel(const std::filesystem::path &file) {
  Model m;
  m.file = file;
  const Reader r(file);
  toml::table root;
  try {
    root = toml::parse_file(file.string());
  } catch (const toml::parse_error &e) {
    const auto &s = e.source();
    if (!std::filesystem::exists(file)) throw ModelError({file.string()}, "cannot read the model file: it does not exist");
    throw ModelError({file.string(), static_cast<int>(s.begin.line), static_cast<int>(s.begin.column)},
                     "TOML syntax: " + std::string(e.description()), "see docs/model-files.md for the format");
  }
  r.checkKeys(root, {"simulation", "mechanisms", "cell", "population", "point", "netcon", "record", "output"}, "the model file");

  if (const toml::node *n = root.get("simulation")) {
    const toml::table &s = r.table(*n, "simulation");
    m.settingsAt = r.at(*n);
    r.checkKeys(s, {"tstop", "dt", "celsius", "v_init", "secondorder", "threads"}, "[simulation]");
    if (const toml::node *v = s.get("tstop")) m.tstop = r.number(*v, "tstop", "ms");
    if (const toml::node *v = s.get("dt")) m.dt = r.number(*v, "dt", "ms");
    if (const toml::node *v = s.get("celsius")) m.celsius = r.number(*v, "celsius", "degC");
    if (const toml::node *v = s.get("v_init")) m.vInit = r.number(*v, "v_init", "mV");
    if (const toml::node *v = s.get("secondorder")) {
      m.secondorder = r.integer(*v, "secondorder", 0, 2);
      if (m.secondorder == 1) throw ModelError(r.at(*v), "secondorder = 1 is not supported", "0 (implicit Euler, NEURON's default) or 2 (Crank-Nicolson)");
    }
    if (const toml::node *v = s.get("threads")) m.threads = r.integer(*v, "threads", 0, 4096);
    if (!(m.dt > 0)) throw ModelError(r.at(*s.get("dt")), "dt must be positive");
    if (!(m.tstop >= 0)) throw ModelError(r.at(*s.get("tstop")), "tstop must not be negative");
  }
  if (const toml::node *n = root.get("mechanisms")) {
    const toml::table &t = r.table(*n, "mechanisms");
    r.checkKeys(t, {"paths"}, "[mechanisms]");
    if (const toml::node *p = t.get("paths")) {
      for (const std::string &dir : r.names(*p, "paths")) {
        const auto path = r.path(dir);
        if (!std::filesystem::is_directory(path)) {
          throw ModelError(r.at(*p), "mechanism path '" + dir + "' is not a directory (" + path.string() + ")", "paths are relative to the model file");
        }
        m.mechanismPaths.push_back(path);
      }
    }
  }
  if (const toml::node *n = root.get("cell")) {
    for (auto &&[key, value] : r.table(*n, "cell")) {
      const std::string name(key.str());
      m.templates.emplace(name, readTemplate(r, name, r.table(value, "cell." + name), r.at(key)));
    }
  }
  if (const toml::node *n = root.get("population")) {
    for (auto &&[key, value] : r.table(*n, "population")) {
      const toml::table &p = r.table(value, "population." + std::string(key.str()));
      r.checkKeys(p, {"cell", "count"}, "a population");
      Population pop;
      pop.name = std::string(key.str());
      pop.at = r.at(key);
      if (!p.contains("cell")) throw ModelError(pop.at, "population '" + pop.name + "' needs cell = \"<template>\"");
      pop.cellTemplate = r.string(*p.get("cell"), "cell");
      if (!m.templates.count(pop.cellTemplate)) {
        std::vector<std::string> known;
        for (const auto &[t, _] : m.templates) known.push_back(t);
        throw ModelError(r.at(*p.get("cell")), "unknown cell template '" + pop.cellTemplate + "'", suggestion(pop.cellTemplate, known, "the templates"));
      }
      if (const toml::node *c = p.get("count")) pop.count = r.integer(*c, "count", 0, 100000000);
      m.populations.push_back(std::move(pop));
    }
  } else if (m.templates.size() == 1) {
    // One template and no population: one cell of it, named after the template.
    m.populations.push_back(Population{m.templates.begin()->first, m.templates.begin()->first, 1, m.templates.begin()->second.at});
  }
  std::set<std::string> pointNames;
  if (const toml::node *n = root.get("point")) {
    for (const toml::node &entry : r.array(*n, "point")) {
      const toml::table &t = r.table(entry, "a [[point]]");
      PointSpec p;
      p.at = r.at(entry);
      if (!t.contains("mechanism")) throw ModelError(p.at, "a point process needs mechanism = \"...\"", "e.g. mechanism = \"IClamp\"");
      p.mechanism = r.string(*t.get("mechanism"), "mechanism");
      p.name = t.contains("name") ? r.string(*t.get("name"), "name") : p.mechanism + "[" + std::to_string(m.points.size()) + "]";
      if (!pointNames.insert(p.name).second) throw ModelError(p.at, "two point processes are named '" + p.name + "'");
      if (const toml::node *at = t.get("at")) p.location = parseLocation(r.string(*at, "at"), r.at(*at));
      p.parameters = parameters(r, t, {"mechanism", "name", "at"}, p.mechanism);
      m.points.push_back(std::move(p));
    }
  }
  if (const toml::node *n = root.get("netcon")) {
    for (const toml::node &entry : r.array(*n, "netcon")) {
      const toml::table &t = r.table(entry, "a [[netcon]]");
      r.checkKeys(t, {"source", "target", "weight", "delay", "threshold"}, "a [[netcon]]");
      NetConSpec c;
      c.at = r.at(entry);
      if (!t.contains("source")) throw ModelError(c.at, "a connection needs source = \"...\"", "a point process name or a location such as \"soma(0.5)\"");
      const std::string source = r.string(*t.get("source"), "source");
      if (source.find('(') != std::string::npos) c.sourceLocation = parseLocation(source, r.at(*t.get("source")));
      else c.source = source;
      if (const toml::node *v = t.get("target")) c.target = r.string(*v, "target");
      if (const toml::node *v = t.get("weight")) {
        if (const toml::array *a = v->as_array()) {
          for (const toml::node &w : *a) c.weights.push_back(r.value(w, "weight"));
        } else {
          c.weights.push_back(r.value(*v, "weight"));
        }
      }
      if (const toml::node *v = t.get("delay")) c.delay = r.number(*v, "delay", "ms");
      if (const toml::node *v = t.get("threshold")) c.threshold = r.number(*v, "threshold", "mV");
      if (c.delay < 0) throw ModelError(r.at(*t.get("delay")), "a negative delay");
      for (const std::string *name : {&c.source, &c.target}) {
        if (!name->empty() && !pointNames.count(*name)) {
          throw ModelError(c.at, "no point process is named '" + *name + "'",
                           suggestion(*name, std::vector<std::string>(pointNames.begin(), pointNames.end()), "the point processes"));
        }
      }
      m.netcons.push_back(std::move(c));
    }
  }
  if (const toml::node *n = root.get("output")) {
    const toml::table &t = r.table(*n, "output");
    r.checkKeys(t, {"traces", "spikes", "interval"}, "[output]");
    if (const toml::node *v = t.get("traces")) m.traces = r.string(*v, "traces");
    if (const toml::node *v = t.get("spikes")) m.spikes = r.string(*v, "spikes");
    if (const toml::node *v = t.get("interval")) {
      m.interval = r.number(*v, "interval", "ms");
      if (!(m.interval > 0)) throw ModelError(r.at(*v), "the output interval must be positive");
    }
  }
  if (const toml::node *n = root.get("record")) {
    for (const toml::node &entry : r.array(*n, "record")) {
      const toml::table &t = r.table(entry, "a [[record]]");
      r.checkKeys(t, {"variable", "at", "label", "file", "interval", "threshold"}, "a [[record]]");
      RecordSpec rec;
      rec.at = r.at(entry);
      if (!t.contains("variable")) throw ModelError(rec.at, "a recording needs variable = \"...\"", "e.g. \"v\", \"hh.m\", \"ina\", \"stim.i\" or \"spikes\"");
      rec.variable = r.string(*t.get("variable"), "variable");
      if (const toml::node *v = t.get("at")) rec.location = parseLocation(r.string(*v, "at"), r.at(*v));
      if (const toml::node *v = t.get("label")) rec.label = r.string(*v, "label");
      if (const toml::node *v = t.get("file")) rec.file = r.string(*v, "file");
      if (const toml::node *v = t.get("interval")) {
        rec.interval = r.number(*v, "interval", "ms");
        if (!(rec.interval > 0)) throw ModelError(r.at(*v), "the interval must be positive");
      }
      if (const toml::node *v = t.get("threshold")) rec.threshold = r.number(*v, "threshold", "mV");
      m.records.push_back(std::move(rec));
    }
  }
  return m;
}

}  // namespace ranvier::model
