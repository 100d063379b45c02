#include "driver/compile.hpp"

#include <fmt/format.h>

#include "frontend/parser.hpp"
#include "sema/analyze.hpp"

namespace ranvier::driver {

std::optional<ir::Mechanism> compileToKernels(const SourceFile &file, DiagnosticEngine &diagnostics,
                                              const transform::LowerOptions &options) {
  if (file.text().empty()) {
    diagnostics.error(SourceRange{&file, {}, {}}, "file is empty: there is no NMODL to compile");
    return std::nullopt;
  }
  if (auto binary = detectBinary(file.text())) {
    SourceLocation at = file.locationOfOffset(binary->offset);
    diagnostics.error(SourceRange{&file, at, at},
                      fmt::format("not an NMODL text file: it {} (byte offset {})", binary->reason, binary->offset));
    return std::nullopt;
  }
  auto program = frontend::parse(file, diagnostics);
  if (!program || diagnostics.hasErrors()) return std::nullopt;
  if (program->items.empty()) {
    diagnostics.error(SourceRange{&file, {}, {}}, "file contains only comments and blanks: there is no NMODL to compile");
    return std::nullopt;
  }
  auto mechanism = sema::analyze(*program, diagnostics);
  if (!mechanism || diagnostics.hasErrors()) return std::nullopt;
  auto kernels = transform::lower(*mechanism, diagnostics, options);
  if (diagnostics.hasErrors()) return std::nullopt;
  return kernels;
}

}  // namespace ranvier::driver
