#include "frontend/includes.hpp"

#include <algorithm>
#include <cstdlib>
#include <string>
#include <string_view>
#include <system_error>

#include <fmt/format.h>

namespace ranvier::frontend {
namespace fs = std::filesystem;

IncludeOptions IncludeOptions::fromEnvironment() {
  IncludeOptions options;
  const char *variable = std::getenv("MODL_INCLUDE");
  if (variable == nullptr) return options;
  std::string_view rest = variable;
  while (!rest.empty()) {
    const std::size_t colon = rest.find(':');
    const std::string_view entry = rest.substr(0, colon);
    if (!entry.empty()) options.directories.emplace_back(entry);
    rest = colon == std::string_view::npos ? std::string_view{} : rest.substr(colon + 1);
  }
  return options;
}

namespace {

// The places an INCLUDE's name may refer to, in the order they are tried.
std::vector<fs::path> candidates(const std::string &name, const SourceFile &includer, const IncludeOptions &options) {
  const fs::path written(name);
  if (written.is_absolute()) return {written};
  std::vector<fs::path> places;
  auto add = [&](const fs::path &place) {
    const fs::path normal = place.lexically_normal();
    if (std::find(places.begin(), places.end(), normal) == places.end()) places.push_back(normal);
  };
  add(fs::path(includer.name()).parent_path() / written);
  add(written);
  for (const fs::path &directory : options.directories) add(directory / written);
  return places;
}

bool isFile(const fs::path &path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

class Resolver {
public:
  Resolver(ast::Program &program, DiagnosticEngine &diagnostics, const IncludeOptions &options)
      : program_(program), diagnostics_(diagnostics), options_(options) {}

  void run() {
    chain_.push_back(identity(fs::path(program_.file->name())));
    program_.items = expand(std::move(program_.items), *program_.file);
  }

private:
  ast::Program &program_;
  DiagnosticEngine &diagnostics_;
  const IncludeOptions &options_;
  std::vector<fs::path> chain_;      // the files being expanded, outermost first
  std::vector<SourceRange> sites_;  // the INCLUDEs that led to the file being expanded

  // An error in the file being expanded, with where that file was included from.
  Diagnostic &error(SourceRange where, std::string message) {
    return withSites(diagnostics_.error(where, std::move(message)));
  }
  Diagnostic &withSites(Diagnostic &d) {
    for (auto site = sites_.rbegin(); site != sites_.rend(); ++site) d.withNote(*site, "in the file included here");
    return d;
  }

  static fs::path identity(const fs::path &path) {
    std::error_code ec;
    fs::path canonical = fs::weakly_canonical(path, ec);
    return ec ? path.lexically_normal() : canonical;
  }

  std::vector<ast::NodePtr> expand(std::vector<ast::NodePtr> items, const SourceFile &includer) {
    std::vector<ast::NodePtr> out;
    out.reserve(items.size());
    for (ast::NodePtr &item : items) {
      const auto *include = ast::dyn_cast<ast::IncludeItem>(item.get());
      if (include == nullptr) {
        out.push_back(std::move(item));
        continue;
      }
      for (ast::NodePtr &included : read(*include, includer)) out.push_back(std::move(included));
    }
    return out;
  }

  // The items of the file one INCLUDE names, themselves expanded; none on errors.
  std::vector<ast::NodePtr> read(const ast::IncludeItem &include, const SourceFile &includer) {
    if (include.path.empty()) return {};  // the parser has reported it
    const std::vector<fs::path> places = candidates(include.path, includer, options_);
    fs::path found;
    for (const fs::path &place : places) {
      if (isFile(place)) {
        found = place;
        break;
      }
    }
    if (found.empty()) {
      std::string tried;
      for (const fs::path &place : places) tried += fmt::format("{}{}", tried.empty() ? "" : ", ", place.string());
      error(include.range, fmt::format("cannot find the included file \"{}\"", include.path))
          .withHint(fmt::format("looked for {}; MODL_INCLUDE (colon-separated directories) adds places to look", tried));
      return {};
    }
    const fs::path id = identity(found);
    for (std::size_t i = 0; i < chain_.size(); ++i) {
      if (chain_[i] != id) continue;
      std::string cycle;
      for (std::size_t j = i; j < chain_.size(); ++j) cycle += chain_[j].filename().string() + " -> ";
      error(include.range, fmt::format("INCLUDE cycle: {}{}", cycle, id.filename().string()))
          .withHint("a file cannot include itself, directly or through others");
      return {};
    }
    if (chain_.size() > options_.maxDepth) {
      error(include.range, fmt::format("INCLUDE nested more than {} files deep", options_.maxDepth));
      return {};
    }

    SourceFile::LoadResult loaded = SourceFile::load(found);
    if (!loaded.file) {
      error(include.range, fmt::format("cannot read the included file {}: {}", found.string(), loaded.error));
      return {};
    }
    const SourceFile &file = *loaded.file;
    program_.included.push_back(std::move(loaded.file));
    if (auto binary = detectBinary(file.text())) {
      error(include.range, fmt::format("the included file {} is not NMODL text: it {} (byte offset {})", found.string(),
                                       binary->reason, binary->offset));
      return {};
    }

    DiagnosticEngine own(0);
    std::unique_ptr<ast::Program> parsed = parse(file, own, options_.parse);
    for (const Diagnostic &d : own.diagnostics()) {
      Diagnostic &copy = diagnostics_.report(d.severity, d.range, d.message);
      copy = d;
      withSites(copy.withNote(include.range, "in the file included here"));
    }
    if (parsed == nullptr) return {};
    chain_.push_back(id);
    sites_.push_back(include.range);
    std::vector<ast::NodePtr> items = expand(std::move(parsed->items), file);
    sites_.pop_back();
    chain_.pop_back();
    return items;
  }
};

}  // namespace

void resolveIncludes(ast::Program &program, DiagnosticEngine &diagnostics, const IncludeOptions &options) {
  if (program.file == nullptr) return;
  Resolver(program, diagnostics, options).run();
}

}  // namespace ranvier::frontend
