#include "support/text_edit.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace ranvier {

std::string applyEdits(std::string_view text, std::vector<TextEdit> edits) {
  std::sort(edits.begin(), edits.end(), [](const TextEdit &a, const TextEdit &b) { return a.offset < b.offset; });
  std::string out;
  out.reserve(text.size());
  std::size_t at = 0;
  for (const TextEdit &e : edits) {
    const std::size_t offset = std::clamp<std::size_t>(e.offset, at, text.size());
    out.append(text.substr(at, offset - at));
    out += e.replacement;
    at = std::min(text.size(), offset + e.length);
  }
  out.append(text.substr(at));
  return out;
}

namespace {

// Lines with their terminators, so that line endings are compared and kept.
std::vector<std::string_view> splitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') {
      lines.push_back(text.substr(start, i + 1 - start));
      start = i + 1;
    }
  }
  if (start < text.size()) lines.push_back(text.substr(start));
  return lines;
}

enum class Op { Keep, Remove, Add };

// Myers' O(ND) shortest edit script between two line sequences.
std::vector<Op> editScript(const std::vector<std::string_view> &a, const std::vector<std::string_view> &b) {
  const int n = static_cast<int>(a.size());
  const int m = static_cast<int>(b.size());
  const int max = n + m;
  std::vector<int> v(2 * static_cast<std::size_t>(max) + 2, 0);
  std::vector<std::vector<int>> trace;
  for (int d = 0; d <= max; ++d) {
    trace.push_back(v);
    for (int k = -d; k <= d; k += 2) {
      const std::size_t ki = static_cast<std::size_t>(k + max);
      int x = (k == -d || (k != d && v[ki - 1] < v[ki + 1])) ? v[ki + 1] : v[ki - 1] + 1;
      int y = x - k;
      while (x < n && y < m && a[static_cast<std::size_t>(x)] == b[static_cast<std::size_t>(y)]) ++x, ++y;
      v[ki] = x;
      if (x >= n && y >= m) {
        // Walk back through the trace to recover the script.
        std::vector<Op> ops;
        int cx = n, cy = m;
        for (int dd = d; dd > 0; --dd) {
          const std::vector<int> &pv = trace[static_cast<std::size_t>(dd)];
          const int ck = cx - cy;
          const std::size_t cki = static_cast<std::size_t>(ck + max);
          const bool down = ck == -dd || (ck != dd && pv[cki - 1] < pv[cki + 1]);
          const int pk = down ? ck + 1 : ck - 1;
          const int px = pv[static_cast<std::size_t>(pk + max)];
          const int py = px - pk;
          while (cx > px + (down ? 0 : 1) && cy > py + (down ? 1 : 0)) ops.push_back(Op::Keep), --cx, --cy;
          ops.push_back(down ? Op::Add : Op::Remove);
          cx = px, cy = py;
        }
        while (cx > 0 && cy > 0) ops.push_back(Op::Keep), --cx, --cy;
        std::reverse(ops.begin(), ops.end());
        return ops;
      }
    }
  }
  return {};
}

void appendLine(std::string &out, char mark, std::string_view line) {
  out += mark;
  out.append(line);
  if (line.empty() || line.back() != '\n') out += "\n\\ No newline at end of file\n";
}

}  // namespace

std::string unifiedDiff(std::string_view before, std::string_view after, std::string_view beforeName,
                        std::string_view afterName) {
  if (before == after) return {};
  const auto a = splitLines(before);
  const auto b = splitLines(after);
  const std::vector<Op> ops = editScript(a, b);
  constexpr std::size_t kContext = 3;

  std::string out = fmt::format("--- {}\n+++ {}\n", beforeName, afterName);
  std::size_t i = 0;  // index into ops
  std::size_t ai = 0, bi = 0;
  while (i < ops.size()) {
    if (ops[i] == Op::Keep) {
      ++i, ++ai, ++bi;
      continue;
    }
    // A hunk: back up for context, then run until more than 2*kContext unchanged
    // lines separate it from the next change (diff -u merges closer ones).
    const std::size_t back = std::min({kContext, ai, bi});
    std::size_t hunkA = ai - back, hunkB = bi - back;
    std::size_t j = i;
    std::size_t endA = ai, endB = bi;
    std::size_t keepRun = 0;
    while (j < ops.size() && keepRun <= 2 * kContext) {
      if (ops[j] == Op::Keep) {
        ++keepRun, ++endA, ++endB;
      } else {
        keepRun = 0;
        if (ops[j] == Op::Remove) ++endA;
        else ++endB;
      }
      ++j;
    }
    const std::size_t trailing = std::min(keepRun, kContext);
    const std::size_t dropped = keepRun - trailing;
    endA -= dropped, endB -= dropped, j -= dropped;
    out += fmt::format("@@ -{},{} +{},{} @@\n", endA - hunkA == 0 ? hunkA : hunkA + 1, endA - hunkA,
                       endB - hunkB == 0 ? hunkB : hunkB + 1, endB - hunkB);
    for (std::size_t k = 0; k < back; ++k) appendLine(out, ' ', a[hunkA + k]);
    std::size_t x = ai, y = bi;
    for (std::size_t k = i; k < j; ++k) {
      if (ops[k] == Op::Keep) appendLine(out, ' ', a[x++]), ++y;
      else if (ops[k] == Op::Remove) appendLine(out, '-', a[x++]);
      else appendLine(out, '+', b[y++]);
    }
    ai = x, bi = y, i = j;
  }
  return out;
}

}  // namespace ranvier
