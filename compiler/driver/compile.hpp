#pragma once
// The front half of the compiler in one call: NMODL text -> checked mechanism ->
// kernels, with the same input checks as mechc (empty file, binary data, syntax,
// INCLUDEd files, semantics, lowering). Problems go to the diagnostics engine.

#include <optional>
#include <string>

#include "frontend/includes.hpp"
#include "ir/ir.hpp"
#include "support/diagnostics.hpp"
#include "support/source.hpp"
#include "transform/lower.hpp"

namespace ranvier::driver {

std::optional<ir::Mechanism> compileToKernels(const SourceFile &file, DiagnosticEngine &diagnostics,
                                              const transform::LowerOptions &options = {},
                                              const frontend::IncludeOptions &includes = frontend::IncludeOptions::fromEnvironment());

// Everything compiling `file` reads: its text, then the name and text of each file it
// INCLUDEs, so that a cache keyed on it notices an edited included file. Only the
// file's own text when it has no INCLUDE (or does not parse: compiling reports that).
std::string textRead(const SourceFile &file,
                     const frontend::IncludeOptions &includes = frontend::IncludeOptions::fromEnvironment());
// The same for a program whose INCLUDEs are resolved.
std::string textRead(const ast::Program &resolved);

}  // namespace ranvier::driver
