#include "model/expression.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace ranvier::model {

struct Expression::Node {
  enum class Kind { Number, Variable, Unary, Binary, Call } kind = Kind::Number;
  double number = 0;
  std::string name;  // variable or function
  char op = 0;
  std::vector<std::shared_ptr<const Node>> args;
};

namespace {

using NodePtr = std::shared_ptr<const Expression::Node>;
using Node = Expression::Node;

class Parser {
public:
  explicit Parser(std::string_view text) : s_(text) {}

  NodePtr parse() {
    NodePtr e = sum();
    skip();
    if (pos_ != s_.size()) fail("unexpected '" + std::string(1, s_[pos_]) + "'");
    return e;
  }

private:
  [[noreturn]] void fail(const std::string &what) const {
    throw std::invalid_argument("column " + std::to_string(pos_ + 1) + ": " + what);
  }
  void skip() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  bool accept(char c) {
    skip();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  static NodePtr binary(char op, NodePtr l, NodePtr r) {
    auto n = std::make_shared<Node>();
    n->kind = Node::Kind::Binary;
    n->op = op;
    n->args = {std::move(l), std::move(r)};
    return n;
  }
  NodePtr sum() {
    NodePtr e = product();
    for (;;) {
      if (accept('+')) e = binary('+', e, product());
      else if (accept('-')) e = binary('-', e, product());
      else return e;
    }
  }
  NodePtr product() {
    NodePtr e = unary();
    for (;;) {
      if (accept('*')) e = binary('*', e, unary());
      else if (accept('/')) e = binary('/', e, unary());
      else return e;
    }
  }
  NodePtr unary() {
    if (accept('-')) {
      auto n = std::make_shared<Node>();
      n->kind = Node::Kind::Unary;
      n->op = '-';
      n->args = {unary()};
      return n;
    }
    if (accept('+')) return unary();
    return power();
  }
  NodePtr power() {
    NodePtr base = primary();
    if (accept('^')) return binary('^', base, unary());  // right associative
    return base;
  }
  NodePtr primary() {
    skip();
    if (pos_ >= s_.size()) fail("the expression ends too early");
    if (accept('(')) {
      NodePtr e = sum();
      if (!accept(')')) fail("missing ')'");
      return e;
    }
    const char c = s_[pos_];
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
      auto n = std::make_shared<Node>();
      const char *begin = s_.data() + pos_;
      auto [ptr, ec] = std::from_chars(begin, s_.data() + s_.size(), n->number);
      if (ec != std::errc{}) fail("a malformed number");
      pos_ += static_cast<std::size_t>(ptr - begin);
      return n;
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      const std::size_t start = pos_;
      while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_')) ++pos_;
      std::string name(s_.substr(start, pos_ - start));
      auto n = std::make_shared<Node>();
      n->name = name;
      if (accept('(')) {
        static const std::vector<std::pair<std::string, std::size_t>> functions{
            {"exp", 1}, {"log", 1}, {"log10", 1}, {"sqrt", 1}, {"abs", 1}, {"sin", 1},
            {"cos", 1}, {"tanh", 1}, {"min", 2}, {"max", 2}, {"pow", 2}};
        std::size_t arity = 0;
        for (const auto &[f, a] : functions) {
          if (f == name) arity = a;
        }
        if (arity == 0) fail("unknown function '" + name + "' (exp, log, log10, sqrt, abs, sin, cos, tanh, min, max, pow)");
        n->kind = Node::Kind::Call;
        if (!accept(')')) {
          do n->args.push_back(sum());
          while (accept(','));
          if (!accept(')')) fail("missing ')' after the arguments of " + name);
        }
        if (n->args.size() != arity) fail(name + " takes " + std::to_string(arity) + " argument(s)");
        return n;
      }
      if (name != "distance" && name != "x" && name != "diam" && name != "L" && name != "gid" && name != "i") {
        fail("unknown name '" + name + "' (the variables are distance, x, diam, L, gid and i)");
      }
      n->kind = Node::Kind::Variable;
      return n;
    }
    fail("unexpected '" + std::string(1, c) + "'");
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

double eval(const Node &n, const ExpressionVariables &v) {
  switch (n.kind) {
  case Node::Kind::Number: return n.number;
  case Node::Kind::Variable:
    if (n.name == "distance") return v.distance;
    if (n.name == "x") return v.x;
    if (n.name == "diam") return v.diam;
    if (n.name == "gid") return v.gid;
    if (n.name == "i") return v.i;
    return v.L;
  case Node::Kind::Unary: return -eval(*n.args[0], v);
  case Node::Kind::Binary: {
    const double a = eval(*n.args[0], v), b = eval(*n.args[1], v);
    switch (n.op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return a / b;
    default: return std::pow(a, b);
    }
  }
  case Node::Kind::Call: {
    const double a = eval(*n.args[0], v);
    const double b = n.args.size() > 1 ? eval(*n.args[1], v) : 0;
    if (n.name == "exp") return std::exp(a);
    if (n.name == "log") return std::log(a);
    if (n.name == "log10") return std::log10(a);
    if (n.name == "sqrt") return std::sqrt(a);
    if (n.name == "abs") return std::abs(a);
    if (n.name == "sin") return std::sin(a);
    if (n.name == "cos") return std::cos(a);
    if (n.name == "tanh") return std::tanh(a);
    if (n.name == "min") return std::min(a, b);
    if (n.name == "max") return std::max(a, b);
    return std::pow(a, b);
  }
  }
  return 0;
}

}  // namespace

Expression Expression::parse(std::string_view text) {
  Expression e;
  e.text_ = std::string(text);
  e.root_ = Parser(text).parse();
  return e;
}

double Expression::evaluate(const ExpressionVariables &variables) const { return eval(*root_, variables); }

}  // namespace ranvier::model
