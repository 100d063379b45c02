#include "model/selection.hpp"

#include <stdexcept>

namespace ranvier::model {

std::pair<int, int> parseRange(const std::string &text, int count, const SourceLocation &at, const std::string &owner) {
  if (text.empty() || text == "*") return {0, count};
  const std::string hint = "select cells as [i], [first:end] (end excluded) or [*]";
  auto toInt = [&](const std::string &s, int fallback) {
    if (s.empty()) return fallback;
    try {
      std::size_t used = 0;
      const int v = std::stoi(s, &used);
      if (used != s.size()) throw std::invalid_argument(s);
      return v;
    } catch (const std::exception &) {
      throw ModelError(at, "'" + s + "' is not a cell index", hint);
    }
  };
  const auto colon = text.find(':');
  int first = 0, end = 0;
  if (colon == std::string::npos) {
    first = toInt(text, 0);
    end = first + 1;
  } else {
    first = toInt(text.substr(0, colon), 0);
    end = toInt(text.substr(colon + 1), count);
  }
  if (first < 0 || end > count || first >= end) {
    throw ModelError(at, "[" + text + "] selects no cells of " + owner + ", which has " + std::to_string(count), "cells are numbered from 0");
  }
  return {first, end};
}

SelectionParts splitSelection(const std::string &text, const SourceLocation &at) {
  SelectionParts out;
  const auto bracket = text.find('[');
  const auto dot = text.find('.');
  if (bracket != std::string::npos && (dot == std::string::npos || bracket < dot)) {
    const auto close = text.find(']', bracket);
    if (close == std::string::npos) throw ModelError(at, "missing ']' in '" + text + "'");
    out.name = text.substr(0, bracket);
    out.range = text.substr(bracket + 1, close - bracket - 1);
    out.bracketed = true;
    if (close + 1 < text.size()) {
      if (text[close + 1] != '.') throw ModelError(at, "unexpected '" + text.substr(close + 1) + "' in '" + text + "'");
      out.rest = text.substr(close + 2);
    }
  } else if (dot != std::string::npos) {
    out.name = text.substr(0, dot);
    out.rest = text.substr(dot + 1);
  } else {
    out.name = text;
  }
  return out;
}

}  // namespace ranvier::model
