#pragma once
// Reading TOML files (model files, sweep specifications) with errors that say where:
// each accessor checks a node's type and range and throws ModelError at its line.
#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "model/model.hpp"
#include "model/model_error.hpp"
#include "model/units.hpp"

namespace ranvier::model {

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
  // kernels = "exact" | "fast"
  Kernels kernels(const toml::node &node) const {
    const std::string k = string(node, "kernels");
    if (k == "exact") return Kernels::Exact;
    if (k == "fast") return Kernels::Fast;
    throw ModelError(at(node), "unknown kernels '" + k + "'",
                     "\"exact\" (IEEE arithmetic, NEURON's results to round-off; the default) or \"fast\" (see docs/kernels.md)");
  }
  bool boolean(const toml::node &node, const std::string &what) const {
    if (auto b = node.value<bool>(); b && node.is_boolean()) return *b;
    throw ModelError(at(node), what + " must be true or false");
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

// The keys of t that are not reserved, as parameter settings of `owner` (a number, a
// quantity or an expression each, or an array of them).
inline std::vector<ParameterSetting> readParameters(const Reader &r, const toml::table &t, const std::set<std::string> &reserved, const std::string &owner) {
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

// One selection text, or an array of them (netcon sources and targets, junction cells).
inline std::vector<Selection> readSelections(const Reader &r, const toml::node &node, const std::string &what) {
  std::vector<Selection> out;
  if (node.is_string()) return {Selection{r.string(node, what), r.at(node)}};
  for (const toml::node &n : r.array(node, what)) out.push_back(Selection{r.string(n, what), r.at(n)});
  if (out.empty()) throw ModelError(r.at(node), what + " names nothing");
  return out;
}

// A weight or delay: a number, a quantity, or { distribution = ..., ... }.
inline Draw readDraw(const Reader &r, const toml::node &node, const std::string &what, std::string_view unit) {
  Draw d;
  d.where = r.at(node);
  const toml::table *t = node.as_table();
  if (t == nullptr) {
    d.constant = r.value(node, what);
    if (d.constant.expression) throw ModelError(d.where, what + " cannot be an expression", "a number, a quantity, or { distribution = \"uniform\", low = ..., high = ... }");
    return d;
  }
  if (!t->contains("distribution")) throw ModelError(d.where, what + " as a table needs distribution = \"uniform\" or \"normal\"");
  const std::string kind = r.string(*t->get("distribution"), "distribution");
  if (kind == "uniform") {
    r.checkKeys(*t, {"distribution", "low", "high"}, "a uniform " + what);
    d.kind = Draw::Kind::Uniform;
    if (!t->contains("low") || !t->contains("high")) throw ModelError(d.where, "a uniform " + what + " needs low and high");
    d.low = r.number(*t->get("low"), "low", unit);
    d.high = r.number(*t->get("high"), "high", unit);
    if (!(d.low <= d.high)) throw ModelError(d.where, "low must not be above high");
  } else if (kind == "normal") {
    r.checkKeys(*t, {"distribution", "mean", "sd", "min", "max"}, "a normal " + what);
    d.kind = Draw::Kind::Normal;
    if (!t->contains("mean") || !t->contains("sd")) throw ModelError(d.where, "a normal " + what + " needs mean and sd");
    d.mean = r.number(*t->get("mean"), "mean", unit);
    d.sd = r.number(*t->get("sd"), "sd", unit);
    if (const toml::node *v = t->get("min")) d.minimum = r.number(*v, "min", unit);
    if (const toml::node *v = t->get("max")) d.maximum = r.number(*v, "max", unit);
    if (!(d.sd >= 0)) throw ModelError(d.where, "sd must not be negative");
    if (!(d.minimum < d.maximum) || d.mean < d.minimum || d.mean > d.maximum) throw ModelError(d.where, "the mean must lie between min and max");
  } else {
    throw ModelError(r.at(*t->get("distribution")), "unknown distribution '" + kind + "'", suggestion(kind, {"uniform", "normal"}, "the distributions"));
  }
  return d;
}

}  // namespace ranvier::model
