#include "ast/printer.hpp"

#include <fmt/format.h>

namespace ranvier::ast {
namespace {

class Printer {
public:
  std::string out;

  void item(const Node &node) {
    visit(node, [&](const auto &n) { print(n); });
  }

  void expr(const Expr &e, int minPrecedence = 0) {
    visit(e, [&](const auto &n) { printExpr(n, minPrecedence); });
  }

private:
  int indent_ = 0;

  void line(std::string_view text) {
    out.append(static_cast<std::size_t>(indent_) * 4, ' ');
    out += text;
    out += '\n';
  }
  void startLine() { out.append(static_cast<std::size_t>(indent_) * 4, ' '); }

  // ── expressions ──
  template <class T> void printExpr(const T &node, int) {
    // Statements and items never reach here: visit() on an Expr only yields exprs.
    (void)node;
  }
  void printExpr(const NumberExpr &n, int) {
    out += n.number.spelling;
    unit(n.unit);
  }
  void printExpr(const StringExpr &n, int) { out += fmt::format("\"{}\"", n.value); }
  void printExpr(const VarRefExpr &n, int) { varRef(n); }
  void printExpr(const CallExpr &n, int) { call(n); }
  void printExpr(const UnaryExpr &n, int minPrecedence) {
    const bool parens = kUnaryPrecedence < minPrecedence;
    if (parens) out += '(';
    out += spelling(n.op);
    expr(*n.operand, kUnaryPrecedence);
    if (parens) out += ')';
  }
  void printExpr(const BinaryExpr &n, int minPrecedence) {
    const int p = precedence(n.op);
    const bool right = isRightAssociative(n.op);
    const bool parens = p < minPrecedence;
    if (parens) out += '(';
    expr(*n.lhs, right ? p + 1 : p);
    out += n.op == BinaryOp::Pow ? "^" : fmt::format(" {} ", spelling(n.op));
    expr(*n.rhs, right ? p : p + 1);
    if (parens) out += ')';
  }

  void varRef(const VarRefExpr &n) {
    out += n.name.name;
    out.append(n.primes, '\'');
    if (n.discreteLag) out += "@" + n.discreteLag->spelling;
    if (n.index) {
      out += '[';
      expr(*n.index);
      out += ']';
    }
  }
  void call(const CallExpr &n) {
    out += n.callee.name;
    out += '(';
    for (std::size_t i = 0; i < n.arguments.size(); ++i) {
      if (i != 0) out += ", ";
      expr(*n.arguments[i]);
    }
    out += ')';
  }

  void unit(const std::optional<Unit> &u) {
    if (u) out += fmt::format(" ({})", u->text);
  }

  template <class T> static std::string join(const std::vector<T> &items, auto &&show) {
    std::string text;
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (i != 0) text += ", ";
      text += show(items[i]);
    }
    return text;
  }
  static std::string names(const std::vector<Identifier> &ids) {
    return join(ids, [](const Identifier &id) { return id.name; });
  }
  std::string params(const std::vector<Param> &ps) {
    return join(ps, [](const Param &p) {
      std::string text = p.name.name + std::string(p.primes, '\'');
      if (p.unit) text += fmt::format(" ({})", p.unit->text);
      return text;
    });
  }
  std::string exprText(const Expr &e) {
    Printer nested;
    nested.expr(e);
    return nested.out;
  }
  std::string reactants(const std::vector<Reactant> &rs) {
    std::string text;
    for (std::size_t i = 0; i < rs.size(); ++i) {
      if (i != 0) text += " + ";
      if (rs[i].coefficient) text += rs[i].coefficient->spelling + " ";
      text += exprText(*rs[i].species);
    }
    return text;
  }

  // A block body: "{", the statements one level in, "}" (the caller wrote the header).
  void body(const Block &block) {
    out += "{\n";
    ++indent_;
    for (const StmtPtr &s : block.statements) item(*s);
    --indent_;
    startLine();
    out += "}";
  }
  void headerAndBody(std::string_view header, const Block *block) {
    startLine();
    out += header;
    out += ' ';
    if (block != nullptr) body(*block);
    out += '\n';
  }

  // ── statements ──
  template <class T> void print(const T &n)
    requires std::is_base_of_v<Expr, T>
  {
    startLine();
    expr(n);
    out += '\n';
  }
  void print(const Block &n) {
    startLine();
    body(n);
    out += '\n';
  }
  void print(const LocalStmt &n) {
    line("LOCAL " + join(n.variables, [](const LocalVar &v) {
           return v.size ? fmt::format("{}[{}]", v.name.name, v.size->spelling) : v.name.name;
         }));
  }
  void print(const AssignStmt &n) {
    line(fmt::format("{}{} = {}", n.protect ? "PROTECT " : "", exprText(*n.target), exprText(*n.value)));
  }
  void print(const CallStmt &n) { line(exprText(*n.call)); }
  void print(const ReactionStmt &n) {
    switch (n.op) {
    case ReactionOp::Reversible:
      line(fmt::format("~ {} <-> {} ({}, {})", reactants(n.lhs), reactants(n.rhs),
                       exprText(*n.forwardRate), exprText(*n.backwardRate)));
      break;
    case ReactionOp::FluxIn:
      line(fmt::format("~ {} << ({})", reactants(n.lhs), exprText(*n.forwardRate)));
      break;
    case ReactionOp::FluxOut:
      line(fmt::format("~ {} -> ({})", reactants(n.lhs), exprText(*n.forwardRate)));
      break;
    }
  }
  void print(const EquationStmt &n) {
    line(fmt::format("{}{} {} = {}", n.addition ? "~+" : "~", n.boundaryFlux ? " DEL" : "",
                     exprText(*n.lhs), exprText(*n.rhs)));
  }
  void print(const ConserveStmt &n) {
    line(fmt::format("CONSERVE {} = {}", reactants(n.lhs), exprText(*n.total)));
  }
  void print(const CompartmentStmt &n) {
    std::string species;
    for (const Identifier &s : n.species) species += (species.empty() ? "" : " ") + s.name;
    line(fmt::format("{} {}{} {{{}}}", n.longitudinalDiffusion ? "LONGITUDINAL_DIFFUSION" : "COMPARTMENT",
                     n.index ? n.index->name + ", " : "", exprText(*n.amount), species));
  }
  void ifChain(const IfStmt &n) {
    out += fmt::format("if ({}) ", exprText(*n.condition));
    body(*n.then);
    if (const auto *elseIf = dyn_cast<IfStmt>(n.otherwise.get())) {
      out += " else ";
      ifChain(*elseIf);
    } else if (const auto *elseBlock = dyn_cast<Block>(n.otherwise.get())) {
      out += " else ";
      body(*elseBlock);
    }
  }
  void print(const IfStmt &n) {
    startLine();
    ifChain(n);
    out += '\n';
  }
  void print(const WhileStmt &n) {
    headerAndBody(fmt::format("while ({})", exprText(*n.condition)), n.body.get());
  }
  void print(const FromStmt &n) {
    headerAndBody(fmt::format("FROM {} = {} TO {}{}", n.variable.name, exprText(*n.from),
                              exprText(*n.to), n.by ? " BY " + exprText(*n.by) : ""),
                  n.body.get());
  }
  void print(const SolveStmt &n) {
    std::string text = "SOLVE " + n.block.name;
    if (n.how != SolveHow::Default && n.method) {
      text += fmt::format(" {} {}", n.how == SolveHow::Method ? "METHOD" : "STEADYSTATE", n.method->name);
    }
    if (n.ifError) {
      headerAndBody(text + " IFERROR", n.ifError.get());
    } else {
      line(text);
    }
  }
  void print(const TableStmt &n) {
    std::string text = "TABLE";
    if (!n.names.empty()) text += " " + names(n.names);
    if (!n.depends.empty()) text += " DEPEND " + names(n.depends);
    text += fmt::format(" FROM {} TO {} WITH {}", exprText(*n.from), exprText(*n.to), n.with.spelling);
    line(text);
  }
  void print(const ConductanceStmt &n) {
    line(fmt::format("CONDUCTANCE {}{}", n.variable.name, n.ion ? " USEION " + n.ion->name : ""));
  }
  void print(const LagStmt &n) {
    line(fmt::format("LAG {}{} BY {}", n.variable.name, std::string(n.primes, '\''), n.by.name));
  }
  void print(const InitialStmt &n) { headerAndBody("INITIAL", n.body.get()); }
  void print(const WatchStmt &n) {
    line("WATCH " + join(n.items, [&](const WatchItem &w) {
           return fmt::format("({}) {}", exprText(*w.condition), w.flag.spelling);
         }));
  }
  void print(const ForNetconsStmt &n) {
    headerAndBody(fmt::format("FOR_NETCONS ({})", params(n.params)), n.body.get());
  }
  void print(const MutexStmt &n) { line(n.lock ? "MUTEXLOCK" : "MUTEXUNLOCK"); }
  void print(const UnitsToggleStmt &n) { line(n.on ? "UNITSON" : "UNITSOFF"); }
  // The text ends with the line break before ENDVERBATIM (nocmodl needs the END
  // keyword first on its line).
  void print(const VerbatimStmt &n) {
    startLine();
    out += n.text.empty() ? "VERBATIM ENDVERBATIM\n" : "VERBATIM" + n.text + "ENDVERBATIM\n";
  }

  // ── NEURON block ──
  void print(const SuffixStmt &n) { line(fmt::format("{} {}", keyword(n.mechanism), n.name.name)); }
  void print(const UseIonStmt &n) {
    std::string text = "USEION " + n.ion.name;
    if (!n.read.empty()) text += " READ " + names(n.read);
    if (!n.write.empty()) text += " WRITE " + names(n.write);
    if (n.valence) text += " VALENCE " + n.valence->spelling;
    if (n.represents) text += " REPRESENTS " + n.represents->id;
    line(text);
  }
  void print(const NameListStmt &n) { line(fmt::format("{} {}", keyword(n.list), names(n.names))); }
  void print(const ThreadsafeStmt &n) {
    line(n.names.empty() ? "THREADSAFE" : "THREADSAFE " + names(n.names));
  }
  void print(const ForallStmt &n) { headerAndBody("FORALL " + n.variable.name, n.body.get()); }
  void print(const SensStmt &n) { line("SENS " + names(n.names)); }
  void print(const QueueStmt &n) { line(fmt::format("{} {}", n.put ? "PUTQ" : "GETQ", n.variable.name)); }
  void print(const ResetStmt &) { line("RESET"); }
  void print(const MatchStmt &n) {
    line("MATCH {");
    ++indent_;
    for (const MatchItem &m : n.items) {
      line(m.at ? fmt::format("{}({}) = {}", exprText(*m.variable), exprText(*m.at), exprText(*m.value))
                : exprText(*m.variable));
    }
    --indent_;
    line("}");
  }
  void print(const SteppedBlock &n) {
    line("STEPPED {");
    ++indent_;
    for (const SteppedDecl &d : n.declarations) {
      std::string text = d.name.name + " = " + join(d.values, [](const Number &v) { return v.spelling; });
      if (d.unit) text += fmt::format(" ({})", d.unit->text);
      line(text);
    }
    --indent_;
    line("}");
  }
  void print(const ModelLevelItem &n) { line("MODEL_LEVEL " + n.level.spelling); }
  void print(const PlotItem &n) {
    line(fmt::format("PLOT {} VS {}", join(n.ys, [&](const auto &y) { return exprText(*y); }), exprText(*n.x)));
  }
  void print(const RepresentsStmt &n) { line("REPRESENTS " + n.ontology.id); }

  // ── top level ──
  void print(const TitleItem &n) { line(n.text.empty() ? "TITLE" : "TITLE " + n.text); }
  void print(const DefineItem &n) { line(fmt::format("DEFINE {} {}", n.name.name, n.value.spelling)); }
  void print(const IncludeItem &n) { line(fmt::format("INCLUDE \"{}\"", n.path)); }
  void print(const NeuronBlock &n) {
    line("NEURON {");
    ++indent_;
    for (const NodePtr &s : n.statements) item(*s);
    --indent_;
    line("}");
  }
  void print(const UnitsBlock &n) {
    line("UNITS {");
    ++indent_;
    for (const UnitDef &d : n.definitions) {
      const std::string second = d.second ? "(" + d.second->text + ")" : "";
      switch (d.form) {
      case UnitDef::Form::Alias: line(fmt::format("({}) = {}", d.first.text, second)); break;
      case UnitDef::Form::FactorNumber:
        line(fmt::format("{} = {} ({})", d.name->name, d.value->spelling, d.first.text));
        break;
      case UnitDef::Form::FactorUnits:
        line(fmt::format("{} = ({}) {}", d.name->name, d.first.text, second));
        break;
      case UnitDef::Form::FactorArrow:
        line(fmt::format("{} = ({}) -> {}", d.name->name, d.first.text, second));
        break;
      }
    }
    --indent_;
    line("}");
  }
  void print(const DeclarationBlock &n) {
    line(fmt::format("{} {{", keyword(n.block)));
    ++indent_;
    for (const VarDecl &d : n.declarations) {
      std::string text = d.name.name + std::string(d.primes, '\'');
      if (d.size) text += fmt::format("[{}]", d.size->spelling);
      if (d.value) text += " = " + d.value->spelling;
      if (d.from && d.to) text += fmt::format(" FROM {} TO {}", d.from->spelling, d.to->spelling);
      if (d.start) text += " START " + d.start->spelling;
      if (d.unit) text += fmt::format(" ({})", d.unit->text);
      if (d.low && d.high) text += fmt::format(" <{}, {}>", d.low->spelling, d.high->spelling);
      if (d.tolerance) text += fmt::format(" <{}>", d.tolerance->spelling);
      line(text);
    }
    --indent_;
    line("}");
  }
  void print(const IndependentBlock &n) {
    line("INDEPENDENT {");
    ++indent_;
    for (const IndependentDecl &d : n.declarations) {
      std::string text = fmt::format("{}{} FROM {} TO {} WITH {}", d.sweep ? "SWEEP " : "",
                                     d.name.name, d.from.spelling, d.to.spelling, d.with.spelling);
      if (d.start) text += " START " + d.start->spelling;
      if (d.unit) text += fmt::format(" ({})", d.unit->text);
      line(text);
    }
    --indent_;
    line("}");
  }
  void print(const BodyBlock &n) { headerAndBody(keyword(n.block), n.body.get()); }
  void print(const NamedBlock &n) {
    std::string header = fmt::format("{} {}", keyword(n.block), n.name.name);
    if (!n.solveFor.empty()) header += " SOLVEFOR " + names(n.solveFor);
    headerAndBody(header, n.body.get());
  }
  void print(const CallableBlock &n) {
    std::string header = fmt::format("{} {}({})", keyword(n.callable), n.name.name, params(n.params));
    if (n.unit) header += fmt::format(" ({})", n.unit->text);
    headerAndBody(header, n.body.get());
  }
  void print(const FunctionTableBlock &n) {
    std::string text = fmt::format("FUNCTION_TABLE {}({})", n.name.name, params(n.params));
    if (n.unit) text += fmt::format(" ({})", n.unit->text);
    line(text);
  }
  void print(const NetReceiveBlock &n) {
    headerAndBody(fmt::format("NET_RECEIVE ({})", params(n.params)), n.body.get());
  }
  void print(const BeforeAfterBlock &n) {
    headerAndBody(fmt::format("{} {}", keyword(n.when), keyword(n.what)), n.body.get());
  }
};

}  // namespace

std::string print(const Program &program) {
  Printer printer;
  bool first = true;
  for (const NodePtr &item : program.items) {
    // A blank line between blocks; consecutive one-line items stay together.
    const bool oneLine = isa<TitleItem>(*item) || isa<DefineItem>(*item) ||
                         isa<IncludeItem>(*item) || isa<UnitsToggleStmt>(*item) ||
                         isa<LocalStmt>(*item) || isa<ModelLevelItem>(*item) || isa<PlotItem>(*item);
    if (!first && !oneLine) printer.out += '\n';
    printer.item(*item);
    first = false;
  }
  return printer.out;
}

std::string print(const Node &node) {
  Printer printer;
  printer.item(node);
  return printer.out;
}

std::string print(const Expr &expr) {
  Printer printer;
  printer.expr(expr);
  return printer.out;
}

}  // namespace ranvier::ast
