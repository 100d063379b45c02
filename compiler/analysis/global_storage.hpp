#pragma once
// Where each GLOBAL lives once a mechanism runs on threads and SIMD lanes.
//
// A GLOBAL the mechanism never writes is one shared value. A written GLOBAL is
// per-thread storage under THREADSAFE (NEURON's rule), unless we can prove that
// every kernel call writes it before reading it: then it is only a temporary, and
// becomes a per-instance value, so that SIMD lanes computing different instances
// never share it. hh's minf, mtau, ... are such temporaries: rates(v) sets them
// before every use.

#include <string>
#include <vector>

#include "sema/analyze.hpp"

namespace ranvier::analysis {

enum class GlobalStorage {
  Shared,       // read-only: one value for all instances and threads
  PerThread,    // written, and read before written in some kernel call
  PerInstance,  // written before read in every kernel call: a temporary
};
const char *to_string(GlobalStorage storage);

struct GlobalPlacement {
  std::string name;
  GlobalStorage storage = GlobalStorage::Shared;
  std::string reason;
  SourceRange readBeforeWrite;  // for PerThread: a read that may see an older value
};

// Kernel calls: INITIAL, BREAKPOINT, each SOLVEd block, NET_RECEIVE, BEFORE/AFTER,
// CONSTRUCTOR and DESTRUCTOR bodies, with PROCEDURE and FUNCTION calls followed.
std::vector<GlobalPlacement> placeGlobals(const sema::Mechanism &mechanism);

}  // namespace ranvier::analysis
