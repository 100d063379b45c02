// Model files (TOML) -> Model. Only form is checked here: keys, types, ranges and
// references between parts of the file. Mechanism names and parameters are checked
// when the model is built (model/build.cpp), where the compiled descriptions are known.
#include <algorithm>
#include <charconv>
#include <fstream>
#include <set>
#include <sstream>

#include <toml++/toml.h>

#include "model/model.hpp"
#include "model/gap_junctions.hpp"
#include "model/toml_reader.hpp"
#include "model/units.hpp"

namespace ranvier::model {

namespace {


// Everything in a table except `reserved` keys is a mechanism parameter.
// pointers = { vpre = "v", csoma = "soma(0.5).cai" }: each POINTER's target on the
// instance's own cell, at its segment or at the place before the variable.
std::vector<InsertionPointer> insertionPointers(const Reader &r, const toml::node &node) {
  const toml::table *t = node.as_table();
  if (t == nullptr) throw ModelError(r.at(node), "pointers is a table of POINTER = \"target\"", "e.g. pointers = { vsoma = \"soma(0.5).v\", cap = \"cai\" }");
  std::vector<InsertionPointer> out;
  for (auto &&[key, value] : *t) {
    InsertionPointer p;
    p.name = std::string(key.str());
    p.at = r.at(key);
    const std::string target = r.string(value, "the target of POINTER " + p.name);
    if (const auto close = target.rfind(")."); close != std::string::npos) {
      p.place = parseLocation(target.substr(0, close + 1), r.at(value));
      if (!p.place->population.empty()) {
        throw ModelError(r.at(value), "an inserted mechanism's POINTER points into its own cell: '" + target + "' names another",
                         "use a [[pointer]] entry to point into another cell");
      }
      p.variable = target.substr(close + 2);
    } else {
      p.variable = target;
    }
    if (p.variable.empty()) throw ModelError(r.at(value), "POINTER " + p.name + " has no target variable", "e.g. \"v\", \"cai\" or \"soma(0.5).v\"");
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<double> numbers(const Reader &r, const toml::node &node, const std::string &what) {
  std::vector<double> out;
  for (const toml::node &n : r.array(node, what)) out.push_back(r.number(n, what, ""));
  if (out.empty()) throw ModelError(r.at(node), what + " is empty");
  return out;
}

// x = [points...] or x = { from = a, to = b } (as many points as the values give)
FunctionTableSpec::Axis tableAxis(const Reader &r, const toml::node &node, const std::string &name) {
  FunctionTableSpec::Axis axis;
  axis.at = r.at(node);
  if (const toml::table *t = node.as_table()) {
    r.checkKeys(*t, {"from", "to"}, name);
    if (!t->contains("from") || !t->contains("to")) throw ModelError(axis.at, "a uniform axis needs from and to", name + " = { from = -100, to = 50 }");
    axis.from = r.number(*t->get("from"), name + ".from", "");
    axis.to = r.number(*t->get("to"), name + ".to", "");
    return axis;
  }
  axis.points = numbers(r, node, name);
  axis.size = axis.points.size();
  return axis;
}

// A one-argument table from a CSV file: a header line (two column names), then rows
// of x,value; '#' lines and blank lines are skipped.
void readTableFile(const std::filesystem::path &path, const SourceLocation &named, FunctionTableSpec &f) {
  std::ifstream in(path);
  if (!in) throw ModelError(named, "cannot read the table " + path.string(), "the path is relative to the model file");
  std::string line;
  int number = 0;
  bool header = false;
  FunctionTableSpec::Axis axis;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos || line[line.find_first_not_of(" \t")] == '#') continue;
    const SourceLocation at{path.string(), number, 1};
    std::vector<std::string> fields;
    std::stringstream ss(line);
    for (std::string field; std::getline(ss, field, ',');) {
      const auto first = field.find_first_not_of(" \t"), last = field.find_last_not_of(" \t");
      fields.push_back(first == std::string::npos ? std::string() : field.substr(first, last - first + 1));
    }
    if (fields.size() != 2) throw ModelError(at, "a table file has two columns, x and the value; this line has " + std::to_string(fields.size()));
    if (!header) {
      header = true;
      continue;
    }
    double row[2];
    for (int k = 0; k < 2; ++k) {
      const std::string &text = fields[static_cast<std::size_t>(k)];
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), row[k]);
      if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
        throw ModelError(at, "'" + text + "' is not a number", number == 1 ? "the first line is a header: x,value" : "");
      }
    }
    axis.points.push_back(row[0]);
    f.values.push_back(row[1]);
  }
  if (f.values.empty()) throw ModelError(named, "the table " + path.string() + " has no rows", "a header line, then x,value rows");
  axis.size = axis.points.size();
  axis.at = named;
  f.axes.push_back(std::move(axis));
  f.valuesAt = named;
}

// [[function_table]]: function = "mech.name", then value = c, or x (and y) and values,
// or file = "table.csv" (one argument).
FunctionTableSpec readFunctionTable(const Reader &r, const toml::table &t, const SourceLocation &at) {
  r.checkKeys(t, {"function", "value", "x", "y", "values", "file"}, "a [[function_table]]");
  FunctionTableSpec f;
  f.at = at;
  if (!t.contains("function")) throw ModelError(at, "a [[function_table]] needs function = \"...\"", "the mechanism and its FUNCTION_TABLE: \"kdr.ntau\"");
  f.function = r.string(*t.get("function"), "function");
  const auto dot = f.function.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == f.function.size()) {
    throw ModelError(r.at(*t.get("function")), "'" + f.function + "' does not name a FUNCTION_TABLE", "write mechanism.name, e.g. \"kdr.ntau\"");
  }
  if (const toml::node *v = t.get("value")) {
    if (t.contains("x") || t.contains("y") || t.contains("values") || t.contains("file")) {
      throw ModelError(r.at(*v), "a constant table takes value alone", "remove x, y and values, or value");
    }
    f.constant = r.number(*v, "value", "");
    return f;
  }
  if (const toml::node *file = t.get("file")) {
    if (t.contains("x") || t.contains("y") || t.contains("values")) {
      throw ModelError(r.at(*file), "a table from a file takes its x and values from there", "remove x, y and values, or file");
    }
    readTableFile(r.path(r.string(*file, "file")), r.at(*file), f);
    return f;
  }
  if (!t.contains("x") || !t.contains("values")) throw ModelError(at, "a [[function_table]] needs x and values (or value = a constant)", "x = [-100, -50, 0], values = [0.1, 0.5, 0.9]");
  f.axes.push_back(tableAxis(r, *t.get("x"), "x"));
  const toml::node &values = *t.get("values");
  f.valuesAt = r.at(values);
  if (const toml::node *y = t.get("y")) {
    f.axes.push_back(tableAxis(r, *y, "y"));
    const toml::array &rows = r.array(values, "values");
    for (const toml::node &row : rows) {
      const std::vector<double> v = numbers(r, row, "a row of values");
      if (f.axes[1].size == 0) f.axes[1].size = v.size();
      if (v.size() != f.axes[1].size) {
        throw ModelError(r.at(row), "this row has " + std::to_string(v.size()) + " values, not " + std::to_string(f.axes[1].size), "one value per point of y in every row");
      }
      f.values.insert(f.values.end(), v.begin(), v.end());
    }
    if (rows.empty()) throw ModelError(f.valuesAt, "values is empty");
    if (f.axes[0].size == 0) f.axes[0].size = rows.size();
    if (rows.size() != f.axes[0].size) {
      throw ModelError(f.valuesAt, std::to_string(rows.size()) + " rows of values for " + std::to_string(f.axes[0].size) + " points of x", "one row per point of x");
    }
  } else {
    f.values = numbers(r, values, "values");
    if (f.axes[0].size == 0) f.axes[0].size = f.values.size();
    if (f.values.size() != f.axes[0].size) {
      throw ModelError(f.valuesAt, std::to_string(f.values.size()) + " values for " + std::to_string(f.axes[0].size) + " points of x", "one value per point");
    }
  }
  return f;
}

cell::Section readSection(const Reader &r, const toml::table &t, const cell::Morphology &sofar, const SourceLocation &where) {
  r.checkKeys(t, {"name", "region", "parent", "attached_end", "L", "diam", "nseg", "Ra", "cm", "points"}, "a section");
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
    if (const toml::node *e = t.get("attached_end")) {
      s.attachedEnd = static_cast<int>(r.integer(*e, "attached_end", 0, 1));  // NEURON's connect name(1), parent(x)
    }
  } else if (const toml::node *e = t.get("attached_end")) {
    throw ModelError(r.at(*e), "attached_end without a parent", "only a section with parent = \"name(x)\" is attached by an end");
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

PointSpec readPoint(const Reader &r, const toml::table &t, const SourceLocation &at, std::size_t number) {
  PointSpec p;
  p.at = at;
  if (!t.contains("mechanism")) throw ModelError(p.at, "a point process needs mechanism = \"...\"", "e.g. mechanism = \"IClamp\"");
  p.mechanism = r.string(*t.get("mechanism"), "mechanism");
  p.name = t.contains("name") ? r.string(*t.get("name"), "name") : p.mechanism + "[" + std::to_string(number) + "]";
  if (const toml::node *where = t.get("at")) p.location = parseLocation(r.string(*where, "at"), r.at(*where));
  p.parameters = readParameters(r, t, {"mechanism", "name", "at"}, p.mechanism);
  return p;
}

CellTemplate readTemplate(const Reader &r, const std::string &name, const toml::table &t, const SourceLocation &where) {
  r.checkKeys(t, {"sections", "morphology", "Ra", "cm", "nseg", "d_lambda", "d_lambda_frequency", "properties", "insert", "spike_source", "points"},
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
      ins.parameters = readParameters(r, i, {"mechanism", "where", "pointers"}, ins.mechanism);
      if (const toml::node *v = i.get("pointers")) ins.pointers = insertionPointers(r, *v);
      c.insertions.push_back(std::move(ins));
    }
  }
  if (const toml::node *n = t.get("spike_source")) {
    SpikeSource source;
    source.at = r.at(*n);
    std::string location;
    if (const toml::table *st = n->as_table()) {
      r.checkKeys(*st, {"at", "threshold"}, "spike_source");
      if (!st->contains("at")) throw ModelError(source.at, "spike_source needs at = \"section(x)\"", "e.g. spike_source = { at = \"soma(0.5)\", threshold = 10 }");
      location = r.string(*st->get("at"), "spike_source.at");
      if (const toml::node *th = st->get("threshold")) source.threshold = r.number(*th, "threshold", "mV");
    } else {
      location = r.string(*n, "spike_source");
    }
    const Location loc = parseLocation(location, source.at);
    if (!loc.population.empty()) throw ModelError(source.at, "a template's spike source is a place on its cell", "write \"section(x)\", e.g. \"soma(0.5)\"");
    source.section = loc.section;
    source.x = loc.x;
    c.spikeSource = source;
  }
  if (const toml::node *n = t.get("points")) {
    std::set<std::string> names;
    for (const toml::node &entry : r.array(*n, "points")) {
      PointSpec p = readPoint(r, r.table(entry, "a point entry"), r.at(entry), c.points.size());
      if (!p.location) throw ModelError(p.at, "a point of a cell template needs at = \"section(x)\"");
      if (!p.location->population.empty()) throw ModelError(p.location->at, "a point of a cell template is placed on each cell", "write at = \"section(x)\"");
      if (!names.insert(p.name).second) throw ModelError(p.at, "two points of template '" + name + "' are named '" + p.name + "'");
      c.points.push_back(std::move(p));
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
  r.checkKeys(root, {"simulation", "mechanisms", "cell", "population", "point", "netcon", "pointer", "gap_junction", "function_table", "record", "output"},
              "the model file");

  if (const toml::node *n = root.get("simulation")) {
    const toml::table &s = r.table(*n, "simulation");
    m.settingsAt = r.at(*n);
    r.checkKeys(s, {"tstop", "dt", "celsius", "v_init", "secondorder", "threads", "distribution", "spike_compression", "split_cells", "kernels"}, "[simulation]");
    if (const toml::node *v = s.get("tstop")) m.tstop = r.number(*v, "tstop", "ms");
    if (const toml::node *v = s.get("dt")) m.dt = r.number(*v, "dt", "ms");
    if (const toml::node *v = s.get("celsius")) m.celsius = r.number(*v, "celsius", "degC");
    if (const toml::node *v = s.get("v_init")) m.vInit = r.number(*v, "v_init", "mV");
    if (const toml::node *v = s.get("secondorder")) {
      m.secondorder = r.integer(*v, "secondorder", 0, 2);
      if (m.secondorder == 1) throw ModelError(r.at(*v), "secondorder = 1 is not supported", "0 (implicit Euler, NEURON's default) or 2 (Crank-Nicolson)");
    }
    if (const toml::node *v = s.get("threads")) m.threads = r.integer(*v, "threads", 0, 4096);
    if (const toml::node *v = s.get("distribution")) {
      const std::string d = r.string(*v, "distribution");
      if (d == "round_robin") m.distribution = Distribution::RoundRobin;
      else if (d == "balanced") m.distribution = Distribution::Balanced;
      else throw ModelError(r.at(*v), "unknown distribution '" + d + "'", "\"round_robin\" (gid mod ranks, the default) or \"balanced\" (by the cells' complexity)");
    }
    if (const toml::node *v = s.get("spike_compression")) m.spikeCompression = r.boolean(*v, "spike_compression");
    if (const toml::node *v = s.get("split_cells")) {
      const std::string mode = r.string(*v, "split_cells");
      if (mode == "auto") m.splitCells = true;
      else if (mode == "off") m.splitCells = false;
      else throw ModelError(r.at(*v), "unknown split_cells mode '" + mode + "'", "\"auto\" (cut a cell that is a large share of the load into pieces for several threads, the default) or \"off\"");
    }
    if (const toml::node *v = s.get("kernels")) m.kernels = r.kernels(*v);
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
      Population pop;
      pop.name = std::string(key.str());
      pop.at = r.at(key);
      if (p.contains("cell") == p.contains("mechanism")) {
        throw ModelError(pop.at, "population '" + pop.name + "' needs either cell = \"<template>\" or mechanism = \"<artificial cell>\"");
      }
      if (p.contains("cell")) {
        r.checkKeys(p, {"cell", "count"}, "a population of cells");
        pop.cellTemplate = r.string(*p.get("cell"), "cell");
        if (!m.templates.count(pop.cellTemplate)) {
          std::vector<std::string> known;
          for (const auto &[t, _] : m.templates) known.push_back(t);
          throw ModelError(r.at(*p.get("cell")), "unknown cell template '" + pop.cellTemplate + "'", suggestion(pop.cellTemplate, known, "the templates"));
        }
      } else {
        pop.mechanism = r.string(*p.get("mechanism"), "mechanism");
        pop.parameters = readParameters(r, p, {"mechanism", "count"}, pop.mechanism);
      }
      if (const toml::node *c = p.get("count")) pop.count = r.integer(*c, "count", 0, 100000000);
      m.populations.push_back(std::move(pop));
    }
    // toml++ keeps keys sorted; gids follow the order in the file
    std::stable_sort(m.populations.begin(), m.populations.end(), [](const Population &x, const Population &y) {
      return std::pair(x.at.line, x.at.column) < std::pair(y.at.line, y.at.column);
    });
  } else if (m.templates.size() == 1) {
    // One template and no population: one cell of it, named after the template.
    m.populations.push_back(Population{m.templates.begin()->first, m.templates.begin()->first, "", 1, {}, {}, m.templates.begin()->second.at});
  }
  std::set<std::string> pointNames;
  if (const toml::node *n = root.get("point")) {
    for (const toml::node &entry : r.array(*n, "point")) {
      PointSpec p = readPoint(r, r.table(entry, "a [[point]]"), r.at(entry), m.points.size());
      if (!pointNames.insert(p.name).second) throw ModelError(p.at, "two point processes are named '" + p.name + "'");
      m.points.push_back(std::move(p));
    }
  }
  if (const toml::node *n = root.get("netcon")) {
    for (const toml::node &entry : r.array(*n, "netcon")) {
      const toml::table &t = r.table(entry, "a [[netcon]]");
      r.checkKeys(t, {"name", "source", "target", "rule", "indegree", "probability", "file", "seed", "autapses", "weight", "delay", "threshold"}, "a [[netcon]]");
      NetConSpec c;
      c.at = r.at(entry);
      if (const toml::node *v = t.get("name")) {
        c.name = r.string(*v, "name");
        if (c.name.empty() || c.name.find_first_of(".[]() ") != std::string::npos) {
          throw ModelError(r.at(*v), "a connection's name is a word: '" + c.name + "'", "e.g. name = \"inhibition\"");
        }
        for (const NetConSpec &other : m.netcons) {
          if (other.name == c.name) throw ModelError(r.at(*v), "two [[netcon]] entries are named '" + c.name + "'");
        }
      }
      if (!t.contains("source")) throw ModelError(c.at, "a connection needs source = \"...\"", "a population (\"exc\", \"exc[0:10]\"), a point process name or a location such as \"soma(0.5)\"");
      if (!t.contains("target")) throw ModelError(c.at, "a connection needs target = \"...\"", "a point of the target cells (\"exc.syn\", \"exc[3].syn\"), artificial cells or a point process name");
      c.sources = readSelections(r, *t.get("source"), "source");
      c.targets = readSelections(r, *t.get("target"), "target");
      if (const toml::node *v = t.get("rule")) {
        const std::string rule = r.string(*v, "rule");
        const std::vector<std::pair<std::string, ConnectionRule>> rules{{"one_to_one", ConnectionRule::OneToOne}, {"all_to_all", ConnectionRule::AllToAll},
                                                                        {"ring", ConnectionRule::Ring}, {"fixed_indegree", ConnectionRule::FixedIndegree},
                                                                        {"fixed_probability", ConnectionRule::FixedProbability}, {"file", ConnectionRule::File}};
        auto it = std::find_if(rules.begin(), rules.end(), [&](const auto &x) { return x.first == rule; });
        if (it == rules.end()) {
          std::vector<std::string> names;
          for (const auto &x : rules) names.push_back(x.first);
          throw ModelError(r.at(*v), "unknown connection rule '" + rule + "'", suggestion(rule, names, "the rules"));
        }
        c.rule = it->second;
        c.ruleGiven = true;
      }
      auto requireFor = [&](const char *key, ConnectionRule rule, const char *ruleName) {
        const toml::node *v = t.get(key);
        if ((v != nullptr) != (c.rule == rule)) {
          throw ModelError(v ? r.at(*v) : c.at, std::string("rule = \"") + ruleName + "\" " + (v ? "is the only rule that takes " : "needs ") + key);
        }
        return v;
      };
      if (const toml::node *v = requireFor("indegree", ConnectionRule::FixedIndegree, "fixed_indegree")) c.indegree = r.integer(*v, "indegree", 0, 100000000);
      if (const toml::node *v = requireFor("probability", ConnectionRule::FixedProbability, "fixed_probability")) {
        c.probability = r.number(*v, "probability", "");
        if (!(c.probability >= 0 && c.probability <= 1)) throw ModelError(r.at(*v), "probability must be between 0 and 1");
      }
      if (const toml::node *v = requireFor("file", ConnectionRule::File, "file")) {
        c.file = r.path(r.string(*v, "file"));
        if (!std::filesystem::is_regular_file(c.file)) throw ModelError(r.at(*v), "cannot read the edge list " + c.file.string(), "the path is relative to the model file");
      }
      if (const toml::node *v = t.get("seed")) c.seed = static_cast<std::uint64_t>(r.integer(*v, "seed", 0, 2147483647));
      if (const toml::node *v = t.get("autapses")) c.autapses = r.boolean(*v, "autapses");
      if (const toml::node *v = t.get("weight")) {
        c.hasWeight = true;
        if (const toml::array *a = v->as_array()) {
          if (a->empty()) throw ModelError(r.at(*v), "an empty weight vector");
          c.weight = readDraw(r, *a->get(0), "weight", "uS");
          for (std::size_t k = 1; k < a->size(); ++k) c.moreWeights.push_back(r.value(*a->get(k), "weight"));
        } else {
          c.weight = readDraw(r, *v, "weight", "uS");
        }
      }
      c.delay.constant.number = 1;
      if (const toml::node *v = t.get("delay")) {
        c.delay = readDraw(r, *v, "delay", "ms");
        if (c.delay.kind == Draw::Kind::Constant) {
          c.delay.constant.number = r.number(*v, "delay", "ms");
          c.delay.constant.quantity.clear();
          if (c.delay.constant.number < 0) throw ModelError(r.at(*v), "a negative delay");
        }
      }
      if (const toml::node *v = t.get("threshold")) c.threshold = r.number(*v, "threshold", "mV");
      m.netcons.push_back(std::move(c));
    }
  }
  if (const toml::node *n = root.get("pointer")) {
    for (const toml::node &entry : r.array(*n, "pointer")) {
      const toml::table &t = r.table(entry, "a [[pointer]]");
      r.checkKeys(t, {"pointer", "at", "target", "target_at", "offset"}, "a [[pointer]]");
      PointerSpec p;
      p.at = r.at(entry);
      if (!t.contains("pointer")) {
        throw ModelError(p.at, "a [[pointer]] needs pointer = \"...\"", "the POINTER to set: \"gap.vgap\" (a [[point]]'s) or \"mechanism.name\" with at = \"pop[i].section(x)\"");
      }
      p.pointer = r.string(*t.get("pointer"), "pointer");
      const std::size_t dots = static_cast<std::size_t>(std::count(p.pointer.begin(), p.pointer.end(), '.'));
      const auto dot = p.pointer.rfind('.');
      if (dots == 0 || dots > 2 || dot == 0 || dot + 1 == p.pointer.size() || p.pointer.find("..") != std::string::npos || p.pointer.front() == '.') {
        throw ModelError(r.at(*t.get("pointer")), "'" + p.pointer + "' does not name a POINTER",
                         "write owner.name: \"gap.vgap\" for the [[point]] gap, \"mechanism.name\" with at = ..., or \"pop.point.name\" for a template point on many cells");
      }
      if (!t.contains("target")) throw ModelError(p.at, "a [[pointer]] needs target = \"...\"", "what it points at: \"v\", an ion variable (\"cai\"), \"mechanism.variable\" or \"point.variable\"");
      p.target = r.string(*t.get("target"), "target");
      if (dots == 2) {  // the form for many cells
        if (const toml::node *v = t.get("at")) throw ModelError(r.at(*v), "a template point's POINTERs are on the cells the pointer names: at does not apply", "remove at");
        if (!t.contains("target_at")) {
          throw ModelError(p.at, "POINTERs of many cells need target_at = \"pop.section(x)\" (or \"pop[range].section(x)\")", "one place per cell, paired in order");
        }
        p.targetSelection = r.string(*t.get("target_at"), "target_at");
        p.targetAt = r.at(*t.get("target_at"));
        if (const toml::node *v = t.get("offset")) p.offset = r.integer(*v, "offset", -1000000000, 1000000000);
      } else {
        if (const toml::node *v = t.get("offset")) throw ModelError(r.at(*v), "offset pairs the POINTERs of many cells (pointer = \"pop.point.name\")", "remove offset");
        if (const toml::node *v = t.get("at")) p.location = parseLocation(r.string(*v, "at"), r.at(*v));
        if (const toml::node *v = t.get("target_at")) p.targetLocation = parseLocation(r.string(*v, "target_at"), r.at(*v));
      }
      m.pointers.push_back(std::move(p));
    }
  }
  if (const toml::node *n = root.get("gap_junction")) {  // after the populations and the [[point]]s, whose names they must not take
    std::size_t number = 0;
    for (const toml::node &entry : r.array(*n, "gap_junction")) addGapJunctions(r, r.table(entry, "a [[gap_junction]]"), r.at(entry), number++, m);
  }
  if (const toml::node *n = root.get("function_table")) {
    for (const toml::node &entry : r.array(*n, "function_table")) m.functionTables.push_back(readFunctionTable(r, r.table(entry, "a [[function_table]]"), r.at(entry)));
  }
  if (const toml::node *n = root.get("output")) {
    const toml::table &t = r.table(*n, "output");
    r.checkKeys(t, {"traces", "spikes", "interval", "spike_precision", "gather_traces"}, "[output]");
    if (const toml::node *v = t.get("gather_traces")) m.gatherTraces = r.boolean(*v, "gather_traces");
    if (const toml::node *v = t.get("spike_precision")) m.spikePrecision = r.integer(*v, "spike_precision", 0, 17);
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
