#include "sim/group_builder.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

namespace ranvier::sim {

std::int32_t CellGroup::findIon(const std::string &name) const {
  for (std::size_t i = 0; i < ions.size(); ++i) {
    if (ions[i].species.name == name) return static_cast<std::int32_t>(i);
  }
  return -1;
}

std::int32_t CellGroup::findMechanism(const std::string &name) const {
  for (std::size_t i = 0; i < mechanisms.size(); ++i) {
    if (name == mechanisms[i]->description().name) return static_cast<std::int32_t>(i);
  }
  return -1;
}

// NEURON 8.2.2's type order (tests/golden/runtime/mechanism_order.csv): pas, then the
// ions, then every mechanism that writes a concentration, then the other built-ins;
// user mechanisms after them.
std::vector<std::string> GroupBuilder::neuronMechanismOrder() {
  return {"pas", "", "IClamp", "AlphaSynapse", "ExpSyn", "Exp2Syn", "SEClamp", "VClamp", "hh", "NetStim", "IntFire1"};
}

GroupBuilder::GroupBuilder(std::vector<std::string> order) : order_(std::move(order)) {}

void GroupBuilder::appendNode(const cell::Discretisation &cell, std::size_t i, std::int32_t parent) {
  parent_.push_back(parent);
  area_.push_back(cell.area[i]);
  a_.push_back(cell.a[i]);
  b_.push_back(cell.b[i]);
  cm_.push_back(cell.cm[i]);
  diam_.push_back(cell.diam[i]);
}

std::int32_t GroupBuilder::addCell(const cell::Discretisation &cell) {
  const auto offset = nodeCount();
  for (std::size_t i = 0; i < cell.size(); ++i) appendNode(cell, i, cell.parent[i] < 0 ? -1 : cell.parent[i] + offset);
  return offset;
}

std::int32_t GroupBuilder::addPiece(const cell::Discretisation &cell, const std::vector<std::int32_t> &nodes) {
  const auto offset = nodeCount();
  for (std::size_t k = 0; k < nodes.size(); ++k) {
    const auto i = static_cast<std::size_t>(nodes[k]);
    const std::int32_t p = cell.parent[i];
    const auto at = p < 0 ? nodes.begin() + static_cast<std::ptrdiff_t>(k) : std::lower_bound(nodes.begin(), nodes.begin() + static_cast<std::ptrdiff_t>(k), p);
    const bool inside = at != nodes.begin() + static_cast<std::ptrdiff_t>(k) && *at == p;
    appendNode(cell, i, inside ? offset + static_cast<std::int32_t>(at - nodes.begin()) : -1);
  }
  return offset;
}

std::int32_t GroupBuilder::place(const rv_mechanism &mechanism, std::int32_t node, std::int64_t key) {
  if (mechanism.kind == RV_ARTIFICIAL_CELL) {
    node = -1;
  } else if (node < 0 || node >= nodeCount()) {
    throw std::out_of_range(std::string("no node for an instance of ") + mechanism.name);
  }
  auto type = std::find_if(types_.begin(), types_.end(), [&](const Type &t) { return t.mechanism == &mechanism; });
  if (type == types_.end()) type = types_.insert(types_.end(), Type{&mechanism, {}});
  if (mechanism.kind == RV_DENSITY) {
    const auto where = (static_cast<std::uint64_t>(type - types_.begin()) << 32) | static_cast<std::uint32_t>(node);
    auto [it, added] = densityAt_.try_emplace(where, placements_);
    if (!added) return it->second;
  }
  type->placements.push_back({node, placements_, static_cast<std::uint64_t>(key >= 0 ? key : placements_)});
  return placements_++;
}

namespace {

constexpr std::size_t kNodeBlock = 8;  // doubles in a cache line (and in an AVX-512 vector)

bool writesConcentration(const rv_mechanism &m) {
  for (std::int32_t k = 0; k < m.ion_count; ++k) {
    if (m.ions[k].uses & (RV_WRITES_INSIDE | RV_WRITES_OUTSIDE)) return true;
  }
  return false;
}

// The empty name in `order` stands for the mechanisms that write a concentration.
std::int32_t rank(const std::vector<std::string> &order, const rv_mechanism &m) {
  auto it = std::find(order.begin(), order.end(), m.name);
  if (it == order.end() && writesConcentration(m)) it = std::find(order.begin(), order.end(), "");
  return it == order.end() ? static_cast<std::int32_t>(order.size()) : static_cast<std::int32_t>(it - order.begin());
}

}  // namespace

CellGroup GroupBuilder::build(std::vector<InstanceRef> &refs) const {
  CellGroup g;
  const auto n = static_cast<std::size_t>(nodeCount());
  // Depth order (see Nodes::position). A stable sort keeps siblings in their order, so
  // every node's sums are formed in the same order as without it: same results, bit for bit.
  std::vector<std::int32_t> depth(n, 0), order(n);
  for (std::size_t i = 0; i < n; ++i) depth[i] = parent_[i] < 0 ? 0 : depth[static_cast<std::size_t>(parent_[i])] + 1;
  for (std::size_t i = 0; i < n; ++i) order[i] = static_cast<std::int32_t>(i);
  std::stable_sort(order.begin(), order.end(), [&](std::int32_t x, std::int32_t y) { return depth[static_cast<std::size_t>(x)] < depth[static_cast<std::size_t>(y)]; });
  // A depth with a vector block's worth of nodes or more (kNodeBlock) fills whole blocks,
  // idle nodes making up the rest, so that the next depth starts on a cache line too:
  // kernels then read and write the nodes of 8 consecutive instances with aligned vector
  // loads (209 single-compartment cells, whose segments started 8 bytes after a line, ran
  // a sweep 7-12 % slower than 208). Smaller depths (one cable's) are left as they are:
  // padding them would turn a chain into vector runs of one real node. An idle node is a
  // root, or the child of the idle node of the same slot one depth up: no idle node
  // touches a real one, and its capacitance keeps its system regular (v stays put).
  const std::size_t depths = n == 0 ? 0 : static_cast<std::size_t>(*std::max_element(depth.begin(), depth.end())) + 1;
  std::vector<std::size_t> levelCount(depths, 0), levelStart(depths + 1, 0);
  for (std::size_t i = 0; i < n; ++i) ++levelCount[static_cast<std::size_t>(depth[i])];
  auto padded = [](std::size_t count) { return count < kNodeBlock ? count : (count + kNodeBlock - 1) / kNodeBlock * kNodeBlock; };
  for (std::size_t l = 0; l < depths; ++l) levelStart[l + 1] = levelStart[l] + padded(levelCount[l]);
  const std::size_t total = levelStart[depths];
  Nodes &nodes = g.nodes;
  nodes.position.assign(n, 0);
  {
    std::vector<std::size_t> filled(depths, 0);
    for (std::size_t k = 0; k < n; ++k) {
      const auto level = static_cast<std::size_t>(depth[static_cast<std::size_t>(order[k])]);
      nodes.position[static_cast<std::size_t>(order[k])] = static_cast<std::int32_t>(levelStart[level] + filled[level]++);
    }
  }
  std::vector<bool> idle(total, true);
  for (std::int32_t p : nodes.position) idle[static_cast<std::size_t>(p)] = false;
  auto permuted = [&](const std::vector<double> &values, double idleValue) {
    AlignedArray out(std::max<std::size_t>(total, 1), idleValue);
    for (std::size_t i = 0; i < n; ++i) out.data()[nodes.position[i]] = values[i];
    return out;
  };
  nodes.count = static_cast<std::int32_t>(total);
  nodes.parent.assign(total, -1);
  for (std::size_t i = 0; i < n; ++i) {
    const std::int32_t p = parent_[i];
    nodes.parent[static_cast<std::size_t>(nodes.position[i])] = p < 0 ? -1 : nodes.position[static_cast<std::size_t>(p)];
  }
  for (std::size_t l = 1; l < depths; ++l) {
    for (std::size_t k = levelStart[l] + levelCount[l]; k < levelStart[l + 1]; ++k) {
      const std::size_t above = k - levelStart[l] + levelStart[l - 1];
      if (above < levelStart[l] && idle[above]) nodes.parent[k] = static_cast<std::int32_t>(above);
    }
  }
  nodes.v = AlignedArray(std::max<std::size_t>(total, 1));
  nodes.rhs = AlignedArray(std::max<std::size_t>(total, 1));
  nodes.d = AlignedArray(std::max<std::size_t>(total, 1));
  nodes.area = permuted(area_, 0.0);
  nodes.diam = permuted(diam_, 0.0);
  nodes.a = permuted(a_, 0.0);
  nodes.b = permuted(b_, 0.0);
  nodes.cm = permuted(cm_, 1.0);
  nodes.ab = AlignedArray(std::max<std::size_t>(total, 1));
  nodes.inverseD = AlignedArray(std::max<std::size_t>(total, 1));
  nodes.bOverD = AlignedArray(std::max<std::size_t>(total, 1));
  for (std::size_t i = 0; i < total; ++i) nodes.ab.data()[i] = nodes.a.data()[i] * nodes.b.data()[i];
  auto at = [&](std::int32_t node) { return node < 0 ? node : nodes.position[static_cast<std::size_t>(node)]; };

  // Mechanism types in NEURON's order (stable: unknown ones in first-placement order).
  std::vector<const Type *> types;
  for (const Type &t : types_) types.push_back(&t);
  std::stable_sort(types.begin(), types.end(),
                   [&](const Type *x, const Type *y) { return rank(order_, *x->mechanism) < rank(order_, *y->mechanism); });

  // Ions: every ion any mechanism uses, with what each node's mechanisms do with it.
  std::map<std::string, std::int32_t> ionIndex;
  std::vector<std::vector<std::uint32_t>> uses;
  for (const Type *t : types) {
    for (std::int32_t k = 0; k < t->mechanism->ion_count; ++k) {
      const rv_ion &ion = t->mechanism->ions[k];
      auto [it, added] = ionIndex.try_emplace(ion.name, static_cast<std::int32_t>(g.ions.size()));
      if (added) {
        Ion created;
        created.species = ionSpecies(ion.name, ion.has_valence ? ion.valence : 1.0);
        g.ions.push_back(std::move(created));
        uses.emplace_back(total, 0u);
      }
      for (const Placement &p : t->placements) {
        if (p.node >= 0) uses[static_cast<std::size_t>(it->second)][static_cast<std::size_t>(at(p.node))] |= ion.uses;
      }
    }
  }
  for (std::size_t i = 0; i < g.ions.size(); ++i) {
    Ion &ion = g.ions[i];
    const double defaults[RV_ION_QUANTITIES] = {ion.species.reversal, ion.species.insideInitial, ion.species.outsideInitial, 0, 0};
    for (int q = 0; q < RV_ION_QUANTITIES; ++q) ion.values[static_cast<std::size_t>(q)] = AlignedArray(std::max<std::size_t>(total, 1), defaults[q]);
    for (std::size_t node = 0; node < total; ++node) {
      if (uses[i][node] == 0) continue;
      const auto id = static_cast<std::int32_t>(node);
      const IonStyle style = ionStyle(uses[i][node]);
      ion.used.push_back(id);
      if (!ion.usedRanges.empty() && ion.usedRanges.back().second == id) ++ion.usedRanges.back().second;
      else ion.usedRanges.emplace_back(id, id + 1);
      if (style.concentrationsAreStates) ion.concentrationStates.push_back(id);
      if (style.reversalAtInit) ion.reversalAtInit.push_back(id);
      if (style.reversalEveryStep) ion.reversalEveryStep.push_back(id);
    }
  }

  refs.assign(static_cast<std::size_t>(placements_), InstanceRef{});
  for (const Type *t : types) {
    std::vector<Placement> placed = t->placements;
    for (Placement &p : placed) p.node = at(p.node);
    std::stable_sort(placed.begin(), placed.end(), [](const Placement &x, const Placement &y) { return x.node < y.node; });
    auto set = std::make_unique<MechanismSet>(*t->mechanism, static_cast<std::int32_t>(placed.size()));
    const auto mechanism = static_cast<std::int32_t>(g.mechanisms.size());
    for (std::size_t i = 0; i < placed.size(); ++i) {
      set->nodeIndex.push_back(std::max(placed[i].node, 0));
      set->keys.push_back(placed[i].key);
      refs[static_cast<std::size_t>(placed[i].id)] = {mechanism, static_cast<std::int32_t>(i)};
    }
    rv_instances &view = set->instances.view();
    view.node_index = set->nodeIndex.data();
    view.node[RV_NODE_V] = nodes.v.data();
    view.node[RV_NODE_RHS] = nodes.rhs.data();
    view.node[RV_NODE_D] = nodes.d.data();
    view.node[RV_NODE_AREA] = nodes.area.data();
    view.node[RV_NODE_DIAM] = nodes.diam.data();
    for (std::int32_t k = 0; k < t->mechanism->ion_count; ++k) {
      const std::int32_t ion = ionIndex.at(t->mechanism->ions[k].name);
      set->ionOfGroup.push_back(ion);
      set->ionIndex.push_back(set->nodeIndex);  // ion values are per node
      for (int q = 0; q < RV_ION_QUANTITIES; ++q) {
        set->ionValuePointers.push_back(g.ions[static_cast<std::size_t>(ion)].values[static_cast<std::size_t>(q)].data());
      }
    }
    for (const auto &index : set->ionIndex) set->ionIndexPointers.push_back(index.data());
    view.ion_index = set->ionIndexPointers.data();
    view.ion_values = set->ionValuePointers.data();
    for (std::int32_t k = 0; k < t->mechanism->kernel_count; ++k) {
      const rv_kernel *kernel = &t->mechanism->kernels[k];
      switch (kernel->kind) {
      case RV_KERNEL_INIT: set->init = kernel; break;
      case RV_KERNEL_CURRENT: set->current = kernel; break;
      case RV_KERNEL_STATE: set->state = kernel; break;
      case RV_KERNEL_NET_RECEIVE: set->netReceive = kernel; break;
      case RV_KERNEL_NET_INIT: set->netInit = kernel; break;
      case RV_KERNEL_TABLE_CHECK: set->tableCheck = kernel; break;
      case RV_KERNEL_BEFORE:
      case RV_KERNEL_AFTER:
        if (kernel->index >= 0 && kernel->index < 4) (kernel->kind == RV_KERNEL_BEFORE ? set->before : set->after)[static_cast<std::size_t>(kernel->index)] = kernel;
        break;
      case RV_KERNEL_WATCH:
        if (kernel->index >= 0 && kernel->index < t->mechanism->watch_count) {
          set->watches.resize(static_cast<std::size_t>(t->mechanism->watch_count), nullptr);
          set->watches[static_cast<std::size_t>(kernel->index)] = kernel;
        }
        break;
      default: break;
      }
    }
    set->context.mechanism = mechanism;
    g.mechanisms.push_back(std::move(set));
  }
  return g;
}

}  // namespace ranvier::sim
