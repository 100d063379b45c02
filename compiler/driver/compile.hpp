#pragma once
// The front half of the compiler in one call: NMODL text -> checked mechanism ->
// kernels, with the same input checks as mechc (empty file, binary data, syntax,
// semantics, lowering). Problems go to the diagnostics engine.

#include <optional>

#include "ir/ir.hpp"
#include "support/diagnostics.hpp"
#include "support/source.hpp"
#include "transform/lower.hpp"

namespace ranvier::driver {

std::optional<ir::Mechanism> compileToKernels(const SourceFile &file, DiagnosticEngine &diagnostics,
                                              const transform::LowerOptions &options = {});

}  // namespace ranvier::driver
