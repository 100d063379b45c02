#include "frontend/keywords.hpp"

#include <algorithm>
#include <array>

#include "NMODLParser.h"

namespace ranvier::frontend {
namespace {

using P = grammar::NMODLParser;

// Every reserved word of NMODL that the grammar uses, as nocmodl reserves them
// (if/else/while also in upper case). Sorted by text for binary search.
constexpr auto kKeywords = [] {
  std::array table = std::to_array<Keyword>({
      {"AFTER", P::AFTER, true},
      {"ARTIFICIAL_CELL", P::ARTIFICIAL_CELL, false},
      {"ASSIGNED", P::ASSIGNED, true},
      {"BBCOREPOINTER", P::BBCOREPOINTER, false},
      {"BEFORE", P::BEFORE, true},
      {"BREAKPOINT", P::BREAKPOINT, true},
      {"BY", P::BY, false},
      {"CHARGE", P::CHARGE, false},
      {"COMPARTMENT", P::COMPARTMENT, false},
      {"CONDUCTANCE", P::CONDUCTANCE, false},
      {"CONSERVE", P::CONSERVE, false},
      {"CONSTANT", P::CONSTANT, true},
      {"CONSTRUCTOR", P::CONSTRUCTOR, true},
      {"DEFINE", P::DEFINE, true},
      {"DEL", P::DEL, false},
      {"DEPEND", P::DEPEND, false},
      {"DERIVATIVE", P::DERIVATIVE, true},
      {"DESTRUCTOR", P::DESTRUCTOR, true},
      {"DISCRETE", P::DISCRETE, true},
      {"ELECTRODE_CURRENT", P::ELECTRODE_CURRENT, false},
      {"ELSE", P::ELSE, false},
      {"else", P::ELSE, false},
      {"EXTERNAL", P::EXTERNAL, false},
      {"FORALL", P::FORALL, false},
      {"FOR_NETCONS", P::FOR_NETCONS, false},
      {"FROM", P::FROM, false},
      {"FUNCTION", P::FUNCTION, true},
      {"FUNCTION_TABLE", P::FUNCTION_TABLE, true},
      {"GETQ", P::GETQ, false},
      {"GLOBAL", P::GLOBAL, false},
      {"IF", P::IF, false},
      {"if", P::IF, false},
      {"IFERROR", P::IFERROR, false},
      {"INCLUDE", P::INCLUDE, true},
      {"INDEPENDENT", P::INDEPENDENT, true},
      {"INITIAL", P::INITIAL, true},
      {"KINETIC", P::KINETIC, true},
      {"LAG", P::LAG, false},
      {"LINEAR", P::LINEAR, true},
      {"LOCAL", P::LOCAL, false},
      {"LONGITUDINAL_DIFFUSION", P::LONGITUDINAL_DIFFUSION, false},
      {"MATCH", P::MATCH, false},
      {"METHOD", P::METHOD, false},
      {"MODEL_LEVEL", P::MODEL_LEVEL, true},
      {"MUTEXLOCK", P::MUTEXLOCK, false},
      {"MUTEXUNLOCK", P::MUTEXUNLOCK, false},
      {"NET_RECEIVE", P::NET_RECEIVE, true},
      {"NEURON", P::NEURON, true},
      {"NONLINEAR", P::NONLINEAR, true},
      {"NONSPECIFIC_CURRENT", P::NONSPECIFIC_CURRENT, false},
      {"PARAMETER", P::PARAMETER, true},
      {"PARTIAL", P::PARTIAL, true},
      {"PLOT", P::PLOT, true},
      {"POINTER", P::POINTER, false},
      {"POINT_PROCESS", P::POINT_PROCESS, false},
      {"PROCEDURE", P::PROCEDURE, true},
      {"PROTECT", P::PROTECT, false},
      {"PUTQ", P::PUTQ, false},
      {"RANGE", P::RANGE, false},
      {"READ", P::READ, false},
      {"RESET", P::RESET, false},
      {"SENS", P::SENS, false},
      {"SOLVE", P::SOLVE, false},
      {"SOLVEFOR", P::SOLVEFOR, false},
      {"START", P::START, false},
      {"STATE", P::STATE, true},
      {"STEADYSTATE", P::STEADYSTATE, false},
      {"STEP", P::STEP, false},
      {"STEPPED", P::STEPPED, true},
      {"SUFFIX", P::SUFFIX, false},
      {"SWEEP", P::SWEEP, false},
      {"TABLE", P::TABLE, false},
      {"TERMINAL", P::TERMINAL, true},
      {"THREADSAFE", P::THREADSAFE, false},
      {"TO", P::TO, false},
      {"UNITS", P::UNITS, true},
      {"UNITSOFF", P::UNITSOFF, false},
      {"UNITSON", P::UNITSON, false},
      {"USEION", P::USEION, false},
      {"VALENCE", P::VALENCE, false},
      {"VS", P::VS, false},
      {"WATCH", P::WATCH, false},
      {"WHILE", P::WHILE, false},
      {"while", P::WHILE, false},
      {"WITH", P::WITH, false},
      {"WRITE", P::WRITE, false},
  });
  std::sort(table.begin(), table.end(),
            [](const Keyword &a, const Keyword &b) { return a.text < b.text; });
  return table;
}();

}  // namespace

std::span<const Keyword> keywords() { return kKeywords; }

std::size_t keywordTokenType(std::string_view word) {
  auto it = std::lower_bound(kKeywords.begin(), kKeywords.end(), word,
                             [](const Keyword &k, std::string_view w) { return k.text < w; });
  return it != kKeywords.end() && it->text == word ? it->tokenType : 0;
}

std::string_view keywordSpelling(std::size_t tokenType) {
  std::string_view spelling;
  for (const Keyword &k : kKeywords) {
    // Prefer the lower-case spelling of if/else/while, the one people write.
    if (k.tokenType == tokenType && (spelling.empty() || k.text[0] >= 'a')) spelling = k.text;
  }
  return spelling;
}

bool startsTopLevelBlock(std::string_view word) {
  auto type = keywordTokenType(word);
  return std::any_of(kKeywords.begin(), kKeywords.end(),
                     [&](const Keyword &k) { return k.tokenType == type && k.text == word && k.startsTopLevelBlock; });
}

}  // namespace ranvier::frontend
