#pragma once
// The AST as JSON (mechc --dump-ast). With locations off, two trees that differ
// only in where their text stood give equal JSON: the round-trip tests use that.

#include <nlohmann/json.hpp>

#include "ast/ast.hpp"

namespace ranvier::ast {

struct JsonOptions {
  bool locations = true;
};

nlohmann::json toJson(const Program &program, const JsonOptions &options = {});
nlohmann::json toJson(const Node &node, const JsonOptions &options = {});

}  // namespace ranvier::ast
