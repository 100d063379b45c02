#include "model/gap_junctions.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "model/connection_rules.hpp"
#include "model/selection.hpp"

namespace ranvier::model {

namespace {

struct Place {
  const Population *population;
  int cell;
};

// "fs", "fs[0:50]", or a list of them: the cells, in order.
std::vector<Place> cellsOf(const std::vector<Selection> &selections, const Model &m) {
  std::vector<Place> out;
  for (const Selection &s : selections) {
    const SelectionParts parts = splitSelection(s.text, s.at);
    if (!parts.rest.empty()) throw ModelError(s.at, "cells are a population or part of one: '" + s.text + "'", "e.g. cells = \"fs\" or \"fs[0:50]\"");
    const auto pop = std::find_if(m.populations.begin(), m.populations.end(), [&](const Population &p) { return p.name == parts.name; });
    if (pop == m.populations.end()) {
      std::vector<std::string> names;
      for (const Population &p : m.populations) names.push_back(p.name);
      throw ModelError(s.at, "no population of cells is named '" + parts.name + "'", suggestion(parts.name, names, "the populations"));
    }
    if (!pop->mechanism.empty()) throw ModelError(s.at, "'" + parts.name + "' holds artificial cells, which have no voltage to join");
    const auto [first, end] = parseRange(parts.range, pop->count, s.at, parts.name);
    for (int i = first; i < end; ++i) out.push_back({&*pop, i});
  }
  return out;
}

// A pair list: after the header a,b, rows a,b of indices into the cell list, two
// different ones; after the header a,b,at_a,at_b, each row also says where on each of
// its two cells ("dend(0.3)"), for junctions that are not all at one place.
struct PairList {
  std::vector<std::pair<int, int>> pairs;
  std::vector<std::array<Location, 2>> places;  // per pair, when placed
  bool placed = false;                           // the header has at_a,at_b
};

PairList readPairs(const std::filesystem::path &file, int cells, const SourceLocation &entry) {
  std::ifstream in(file);
  if (!in) throw ModelError(entry, "cannot read the pair list " + file.string(), "the path is relative to the model file");
  PairList out;
  std::string line;
  std::size_t columns = 0;  // 0: no header yet
  for (int number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos || line[line.find_first_not_of(" \t")] == '#') continue;
    std::vector<std::string> fields;
    std::vector<int> column;  // where each field starts, for errors
    for (std::size_t begin = 0;;) {
      const std::size_t comma = line.find(',', begin);
      const std::string f = line.substr(begin, comma == std::string::npos ? std::string::npos : comma - begin);
      const auto first = f.find_first_not_of(" \t"), last = f.find_last_not_of(" \t");
      fields.push_back(first == std::string::npos ? std::string() : f.substr(first, last - first + 1));
      column.push_back(static_cast<int>(begin + (first == std::string::npos ? 0 : first)) + 1);
      if (comma == std::string::npos) break;
      begin = comma + 1;
    }
    const SourceLocation at{file.string(), number, 1};
    if (columns == 0) {
      if (fields != std::vector<std::string>{"a", "b"} && fields != std::vector<std::string>{"a", "b", "at_a", "at_b"}) {
        throw ModelError(at, "a pair list starts with its header a,b or a,b,at_a,at_b",
                         "then one row per junction: two indices into the cells (and with at_a,at_b the place on each, e.g. dend(0.5))");
      }
      columns = fields.size();
      out.placed = columns == 4;
      continue;
    }
    if (fields.size() != columns) {
      throw ModelError(at, columns == 2 ? "a row of this pair list is a,b: two cell indices"
                                        : "a row of this pair list is a,b,at_a,at_b: two cell indices and the place on each");
    }
    int ab[2] = {0, 0};
    for (int k = 0; k < 2; ++k) {
      const std::string &field = fields[static_cast<std::size_t>(k)];
      const SourceLocation here{file.string(), number, column[static_cast<std::size_t>(k)]};
      try {
        std::size_t used = 0;
        const long v = std::stol(field, &used);
        if (used != field.size()) throw std::invalid_argument(field);
        if (v < 0 || v >= cells) throw ModelError(here, fmt::format("cell index {} outside the {} cells [0, {})", v, cells, cells));
        ab[k] = static_cast<int>(v);
      } catch (const ModelError &) {
        throw;
      } catch (const std::exception &) {
        throw ModelError(here, "'" + field + "' is not a cell index");
      }
    }
    if (ab[0] == ab[1]) throw ModelError(at, fmt::format("a junction joins two cells, not cell {} with itself", ab[0]));
    out.pairs.emplace_back(ab[0], ab[1]);
    if (columns == 4) {
      std::array<Location, 2> places;
      for (std::size_t k = 0; k < 2; ++k) {
        const SourceLocation here{file.string(), number, column[2 + k]};
        places[k] = parseLocation(fields[2 + k], here);
        if (!places[k].population.empty()) throw ModelError(here, "at_a and at_b are places on the row's cells", "write \"section(x)\", e.g. \"dend(0.5)\"");
      }
      out.places.push_back(std::move(places));
    }
  }
  if (columns == 0) throw ModelError({file.string(), 1, 1}, "the pair list is empty", "its first line is the header a,b (or a,b,at_a,at_b)");
  return out;
}

}  // namespace

std::vector<std::pair<int, int>> gapJunctionPairs(GapRule rule, int n, double probability, std::uint64_t seed, const std::filesystem::path &file,
                                                  const SourceLocation &at) {
  std::vector<std::pair<int, int>> pairs;
  switch (rule) {
  case GapRule::Ring:
    if (n < 3) throw ModelError(at, fmt::format("a ring needs at least 3 cells, not {}", n), "rule = \"chain\" joins 2");
    for (int k = 0; k < n; ++k) pairs.emplace_back(k, (k + 1) % n);
    break;
  case GapRule::Chain:
    for (int k = 0; k + 1 < n; ++k) pairs.emplace_back(k, k + 1);
    break;
  case GapRule::AllToAll:
    for (int i = 0; i < n; ++i) {
      for (int j = i + 1; j < n; ++j) pairs.emplace_back(i, j);
    }
    break;
  case GapRule::FixedProbability:  // cell i's stream decides its pairs with the cells after it, in order
    for (int i = 0; i < n; ++i) {
      RandomStream stream(seed, static_cast<std::uint64_t>(i));
      for (int j = i + 1; j < n; ++j) {
        if (stream.uniform01() < probability) pairs.emplace_back(i, j);
      }
    }
    break;
  case GapRule::File: pairs = readPairs(file, n, at).pairs; break;
  }
  return pairs;
}

void addGapJunctions(const Reader &r, const toml::table &t, const SourceLocation &at, std::size_t number, Model &m) {
  static constexpr const char *kKeys[] = {"name", "mechanism", "pointer", "cells", "at", "rule", "probability", "seed", "file"};
  const std::set<std::string> reserved(std::begin(kKeys), std::end(kKeys));
  auto need = [&](const char *key, const std::string &hint) -> const toml::node & {
    if (const toml::node *v = t.get(key)) return *v;
    throw ModelError(at, std::string("a [[gap_junction]] needs ") + key + " = ...", hint);
  };
  const std::string mechanism = r.string(need("mechanism", "the point process on each side, e.g. mechanism = \"Gap\""), "mechanism");
  const std::string pointer = r.string(need("pointer", "its POINTER that reads the other side's v, e.g. pointer = \"vgap\""), "pointer");
  if (pointer.empty() || pointer.find_first_of(".[]() ") != std::string::npos) throw ModelError(r.at(*t.get("pointer")), "'" + pointer + "' is not a POINTER's name");
  std::string name = "gj" + std::to_string(number);
  if (const toml::node *v = t.get("name")) {
    name = r.string(*v, "name");
    if (name.empty() || name.find_first_of(".[]() ") != std::string::npos) throw ModelError(r.at(*v), "a junction entry's name is a word: '" + name + "'", "e.g. name = \"fsgaps\"");
  }
  const std::vector<Place> cells = cellsOf(readSelections(r, need("cells", "the cells that may be joined, e.g. cells = \"fs\""), "cells"), m);

  const toml::node &ruleNode = need("rule", "which pairs: \"ring\", \"chain\", \"all_to_all\", \"fixed_probability\" or \"file\"");
  const std::string ruleName = r.string(ruleNode, "rule");
  const std::vector<std::pair<std::string, GapRule>> rules{{"ring", GapRule::Ring}, {"chain", GapRule::Chain}, {"all_to_all", GapRule::AllToAll},
                                                           {"fixed_probability", GapRule::FixedProbability}, {"file", GapRule::File}};
  const auto rule = std::find_if(rules.begin(), rules.end(), [&](const auto &x) { return x.first == ruleName; });
  if (rule == rules.end()) {
    std::vector<std::string> names;
    for (const auto &x : rules) names.push_back(x.first);
    throw ModelError(r.at(ruleNode), "unknown junction rule '" + ruleName + "'", suggestion(ruleName, names, "the rules"));
  }
  auto onlyFor = [&](const char *key, GapRule only, const char *ruleText) {
    const toml::node *v = t.get(key);
    if ((v != nullptr) != (rule->second == only)) {
      throw ModelError(v ? r.at(*v) : at, std::string("rule = \"") + ruleText + "\" " + (v ? "is the only rule that takes " : "needs ") + key);
    }
    return v;
  };
  double probability = 0;
  if (const toml::node *v = onlyFor("probability", GapRule::FixedProbability, "fixed_probability")) {
    probability = r.number(*v, "probability", "");
    if (!(probability >= 0 && probability <= 1)) throw ModelError(r.at(*v), "probability must be between 0 and 1");
  }
  std::filesystem::path file;
  if (const toml::node *v = onlyFor("file", GapRule::File, "file")) file = r.path(r.string(*v, "file"));
  std::uint64_t seed = 1;
  if (const toml::node *v = t.get("seed")) seed = static_cast<std::uint64_t>(r.integer(*v, "seed", 0, 2147483647));

  // Parameters given as a distribution are drawn per junction (the same on both sides);
  // the others are constants.
  std::vector<std::pair<std::string, Draw>> drawn;
  std::set<std::string> notConstant = reserved;
  for (auto &&[key, node] : t) {
    const std::string k(key.str());
    if (reserved.count(k) || !node.is_table()) continue;
    drawn.emplace_back(k, readDraw(r, node, k, ""));
    notConstant.insert(k);
  }
  const std::vector<ParameterSetting> parameters = readParameters(r, t, notConstant, mechanism);
  std::set<std::string> taken;
  for (const PointSpec &p : m.points) taken.insert(p.name);
  for (const Model::GapJunctionGroup &g : m.gapJunctions) {
    if (g.name == name) throw ModelError(at, "two [[gap_junction]] entries are named '" + name + "'");
  }
  // The pairs, and where on their cells: the entry's `at` for all, or a pair list's own.
  PairList list;
  if (rule->second == GapRule::File) list = readPairs(file, static_cast<int>(cells.size()), at);
  else list.pairs = gapJunctionPairs(rule->second, static_cast<int>(cells.size()), probability, seed, file, at);
  const std::vector<std::pair<int, int>> &pairs = list.pairs;
  Location where;
  if (list.placed) {
    if (const toml::node *v = t.get("at")) throw ModelError(r.at(*v), "the pair list says where each junction is (at_a, at_b): leave out at");
  } else {
    const toml::node &place = need("at", "where on each cell, e.g. at = \"soma(0.5)\" (or columns at_a,at_b in a pair list)");
    where = parseLocation(r.string(place, "at"), r.at(place));
    if (!where.population.empty()) throw ModelError(r.at(place), "at is a place on each cell", "write \"section(x)\", e.g. \"soma(0.5)\"");
  }
  m.gapJunctions.push_back({name, m.points.size(), 2 * pairs.size(), at});
  auto locationOf = [&](const Place &c, const Location &place) {
    Location l = place;
    l.population = c.population->name;
    l.cell = c.cell;
    l.text = fmt::format("{}[{}].{}", c.population->name, c.cell, place.text);
    return l;
  };
  for (std::size_t k = 0; k < pairs.size(); ++k) {
    const Place &a = cells[static_cast<std::size_t>(pairs[k].first)], &b = cells[static_cast<std::size_t>(pairs[k].second)];
    const Location &placeA = list.placed ? list.places[k][0] : where, &placeB = list.placed ? list.places[k][1] : where;
    if (a.population == b.population && a.cell == b.cell) {
      throw ModelError(at, fmt::format("a junction joins two cells, not {}[{}] with itself", a.population->name, a.cell), "the cells list names it twice");
    }
    // junction k draws from stream n + k (streams 0 .. n - 1 are the cells' pair draws)
    std::vector<ParameterSetting> settings = parameters;
    RandomStream stream(seed, cells.size() + k);
    for (const auto &[key, d] : drawn) settings.push_back(ParameterSetting{key, {Value{draw(d, 0, stream), "", std::nullopt, {}}}, d.where});
    for (const auto &[side, here, hereAt, there, thereAt] : {std::tuple{"a", &a, &placeA, &b, &placeB}, std::tuple{"b", &b, &placeB, &a, &placeA}}) {
      PointSpec p;
      p.name = fmt::format("{}_{}{}", name, k, side);
      if (!taken.insert(p.name).second) throw ModelError(at, "two point processes are named '" + p.name + "'", "give this [[gap_junction]] another name");
      p.mechanism = mechanism;
      p.location = locationOf(*here, *hereAt);
      p.parameters = settings;
      p.at = at;
      PointerSpec s;
      s.pointer = p.name + "." + pointer;
      s.target = "v";
      s.targetLocation = locationOf(*there, *thereAt);
      s.at = at;
      s.targetAt = at;
      m.points.push_back(std::move(p));
      m.pointers.push_back(std::move(s));
    }
  }
}

}  // namespace ranvier::model
