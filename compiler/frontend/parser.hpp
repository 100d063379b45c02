#pragma once
// The NMODL front end: .mod text in, AST out. This is the only module that sees the
// ANTLR parser; nothing ANTLR leaks through this header.

#include <memory>

#include "ast/ast.hpp"
#include "support/diagnostics.hpp"
#include "support/source.hpp"

namespace ranvier::frontend {

struct ParseOptions {
  // Deepest nesting of grammar rules accepted (a parenthesis costs two, a nested
  // block three). Real mechanisms nest a few levels; the limit keeps hostile input
  // from exhausting the stack: at the default, parsing needs well under 1 MB of it.
  unsigned maxNesting = 512;
};

// Parses a whole file. Every problem is reported to `diagnostics` with a location.
// Returns the AST, or null when the file has syntax errors (they are all reported,
// several per file where the parser can recover). Never throws on bad input.
std::unique_ptr<ast::Program> parse(const SourceFile &file, DiagnosticEngine &diagnostics,
                                    const ParseOptions &options = {});

}  // namespace ranvier::frontend
