#pragma once
// A mistake in a model file, with where it is and what to do about it.
#include <stdexcept>
#include <string>
#include <vector>

namespace ranvier::model {

struct SourceLocation {
  std::string file;
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;
};

class ModelError : public std::runtime_error {
public:
  ModelError(SourceLocation where, const std::string &message, std::string hint = {});
  const SourceLocation &where() const { return where_; }
  const std::string &message() const { return message_; }
  const std::string &hint() const { return hint_; }
  // "file:line:col: error: message" and, when there is one, "  hint: ..." below.
  std::string formatted() const;

private:
  SourceLocation where_;
  std::string message_, hint_;
};

// "did you mean 'x'?" for the closest of `candidates` (edit distance), or a list of them.
std::string suggestion(const std::string &word, const std::vector<std::string> &candidates, const std::string &what);

}  // namespace ranvier::model
