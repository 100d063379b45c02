#pragma once
// Helpers for middle-end tests: NMODL text or a file -> checked mechanism -> kernels,
// and a reference interpreter over them.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "interp/interpreter.hpp"
#include "ir/printer.hpp"
#include "sema/analyze.hpp"
#include "test_support.hpp"
#include "transform/lower.hpp"

namespace ranvier::test {

struct Lowered {
  std::unique_ptr<Parsed> parsed;
  std::unique_ptr<sema::Mechanism> sema;
  std::optional<ir::Mechanism> mechanism;

  bool ok() const { return mechanism.has_value() && !parsed->diagnostics.hasErrors(); }
  std::string messages() const { return parsed->allMessages(); }
  const ir::Mechanism &get() const { return *mechanism; }
};

inline std::unique_ptr<Lowered> lowerText(std::string text, std::string name = "test.mod") {
  auto out = std::make_unique<Lowered>();
  out->parsed = parseText(std::move(text), std::move(name));
  if (out->parsed->program == nullptr || out->parsed->diagnostics.hasErrors()) return out;
  out->sema = sema::analyze(*out->parsed->program, out->parsed->diagnostics);
  if (out->parsed->diagnostics.hasErrors()) return out;
  out->mechanism = transform::lower(*out->sema, out->parsed->diagnostics);
  return out;
}

inline std::unique_ptr<Lowered> lowerFile(const std::filesystem::path &path) {
  return lowerText(readFile(path), path.string());
}

// A density mechanism with one STATE x and the given DERIVATIVE body and METHOD.
inline std::string odeMechanism(const std::string &method, const std::string &equations,
                                 const std::string &parameters = "", const std::string &init = "x = 1") {
  return "NEURON { SUFFIX ode RANGE k }\n"
         "PARAMETER { k = 0.5 " + parameters + " }\n"
         "STATE { x }\n"
         "INITIAL { " + init + " }\n"
         "BREAKPOINT { SOLVE d METHOD " + method + " }\n"
         "DERIVATIVE d { " + equations + " }\n";
}

}  // namespace ranvier::test
