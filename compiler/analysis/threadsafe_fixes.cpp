#include "analysis/threadsafe_fixes.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "analysis/linearity.hpp"
#include "ast/traverse.hpp"

namespace ranvier::analysis {

using namespace ranvier::ast;

std::optional<TextEdit> insertThreadsafe(const Program &program) {
  const NeuronBlock *neuron = nullptr;
  for (const NodePtr &item : program.items) {
    if ((neuron = dyn_cast<NeuronBlock>(item.get())) != nullptr) break;
  }
  if (neuron == nullptr || program.file == nullptr || neuron->range.file != program.file) return std::nullopt;
  for (const NodePtr &s : neuron->statements) {
    if (isa<ThreadsafeStmt>(*s)) return std::nullopt;
  }
  const std::string_view text = program.file->text();
  const std::uint32_t closingBrace = neuron->range.end.offset - 1;

  // Anchor: the SUFFIX statement, else the first statement, else the '{'.
  const Node *anchor = neuron->statements.empty() ? nullptr : neuron->statements.front().get();
  for (const NodePtr &s : neuron->statements) {
    if (isa<SuffixStmt>(*s)) anchor = s.get();
  }
  std::uint32_t anchorEnd = anchor != nullptr ? anchor->range.end.offset
                                              : static_cast<std::uint32_t>(text.find('{', neuron->range.begin.offset) + 1);
  std::size_t lineEnd = text.find_first_of("\r\n", anchorEnd);
  if (lineEnd == std::string_view::npos) lineEnd = text.size();
  if (closingBrace < lineEnd) return TextEdit{anchorEnd, 0, " THREADSAFE"};  // one-line NEURON block

  std::string eol = "\n";
  if (lineEnd < text.size() && text[lineEnd] == '\r') eol = lineEnd + 1 < text.size() && text[lineEnd + 1] == '\n' ? "\r\n" : "\r";
  const std::size_t lineStart = text.find_last_of("\r\n", anchorEnd == 0 ? 0 : anchorEnd - 1);
  const std::size_t indentStart = lineStart == std::string_view::npos ? 0 : lineStart + 1;
  std::size_t indentEnd = indentStart;
  while (indentEnd < text.size() && (text[indentEnd] == ' ' || text[indentEnd] == '\t')) ++indentEnd;
  std::string indent(text.substr(indentStart, indentEnd - indentStart));
  if (anchor == nullptr) indent += "    ";
  return TextEdit{static_cast<std::uint32_t>(lineEnd), 0, eol + indent + "THREADSAFE"};
}

std::vector<MethodRewrite> rewriteEuler(const Program &program) {
  std::vector<MethodRewrite> rewrites;
  forEachNode(program, [&](const Node &n) {
    const auto *solve = dyn_cast<SolveStmt>(&n);
    if (solve == nullptr || !solve->method || solve->method->name != "euler") return;
    for (const NodePtr &item : program.items) {
      const auto *named = dyn_cast<NamedBlock>(item.get());
      if (named == nullptr || named->name.name != solve->block.name) continue;
      MethodRewrite r;
      r.block = named->name.name;
      if (named->block == NamedKind::Kinetic) {
        r.method = "sparse";
        r.why = "KINETIC blocks are solved implicitly with sparse";
      } else if (named->block == NamedKind::Derivative) {
        std::vector<OdeLinearity> odes = odeLinearity(*named);
        const auto nonlinear = std::find_if(odes.begin(), odes.end(), [](const OdeLinearity &l) { return !l.linear; });
        if (nonlinear == odes.end()) {
          r.method = "cnexp";
          r.why = "every ODE is linear in its own state";
        } else {
          r.method = "derivimplicit";
          r.why = fmt::format("the ODE for {} is not linear in {} ({})", nonlinear->state, nonlinear->state,
                              nonlinear->reason);
        }
      } else {
        return;
      }
      const SourceRange &m = solve->method->range;
      r.edit = TextEdit{m.begin.offset, m.end.offset - m.begin.offset, r.method};
      r.file = m.file;
      rewrites.push_back(std::move(r));
    }
  });
  return rewrites;
}

}  // namespace ranvier::analysis
