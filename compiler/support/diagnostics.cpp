#include "support/diagnostics.hpp"

#include <algorithm>
#include <ostream>

#include <fmt/format.h>

namespace ranvier {

const char *to_string(Severity severity) {
  switch (severity) {
  case Severity::Note: return "note";
  case Severity::Warning: return "warning";
  case Severity::Error: return "error";
  }
  return "error";
}

Diagnostic &DiagnosticEngine::report(Severity severity, SourceRange range, std::string message) {
  if (severity == Severity::Error) {
    ++errors_;
    if (errorLimit_ != 0 && errors_ > errorLimit_) {
      ++suppressed_;
      discard_ = Diagnostic{};
      return discard_;
    }
  } else if (severity == Severity::Warning) {
    ++warnings_;
  }
  diagnostics_.push_back(Diagnostic{severity, range, std::move(message), {}, {}, {}});
  return diagnostics_.back();
}

void DiagnosticEngine::clear() {
  diagnostics_.clear();
  errors_ = warnings_ = suppressed_ = 0;
}

namespace {

struct Style {
  bool on;
  std::string operator()(const char *code, std::string_view text) const {
    return on ? fmt::format("\x1b[{}m{}\x1b[0m", code, text) : std::string(text);
  }
};

const char *severityColor(Severity severity) {
  switch (severity) {
  case Severity::Note: return "1;36";
  case Severity::Warning: return "1;35";
  case Severity::Error: return "1;31";
  }
  return "1";
}

// Characters of a source line as they will be shown: control characters become
// '?' so a NUL or escape byte in the input cannot garble the terminal.
// Invalid UTF-8 shows as '?' as well.
std::string printableLine(std::string_view line) {
  std::string shown;
  shown.reserve(line.size());
  for (std::size_t i = 0; i < line.size();) {
    auto u = static_cast<unsigned char>(line[i]);
    std::size_t length = u < 0x80 ? 1 : (u & 0xE0) == 0xC0 ? 2 : (u & 0xF0) == 0xE0 ? 3 : (u & 0xF8) == 0xF0 ? 4 : 0;
    bool valid = length != 0 && i + length <= line.size();
    for (std::size_t k = 1; valid && k < length; ++k) {
      valid = (static_cast<unsigned char>(line[i + k]) & 0xC0) == 0x80;
    }
    if (!valid) {
      shown.push_back('?');
      ++i;
    } else if (length == 1) {
      shown.push_back((u < 0x20 && u != '\t') || u == 0x7F ? '?' : line[i]);
      ++i;
    } else {
      shown.append(line.substr(i, length));
      i += length;
    }
  }
  return shown;
}

// Lines longer than this are not shown; the location still is.
constexpr std::size_t kMaxShownLine = 240;

// The caret line under `line`: tabs copied so the caret lines up in any terminal.
std::string caretLine(std::string_view line, std::uint32_t column, std::uint32_t width) {
  std::string marks;
  std::uint32_t character = 1;
  for (std::size_t i = 0; i < line.size() && character < column; ++i) {
    auto u = static_cast<unsigned char>(line[i]);
    if ((u & 0xC0) == 0x80) continue;  // UTF-8 continuation byte: same character
    marks.push_back(line[i] == '\t' ? '\t' : ' ');
    ++character;
  }
  marks.append(std::string(column > character ? column - character : 0, ' '));
  marks.push_back('^');
  if (width > 1) marks.append(width - 1, '~');
  return marks;
}

std::string caretPrefix(std::string_view line, std::uint32_t column) {
  std::string marks = caretLine(line, column, 1);
  marks.pop_back();
  return marks;
}

void renderInto(std::string &out, const Diagnostic &d, const RenderOptions &options) {
  Style style{options.color};
  std::string where;
  if (d.range.file != nullptr) {
    where = d.range.begin.valid()
                ? fmt::format("{}:{}:{}: ", d.range.file->name(), d.range.begin.line,
                              d.range.begin.column)
                : fmt::format("{}: ", d.range.file->name());
  }
  out += style("1", where);
  out += style(severityColor(d.severity), fmt::format("{}:", to_string(d.severity)));
  out += ' ';
  out += style("1", d.message);
  out += '\n';

  if (options.showSourceLine && d.range.valid() &&
      d.range.file->lineText(d.range.begin.line).size() <= kMaxShownLine) {
    const std::uint32_t line = d.range.begin.line;
    std::string_view text = d.range.file->lineText(line);
    std::uint32_t width = 1;
    if (d.range.end.line == line && d.range.end.column > d.range.begin.column) {
      width = d.range.end.column - d.range.begin.column;
    }
    std::string gutter = fmt::format("{:>5}", line);
    out += fmt::format("{} | {}\n", gutter, printableLine(text));
    out += fmt::format("{} | {}\n", std::string(gutter.size(), ' '),
                       style("1;32", caretLine(text, d.range.begin.column, width)));
    for (const FixIt &fix : d.fixits) {
      if (fix.range.valid() && fix.range.begin.line == line && !fix.replacement.empty()) {
        out += fmt::format("{} | {}\n", std::string(gutter.size(), ' '),
                           style("32", caretPrefix(text, fix.range.begin.column) + fix.replacement));
      }
    }
  }
  if (!d.hint.empty()) {
    out += style("1;36", "help:");
    out += ' ';
    out += d.hint;
    out += '\n';
  }
  for (const Diagnostic &note : d.notes) renderInto(out, note, options);
}

}  // namespace

std::string render(const Diagnostic &diagnostic, const RenderOptions &options) {
  std::string out;
  renderInto(out, diagnostic, options);
  return out;
}

void printAll(std::ostream &out, const DiagnosticEngine &engine, const RenderOptions &options) {
  for (const Diagnostic &d : engine.diagnostics()) out << render(d, options);
  if (engine.suppressedErrors() != 0) {
    out << fmt::format("note: {} more error{} not shown\n", engine.suppressedErrors(),
                       engine.suppressedErrors() == 1 ? "" : "s");
  }
}

}  // namespace ranvier
