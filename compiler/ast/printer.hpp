#pragma once
// Writes an AST back as NMODL text. The output is normalised (one statement per
// line, four-space indentation, minimal parentheses) and parses to the same AST.

#include <string>

#include "ast/ast.hpp"

namespace ranvier::ast {

std::string print(const Program &program);
std::string print(const Node &node);  // one item, statement or expression
std::string print(const Expr &expr);

}  // namespace ranvier::ast
