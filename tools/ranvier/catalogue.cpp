#include "catalogue.hpp"

#include <fstream>
#include <regex>
#include <sstream>

#include "builtin_mechanisms.hpp"
#include "support/diagnostics.hpp"

namespace ranvier::tool {

std::string declaredName(std::string_view text) {
  // Skip COMMENT blocks and ':' comments (to the end of the line, which old files end
  // with a lone CR), then take the last declaration, as nocmodl does.
  static const std::regex comments(R"(COMMENT[\s\S]*?ENDCOMMENT|:[^\n\r]*|\?[^\n\r]*)");
  static const std::regex declaration(R"(\b(SUFFIX|POINT_PROCESS|ARTIFICIAL_CELL)\s+([A-Za-z_][A-Za-z0-9_]*))");
  const std::string stripped = std::regex_replace(std::string(text), comments, " ");
  std::string name;
  for (auto it = std::sregex_iterator(stripped.begin(), stripped.end(), declaration); it != std::sregex_iterator(); ++it) name = (*it)[2].str();
  return name;
}

codegen::KernelMath kernelMath(model::Kernels kernels) {
  return kernels == model::Kernels::Fast ? codegen::KernelMath::Fast : codegen::KernelMath::Exact;
}

model::Kernels kernelsNamed(const std::string &name) { return name == "fast" ? model::Kernels::Fast : model::Kernels::Exact; }

JitCatalogue::JitCatalogue(const std::vector<std::filesystem::path> &searchPaths, jit::JitOptions options) : jit_(std::move(options)) {
  for (const BuiltinMechanism &b : builtinMechanisms()) add("<library>/" + std::string(b.file), std::string(b.text));
  for (const auto &dir : searchPaths) {
    std::vector<std::filesystem::path> files;
    for (const auto &entry : std::filesystem::directory_iterator(dir)) {
      if (entry.path().extension() == ".mod") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto &file : files) {
      std::ifstream in(file);
      std::ostringstream text;
      text << in.rdbuf();
      add(file.string(), text.str());
    }
  }
}

void JitCatalogue::add(const std::string &file, std::string text) {
  const std::string name = declaredName(text);
  if (name.empty()) {
    warnings.push_back(file + ": declares no SUFFIX, POINT_PROCESS or ARTIFICIAL_CELL; ignored");
    return;
  }
  auto [it, added] = entries_.try_emplace(name);
  if (!added) warnings.push_back(file + ": defines " + name + ", which " + it->second.file + " defines too; using " + file);
  it->second = Entry{file, std::move(text)};
}

const rv_mechanism *JitCatalogue::find(const std::string &name) {
  const auto it = entries_.find(name);
  if (it == entries_.end()) return nullptr;
  Entry &e = it->second;
  if (e.compiled != nullptr) return e.compiled;
  if (e.failed) return nullptr;
  sources_.push_back(std::make_unique<SourceFile>(e.file, e.text));
  DiagnosticEngine diagnostics;
  e.compiled = jit_.loadSource(*sources_.back(), diagnostics);
  if (e.compiled == nullptr) {
    e.failed = true;
    std::string text;
    for (const Diagnostic &d : diagnostics.diagnostics()) text += render(d) + "\n";
    throw model::ModelError({e.file, 0, 0}, "mechanism " + name + " does not compile:\n" + text, "fix the .mod file (mechc " + e.file + " shows the same)");
  }
  if (name != e.compiled->name) warnings.push_back(e.file + ": compiled as " + e.compiled->name + ", looked up as " + name);
  return e.compiled;
}

std::vector<std::string> JitCatalogue::names() {
  std::vector<std::string> out;
  for (const auto &[name, _] : entries_) out.push_back(name);
  return out;
}

}  // namespace ranvier::tool
