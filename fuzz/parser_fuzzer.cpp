// libFuzzer target for the NMODL front end. Any bytes go to frontend::parse(),
// which must never crash, hang or leak; a parsed file also goes through semantic
// analysis, the thread-safety analyses, mechlint's fixes and lowering to kernels. Every diagnostic is
// rendered (exercising the renderer on hostile locations). When parsing succeeds, the AST must survive
// a round trip: print it, parse the printed text, and the two ASTs must give the
// same JSON (locations left out). A failed round trip traps, so the fuzzer keeps
// the input as a crash.
//
//   build-fuzz/fuzz/nmodl_parser_fuzzer -dict=fuzz/nmodl.dict fuzz/corpus-work

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "ast/json.hpp"
#include "ast/printer.hpp"
#include "frontend/parser.hpp"
#include "analysis/global_storage.hpp"
#include "analysis/thread_safety.hpp"
#include "analysis/threadsafe_fixes.hpp"
#include "ir/printer.hpp"
#include "sema/analyze.hpp"
#include "transform/lower.hpp"
#include "support/text_edit.hpp"
#include "support/diagnostics.hpp"
#include "support/source.hpp"

namespace {

void renderAll(const ranvier::DiagnosticEngine &diagnostics) {
  for (const ranvier::Diagnostic &d : diagnostics.diagnostics()) {
    std::string text = ranvier::render(d);
    text += ranvier::render(d, ranvier::RenderOptions{.color = true, .showSourceLine = true});
    // Keep the result observable so the calls are not optimised away.
    if (text.empty()) __builtin_trap();
  }
}

[[noreturn]] void roundTripFailure(const char *what, const std::string &printed,
                                   const ranvier::DiagnosticEngine *diagnostics) {
  std::fprintf(stderr, "\n=== round trip failed: %s ===\n--- printed text ---\n%s\n", what,
               printed.c_str());
  if (diagnostics != nullptr) {
    std::fprintf(stderr, "--- diagnostics on the printed text ---\n");
    for (const ranvier::Diagnostic &d : diagnostics->diagnostics()) {
      std::fprintf(stderr, "%s\n", ranvier::render(d).c_str());
    }
  }
  __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const ranvier::SourceFile file("fuzz.mod",
                                 std::string(reinterpret_cast<const char *>(data), size));
  ranvier::DiagnosticEngine diagnostics;
  const auto program = ranvier::frontend::parse(file, diagnostics);
  if (program) {  // semantic checks, analyses and fixes must not crash either
    auto mechanism = ranvier::sema::analyze(*program, diagnostics);
    ranvier::analysis::analyzeThreadSafety(*mechanism);
    ranvier::analysis::placeGlobals(*mechanism);
    std::vector<ranvier::TextEdit> edits;
    for (const auto &r : ranvier::analysis::rewriteEuler(*program)) edits.push_back(r.edit);
    if (auto edit = ranvier::analysis::insertThreadsafe(*program)) edits.push_back(*edit);
    const std::string fixed = ranvier::applyEdits(file.text(), edits);
    ranvier::unifiedDiff(file.text(), fixed, "a", "b");
    if (!diagnostics.hasErrors()) {  // the middle end: lowering and printing kernels
      if (auto kernels = ranvier::transform::lower(*mechanism, diagnostics)) ranvier::ir::print(*kernels);
    }
  }
  renderAll(diagnostics);
  if (!program) return 0;

  const std::string printed = ranvier::ast::print(*program);
  const ranvier::SourceFile reprinted("fuzz-printed.mod", printed);
  ranvier::DiagnosticEngine again;
  const auto second = ranvier::frontend::parse(reprinted, again);
  renderAll(again);
  if (!second) roundTripFailure("the printed text does not parse", printed, &again);

  const ranvier::ast::JsonOptions noLocations{.locations = false};
  const auto before = ranvier::ast::toJson(*program, noLocations);
  const auto after = ranvier::ast::toJson(*second, noLocations);
  if (before != after) {
    std::fprintf(stderr, "--- JSON of the original AST ---\n%s\n--- JSON after the round trip ---\n%s\n",
                 before.dump(1).c_str(), after.dump(1).c_str());
    roundTripFailure("the ASTs differ", printed, nullptr);
  }
  return 0;
}
