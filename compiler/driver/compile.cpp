#include "driver/compile.hpp"

#include <fmt/format.h>

#include "frontend/parser.hpp"
#include "sema/analyze.hpp"

namespace ranvier::driver {

std::optional<ir::Mechanism> compileToKernels(const SourceFile &file, DiagnosticEngine &diagnostics,
                                              const transform::LowerOptions &options,
                                              const frontend::IncludeOptions &includes) {
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
  frontend::resolveIncludes(*program, diagnostics, includes);
  if (diagnostics.hasErrors()) return std::nullopt;
  auto mechanism = sema::analyze(*program, diagnostics);
  if (!mechanism || diagnostics.hasErrors()) return std::nullopt;
  auto kernels = transform::lower(*mechanism, diagnostics, options);
  if (diagnostics.hasErrors()) return std::nullopt;
  return kernels;
}

std::string textRead(const SourceFile &file, const frontend::IncludeOptions &includes) {
  std::string text(file.text());
  // INCLUDE is a keyword, so a file without the word has nothing to include.
  if (text.find("INCLUDE") == std::string::npos) return text;
  DiagnosticEngine ignored(0);
  auto program = frontend::parse(file, ignored, includes.parse);
  if (!program) return text;
  frontend::resolveIncludes(*program, ignored, includes);
  return textRead(*program);
}

std::string textRead(const ast::Program &resolved) {
  std::string text(resolved.file->text());
  for (const auto &included : resolved.included) {
    text += fmt::format("\n\x1f INCLUDEd {} ({} bytes)\n", included->name(), included->text().size());
    text += included->text();
  }
  return text;
}

}  // namespace ranvier::driver
