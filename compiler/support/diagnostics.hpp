#pragma once
// One diagnostics engine for every stage of the compiler. A diagnostic has a
// severity, a location, a message, optionally a hint ("help: ...") and fix-its, and
// notes that point elsewhere (for example at the '{' an error could not match).

#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

#include "support/source.hpp"

namespace ranvier {

enum class Severity { Note, Warning, Error };

const char *to_string(Severity severity);

// Replace the text in `range` by `replacement` (an insertion when the range is empty).
struct FixIt {
  SourceRange range;
  std::string replacement;
};

struct Diagnostic {
  Severity severity = Severity::Error;
  SourceRange range;  // may be invalid for file-less messages
  std::string message;
  std::string hint;
  std::vector<FixIt> fixits;
  std::vector<Diagnostic> notes;

  Diagnostic &withHint(std::string text) {
    hint = std::move(text);
    return *this;
  }
  Diagnostic &withNote(SourceRange where, std::string text) {
    notes.push_back(Diagnostic{Severity::Note, where, std::move(text), {}, {}, {}});
    return *this;
  }
  Diagnostic &withFixIt(SourceRange where, std::string replacement) {
    fixits.push_back(FixIt{where, std::move(replacement)});
    return *this;
  }
};

class DiagnosticEngine {
public:
  // At most `errorLimit` errors are kept (0: no limit); later ones are counted only.
  explicit DiagnosticEngine(std::size_t errorLimit = 50) : errorLimit_(errorLimit) {}

  Diagnostic &report(Severity severity, SourceRange range, std::string message);
  Diagnostic &error(SourceRange range, std::string message) {
    return report(Severity::Error, range, std::move(message));
  }
  Diagnostic &warning(SourceRange range, std::string message) {
    return report(Severity::Warning, range, std::move(message));
  }

  const std::vector<Diagnostic> &diagnostics() const { return diagnostics_; }
  std::size_t errorCount() const { return errors_; }
  std::size_t warningCount() const { return warnings_; }
  bool hasErrors() const { return errors_ != 0; }
  // Errors reported beyond the limit, counted but not kept.
  std::size_t suppressedErrors() const { return suppressed_; }

  void clear();

private:
  std::size_t errorLimit_;
  std::vector<Diagnostic> diagnostics_;
  std::size_t errors_ = 0;
  std::size_t warnings_ = 0;
  std::size_t suppressed_ = 0;
  Diagnostic discard_;  // target of report() once the limit is reached
};

struct RenderOptions {
  bool color = false;
  bool showSourceLine = true;
};

// Renders like a modern compiler:
//   file.mod:3:17: error: message
//       3 | PARAMETER { a = }
//         |                 ^
//   help: hint text
std::string render(const Diagnostic &diagnostic, const RenderOptions &options = {});
void printAll(std::ostream &out, const DiagnosticEngine &engine, const RenderOptions &options = {});

}  // namespace ranvier
