#pragma once
// INCLUDE: the items of an included file take the place of the INCLUDE item, as
// nocmodl reads them. Kept apart from parse() so that tools that print a file as
// written (mechc --print, --dump-ast, round trips) see the INCLUDE item itself.

#include <filesystem>
#include <vector>

#include "ast/ast.hpp"
#include "frontend/parser.hpp"
#include "support/diagnostics.hpp"

namespace ranvier::frontend {

struct IncludeOptions {
  // Searched, in order, after the including file's directory and the working
  // directory: MODL_INCLUDE's directories (nocmodl's variable) and a tool's -I ones.
  std::vector<std::filesystem::path> directories;
  // Deepest chain of files including files (a cycle is reported as such before).
  unsigned maxDepth = 32;
  ParseOptions parse;

  // MODL_INCLUDE's directories (colon-separated; empty entries skipped).
  static IncludeOptions fromEnvironment();
};

// Replaces every INCLUDE item of `program` by the items of the file it names, read
// and parsed in turn (their own INCLUDEs relative to themselves); the files are kept
// in program.included. A file is looked for as nocmodl 8.2.2 does at top level: an
// absolute name as it is; otherwise in the including file's directory, then in the
// working directory, then in options.directories. Problems (not found, unreadable,
// binary, a cycle, too deep, syntax errors inside) are errors with the INCLUDE's
// location; the INCLUDE is then dropped and the rest still resolved.
void resolveIncludes(ast::Program &program, DiagnosticEngine &diagnostics, const IncludeOptions &options);

}  // namespace ranvier::frontend
