#pragma once
// The repairs mechlint makes, as text edits: nothing outside them changes.

#include <optional>
#include <string>
#include <vector>

#include "ast/ast.hpp"
#include "support/text_edit.hpp"

namespace ranvier::analysis {

// THREADSAFE on a line of its own after the NEURON block's SUFFIX (same indentation,
// the file's own line ending), or after it on the same line for a one-line block.
// Nothing when there is no NEURON block, it already says THREADSAFE, or it comes from
// an INCLUDEd file (edits are to the program's own file).
std::optional<TextEdit> insertThreadsafe(const ast::Program &program);

struct MethodRewrite {
  TextEdit edit;
  const SourceFile *file = nullptr;  // the edit's file: an INCLUDEd one when the SOLVE is there
  std::string block;   // the DERIVATIVE or KINETIC block
  std::string method;  // what euler becomes
  std::string why;
};

// METHOD euler becomes cnexp when every ODE of the DERIVATIVE block is provably
// linear in its own state, derivimplicit otherwise; for KINETIC blocks, sparse.
std::vector<MethodRewrite> rewriteEuler(const ast::Program &program);

}  // namespace ranvier::analysis
