#pragma once
// Internal to the frontend: turns an ANTLR parse tree without syntax errors into
// the AST, checking the rules nocmodl enforces that the grammar leaves open (what a
// declaration block allows, WATCH conditions, USEION forms, ...).

#include <memory>

#include "NMODLParser.h"
#include "ast/ast.hpp"
#include "support/diagnostics.hpp"

namespace ranvier::frontend {

struct BuildLimits {
  unsigned maxExpressionDepth = 10000;
};

std::unique_ptr<ast::Program> buildAst(grammar::NMODLParser::ProgramContext &tree,
                                       const SourceFile &file, DiagnosticEngine &diagnostics,
                                       const BuildLimits &limits);

// Source range of a token or of a parse-tree context.
SourceRange rangeOf(const SourceFile &file, const antlr4::Token *token);
SourceRange rangeOf(const SourceFile &file, antlr4::ParserRuleContext *context);

}  // namespace ranvier::frontend
