#pragma once
// The state of a group of cells that one thread advances together: the nodes of all
// its cells in Hines order (one contiguous tree system), the ions at every node, and
// per mechanism type the instances sorted by node. Built once by GroupBuilder; after
// that nothing is allocated while simulating.
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "mechanism/function_table.hpp"
#include "mechanism/instances.hpp"
#include "ranvier/mechanism_abi.h"
#include "sim/ions.hpp"

namespace ranvier::sim {

using runtime::AlignedArray;
using runtime::MechanismInstances;

struct Nodes {
  std::int32_t count = 0;
  AlignedArray v, rhs, d, area, diam;
  AlignedArray a, b;    // tree coupling (see cell/discretisation.hpp)
  AlignedArray cm;      // uF/cm2; 0 where there is no membrane
  AlignedArray ab;      // a*b, constant: the elimination's update of the parent's diagonal
  AlignedArray inverseD;  // 1/d after elimination (scratch for the back substitution)
  AlignedArray bOverD;    // b/d after elimination (scratch for the back substitution)
  std::vector<std::int32_t> parent;  // -1 for roots; parent < node otherwise
  // Nodes are ordered by depth, all cells' roots first, then their children, and so on
  // (each cell's own order kept among nodes of one depth): the elimination then meets
  // nodes of different cells one after the other, independent work instead of one
  // chain. position[k] is where the builder's node k went. A depth of 8 nodes or more
  // is padded to a multiple of 8 with idle nodes (roots, or children of idle nodes; cm
  // 1, nothing else), so that each depth starts on a cache line: `count` includes them.
  std::vector<std::int32_t> position;
};

struct Ion {
  IonSpecies species;
  std::array<AlignedArray, RV_ION_QUANTITIES> values;  // per node: e, ci, co, i, di/dv
  std::vector<std::int32_t> concentrationStates;  // nodes whose concentrations reset at init
  std::vector<std::int32_t> reversalAtInit;       // nodes whose e is Nernst's at init
  std::vector<std::int32_t> reversalEveryStep;    // nodes whose e follows Nernst every step
  std::vector<std::int32_t> used;                 // nodes where some mechanism uses the ion
  std::vector<std::pair<std::int32_t, std::int32_t>> usedRanges;  // the same as [begin, end) runs
};

class Simulation;

// What a kernel's callbacks need to find their way back.
struct CallbackContext {
  Simulation *simulation = nullptr;
  std::int32_t mechanism = 0;
};

struct MechanismSet {
  MechanismSet(const rv_mechanism &description, std::int32_t count) : instances(description, count) {}
  const rv_mechanism &description() const { return instances.mechanism(); }
  bool isArtificial() const { return description().kind == RV_ARTIFICIAL_CELL; }
  bool isPointProcess() const { return description().kind != RV_DENSITY; }

  MechanismInstances instances;
  std::vector<std::int32_t> nodeIndex;               // per instance
  std::vector<std::uint64_t> keys;                   // per instance: its name across cell groups (seeds its random stream)
  std::vector<std::vector<std::int32_t>> ionIndex;   // per mechanism ion, per instance
  std::vector<const std::int32_t *> ionIndexPointers;
  std::vector<double *> ionValuePointers;            // per mechanism ion, 5 arrays
  std::vector<std::int32_t> ionOfGroup;              // the group's Ion for each mechanism ion
  const rv_kernel *init = nullptr, *current = nullptr, *state = nullptr, *netReceive = nullptr,
                  *netInit = nullptr, *tableCheck = nullptr;
  // BEFORE/AFTER blocks by rv_step_point (BREAKPOINT, SOLVE, INITIAL, STEP)
  std::array<const rv_kernel *, 4> before{}, after{};
  std::vector<const rv_kernel *> watches;  // by WATCH number
  // by rv_mechanism.function_tables: the values the model gives (shared by every group)
  std::vector<std::shared_ptr<const runtime::FunctionTableData>> functionTables;
  CallbackContext context;
};

struct CellGroup {
  Nodes nodes;
  std::vector<Ion> ions;
  std::vector<std::unique_ptr<MechanismSet>> mechanisms;  // in the order NEURON runs them
  std::int32_t findIon(const std::string &name) const;
  std::int32_t findMechanism(const std::string &name) const;
};

}  // namespace ranvier::sim
