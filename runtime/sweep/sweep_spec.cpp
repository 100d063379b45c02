#include "sweep/sweep_spec.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "model/connection_rules.hpp"
#include "model/toml_reader.hpp"

namespace ranvier::sweep {

namespace {

using model::ModelError;
using model::SourceLocation;

constexpr std::size_t kMaxSets = 100'000'000;

Parameter parameterNamed(const std::string &name, const SourceLocation &at) {
  std::vector<std::string> parts;
  std::stringstream ss(name);
  for (std::string part; std::getline(ss, part, '.');) parts.push_back(part);
  if (!name.empty() && name.back() == '.') parts.emplace_back();
  if (name == "celsius" || name == "v_init") return Parameter{"", "", name, "", at};
  const bool empty = std::any_of(parts.begin(), parts.end(), [](const std::string &p) { return p.empty(); });
  if (parts.size() < 2 || parts.size() > 3 || empty) {
    throw ModelError(at, "a parameter is named mechanism.parameter or population.mechanism.parameter (or is celsius or v_init): '" + name + "'",
                     "e.g. \"CaS.gbar\" or \"lp.CaS.gbar\"");
  }
  if (parts.size() == 3) return Parameter{parts[0], parts[1], parts[2], "", at};
  return Parameter{"", parts[0], parts[1], "", at};
}

// linspace = [first, last, count] / logspace = [first, last, count] (both > 0).
std::vector<double> grid(const model::Reader &r, const toml::node &node, const std::string &what, bool logarithmic) {
  const toml::array &a = r.array(node, what);
  if (a.size() != 3) throw ModelError(r.at(node), what + " is [first, last, count]");
  const double first = r.number(*a.get(0), what, ""), last = r.number(*a.get(1), what, "");
  const int count = r.integer(*a.get(2), what + "'s count", 1, 100'000'000);
  if (logarithmic && !(first > 0 && last > 0)) throw ModelError(r.at(node), "logspace needs positive ends", "use linspace to include 0");
  std::vector<double> out;
  for (int k = 0; k < count; ++k) {
    const double f = count == 1 ? 0.0 : static_cast<double>(k) / (count - 1);
    out.push_back(logarithmic ? std::exp(std::log(first) + f * (std::log(last) - std::log(first))) : first + f * (last - first));
  }
  if (count > 1) out.back() = last;  // the end exactly
  return out;
}

std::vector<std::string> splitCsv(const std::string &line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  for (std::string f; std::getline(ss, f, ',');) {
    const auto a = f.find_first_not_of(" \t"), b = f.find_last_not_of(" \t\r");
    out.push_back(a == std::string::npos ? std::string() : f.substr(a, b - a + 1));
  }
  return out;
}

// sets = "file.csv": a header of parameter names (mechanism.parameter), then rows.
void readSets(Spec &spec, const std::filesystem::path &path, const SourceLocation &at) {
  std::ifstream in(path);
  if (!in) throw ModelError(at, "cannot read the parameter sets " + path.string());
  std::string line;
  int number = 0;
  bool header = false;
  while (std::getline(in, line)) {
    ++number;
    const SourceLocation here{path.string(), number, 1};
    if (line.empty() || line[0] == '#' || line == "\r") continue;
    const std::vector<std::string> fields = splitCsv(line);
    if (!header) {
      for (const std::string &name : fields) spec.parameters.push_back(parameterNamed(name, here));
      header = true;
      continue;
    }
    if (fields.size() != spec.parameters.size()) {
      throw ModelError(here, std::to_string(fields.size()) + " values for " + std::to_string(spec.parameters.size()) + " parameters");
    }
    std::vector<double> row;
    for (const std::string &f : fields) {
      std::size_t used = 0;
      double v = 0;
      try {
        v = std::stod(f, &used);
      } catch (const std::exception &) {
        used = 0;
      }
      if (used != f.size() || f.empty() || !std::isfinite(v)) throw ModelError(here, "'" + f + "' is not a number");
      row.push_back(v);
    }
    spec.sets.push_back(std::move(row));
    if (spec.sets.size() > kMaxSets) throw ModelError(here, "more than 10^8 parameter sets");
  }
  if (!header) throw ModelError({path.string(), 1, 1}, "the parameter sets file is empty", "its first line names the parameters: CaS.gbar,ACurrent.gbar");
  if (spec.sets.empty()) throw ModelError({path.string(), number, 1}, "no parameter sets after the header");
}

}  // namespace

Spec loadSpec(const std::filesystem::path &file) {
  model::Reader r(file);
  toml::table root;
  try {
    root = toml::parse_file(file.string());
  } catch (const toml::parse_error &e) {
    if (!std::filesystem::exists(file)) throw ModelError({file.string()}, "cannot read the sweep file: it does not exist");
    const auto &s = e.source();
    throw ModelError({file.string(), static_cast<int>(s.begin.line), static_cast<int>(s.begin.column)}, "TOML syntax: " + std::string(e.description()),
                     "see docs/sweeps.md for the format");
  }
  Spec spec;
  spec.file = file;
  r.checkKeys(root, {"model", "tstop", "dt", "transient", "threads", "chunk", "kernels", "measures", "traces", "parameter", "sets", "random"}, "the sweep file");
  const SourceLocation top{file.string(), 1, 1};
  if (!root.contains("model")) throw ModelError(top, "a sweep needs model = \"cell.toml\"", "the model file of the cell to vary");
  spec.model = file.parent_path() / r.string(*root.get("model"), "model");
  if (const toml::node *v = root.get("tstop")) spec.tstop = r.number(*v, "tstop", "ms");
  if (const toml::node *v = root.get("dt")) spec.dt = r.number(*v, "dt", "ms");
  if (const toml::node *v = root.get("transient")) spec.transient = r.number(*v, "transient", "ms");
  if (const toml::node *v = root.get("threads")) spec.threads = r.integer(*v, "threads", 0, 4096);
  if (const toml::node *v = root.get("chunk")) spec.chunk = r.integer(*v, "chunk", 1, 1 << 20);
  if (const toml::node *v = root.get("kernels")) spec.kernels = r.kernels(*v);
  if (!(spec.dt > 0)) throw ModelError(r.at(*root.get("dt")), "dt must be positive");
  if (!(spec.tstop > 0)) throw ModelError(root.get("tstop") ? r.at(*root.get("tstop")) : top, "tstop must be positive");
  if (!(spec.transient >= 0 && spec.transient < spec.tstop)) {
    throw ModelError(root.get("transient") ? r.at(*root.get("transient")) : top, "the transient must be at least 0 and shorter than tstop");
  }
  if (const toml::node *n = root.get("measures")) {
    const toml::table &t = r.table(*n, "measures");
    r.checkKeys(t, {"threshold", "calcium", "at"}, "[measures]");
    if (const toml::node *v = t.get("threshold")) spec.spikeThreshold = r.number(*v, "threshold", "mV");
    if (const toml::node *v = t.get("calcium")) spec.calcium = r.string(*v, "calcium");
    spec.measuresAt = r.at(*n);
    if (const toml::node *v = t.get("at")) {
      spec.measuresAt = r.at(*v);
      if (const toml::array *places = v->as_array()) {
        for (const toml::node &place : *places) spec.at.push_back(r.string(place, "a place to measure"));
        if (spec.at.empty()) throw ModelError(r.at(*v), "at is empty", "name a place on each cell to measure, or leave at out to measure every cell");
      } else {
        spec.at.push_back(r.string(*v, "at"));
      }
    }
  }
  if (const toml::node *n = root.get("traces")) {
    const toml::table &t = r.table(*n, "traces");
    r.checkKeys(t, {"runs", "interval"}, "[traces]");
    spec.tracesAt = r.at(*n);
    if (const toml::node *v = t.get("runs")) {
      const toml::array *runs = v->as_array();
      if (runs == nullptr) throw ModelError(r.at(*v), "runs is a list of run numbers", "runs = [0, 312]");
      for (const toml::node &run : *runs) spec.traceRuns.push_back(static_cast<std::size_t>(r.integer(run, "a run number", 0, 2147483647)));
    }
    if (const toml::node *v = t.get("interval")) {
      spec.traceInterval = r.number(*v, "interval", "ms");
      const double steps = spec.traceInterval / spec.dt;
      if (!(steps >= 1) || std::abs(steps - std::round(steps)) > 1e-9 * steps) {
        throw ModelError(r.at(*v), "the trace interval must be a positive multiple of dt = " + std::to_string(spec.dt) + " ms");
      }
    }
  }

  const int ways = (root.contains("parameter") && !root.contains("random") ? 1 : 0) + (root.contains("sets") ? 1 : 0) + (root.contains("random") ? 1 : 0);
  if (ways != 1) {
    throw ModelError(top, ways == 0 ? "nothing to vary" : "give the parameter sets one way only",
                     "[[parameter]] grids, or sets = \"sets.csv\", or [random] with [[parameter]] ranges");
  }
  if (const toml::node *n = root.get("sets")) {
    readSets(spec, file.parent_path() / r.string(*n, "sets"), r.at(*n));
    if (root.contains("parameter")) throw ModelError(r.at(*n), "sets come with their own parameter names (the CSV header); drop the [[parameter]] entries");
    return spec;
  }
  if (!root.contains("parameter")) throw ModelError(top, "[random] draws the [[parameter]] entries' ranges; there are none");
  const bool random = root.contains("random");
  std::vector<std::vector<double>> axes;
  std::vector<std::pair<double, double>> ranges;
  std::vector<bool> logarithmic;
  for (const toml::node &entry : r.array(*root.get("parameter"), "parameter")) {
    const toml::table &t = r.table(entry, "a [[parameter]]");
    r.checkKeys(t, {"name", "unit", "linspace", "logspace", "values", "low", "high", "log"}, "a [[parameter]]");
    if (!t.contains("name")) throw ModelError(r.at(entry), "a [[parameter]] needs name = \"mechanism.parameter\"");
    Parameter p = parameterNamed(r.string(*t.get("name"), "name"), r.at(*t.get("name")));
    if (const toml::node *v = t.get("unit")) p.unit = r.string(*v, "unit");
    for (const Parameter &q : spec.parameters) {
      if (q.name() == p.name()) throw ModelError(p.at, p.name() + " is varied twice");
    }
    if (random) {
      if (!t.contains("low") || !t.contains("high")) throw ModelError(r.at(entry), "a random sweep draws each parameter between low and high");
      const double low = r.number(*t.get("low"), "low", ""), high = r.number(*t.get("high"), "high", "");
      const bool log = t.contains("log") && r.boolean(*t.get("log"), "log");
      if (!(high >= low) || (log && !(low > 0))) throw ModelError(r.at(entry), log ? "log ranges need 0 < low <= high" : "low must not exceed high");
      ranges.emplace_back(low, high);
      logarithmic.push_back(log);
    } else {
      const int given = (t.contains("linspace") ? 1 : 0) + (t.contains("logspace") ? 1 : 0) + (t.contains("values") ? 1 : 0);
      if (given != 1) throw ModelError(r.at(entry), "give one of linspace = [first, last, count], logspace = [...] or values = [...]");
      if (const toml::node *v = t.get("linspace")) axes.push_back(grid(r, *v, "linspace", false));
      if (const toml::node *v = t.get("logspace")) axes.push_back(grid(r, *v, "logspace", true));
      if (const toml::node *v = t.get("values")) {
        std::vector<double> values;
        for (const toml::node &x : r.array(*v, "values")) values.push_back(r.number(x, "a value", ""));
        if (values.empty()) throw ModelError(r.at(*v), "values is empty");
        axes.push_back(std::move(values));
      }
    }
    spec.parameters.push_back(std::move(p));
  }
  if (random) {
    const toml::table &t = r.table(*root.get("random"), "random");
    r.checkKeys(t, {"count", "seed"}, "[random]");
    if (!t.contains("count")) throw ModelError(r.at(*root.get("random")), "[random] needs count = N");
    const int count = r.integer(*t.get("count"), "count", 1, 100'000'000);
    const auto seed = static_cast<std::uint64_t>(t.contains("seed") ? r.integer(*t.get("seed"), "seed", 0, 2147483647) : 1);
    for (int run = 0; run < count; ++run) {
      model::RandomStream stream(seed, static_cast<std::uint64_t>(run));
      std::vector<double> row;
      for (std::size_t k = 0; k < ranges.size(); ++k) {
        const double u = stream.uniform01();
        const auto [low, high] = ranges[k];
        row.push_back(logarithmic[k] ? std::exp(std::log(low) + u * (std::log(high) - std::log(low))) : low + u * (high - low));
      }
      spec.sets.push_back(std::move(row));
    }
    return spec;
  }
  std::size_t total = 1;
  for (const auto &axis : axes) {
    total *= axis.size();
    if (total > kMaxSets) throw ModelError(top, "the grid has more than 10^8 points");
  }
  // Cartesian product, the last parameter varying fastest.
  for (std::size_t n = 0; n < total; ++n) {
    std::vector<double> row(axes.size());
    std::size_t rest = n;
    for (std::size_t k = axes.size(); k-- > 0;) {
      row[k] = axes[k][rest % axes[k].size()];
      rest /= axes[k].size();
    }
    spec.sets.push_back(std::move(row));
  }
  return spec;
}

}  // namespace ranvier::sweep
