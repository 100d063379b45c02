#include "ir/printer.hpp"

#include <fmt/format.h>

namespace ranvier::ir {
namespace {

int precedence(Op op) {
  switch (op) {
  case Op::Or: return 1;
  case Op::And: return 2;
  case Op::Eq: case Op::Ne: return 3;
  case Op::Lt: case Op::Le: case Op::Gt: case Op::Ge: return 4;
  case Op::Add: case Op::Sub: return 5;
  case Op::Mul: case Op::Div: return 6;
  case Op::Neg: case Op::Not: return 7;
  case Op::Pow: return 8;
  default: return 9;  // atoms and calls
  }
}

class Printer {
public:
  explicit Printer(const Mechanism &m) : m_(m) {}

  std::string expr(const Expr &e) const {
    switch (e.op) {
    case Op::Const:
      if (e.type == Type::Bool) return e.value != 0 ? "true" : "false";
      return number(e.value);
    case Op::Var: {
      std::string name = m_.variables[e.var].name;
      if (!e.args.empty()) name += "[" + expr(*e.args[0]) + "]";
      return name;
    }
    case Op::Neg:
    case Op::Not: return std::string(spelling(e.op)) + operand(*e.args[0], precedence(e.op), false);
    case Op::Select:
      return fmt::format("select({}, {}, {})", expr(*e.args[0]), expr(*e.args[1]), expr(*e.args[2]));
    case Op::Math: return fmt::format("{}({})", to_string(e.fn), list(e.args));
    case Op::Call: return fmt::format("{}({})", m_.kernels[e.kernel].name, list(e.args));
    case Op::TableCall: return fmt::format("{}({})", m_.functionTables[e.kernel].name, list(e.args));
    default: {
      const int p = precedence(e.op);
      const bool right = e.op == Op::Pow;
      return fmt::format("{} {} {}", operand(*e.args[0], p, right), spelling(e.op),
                         operand(*e.args[1], p, !right));
    }
    }
  }

  void body(const Body &statements, int depth) {
    for (const Stmt &s : statements) stmt(s, depth);
  }

  std::string out;

private:
  static std::string number(double v) {
    std::string s = fmt::format("{}", v);
    return s;
  }

  // Parenthesised when it binds less tightly than its context; `strict` also for
  // equal binding (the side where associativity does not allow dropping them).
  std::string operand(const Expr &e, int context, bool strict) const {
    const int p = precedence(e.op);
    std::string text = expr(e);
    const bool negativeConstant = e.op == Op::Const && e.value < 0;
    if (p < context || (strict && p == context) || (negativeConstant && context >= 7)) return "(" + text + ")";
    return text;
  }

  std::string list(const std::vector<ExprRef> &args) const {
    std::string s;
    for (std::size_t i = 0; i < args.size(); ++i) {
      if (i) s += ", ";
      s += expr(*args[i]);
    }
    return s;
  }

  void line(int depth, const std::string &text) {
    out.append(static_cast<std::size_t>(depth) * 2, ' ');
    out += text;
    out += '\n';
  }

  void stmt(const Stmt &s, int depth) {
    switch (s.kind) {
    case StmtKind::Assign: {
      std::string target = m_.variables[s.target].name;
      if (s.index) target += "[" + expr(*s.index) + "]";
      line(depth, fmt::format("{} = {}", target, expr(*s.value)));
      break;
    }
    case StmtKind::If: {
      line(depth, fmt::format("if ({}) {{", expr(*s.value)));
      body(s.body, depth + 1);
      const Stmt *tail = &s;
      // else-if chains print flat
      while (tail->otherwise.size() == 1 && tail->otherwise[0].kind == StmtKind::If) {
        tail = &tail->otherwise[0];
        line(depth, fmt::format("}} else if ({}) {{", expr(*tail->value)));
        body(tail->body, depth + 1);
      }
      if (!tail->otherwise.empty()) {
        line(depth, "} else {");
        body(tail->otherwise, depth + 1);
      }
      line(depth, "}");
      break;
    }
    case StmtKind::While:
      line(depth, fmt::format("while ({}) {{", expr(*s.value)));
      body(s.body, depth + 1);
      line(depth, "}");
      break;
    case StmtKind::Call:
      line(depth, fmt::format("{}({})", m_.kernels[s.index2].name, list(s.args)));
      break;
    case StmtKind::SolveLinear: {
      const LinearSystem &sys = *s.system;
      std::string unknowns;
      for (std::size_t i = 0; i < sys.n; ++i) unknowns += (i ? ", " : "") + m_.variables[sys.solution[i]].name;
      line(depth, fmt::format("solve_linear [{}] {{", unknowns));
      for (std::uint32_t r = 0; r < sys.n; ++r) {
        std::string row;
        for (std::uint32_t c = 0; c < sys.n; ++c) {
          const ExprRef &a = sys.matrix[r * sys.n + c];
          if (!a) continue;
          if (!row.empty()) row += " + ";
          row += fmt::format("({})*{}", expr(*a), m_.variables[sys.solution[c]].name);
        }
        line(depth + 1, fmt::format("{} = {}", row.empty() ? "0" : row, expr(*sys.rhs[r])));
      }
      line(depth, "}");
      break;
    }
    case StmtKind::NetSend:
      line(depth, fmt::format("net_send({}, {})", expr(*s.value), expr(*s.flag)));
      break;
    case StmtKind::NetEvent: line(depth, fmt::format("net_event({})", expr(*s.value))); break;
    case StmtKind::NetMove: line(depth, fmt::format("net_move({})", expr(*s.value))); break;
    case StmtKind::ForNetCons: {
      std::vector<std::string> names;
      for (VarId v : s.vars) names.push_back(m_.variables[v].name);
      line(depth, fmt::format("for_netcons ({}) {{", fmt::join(names, ", ")));
      body(s.body, depth + 1);
      line(depth, "}");
      break;
    }
    case StmtKind::Watch: {
      const Watch &w = m_.watches[s.index2];
      line(depth, fmt::format("watch #{} ({}) flag {}", s.index2, expr(*w.condition), number(w.flag)));
      break;
    }
    case StmtKind::Fail:
      line(depth, fmt::format("fail #{} \"{}\"", s.index2, m_.errors[s.index2].message));
      break;
    case StmtKind::Random:
      line(depth, fmt::format("{} = random {}({})", m_.variables[s.target].name, to_string(s.distribution), list(s.args)));
      break;
    }
  }

  const Mechanism &m_;
};

std::string describe(const Variable &v) {
  std::string s = fmt::format("{} {}", to_string(v.storage), v.name);
  if (v.size > 1) s += fmt::format("[{}]", v.size);
  if (v.storage == Storage::Ion) s += fmt::format(" ({} {})", v.ion, to_string(v.ionQuantity));
  if (v.storage == Storage::Node) s += fmt::format(" (node {})", to_string(v.nodeQuantity));
  if (v.initial != 0) s += fmt::format(" = {}", v.initial);
  if (!v.unit.empty()) s += fmt::format(" ({})", v.unit);
  if (v.range) s += " range";
  return s;
}

}  // namespace

std::string print(const Mechanism &m, const Expr &e) { return Printer(m).expr(e); }

std::string print(const Mechanism &m) {
  Printer p(m);
  std::string &out = p.out;
  out += fmt::format("mechanism {} ({}{}{})\n", m.name, to_string(m.kind), m.threadsafe ? ", threadsafe" : "",
                     m.electrodeCurrent ? ", electrode current" : "");
  for (const Ion &ion : m.ions) {
    out += fmt::format("  ion {}", ion.name);
    if (ion.hasValence) out += fmt::format(" valence {}", ion.valence);
    out += "\n";
  }
  for (const Variable &v : m.variables) {
    if (v.storage == Storage::Local || v.storage == Storage::Param) continue;
    out += "  " + describe(v) + "\n";
  }
  for (const Kernel &k : m.kernels) {
    std::string params;
    for (std::size_t i = 0; i < k.params.size(); ++i) params += (i ? ", " : "") + m.variables[k.params[i]].name;
    out += fmt::format("\n{} {}({}){}{}:\n", to_string(k.kind), k.name, params,
                       k.result ? " -> " + m.variables[*k.result].name : "",
                       k.perInstance ? "" : " [once, not per instance]");
    if (!k.locals.empty()) {
      std::string locals;
      for (std::size_t i = 0; i < k.locals.size(); ++i) locals += (i ? ", " : "") + m.variables[k.locals[i]].name;
      out += "  local " + locals + "\n";
    }
    p.body(k.body, 1);
  }
  for (std::size_t i = 0; i < m.errors.size(); ++i) {
    out += fmt::format("\nerror #{}: {} ({})\n", i, m.errors[i].message, m.errors[i].location);
  }
  return out;
}

}  // namespace ranvier::ir
