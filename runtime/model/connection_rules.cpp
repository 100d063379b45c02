#include "model/connection_rules.hpp"

#include <cmath>
#include <fstream>
#include <numbers>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

namespace ranvier::model {

namespace {

std::uint64_t mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

std::string ruleName(ConnectionRule rule) {
  switch (rule) {
  case ConnectionRule::OneToOne: return "one_to_one";
  case ConnectionRule::AllToAll: return "all_to_all";
  case ConnectionRule::Ring: return "ring";
  case ConnectionRule::FixedIndegree: return "fixed_indegree";
  case ConnectionRule::FixedProbability: return "fixed_probability";
  case ConnectionRule::File: return "file";
  }
  return "?";
}

// Weight then delay, from the target's stream.
void addEdge(std::vector<Edge> &out, const NetConSpec &spec, const RuleInput &in, RandomStream &stream, std::int32_t source, std::int32_t target) {
  Edge e;
  e.source = source;
  e.target = target;
  e.weight = draw(spec.weight, in.weight, stream);
  e.delay = draw(spec.delay, in.delay, stream);
  e.at = spec.at;
  out.push_back(e);
}

bool wanted(const RuleInput &in, std::int32_t target) { return !in.wanted || in.wanted(target); }

bool autapse(const NetConSpec &spec, const RuleInput &in, std::int32_t source, std::int32_t target) {
  if (spec.autapses) return false;
  const std::int64_t cell = in.sourceCell(source);
  return cell >= 0 && cell == in.targetCell(target);
}

std::vector<Edge> readEdgeList(const NetConSpec &spec, const RuleInput &in) {
  std::ifstream file(spec.file);
  const std::string name = spec.file.string();
  if (!file) throw ModelError(spec.at, "cannot read the edge list " + name);
  std::vector<Edge> out;
  std::string line;
  int number = 0;
  int weightColumn = -1, delayColumn = -1;
  bool header = false;
  std::unordered_map<std::int32_t, RandomStream> streams;  // of the wanted targets met so far
  while (std::getline(file, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> fields;
    std::stringstream ss(line);
    for (std::string f; std::getline(ss, f, ',');) {
      const auto first = f.find_first_not_of(" \t"), last = f.find_last_not_of(" \t");
      fields.push_back(first == std::string::npos ? std::string() : f.substr(first, last - first + 1));
    }
    const SourceLocation at{name, number, 1};
    if (!header) {
      if (fields.empty() || fields[0] != "source") {
        throw ModelError(at, "an edge list starts with its header", "the first line is source,target or source,target,weight,delay (any of weight and delay)");
      }
      if (fields.size() < 2 || fields[1] != "target") throw ModelError(at, "the header must start with source,target", "source,target[,weight][,delay]");
      for (std::size_t k = 2; k < fields.size(); ++k) {
        if (fields[k] == "weight") weightColumn = static_cast<int>(k);
        else if (fields[k] == "delay") delayColumn = static_cast<int>(k);
        else throw ModelError({name, number, 1}, "unknown column '" + fields[k] + "'", "the columns are source, target, weight (uS) and delay (ms)");
      }
      header = true;
      continue;
    }
    auto numberAt = [&](std::size_t k, const char *what) {
      if (k >= fields.size()) throw ModelError(at, std::string("missing ") + what, "each row is source,target[,weight][,delay] as the header says");
      try {
        std::size_t used = 0;
        const double v = std::stod(fields[k], &used);
        if (used != fields[k].size()) throw std::invalid_argument(fields[k]);
        return v;
      } catch (const std::exception &) {
        throw ModelError(at, std::string("'") + fields[k] + "' is not a number (" + what + ")");
      }
    };
    const double s = numberAt(0, "source"), t = numberAt(1, "target");
    if (s != std::floor(s) || s < 0 || s >= in.sources) {
      throw ModelError(at, "source " + fields[0] + " is not one of the " + std::to_string(in.sources) + " sources", "sources are numbered from 0 in the order the source list gives them");
    }
    if (t != std::floor(t) || t < 0 || t >= in.targets) {
      throw ModelError(at, "target " + fields[1] + " is not one of the " + std::to_string(in.targets) + " targets", "targets are numbered from 0 in the order the target list gives them");
    }
    const auto target = static_cast<std::int32_t>(t);
    // Rows of other ranks' targets are checked, then dropped: no rank holds the whole list.
    const double weight = weightColumn > 0 ? numberAt(static_cast<std::size_t>(weightColumn), "weight") : 0.0;
    const double delay = delayColumn > 0 ? numberAt(static_cast<std::size_t>(delayColumn), "delay") : 0.0;
    if (delayColumn > 0 && !(delay >= 0)) throw ModelError(at, "a negative delay");
    if (!wanted(in, target)) continue;
    RandomStream &stream = streams.try_emplace(target, spec.seed, static_cast<std::uint64_t>(target)).first->second;
    Edge e;
    e.source = static_cast<std::int32_t>(s);
    e.target = target;
    e.weight = weightColumn > 0 ? weight : draw(spec.weight, in.weight, stream);
    e.delay = delayColumn > 0 ? delay : draw(spec.delay, in.delay, stream);
    if (!(e.delay >= 0)) throw ModelError(at, "a negative delay");
    e.at = at;
    out.push_back(e);
  }
  return out;
}

}  // namespace

RandomStream::RandomStream(std::uint64_t seed, std::uint64_t target) : state_(mix(seed ^ ((target + 1) * 0xD1B54A32D192ED03ull))) {}

std::uint64_t RandomStream::next() { return mix(state_ += 0x9E3779B97F4A7C15ull); }

double RandomStream::uniform01() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

double draw(const Draw &d, double constant, RandomStream &stream) {
  switch (d.kind) {
  case Draw::Kind::Constant: return constant;
  case Draw::Kind::Uniform: return d.low + (d.high - d.low) * stream.uniform01();
  case Draw::Kind::Normal:
    for (;;) {  // Box-Muller; values outside [min, max] are drawn again
      const double u1 = (static_cast<double>(stream.next() >> 11) + 1.0) * 0x1.0p-53;
      const double u2 = stream.uniform01();
      const double v = d.mean + d.sd * std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
      if (v >= d.minimum && v <= d.maximum) return v;
    }
  }
  return constant;
}

std::vector<Edge> expandRule(const NetConSpec &spec, const RuleInput &in) {
  std::vector<Edge> out;
  const std::int32_t ns = in.sources, nt = in.targets;
  auto sizeError = [&](const std::string &why) {
    return ModelError(spec.at, "rule = \"" + ruleName(spec.rule) + "\": " + why + " (" + std::to_string(ns) + " source(s), " + std::to_string(nt) + " target(s))");
  };
  switch (spec.rule) {
  case ConnectionRule::OneToOne:
    if (ns != nt && ns != 1 && nt != 1) {
      throw sizeError("sources and targets must be as many, or one of them a single one");
    }
    for (std::int32_t t = 0; t < nt; ++t) {
      if (!wanted(in, t)) continue;
      RandomStream stream(spec.seed, static_cast<std::uint64_t>(t));
      for (std::int32_t s = (ns == nt ? t : 0); s < (ns == nt ? t + 1 : ns); ++s) {
        if (!autapse(spec, in, s, t)) addEdge(out, spec, in, stream, s, t);
      }
    }
    break;
  case ConnectionRule::Ring:
    if (ns != nt) throw sizeError("the ring needs as many sources as targets");
    for (std::int32_t t = 0; t < nt; ++t) {
      if (!wanted(in, t)) continue;
      RandomStream stream(spec.seed, static_cast<std::uint64_t>(t));
      const std::int32_t source = (t + ns - 1) % ns;
      if (!autapse(spec, in, source, t)) addEdge(out, spec, in, stream, source, t);
    }
    break;
  case ConnectionRule::AllToAll:
    for (std::int32_t t = 0; t < nt; ++t) {
      if (!wanted(in, t)) continue;
      RandomStream stream(spec.seed, static_cast<std::uint64_t>(t));
      for (std::int32_t s = 0; s < ns; ++s) {
        if (!autapse(spec, in, s, t)) addEdge(out, spec, in, stream, s, t);
      }
    }
    break;
  case ConnectionRule::FixedIndegree: {
    if (!in.wanted) out.reserve(static_cast<std::size_t>(nt) * static_cast<std::size_t>(spec.indegree));
    // Sources a target cannot take (its own cell's), counted once instead of per target.
    std::unordered_map<std::int64_t, std::int32_t> sourcesOfCell;
    if (!spec.autapses) {
      for (std::int32_t s = 0; s < ns; ++s) {
        if (const std::int64_t cell = in.sourceCell(s); cell >= 0) ++sourcesOfCell[cell];
      }
    }
    std::vector<std::int32_t> chosen;
    std::unordered_set<std::int32_t> taken;
    for (std::int32_t t = 0; t < nt; ++t) {
      std::int32_t eligible = ns;
      if (const std::int64_t cell = spec.autapses ? -1 : in.targetCell(t); cell >= 0) {
        if (auto it = sourcesOfCell.find(cell); it != sourcesOfCell.end()) eligible -= it->second;
      }
      if (spec.indegree > eligible) {
        throw ModelError(spec.at, "indegree = " + std::to_string(spec.indegree) + " but target " + std::to_string(t) + " can be reached from only " +
                                      std::to_string(eligible) + " source(s)",
                         spec.autapses ? "" : "a cell does not connect to itself unless autapses = true");
      }
      if (!wanted(in, t)) continue;
      RandomStream stream(spec.seed, static_cast<std::uint64_t>(t));
      chosen.clear();
      taken.clear();
      while (static_cast<std::int32_t>(chosen.size()) < spec.indegree) {
        const auto s = static_cast<std::int32_t>(stream.next() % static_cast<std::uint64_t>(ns));
        if (taken.count(s) || autapse(spec, in, s, t)) continue;
        taken.insert(s);
        chosen.push_back(s);
      }
      for (std::int32_t s : chosen) addEdge(out, spec, in, stream, s, t);
    }
    break;
  }
  case ConnectionRule::FixedProbability:
    for (std::int32_t t = 0; t < nt; ++t) {
      if (!wanted(in, t)) continue;
      RandomStream stream(spec.seed, static_cast<std::uint64_t>(t));
      for (std::int32_t s = 0; s < ns; ++s) {
        if (autapse(spec, in, s, t)) continue;
        if (stream.uniform01() < spec.probability) addEdge(out, spec, in, stream, s, t);
      }
    }
    break;
  case ConnectionRule::File: return readEdgeList(spec, in);
  }
  return out;
}

}  // namespace ranvier::model
