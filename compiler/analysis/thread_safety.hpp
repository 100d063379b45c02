#pragma once
// Thread-safety analysis: what makes a mechanism unsafe to run on several threads,
// where, and whether adding THREADSAFE fixes it. The rules follow NEURON 8.2.2's
// nocmodl (tests/golden/nocmodl-threadsafe/README.md records them), with a verdict
// of our own: safe, fixable (THREADSAFE makes it safe) or unsafe (needs a human).

#include <string>
#include <vector>

#include "sema/analyze.hpp"

namespace ranvier::analysis {

enum class FindingKind {
  GlobalAssigned,      // a GLOBAL written by the mechanism
  Verbatim,            // VERBATIM block (arbitrary C)
  Pointer,             // POINTER / BBCOREPOINTER
  External,            // EXTERNAL
  Euler,               // SOLVE ... METHOD euler
  SolveMethod,         // a DERIVATIVE solved in BREAKPOINT with runge, adrunge, ...
  KineticMethod,       // a KINETIC solved in BREAKPOINT with a method other than sparse
  LinearBlock,         // SOLVE of a LINEAR, NONLINEAR, DISCRETE or PARTIAL block
  UnsafeFunction,      // exprand, normrand, ... (shared random state)
  StateDiscontinuity,  // state_discontinuity outside NET_RECEIVE
  TableOfGlobal,       // a TABLE that DEPENDs on a GLOBAL the mechanism writes
};
// The stable name used in reports: global-assigned, verbatim, pointer, ...
const char *id(FindingKind kind);

struct Finding {
  FindingKind kind;
  SourceRange where;
  std::string subject;                // the variable, function or block concerned
  std::string message;
  std::vector<SourceRange> related;   // e.g. the other writes and the reads of a GLOBAL
  bool fixedByThreadsafe = false;     // THREADSAFE makes this safe
  bool nocmodlNotice = false;         // nocmodl 8.2.2 prints a notice for it
  // A POINTER after THREADSAFE: its author has examined it and says it is safe, the
  // answer NEURON's mkthreadsafe asks for; nocmodl then prints "Thread Safe". It stays
  // a finding, but no longer makes the mechanism unsafe.
  bool vouchedByThreadsafe = false;
};

enum class Verdict { Safe, Fixable, Unsafe };
const char *to_string(Verdict verdict);

struct ThreadSafety {
  std::vector<Finding> findings;
  Verdict verdict = Verdict::Safe;
};

ThreadSafety analyzeThreadSafety(const sema::Mechanism &mechanism);

}  // namespace ranvier::analysis
