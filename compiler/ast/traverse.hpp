#pragma once
// Generic traversal: every node under a node (statements, expressions, NEURON-block
// statements), in source order, parents before children.

#include <functional>

#include "ast/ast.hpp"

namespace ranvier::ast {

// Calls f on each direct child node of `node`.
void forEachChild(const Node &node, const std::function<void(const Node &)> &f);

// Calls f on `node` and every node below it (preorder).
void forEachNode(const Node &node, const std::function<void(const Node &)> &f);
void forEachNode(const Program &program, const std::function<void(const Node &)> &f);

}  // namespace ranvier::ast
