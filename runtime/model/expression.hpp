#pragma once
// Arithmetic expressions in model files, for parameters that vary along a cell:
// "0.001 * exp(-distance / 200)". Variables: distance (um along the tree from the
// middle of the root section, usually the soma), x (position in the section),
// diam (um) and L (um, of the section), and, for the cells of a population, gid (the
// cell's global id) and i (its index in the population). Functions: exp, log, log10, sqrt, abs, sin,
// cos, tanh, min, max, pow; operators + - * / ^ and parentheses.
#include <memory>
#include <string>
#include <string_view>

namespace ranvier::model {

struct ExpressionVariables {
  double distance = 0, x = 0.5, diam = 0, L = 0;
  double gid = 0, i = 0;
};

class Expression {
public:
  // Throws std::invalid_argument with the column (1-based) of the problem in the message.
  static Expression parse(std::string_view text);
  double evaluate(const ExpressionVariables &variables) const;
  const std::string &text() const { return text_; }

  struct Node;

private:
  std::string text_;
  std::shared_ptr<const Node> root_;
};

}  // namespace ranvier::model
