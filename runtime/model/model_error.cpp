#include "model/model_error.hpp"

#include <algorithm>
#include <vector>

namespace ranvier::model {

namespace {
std::string render(const SourceLocation &w, const std::string &message, const std::string &hint) {
  std::string out = w.file;
  if (w.line > 0) out += ":" + std::to_string(w.line) + ":" + std::to_string(std::max(w.column, 1));
  out += ": error: " + message;
  if (!hint.empty()) out += "\n  hint: " + hint;
  return out;
}

std::size_t editDistance(const std::string &a, const std::string &b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) == std::tolower(static_cast<unsigned char>(b[j - 1]));
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}
}  // namespace

ModelError::ModelError(SourceLocation where, const std::string &message, std::string hint)
    : std::runtime_error(render(where, message, hint)), where_(std::move(where)), message_(message), hint_(std::move(hint)) {}

std::string ModelError::formatted() const { return what(); }

std::string suggestion(const std::string &word, const std::vector<std::string> &candidates, const std::string &what) {
  if (candidates.empty()) return "there are no " + what;
  std::string best;
  std::size_t bestDistance = std::string::npos;
  for (const std::string &c : candidates) {
    const std::size_t d = editDistance(word, c);
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  if (bestDistance <= std::max<std::size_t>(2, word.size() / 3)) return "did you mean '" + best + "'?";
  for (const std::string &c : candidates) {  // "erev" for "e", "gnabar_hh" for "gnabar"
    if (!c.empty() && (word.rfind(c, 0) == 0 || c.rfind(word, 0) == 0)) return "did you mean '" + c + "'?";
  }
  std::string list;
  for (std::size_t i = 0; i < candidates.size() && i < 12; ++i) list += (i ? ", " : "") + candidates[i];
  if (candidates.size() > 12) list += ", ...";
  return what + " are: " + list;
}

}  // namespace ranvier::model
