#pragma once
// The text of a [[netcon]] source or target: "exc", "exc[3]", "exc[0:10]", "exc[*]",
// "exc.syn", "exc[2:4].syn", or a point process by its name.
#include <string>
#include <utility>

#include "model/model_error.hpp"

namespace ranvier::model {

// "name[range].rest" -> name, range, rest.
struct SelectionParts {
  std::string name, range, rest;
  bool bracketed = false;
};

// Throws ModelError at `at` for a ']' missing or text after it that is not ".rest".
SelectionParts splitSelection(const std::string &text, const SourceLocation &at);

// "3", "0:10", ":5", "*" or "" over `count` elements: [first, end). Throws ModelError at
// `at` (naming `owner`) when it selects nothing or is not made of whole numbers.
std::pair<int, int> parseRange(const std::string &text, int count, const SourceLocation &at, const std::string &owner);

}  // namespace ranvier::model
