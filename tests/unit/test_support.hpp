#pragma once
// Shared helpers for the frontend tests: parse text, look at the first error.

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ast/ast.hpp"
#include "frontend/parser.hpp"
#include "support/diagnostics.hpp"

namespace ranvier::test {

struct Parsed {
  std::unique_ptr<SourceFile> file;
  DiagnosticEngine diagnostics{0};
  std::unique_ptr<ast::Program> program;

  bool ok() const { return program != nullptr && !diagnostics.hasErrors(); }
  const Diagnostic *firstError() const {
    for (const Diagnostic &d : diagnostics.diagnostics()) {
      if (d.severity == Severity::Error) return &d;
    }
    return nullptr;
  }
  std::string allMessages() const {
    std::string text;
    for (const Diagnostic &d : diagnostics.diagnostics()) text += render(d) + "\n";
    return text;
  }
};

inline std::unique_ptr<Parsed> parseText(std::string text, std::string name = "test.mod") {
  auto parsed = std::make_unique<Parsed>();
  parsed->file = std::make_unique<SourceFile>(std::move(name), std::move(text));
  parsed->program = frontend::parse(*parsed->file, parsed->diagnostics);
  return parsed;
}

// The single top-level item of a program, cast to T.
template <class T> const T &onlyItem(const Parsed &parsed) {
  EXPECT_EQ(parsed.program->items.size(), 1u);
  return ast::cast<T>(*parsed.program->items.at(0));
}

// The statements of `BREAKPOINT { <body> }`.
inline const std::vector<ast::StmtPtr> &statementsOf(const Parsed &parsed) {
  return onlyItem<ast::BodyBlock>(parsed).body->statements;
}

inline std::filesystem::path sourceDir() { return RANVIER_SOURCE_DIR; }

inline std::string readFile(const std::filesystem::path &path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline std::vector<std::filesystem::path> modFilesUnder(const std::filesystem::path &dir) {
  std::vector<std::filesystem::path> files;
  if (!std::filesystem::exists(dir)) return files;
  for (const auto &entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".mod") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace ranvier::test
