#include "ast/json.hpp"

namespace ranvier::ast {
namespace {

using nlohmann::json;

class JsonWriter {
public:
  explicit JsonWriter(const JsonOptions &options) : options_(options) {}

  json node(const Node &n) {
    json j = json::object();
    j["kind"] = to_string(n.kind());
    if (options_.locations) j["range"] = range(n.range);
    visit(n, [&](const auto &concrete) { fields(j, concrete); });
    return j;
  }

private:
  JsonOptions options_;

  json range(const SourceRange &r) const {
    if (!r.valid()) return nullptr;
    return json{{"begin", {{"line", r.begin.line}, {"column", r.begin.column}, {"offset", r.begin.offset}}},
                {"end", {{"line", r.end.line}, {"column", r.end.column}, {"offset", r.end.offset}}}};
  }
  json located(json value, const SourceRange &r) const {
    if (!options_.locations) return value;
    return json{{"value", std::move(value)}, {"range", range(r)}};
  }
  json id(const Identifier &i) const { return located(i.name, i.range); }
  json ids(const std::vector<Identifier> &list) const {
    json a = json::array();
    for (const Identifier &i : list) a.push_back(id(i));
    return a;
  }
  json number(const Number &n) const {
    return located(json{{"spelling", n.spelling}, {"value", n.value}}, n.range);
  }
  template <class T> json optional(const std::optional<T> &value, auto &&convert) const {
    return value ? convert(*value) : json(nullptr);
  }
  json optNumber(const std::optional<Number> &n) const {
    return optional(n, [&](const Number &v) { return number(v); });
  }
  json unit(const std::optional<Unit> &u) const {
    return optional(u, [&](const Unit &v) { return located(v.text, v.range); });
  }
  json integer(const IntegerRef &i) const { return located(i.spelling, i.range); }
  json child(const Node *n) { return n != nullptr ? node(*n) : json(nullptr); }
  template <class T> json children(const std::vector<std::unique_ptr<T>> &list) {
    json a = json::array();
    for (const auto &n : list) a.push_back(child(n.get()));
    return a;
  }
  json params(const std::vector<Param> &list) const {
    json a = json::array();
    for (const Param &p : list) a.push_back({{"name", id(p.name)}, {"primes", p.primes}, {"unit", unit(p.unit)}});
    return a;
  }
  json reactants(const std::vector<Reactant> &list) {
    json a = json::array();
    for (const Reactant &r : list) {
      a.push_back({{"coefficient", optional(r.coefficient, [&](const IntegerRef &i) { return integer(i); })},
                   {"species", child(r.species.get())}});
    }
    return a;
  }

  void fields(json &j, const NumberExpr &n) { j["number"] = number(n.number), j["unit"] = unit(n.unit); }
  void fields(json &j, const StringExpr &n) { j["value"] = n.value; }
  void fields(json &j, const VarRefExpr &n) {
    j["name"] = id(n.name);
    j["primes"] = n.primes;
    j["discreteLag"] = optional(n.discreteLag, [&](const IntegerRef &i) { return integer(i); });
    j["index"] = child(n.index.get());
  }
  void fields(json &j, const CallExpr &n) { j["callee"] = id(n.callee), j["arguments"] = children(n.arguments); }
  void fields(json &j, const UnaryExpr &n) { j["op"] = spelling(n.op), j["operand"] = child(n.operand.get()); }
  void fields(json &j, const BinaryExpr &n) {
    j["op"] = spelling(n.op), j["lhs"] = child(n.lhs.get()), j["rhs"] = child(n.rhs.get());
  }
  void fields(json &j, const Block &n) { j["statements"] = children(n.statements); }
  void fields(json &j, const LocalStmt &n) {
    json a = json::array();
    for (const LocalVar &v : n.variables) {
      a.push_back({{"name", id(v.name)}, {"size", optional(v.size, [&](const IntegerRef &i) { return integer(i); })}});
    }
    j["variables"] = std::move(a);
  }
  void fields(json &j, const AssignStmt &n) {
    j["protect"] = n.protect, j["target"] = child(n.target.get()), j["value"] = child(n.value.get());
  }
  void fields(json &j, const CallStmt &n) { j["call"] = child(n.call.get()); }
  void fields(json &j, const ReactionStmt &n) {
    static const char *ops[] = {"<->", "<<", "->"};
    j["lhs"] = reactants(n.lhs), j["op"] = ops[static_cast<int>(n.op)], j["rhs"] = reactants(n.rhs);
    j["forwardRate"] = child(n.forwardRate.get()), j["backwardRate"] = child(n.backwardRate.get());
  }
  void fields(json &j, const EquationStmt &n) {
    j["addition"] = n.addition, j["boundaryFlux"] = n.boundaryFlux;
    j["lhs"] = child(n.lhs.get()), j["rhs"] = child(n.rhs.get());
  }
  void fields(json &j, const ConserveStmt &n) { j["lhs"] = reactants(n.lhs), j["total"] = child(n.total.get()); }
  void fields(json &j, const CompartmentStmt &n) {
    j["longitudinalDiffusion"] = n.longitudinalDiffusion;
    j["index"] = optional(n.index, [&](const Identifier &i) { return id(i); });
    j["amount"] = child(n.amount.get()), j["species"] = ids(n.species);
  }
  void fields(json &j, const IfStmt &n) {
    j["condition"] = child(n.condition.get()), j["then"] = child(n.then.get());
    j["otherwise"] = child(n.otherwise.get());
  }
  void fields(json &j, const WhileStmt &n) { j["condition"] = child(n.condition.get()), j["body"] = child(n.body.get()); }
  void fields(json &j, const FromStmt &n) {
    j["variable"] = id(n.variable), j["from"] = child(n.from.get()), j["to"] = child(n.to.get());
    j["by"] = child(n.by.get()), j["body"] = child(n.body.get());
  }
  void fields(json &j, const SolveStmt &n) {
    static const char *hows[] = {"default", "METHOD", "STEADYSTATE"};
    j["block"] = id(n.block), j["how"] = hows[static_cast<int>(n.how)];
    j["method"] = optional(n.method, [&](const Identifier &i) { return id(i); });
    j["ifError"] = child(n.ifError.get());
  }
  void fields(json &j, const TableStmt &n) {
    j["names"] = ids(n.names), j["depends"] = ids(n.depends);
    j["from"] = child(n.from.get()), j["to"] = child(n.to.get()), j["with"] = integer(n.with);
  }
  void fields(json &j, const ConductanceStmt &n) {
    j["variable"] = id(n.variable), j["ion"] = optional(n.ion, [&](const Identifier &i) { return id(i); });
  }
  void fields(json &j, const LagStmt &n) { j["variable"] = id(n.variable), j["primes"] = n.primes, j["by"] = id(n.by); }
  void fields(json &j, const InitialStmt &n) { j["body"] = child(n.body.get()); }
  void fields(json &j, const WatchStmt &n) {
    json a = json::array();
    for (const WatchItem &w : n.items) a.push_back({{"condition", child(w.condition.get())}, {"flag", number(w.flag)}});
    j["items"] = std::move(a);
  }
  void fields(json &j, const ForNetconsStmt &n) { j["params"] = params(n.params), j["body"] = child(n.body.get()); }
  void fields(json &j, const MutexStmt &n) { j["lock"] = n.lock; }
  void fields(json &j, const UnitsToggleStmt &n) { j["on"] = n.on; }
  void fields(json &j, const VerbatimStmt &n) { j["text"] = n.text; }
  void fields(json &j, const SuffixStmt &n) { j["mechanism"] = keyword(n.mechanism), j["name"] = id(n.name); }
  void fields(json &j, const UseIonStmt &n) {
    j["ion"] = id(n.ion), j["read"] = ids(n.read), j["write"] = ids(n.write);
    j["valence"] = optNumber(n.valence);
    j["represents"] = optional(n.represents, [&](const Ontology &o) { return located(o.id, o.range); });
  }
  void fields(json &j, const NameListStmt &n) { j["list"] = keyword(n.list), j["names"] = ids(n.names); }
  void fields(json &j, const ThreadsafeStmt &n) { j["names"] = ids(n.names); }
  void fields(json &j, const ForallStmt &n) { j["variable"] = id(n.variable), j["body"] = child(n.body.get()); }
  void fields(json &j, const SensStmt &n) { j["names"] = ids(n.names); }
  void fields(json &j, const QueueStmt &n) { j["put"] = n.put, j["variable"] = id(n.variable); }
  void fields(json &, const ResetStmt &) {}
  void fields(json &j, const MatchStmt &n) {
    json a = json::array();
    for (const MatchItem &m : n.items) {
      a.push_back({{"variable", child(m.variable.get())}, {"at", child(m.at.get())}, {"value", child(m.value.get())}});
    }
    j["items"] = std::move(a);
  }
  void fields(json &j, const SteppedBlock &n) {
    json a = json::array();
    for (const SteppedDecl &d : n.declarations) {
      json values = json::array();
      for (const Number &v : d.values) values.push_back(number(v));
      a.push_back({{"name", id(d.name)}, {"values", std::move(values)}, {"unit", unit(d.unit)}});
    }
    j["declarations"] = std::move(a);
  }
  void fields(json &j, const ModelLevelItem &n) { j["level"] = integer(n.level); }
  void fields(json &j, const PlotItem &n) { j["ys"] = children(n.ys), j["x"] = child(n.x.get()); }
  void fields(json &j, const RepresentsStmt &n) { j["ontology"] = located(n.ontology.id, n.ontology.range); }
  void fields(json &j, const TitleItem &n) { j["text"] = n.text; }
  void fields(json &j, const DefineItem &n) { j["name"] = id(n.name), j["value"] = integer(n.value); }
  void fields(json &j, const IncludeItem &n) { j["path"] = n.path; }
  void fields(json &j, const NeuronBlock &n) { j["statements"] = children(n.statements); }
  void fields(json &j, const UnitsBlock &n) {
    static const char *forms[] = {"alias", "factorNumber", "factorUnits", "factorArrow"};
    json a = json::array();
    for (const UnitDef &d : n.definitions) {
      a.push_back({{"form", forms[static_cast<int>(d.form)]},
                   {"name", optional(d.name, [&](const Identifier &i) { return id(i); })},
                   {"value", optNumber(d.value)},
                   {"first", unit(d.first)},
                   {"second", unit(d.second)}});
    }
    j["definitions"] = std::move(a);
  }
  void fields(json &j, const DeclarationBlock &n) {
    j["block"] = keyword(n.block);
    json a = json::array();
    for (const VarDecl &d : n.declarations) {
      a.push_back({{"name", id(d.name)}, {"primes", d.primes},
                   {"size", optional(d.size, [&](const IntegerRef &i) { return integer(i); })},
                   {"value", optNumber(d.value)}, {"from", optNumber(d.from)}, {"to", optNumber(d.to)},
                   {"start", optNumber(d.start)}, {"unit", unit(d.unit)}, {"low", optNumber(d.low)},
                   {"high", optNumber(d.high)}, {"tolerance", optNumber(d.tolerance)}});
    }
    j["declarations"] = std::move(a);
  }
  void fields(json &j, const IndependentBlock &n) {
    json a = json::array();
    for (const IndependentDecl &d : n.declarations) {
      a.push_back({{"sweep", d.sweep}, {"name", id(d.name)}, {"from", number(d.from)}, {"to", number(d.to)},
                   {"with", integer(d.with)}, {"start", optNumber(d.start)}, {"unit", unit(d.unit)}});
    }
    j["declarations"] = std::move(a);
  }
  void fields(json &j, const BodyBlock &n) { j["block"] = keyword(n.block), j["body"] = child(n.body.get()); }
  void fields(json &j, const NamedBlock &n) {
    j["block"] = keyword(n.block), j["name"] = id(n.name), j["solveFor"] = ids(n.solveFor);
    j["body"] = child(n.body.get());
  }
  void fields(json &j, const CallableBlock &n) {
    j["callable"] = keyword(n.callable), j["name"] = id(n.name), j["params"] = params(n.params);
    j["unit"] = unit(n.unit), j["body"] = child(n.body.get());
  }
  void fields(json &j, const FunctionTableBlock &n) {
    j["name"] = id(n.name), j["params"] = params(n.params), j["unit"] = unit(n.unit);
  }
  void fields(json &j, const NetReceiveBlock &n) { j["params"] = params(n.params), j["body"] = child(n.body.get()); }
  void fields(json &j, const BeforeAfterBlock &n) {
    j["when"] = keyword(n.when), j["what"] = keyword(n.what), j["body"] = child(n.body.get());
  }
};

}  // namespace

nlohmann::json toJson(const Program &program, const JsonOptions &options) {
  JsonWriter writer(options);
  nlohmann::json items = nlohmann::json::array();
  for (const NodePtr &item : program.items) items.push_back(writer.node(*item));
  nlohmann::json j{{"kind", "Program"}, {"items", std::move(items)}};
  if (options.locations && program.file != nullptr) j["file"] = program.file->name();
  return j;
}

nlohmann::json toJson(const Node &node, const JsonOptions &options) {
  return JsonWriter(options).node(node);
}

}  // namespace ranvier::ast
