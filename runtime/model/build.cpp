#include "model/build.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <numbers>
#include <numeric>
#include <queue>
#include <optional>
#include <set>
#include <sstream>
#include <tuple>
#include <thread>
#include <unordered_map>

#include <fmt/format.h>

#include "cell/discretisation.hpp"
#include "cell/section_geometry.hpp"
#include "cell/swc.hpp"
#include "model/connection_rules.hpp"
#include "model/selection.hpp"
#include "model/units.hpp"
#include "sim/group_builder.hpp"
#include "sim/split_setup.hpp"
#include "sim/tree_partition.hpp"

namespace ranvier::model {

namespace {

// One discretised copy of a template, shared by every cell of it.
struct Shape {
  const CellTemplate *source = nullptr;
  cell::Morphology morphology;
  cell::Discretisation discretisation;
};

// NEURON's lambda_f(freq) in um, from L and diam or from the 3-D points.
double lambdaAt(const cell::Section &s, double frequency) {
  constexpr double pi = std::numbers::pi;
  if (s.points.size() < 2) return 1e5 * std::sqrt(s.diam / (4 * pi * frequency * s.Ra * s.cm));
  const std::vector<double> arc = cell::arcLengths(s.points);
  double lam = 0;
  for (std::size_t i = 1; i < s.points.size(); ++i) {
    const double d1 = std::abs(static_cast<double>(static_cast<float>(s.points[i - 1].diam)));
    const double d2 = std::abs(static_cast<double>(static_cast<float>(s.points[i].diam)));
    lam += (arc[i] - arc[i - 1]) / std::sqrt(d1 + d2);
  }
  lam *= std::sqrt(2.0) * 1e-5 * std::sqrt(4 * pi * frequency * s.Ra * s.cm);
  return cell::sectionLength(s) / lam;
}

bool selects(const std::vector<std::string> &where, const cell::Section &s) {
  for (const std::string &w : where) {
    if (w == "all" || w == s.name || w == s.region) return true;
  }
  return false;
}

void checkSelectors(const std::vector<std::string> &where, const cell::Morphology &m, const SourceLocation &at, const std::string &owner) {
  for (const std::string &w : where) {
    if (w == "all") continue;
    bool found = false;
    std::vector<std::string> known{"all"};
    std::set<std::string> regions;
    for (const auto &s : m.sections) {
      found = found || s.name == w || s.region == w;
      known.push_back(s.name);
      regions.insert(s.region);
    }
    if (!found) {
      known.insert(known.end(), regions.begin(), regions.end());
      throw ModelError(at, "no section or region '" + w + "' in " + owner, suggestion(w, known, "the sections and regions"));
    }
  }
}

double plainNumber(const Value &v, std::string_view unit, const std::string &what) {
  if (v.expression) throw ModelError(v.where, what + " cannot vary along a section here", "give a number");
  if (!v.quantity.empty()) {
    const Conversion c = convertQuantity(v.quantity, unit);
    if (!c.value) throw ModelError(v.where, "bad value for " + what + ": " + c.error);
    return *c.value;
  }
  return v.number;
}

Shape makeShape(const CellTemplate &t) {
  Shape shape;
  shape.source = &t;
  if (!t.swc.empty()) {
    try {
      shape.morphology = cell::readSwc(t.swc);
    } catch (const cell::SwcError &e) {
      if (e.line() == 0) throw ModelError(t.swcAt, e.what(), e.hint().empty() ? "the path is relative to the model file" : e.hint());
      const std::string usedBy = "in the morphology of cell template '" + t.name + "' (" + t.swcAt.file + ":" + std::to_string(t.swcAt.line) + ")";
      throw ModelError({t.swc.string(), e.line(), 1}, e.what(), e.hint().empty() ? usedBy : e.hint() + "; " + usedBy);
    }
  } else {
    shape.morphology = t.morphology;
  }
  for (const SectionProperties &p : t.properties) {
    checkSelectors(p.where, shape.morphology, p.at, "cell template '" + t.name + "'");
    for (cell::Section &s : shape.morphology.sections) {
      if (!selects(p.where, s)) continue;
      if (p.Ra) s.Ra = plainNumber(*p.Ra, "ohm cm", "Ra");
      if (p.cm) s.cm = plainNumber(*p.cm, "uF/cm2", "cm");
      if (p.nseg) s.nseg = *p.nseg;
      if (!(s.Ra > 0) || !(s.cm >= 0)) throw ModelError(p.at, "Ra must be positive and cm not negative");
    }
  }
  if (t.dLambda) {
    for (cell::Section &s : shape.morphology.sections) {
      const double L = cell::sectionLength(s);
      s.nseg = static_cast<int>((L / (*t.dLambda * lambdaAt(s, t.dLambdaFrequency)) + 0.9) / 2) * 2 + 1;
    }
  }
  try {
    shape.discretisation = cell::discretise(shape.morphology);
  } catch (const cell::MorphologyError &e) {
    throw ModelError(t.at, std::string("cell template '") + t.name + "': " + e.what());
  }
  return shape;
}

bool hasNetReceive(const rv_mechanism &m) {
  for (std::int32_t k = 0; k < m.kernel_count; ++k) {
    if (m.kernels[k].kind == RV_KERNEL_NET_RECEIVE) return true;
  }
  return false;
}

const rv_variable *findVariable(const rv_mechanism &m, const std::string &name) {
  for (std::int32_t i = 0; i < m.variable_count; ++i) {
    const rv_variable &v = m.variables[i];
    if (name == v.name || name == std::string(v.name) + "_" + m.name) return &v;
  }
  return nullptr;
}

std::vector<std::string> settableNames(const rv_mechanism &m) {
  std::vector<std::string> out;
  for (std::int32_t i = 0; i < m.variable_count; ++i) {
    const rv_variable &v = m.variables[i];
    if (v.role == RV_ROLE_PARAMETER && (v.storage == RV_STORAGE_FIELD || v.storage == RV_STORAGE_GLOBAL)) out.push_back(v.name);
  }
  return out;
}

std::vector<std::string> recordableNames(const rv_mechanism &m) {
  std::vector<std::string> out;
  for (std::int32_t i = 0; i < m.variable_count; ++i) {
    const rv_variable &v = m.variables[i];
    if (v.storage == RV_STORAGE_FIELD && v.role != RV_ROLE_TEMPORARY && v.role != RV_ROLE_INTERNAL) out.push_back(v.name);
  }
  return out;
}

// A name for an instance that does not depend on how cells are split over parts: it
// seeds the instance's random stream.
std::int64_t instanceKey(std::uint64_t kind, std::uint64_t a, std::uint64_t b) {
  std::uint64_t z = kind * 0x9E3779B97F4A7C15ull ^ (a + 1) * 0xBF58476D1CE4E5B9ull ^ (b + 1) * 0x94D049BB133111EBull;
  z = (z ^ (z >> 31)) * 0xD6E8FEB86659FD93ull;
  return static_cast<std::int64_t>((z ^ (z >> 32)) & 0x7FFFFFFFFFFFFFFFull);
}

struct Placed {
  std::size_t part = 0;
  std::int32_t id = -1;  // placement id in the part's builder
};

// Who a cell is for expressions of gid and i and for its random streams: itself, or for
// a sweep's copy (Population::copyOf) the base model's cell it copies.
struct Identity {
  std::int64_t gid = 0;
  std::int32_t index = 0;
};

Identity identityOf(const Population &pop, std::int32_t index, std::int64_t gid) {
  if (!pop.copyOf) return {gid, index};
  const std::int32_t base = index % pop.copyOf->count;
  return {pop.copyOf->firstGid + base, base};
}

struct CellInstance {
  const Shape *shape = nullptr;
  const Population *population = nullptr;
  std::int32_t index = 0;  // in the population
  std::int32_t gid = 0;
  bool owned = true;  // built on this rank (gids are dealt round-robin)
  std::size_t part = 0;
  std::int32_t firstNode = 0;
  std::string name;                 // "pop[i]"
  std::vector<Placed> points;       // the template's points, in its order
  // A node of a part's builder.
  struct NodeAt {
    std::size_t part;
    std::int32_t node;
  };
  std::vector<NodeAt> pieces;  // per node of a split cell (empty: the cell is whole, in `part`)
  NodeAt at(std::int32_t local) const { return pieces.empty() ? NodeAt{part, firstNode + local} : pieces[static_cast<std::size_t>(local)]; }
  Identity identity;
};

struct ArtificialInstance {
  const Population *population = nullptr;
  std::int32_t index = 0, gid = 0;
  bool owned = true;
  std::size_t part = 0;
  Placed placed;
  std::string name;
  Identity identity;
};

// Where an instance sits on a cell, for parameters that are expressions.
struct Site {
  const CellInstance *cell = nullptr;
  std::int32_t section = 0;
  double x = 0.5;
  std::int32_t node = 0;  // in the part
  std::size_t part = 0;
  std::int32_t local = 0;  // the cell's node
};

struct DensityPlacement {
  Placed placed;
  const Insertion *insertion;
  Site site;
};

struct PointPlacement {
  const PointSpec *spec;
  const rv_mechanism *mechanism;
  Placed placed;
  std::optional<Site> site;
};

// A resolved source or target of a connection.
struct Endpoint {
  std::string name;
  std::int64_t cell = -1;       // gid of its cell (or of the artificial cell); -1: none
  std::int32_t source = -1;     // sources: the spike source number
  Placed placed;                // targets: the instance
  const rv_mechanism *mechanism = nullptr;
};

std::size_t defaultThreads() { return std::max(1u, std::thread::hardware_concurrency()); }

class Builder {
public:
  Builder(const Model &model, MechanismProvider &provider, sim::Communicator &comm) : model_(model), provider_(provider), comm_(comm) {
    for (std::size_t k = 0; k < model_.points.size(); ++k) pointNumber_.try_emplace(model_.points[k].name, k);
  }

  BuiltModel run() {
    expandPointers();
    makeShapes();
    distribute();
    enumerateCells();
    assignParts();
    builders_.resize(parts_);
    addCells();
    placeDensities();
    placeTemplatePoints();
    placePoints();
    placeArtificialCells();
    buildGroups();
    giveFunctionTables();
    setParameters();
    std::vector<std::unique_ptr<sim::Simulation>> sims;
    const sim::Settings settings{model_.dt, model_.celsius, model_.vInit, model_.secondorder};
    for (auto &g : groups_) sims.push_back(std::make_unique<sim::Simulation>(std::move(g), settings));
    sims_ = &sims;
    joinSplitCells();
    setPointers();
    setUpDiffusion();
    makeSpikeSources();
    const std::int64_t interval = connect();
    out_.network = std::make_unique<sim::Network>(std::move(sims), interval);
    sims_ = nullptr;
    out_.network->setSentSources(sentSources_);
    out_.network->setSpikeEncoding(model_.spikeCompression ? sim::SpikeEncoding::Compact : sim::SpikeEncoding::Plain);
    recordSpikes();
    record();
    out_.tstop = model_.tstop;
    out_.dt = model_.dt;
    out_.spikesFile = model_.spikes;
    out_.spikePrecision = model_.spikePrecision;
    out_.gatherTraces = model_.gatherTraces;
    return std::move(out_);
  }

private:
  const rv_mechanism &mechanism(const std::string &name, const SourceLocation &at) {
    const rv_mechanism *m = provider_.find(name);
    if (m == nullptr) throw ModelError(at, "unknown mechanism '" + name + "'", suggestion(name, provider_.names(), "the mechanisms"));
    firstUse_.try_emplace(m->name, at);
    return *m;
  }

  // The rank that builds a gid: round-robin, or as distribute() balanced them; what
  // belongs to no population is rank 0's.
  int ownerOf(std::int64_t gid) const {
    if (gid < 0) return 0;
    if (!owner_.empty()) return owner_[static_cast<std::size_t>(gid)];
    return static_cast<int>(gid % comm_.size());
  }
  bool owns(std::int64_t gid) const { return ownerOf(gid) == comm_.rank(); }

  // distribution = "balanced": heaviest first, each to the least loaded rank (ties to
  // the lower gid and rank), by the complexity that also splits a rank's cells over its
  // threads. Every rank computes the same table from the model alone.
  void distribute() {
    balance();
    if (comm_.size() > 1 && std::any_of(pointers_.begin(), pointers_.end(), [&](const PointerSpec &p) { return readsVoltageOnly(p); })) {
      distributeInBlocks();
    }
    keepJoinedCellsTogether();
  }

  // With gap junctions (voltages the ranks exchange every step), cells go to the ranks in
  // contiguous runs of gids of about equal cost, whatever the distribution: the
  // neighbours of a ring or a chain then mostly share a rank, and few voltages travel.
  void distributeInBlocks() {
    std::vector<double> cost;
    for (const Population &pop : model_.populations) {
      for (int i = 0; i < pop.count; ++i) cost.push_back(pop.mechanism.empty() ? templateCost_.at(pop.templateOf(i)) : 1.0);
    }
    const double total = std::accumulate(cost.begin(), cost.end(), 0.0);
    owner_.assign(cost.size(), 0);
    double before = 0;
    for (std::size_t gid = 0; gid < cost.size(); ++gid) {
      const double middle = (before + cost[gid] / 2) / total;  // where the cell's cost sits in the whole
      owner_[gid] = std::min(comm_.size() - 1, static_cast<int>(middle * comm_.size()));
      before += cost[gid];
    }
  }

  void balance() {
    if (comm_.size() == 1 || model_.distribution != Distribution::Balanced) return;
    std::vector<double> cost;
    for (const Population &pop : model_.populations) {
      for (int i = 0; i < pop.count; ++i) cost.push_back(pop.mechanism.empty() ? templateCost_.at(pop.templateOf(i)) : 1.0);
    }
    std::vector<std::int32_t> order(cost.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::int32_t a, std::int32_t b) { return cost[static_cast<std::size_t>(a)] > cost[static_cast<std::size_t>(b)]; });
    using Load = std::pair<double, int>;  // (load, rank): the least loaded on top
    std::priority_queue<Load, std::vector<Load>, std::greater<>> ranks;
    for (int r = 0; r < comm_.size(); ++r) ranks.emplace(0.0, r);
    owner_.assign(cost.size(), 0);
    for (std::int32_t gid : order) {
      auto [load, rank] = ranks.top();
      ranks.pop();
      owner_[static_cast<std::size_t>(gid)] = rank;
      ranks.emplace(load + cost[static_cast<std::size_t>(gid)], rank);
    }
  }

  // The gid a location names, from the model alone (before cells exist); -1 when it
  // names none (cellOf() says why later).
  std::int64_t gidAt(const Location &loc) const {
    std::int64_t first = 0, realCells = 0, onlyCell = -1;
    for (const Population &pop : model_.populations) {
      if (pop.mechanism.empty()) {
        if (pop.name == loc.population) return loc.cell < pop.count ? first + loc.cell : -1;
        realCells += pop.count;
        if (pop.count == 1) onlyCell = first;
      }
      first += pop.count;
    }
    return loc.population.empty() && realCells == 1 ? onlyCell : -1;
  }

  // Cells that [[pointer]] entries join go to one rank (the rank of the lowest gid of
  // each joined group; rank 0 when a group points at an artificial [[point]], which rank
  // 0 holds): a POINTER reaches only its process's memory.
  void keepJoinedCellsTogether() {
    if (comm_.size() == 1 || pointers_.empty()) return;
    std::int64_t cells = 0;
    for (const Population &pop : model_.populations) cells += pop.count;
    if (owner_.empty()) {
      owner_.resize(static_cast<std::size_t>(cells));
      for (std::int64_t gid = 0; gid < cells; ++gid) owner_[static_cast<std::size_t>(gid)] = static_cast<int>(gid % comm_.size());
    }
    const std::int64_t anchor = cells;  // stands for rank 0's artificial [[point]]s
    std::vector<std::int64_t> parent(static_cast<std::size_t>(cells) + 1);
    std::iota(parent.begin(), parent.end(), 0);
    auto root = [&](std::int64_t x) {
      while (parent[static_cast<std::size_t>(x)] != x) x = parent[static_cast<std::size_t>(x)] = parent[static_cast<std::size_t>(parent[static_cast<std::size_t>(x)])];
      return x;
    };
    auto pointGid = [&](const std::string &name) -> std::int64_t {
      const std::string owner = name.substr(0, name.find('.'));
      const PointSpec *point = modelPoint(owner);
      return point == nullptr ? -1 : point->location ? gidAt(*point->location) : anchor;
    };
    for (const PointerSpec &p : pointers_) {
      if (readsVoltageOnly(p)) continue;  // exchanged between ranks each step (sim::VoltageTransfer)
      const std::int64_t a = p.location ? gidAt(*p.location) : pointGid(p.pointer);
      const std::int64_t b = p.targetLocation ? gidAt(*p.targetLocation) : p.target.find('.') != std::string::npos ? pointGid(p.target) : -1;
      if (a < 0 || b < 0) continue;
      const std::int64_t ra = root(a), rb = root(b);
      // the smaller root wins, so that the anchor (the largest) never leads a group
      parent[static_cast<std::size_t>(std::max(ra, rb))] = std::min(ra, rb);
    }
    std::vector<int> rankOf(static_cast<std::size_t>(cells) + 1, -1);
    for (std::int64_t gid = 0; gid < cells; ++gid) {
      const std::int64_t r = root(gid);
      if (rankOf[static_cast<std::size_t>(r)] < 0) rankOf[static_cast<std::size_t>(r)] = owner_[static_cast<std::size_t>(r)];
    }
    for (std::int64_t gid = 0; gid < cells; ++gid) owner_[static_cast<std::size_t>(gid)] = rankOf[static_cast<std::size_t>(root(gid))];
    for (std::int64_t gid = 0; gid < cells; ++gid) {
      if (root(gid) == root(anchor)) owner_[static_cast<std::size_t>(gid)] = 0;
    }
  }

  void noteUnsafe(const rv_mechanism &m, std::size_t cells) {
    if (m.threadsafe) return;
    unsafe_[m.name] += cells;
  }

  // ---- cells and their parts -------------------------------------------------------

  void makeShapes() {
    for (const auto &[name, t] : model_.templates) {
      Shape &shape = shapes_.emplace(name, makeShape(t)).first->second;
      // complexity: nodes and mechanism instances
      double cost = static_cast<double>(shape.discretisation.size());
      bool unsafe = false;
      for (const Insertion &ins : t.insertions) {
        const rv_mechanism &m = mechanism(ins.mechanism, ins.at);
        if (m.kind != RV_DENSITY) {
          throw ModelError(ins.at, std::string(m.name) + " is a point process, not a density mechanism", "place it with a [[point]] entry or the template's points");
        }
        checkSelectors(ins.where, shape.morphology, ins.at, "cell template '" + t.name + "'");
        for (const cell::Section &sec : shape.morphology.sections) {
          if (selects(ins.where, sec)) cost += sec.nseg;
        }
        unsafe = unsafe || !m.threadsafe;
      }
      for (const PointSpec &p : t.points) {
        const rv_mechanism &m = mechanism(p.mechanism, p.at);
        if (m.kind != RV_POINT_PROCESS) throw ModelError(p.at, std::string(m.name) + " is not a point process", "a template's points sit on its cells: IClamp, ExpSyn, ...");
        cost += 1;
        unsafe = unsafe || !m.threadsafe;
      }
      templateCost_[name] = cost;
      templateUnsafe_[name] = unsafe;
      templateNodeCost_[name] = nodeCosts(t, shape);
    }
  }

  // The complexity of each node (its share of the template's cost): 1, plus 1 per
  // density mechanism and per point process there.
  std::vector<double> nodeCosts(const CellTemplate &t, const Shape &shape) {
    const cell::Discretisation &dis = shape.discretisation;
    std::vector<double> cost(dis.size(), 1.0);
    for (const Insertion &ins : t.insertions) {
      for (std::size_t s = 0; s < shape.morphology.sections.size(); ++s) {
        if (!selects(ins.where, shape.morphology.sections[s])) continue;
        const auto &nodes = dis.sections[s];
        for (int j = 0; j < nodes.nseg; ++j) cost[static_cast<std::size_t>(nodes.segment(j))] += 1;
      }
    }
    for (const PointSpec &p : t.points) {
      if (auto s = shape.morphology.find(p.location->section)) cost[static_cast<std::size_t>(dis.nodeAt(*s, p.location->x))] += 1;
    }
    return cost;
  }

  // threads = 0: one per core, unless the threads would meet every step to hand
  // voltages over (gap junctions between cells on different threads) with too little
  // to do in between. A meeting costs about 1 us a step on this kind of machine
  // (docs/runtime.md); on gap rings of single-compartment hh cells (6 units each),
  // 2 threads against 1 are 1.0x at 100 cells, 1.11x at 150 and 200, 1.40x at 300 and
  // 1.55x at 1000 (bench/run-gap-bench.sh). Each thread gets at least kStepMeetingShare.
  static constexpr double kStepMeetingShare = 600;
  std::size_t automaticThreads(const std::vector<double> &unitCosts) {
    const std::size_t cores = defaultThreads();
    if (voltagePointers_ == 0 || cores < 2) return cores;
    double total = static_cast<double>(model_.points.size());  // model-level points: gap junction sides
    for (double c : unitCosts) total += c;
    const auto worth = static_cast<std::size_t>(std::max(1.0, std::floor(total / kStepMeetingShare)));
    if (worth >= cores) return cores;
    out_.fewerThreads = fmt::format("{} of {} cores: too little work ({:.0f} units a core) for threads that hand gap "
                                    "junction voltages over every step; set threads to choose",
                                    worth, cores, total / static_cast<double>(cores));
    return worth;
  }

  // split_cells = "auto": when giving each thread whole cells cannot balance the load
  // (the heaviest thread 5 % above the mean, largest first onto the least loaded), the
  // cells above half a thread's share are cut into pieces of at most a quarter share,
  // but not below kSmallestPiece: the threads meet once per step, which costs about as
  // much as stepping some tens of nodes.
  static constexpr double kSmallestPiece = 250;
  // Cells in `whole` are not split.
  void planSplits(const std::vector<double> &unitCosts, const std::set<const CellInstance *> &whole) {
    if (!model_.splitCells || parts_ < 2) return;
    double total = 0;
    for (double c : unitCosts) total += c;
    const double share = total / static_cast<double>(parts_);
    std::vector<double> sorted = unitCosts, load(parts_, 0.0);
    std::stable_sort(sorted.begin(), sorted.end(), std::greater<>());
    for (double c : sorted) *std::min_element(load.begin(), load.end()) += c;
    if (*std::max_element(load.begin(), load.end()) <= 1.05 * share) return;
    const double piece = std::max(share / 4, kSmallestPiece);
    auto splittable = [&](const CellInstance &c) {
      const double cost = templateCost_.at(c.shape->source->name);
      return c.owned && !whole.count(&c) && cost > share / 2 && cost > 2 * piece;
    };
    splits_.reserve(static_cast<std::size_t>(std::count_if(cells_.begin(), cells_.end(), splittable)));
    for (CellInstance &c : cells_) {
      if (!splittable(c)) continue;
      const cell::Discretisation &dis = c.shape->discretisation;
      sim::TreePartition tp = sim::partitionTree(dis.parent, templateNodeCost_.at(c.shape->source->name), piece);
      if (!tp.split()) continue;
      const std::size_t pieces = tp.pieces.size(), interfaces = tp.interfaces.size();
      splits_.push_back(sim::SplitCellLayout{&dis, std::move(tp), std::vector<std::size_t>(pieces, 0), {}, std::vector<std::size_t>(interfaces, 0), {}});
      splitCell_.push_back(&c);
      c.pieces.assign(dis.size(), {0, 0});
    }
  }

  void enumerateCells() {
    std::int32_t gid = 0;
    for (const Population &pop : model_.populations) {
      if (!pop.mechanism.empty()) {
        const rv_mechanism &m = mechanism(pop.mechanism, pop.at);
        if (m.kind != RV_ARTIFICIAL_CELL) {
          throw ModelError(pop.at, std::string(m.name) + " is not an artificial cell", "a population of real cells names a template: cell = \"...\"");
        }
        for (int i = 0; i < pop.count; ++i) {
          artificial_.push_back(ArtificialInstance{&pop, i, gid, owns(gid), 0, {}, pop.name + "[" + std::to_string(i) + "]", identityOf(pop, i, gid)});
          ++gid;
        }
        continue;
      }
      for (int i = 0; i < pop.count; ++i) {
        const Shape &shape = shapes_.at(pop.templateOf(i));
        cells_.push_back(CellInstance{&shape, &pop, i, gid, owns(gid), 0, 0, pop.name + "[" + std::to_string(i) + "]", {}, {}, identityOf(pop, i, gid)});
        if (owns(gid)) out_.sections += shape.morphology.sections.size();
        ++gid;
      }
    }
    out_.gidCount = gid;
    out_.cells = static_cast<std::size_t>(std::count_if(cells_.begin(), cells_.end(), [](const CellInstance &c) { return c.owned; }));
    out_.artificialCells = static_cast<std::size_t>(std::count_if(artificial_.begin(), artificial_.end(), [](const ArtificialInstance &a) { return a.owned; }));
    if (gid < 0) throw ModelError({model_.file.string(), 1, 1}, "more than 2^31 cells");
  }

  // What assignParts() places on a part: a cell, a piece of a split cell, an artificial cell.
  struct Unit {
    double cost;
    std::int32_t gid;
    std::size_t *part;
    bool forced;  // onto part 0
  };

  // Largest first onto the least loaded part (NEURON's load balance by complexity);
  // cells that use a mechanism that is not THREADSAFE go to part 0 first.
  void assignParts() {
    std::set<const CellInstance *> forced;
    for (const CellInstance &c : cells_) {
      if (c.owned && templateUnsafe_.at(c.shape->source->name)) forced.insert(&c);
    }
    for (const PointSpec &p : model_.points) {
      const rv_mechanism &m = mechanism(p.mechanism, p.at);
      if (!m.threadsafe && p.location && cellOf(*p.location).owned) forced.insert(&cellOf(*p.location));
    }
    // A POINTER is read and written while other threads run their cells: the cells it
    // joins share one thread (NEURON has the same rule), and one rank; unless it only
    // reads a voltage before v changes, which a copy per step feeds across threads.
    std::set<const CellInstance *> linked;
    for (const PointerSpec &p : pointers_) {
      const CellInstance *owner = pointerOwnerCell(p), *target = pointerTargetCell(p);
      if (readsVoltageOnly(p)) {
        voltagePointers_ += owner != target;
        continue;
      }
      if (const int rank = pointerTargetRank(p); rank >= 0 && ownerOf(owner->gid) != rank) {  // a guard: keepJoinedCellsTogether()
        throw ModelError(p.at, "this POINTER joins " + owner->name + " and " + (target ? target->name : "an artificial cell") + ", which run on different MPI ranks",
                         "POINTERs reach only memory of the same process");
      }
      for (const CellInstance *c : {owner, target}) {
        if (c != nullptr && c->owned) linked.insert(c);
      }
      if (owner != target && linkedWhy_.empty()) linkedWhy_ = whyJoined(p);
    }
    forced.insert(linked.begin(), linked.end());
    linkedCells_ = linked.size();
    // POINTERs inside a cell, and LONGITUDINAL_DIFFUSION along it, keep it whole (not
    // cut into pieces on several threads).
    std::set<const CellInstance *> whole = forced;
    for (const CellInstance &c : cells_) {
      const auto &insertions = c.shape->source->insertions;
      if (c.owned && std::any_of(insertions.begin(), insertions.end(), [&](const Insertion &i) {
            return !i.pointers.empty() || diffuses(mechanism(i.mechanism, i.at));
          })) {
        whole.insert(&c);
      }
    }
    for (const CellInstance &c : cells_) {
      if (!c.owned) continue;
      const CellTemplate &t = *c.shape->source;
      for (const Insertion &ins : t.insertions) {
        std::size_t segments = 0;
        for (const cell::Section &sec : c.shape->morphology.sections) segments += selects(ins.where, sec) ? static_cast<std::size_t>(sec.nseg) : 0;
        noteUnsafe(mechanism(ins.mechanism, ins.at), segments);
      }
      for (const PointSpec &p : t.points) noteUnsafe(mechanism(p.mechanism, p.at), 1);
    }
    for (const PointSpec &p : model_.points) noteUnsafe(mechanism(p.mechanism, p.at), 1);
    for (const Population &pop : model_.populations) {
      if (!pop.mechanism.empty()) noteUnsafe(mechanism(pop.mechanism, pop.at), static_cast<std::size_t>(pop.count));
    }
    const std::size_t units = out_.cells + out_.artificialCells;
    std::vector<double> unitCosts;
    for (CellInstance &c : cells_) {
      if (c.owned) unitCosts.push_back(templateCost_.at(c.shape->source->name));
    }
    unitCosts.insert(unitCosts.end(), out_.artificialCells, 1.0);
    const std::size_t threads = model_.threads > 0 ? static_cast<std::size_t>(model_.threads) : automaticThreads(unitCosts);
    // no more threads than cells, unless cells are split
    parts_ = std::max<std::size_t>(1, threads);
    planSplits(unitCosts, whole);
    if (splits_.empty()) parts_ = std::max<std::size_t>(1, std::min(threads, std::max<std::size_t>(units, 1)));
    out_.partCost.assign(parts_, 0.0);
    for (const auto &[name, count] : unsafe_) {
      if (model_.threads == 1) break;  // one thread asked for: where cells would go with more is noise
      out_.warnings.push_back("mechanism '" + name + "' is not THREADSAFE: the " + std::to_string(count) + " instance(s) that use it" +
                              (parts_ > 1 ? " and their cells run on thread 0" : " would run on thread 0 with more threads") +
                              "; `mechlint --fix` on its .mod file makes it thread-safe where it can");
    }
    if (linkedCells_ > 0 && parts_ > 1) {
      out_.warnings.push_back("the " + std::to_string(linkedCells_) + " cell(s) that [[pointer]] entries join run on thread 0" +
                              (linkedWhy_.empty() ? std::string() : ": " + linkedWhy_));
    }
    // Cells whose gap junctions cross threads exchange voltages every step: without split
    // cells, they go in gid order, so that a ring's or a chain's neighbours mostly share
    // a thread (placeInGidOrder).
    const bool keepNeighbours = voltagePointers_ > 0 && splits_.empty();
    std::vector<Unit> order, inGidOrder;
    for (CellInstance &c : cells_) {
      if (!c.owned || !c.pieces.empty()) continue;
      const Unit u{templateCost_.at(c.shape->source->name), c.gid, &c.part, forced.count(&c) > 0};
      (keepNeighbours && !u.forced ? inGidOrder : order).push_back(u);
    }
    for (std::size_t k = 0; k < splits_.size(); ++k) {  // pieces and interface nodes are units of their own
      sim::SplitCellLayout &layout = splits_[k];
      const std::int32_t gid = splitCell_[k]->gid;
      const std::vector<double> &cost = templateNodeCost_.at(splitCell_[k]->shape->source->name);
      for (std::size_t j = 0; j < layout.partition.pieces.size(); ++j) order.push_back({layout.partition.pieces[j].cost, gid, &layout.piecePart[j], false});
      for (std::size_t i = 0; i < layout.partition.interfaces.size(); ++i) {
        order.push_back({cost[static_cast<std::size_t>(layout.partition.interfaces[i])], gid, &layout.interfacePart[i], false});
      }
    }
    for (ArtificialInstance &a : artificial_) {
      if (a.owned) order.push_back({1.0, a.gid, &a.part, !mechanism(a.population->mechanism, a.population->at).threadsafe});
    }
    std::stable_sort(order.begin(), order.end(), [](const Unit &x, const Unit &y) {
      if (x.forced != y.forced) return x.forced;
      return x.cost > y.cost;
    });
    for (const Unit &u : order) {
      std::size_t best = 0;
      if (!u.forced) {
        for (std::size_t p = 1; p < parts_; ++p) {
          if (out_.partCost[p] < out_.partCost[best]) best = p;
        }
      }
      *u.part = best;
      out_.partCost[best] += u.cost;
    }
    placeInGidOrder(inGidOrder);
    for (std::size_t k = 0; k < splits_.size(); ++k) {
      const sim::SplitCellLayout &layout = splits_[k];
      CellInstance &c = *splitCell_[k];
      const std::vector<double> &cost = templateNodeCost_.at(c.shape->source->name);
      SplitCellSummary summary{c.name, layout.partition.pieces.size(), layout.partition.interfaces.size(), std::vector<double>(parts_, 0.0)};
      for (std::size_t j = 0; j < layout.partition.pieces.size(); ++j) summary.partCost[layout.piecePart[j]] += layout.partition.pieces[j].cost;
      for (std::size_t i = 0; i < layout.partition.interfaces.size(); ++i) {
        summary.partCost[layout.interfacePart[i]] += cost[static_cast<std::size_t>(layout.partition.interfaces[i])];
      }
      // the root's part, for what asks a cell for one part
      const std::int32_t root = 0;
      c.part = layout.partition.pieceOf[root] >= 0 ? layout.piecePart[static_cast<std::size_t>(layout.partition.pieceOf[root])] : layout.interfacePart[0];
      out_.splitCells.push_back(std::move(summary));
    }
  }

  // Contiguous runs of units, in gid order, onto the parts in turn, each part filled to
  // about an equal share of the total cost (what the parts hold already included).
  void placeInGidOrder(std::vector<Unit> &units) {
    std::sort(units.begin(), units.end(), [](const Unit &x, const Unit &y) { return x.gid < y.gid; });
    double total = std::accumulate(out_.partCost.begin(), out_.partCost.end(), 0.0);
    for (const Unit &u : units) total += u.cost;
    const double share = total / static_cast<double>(parts_);
    std::size_t p = 0;
    for (const Unit &u : units) {
      while (p + 1 < parts_ && out_.partCost[p] + u.cost / 2 > share) ++p;
      *u.part = p;
      out_.partCost[p] += u.cost;
    }
  }

  void addCells() {
    for (CellInstance &c : cells_) {
      if (c.owned && c.pieces.empty()) c.firstNode = builders_[c.part].addCell(c.shape->discretisation);
    }
    for (std::size_t s = 0; s < splits_.size(); ++s) {
      sim::SplitCellLayout &layout = splits_[s];
      CellInstance &c = *splitCell_[s];
      const sim::TreePartition &tp = layout.partition;
      for (std::size_t k = 0; k < tp.pieces.size(); ++k) {
        const std::size_t part = layout.piecePart[k];
        layout.pieceFirst.push_back(builders_[part].addPiece(*layout.cell, tp.pieces[k].nodes));
        for (std::size_t j = 0; j < tp.pieces[k].nodes.size(); ++j) {
          c.pieces[static_cast<std::size_t>(tp.pieces[k].nodes[j])] = {part, layout.pieceFirst.back() + static_cast<std::int32_t>(j)};
        }
      }
      for (std::size_t i = 0; i < tp.interfaces.size(); ++i) {
        const std::size_t part = layout.interfacePart[i];
        layout.interfaceNode.push_back(builders_[part].addPiece(*layout.cell, {tp.interfaces[i]}));
        c.pieces[static_cast<std::size_t>(tp.interfaces[i])] = {part, layout.interfaceNode.back()};
      }
    }
  }

  // After the simulations exist: the pieces of split cells learn where they are.
  void joinSplitCells() {
    if (splits_.empty()) return;
    auto parts = sim::makeSplitParts(splits_, parts_, model_.vInit, [this](std::size_t part, std::int32_t node) { return position(part, node); });
    for (std::size_t p = 0; p < parts_; ++p) {
      if (parts[p]) sim(p).setSplit(std::move(parts[p]));
    }
  }

  void placeDensities() {
    for (const CellInstance &c : cells_) {
      if (!c.owned) continue;
      const CellTemplate &t = *c.shape->source;
      for (const Insertion &ins : t.insertions) {
        const rv_mechanism &m = mechanism(ins.mechanism, ins.at);
        const auto &sections = c.shape->morphology.sections;
        for (std::size_t s = 0; s < sections.size(); ++s) {
          if (!selects(ins.where, sections[s])) continue;
          const auto &nodes = c.shape->discretisation.sections[s];
          for (int j = 0; j < nodes.nseg; ++j) {
            const std::int32_t local = nodes.segment(j);
            const CellInstance::NodeAt at = c.at(local);
            const std::int32_t id = builders_[at.part].place(m, at.node, instanceKey(1, static_cast<std::uint64_t>(c.identity.gid), static_cast<std::uint64_t>(local)));
            densities_.push_back({{at.part, id}, &ins, {&c, static_cast<std::int32_t>(s), (j + 0.5) / nodes.nseg, at.node, at.part, local}});
            densityAt_[{m.name, at.part, at.node}] = id;
          }
        }
      }
    }
  }

  CellInstance &cellOf(const Location &loc) {
    if (loc.population.empty()) {
      if (cells_.size() != 1) {
        throw ModelError(loc.at, "'" + loc.text + "' does not say which cell", "the model has " + std::to_string(cells_.size()) + " cells: write population[i].section(x)");
      }
      return cells_.front();
    }
    std::size_t offset = 0;
    for (const Population &pop : model_.populations) {
      if (!pop.mechanism.empty()) continue;
      if (pop.name == loc.population) {
        if (loc.cell >= pop.count) {
          throw ModelError(loc.at, "population '" + pop.name + "' has " + std::to_string(pop.count) + " cells; there is no cell " + std::to_string(loc.cell),
                           "cells are numbered from 0");
        }
        return cells_[offset + static_cast<std::size_t>(loc.cell)];
      }
      offset += static_cast<std::size_t>(pop.count);
    }
    std::vector<std::string> known;
    for (const Population &pop : model_.populations) {
      if (pop.mechanism.empty()) known.push_back(pop.name);
    }
    throw ModelError(loc.at, "no population of cells is named '" + loc.population + "'", suggestion(loc.population, known, "the populations of cells"));
  }

  std::int32_t sectionOf(const CellInstance &c, const std::string &section, const SourceLocation &at) {
    if (auto s = c.shape->morphology.find(section)) return *s;
    std::vector<std::string> known;
    for (const auto &s : c.shape->morphology.sections) known.push_back(s.name);
    throw ModelError(at, "cell " + c.name + " has no section '" + section + "'", suggestion(section, known, "its sections"));
  }

  Site siteOf(const CellInstance &c, const std::string &section, double x, const SourceLocation &at) {
    const std::int32_t s = sectionOf(c, section, at);
    const std::int32_t local = c.shape->discretisation.nodeAt(s, x);
    const CellInstance::NodeAt where = c.at(local);
    return Site{&c, s, x, where.node, where.part, local};
  }

  void placeTemplatePoints() {
    for (CellInstance &c : cells_) {
      if (!c.owned) continue;
      const CellTemplate &t = *c.shape->source;
      for (std::size_t k = 0; k < t.points.size(); ++k) {
        const PointSpec &p = t.points[k];
        const rv_mechanism &m = mechanism(p.mechanism, p.at);
        const Site site = siteOf(c, p.location->section, p.location->x, p.location->at);
        const Placed placed{site.part, builders_[site.part].place(m, site.node, instanceKey(2, static_cast<std::uint64_t>(c.identity.gid), k))};
        c.points.push_back(placed);
        templatePoints_.push_back({&p, &m, placed, site});
      }
    }
  }

  void placePoints() {
    for (std::size_t k = 0; k < model_.points.size(); ++k) {
      const PointSpec &p = model_.points[k];
      const rv_mechanism &m = mechanism(p.mechanism, p.at);
      PointPlacement placed{&p, &m, {}, std::nullopt};
      if (m.kind == RV_DENSITY) throw ModelError(p.at, std::string(m.name) + " is a density mechanism", "insert it in a cell template's insert list");
      if (m.kind == RV_POINT_PROCESS) {
        if (!p.location) throw ModelError(p.at, std::string(m.name) + " is a point process and needs a location", "add at = \"soma(0.5)\"");
        const CellInstance &c = cellOf(*p.location);
        sectionOf(c, p.location->section, p.location->at);  // checked on every rank
        if (c.owned) {
          placed.site = siteOf(c, p.location->section, p.location->x, p.location->at);
          placed.placed.part = placed.site->part;
        }
      } else if (p.location) {
        throw ModelError(p.location->at, std::string(m.name) + " is an artificial cell: it has no location", "remove at = ...");
      }
      const bool here = m.kind == RV_POINT_PROCESS ? placed.site.has_value() : owns(-1);
      if (here) placed.placed.id = builders_[placed.placed.part].place(m, placed.site ? placed.site->node : -1, instanceKey(3, p.copyOf.value_or(k), 0));
      points_.push_back(placed);
    }
  }

  void placeArtificialCells() {
    for (ArtificialInstance &a : artificial_) {
      if (!a.owned) continue;
      const rv_mechanism &m = mechanism(a.population->mechanism, a.population->at);
      a.placed = {a.part, builders_[a.part].place(m, -1, instanceKey(4, static_cast<std::uint64_t>(a.identity.gid), 0))};
    }
  }

  // Each part's memory is allocated and first written by the thread that will run it.
  void buildGroups() {
    groups_.resize(parts_);
    refs_.resize(parts_);
    std::vector<std::string> errors(parts_);
    auto buildPart = [&](std::size_t p) {
      try {
        groups_[p] = builders_[p].build(refs_[p]);
      } catch (const std::exception &e) {
        errors[p] = e.what();
      }
    };
    {
      std::vector<std::jthread> threads;
      for (std::size_t p = 1; p < parts_; ++p) threads.emplace_back(buildPart, p);
      buildPart(0);
    }
    for (const std::string &e : errors) {
      if (!e.empty()) throw std::runtime_error(e);
    }
    std::set<std::string> names;
    for (const sim::CellGroup &g : groups_) {
      for (const auto &set : g.mechanisms) {
        if (names.insert(set->description().name).second) out_.mechanisms.push_back(set->description().name);
        out_.instances += static_cast<std::size_t>(set->instances.count());
      }
      out_.nodes += g.nodes.position.size();  // not the idle nodes that pad each depth
    }
  }

  sim::InstanceRef ref(const Placed &p) const { return refs_[p.part][static_cast<std::size_t>(p.id)]; }
  // Groups move into their simulations, and those into the network.
  sim::CellGroup &groupOf(std::size_t part) {
    if (out_.network) return out_.network->part(part).group();
    if (sims_ != nullptr) return (*sims_)[part]->group();
    return groups_[part];
  }
  // Where the builder's node went in the part's group.
  std::int32_t position(std::size_t part, std::int32_t node) { return groupOf(part).nodes.position.at(static_cast<std::size_t>(node)); }
  sim::MechanismSet &set(const Placed &p) { return *groupOf(p.part).mechanisms[static_cast<std::size_t>(ref(p).mechanism)]; }

  // ---- parameters -------------------------------------------------------------------

  double evaluate(const Value &v, const rv_variable &var, const std::string &owner, const Site *site, const ExpressionVariables *cellVariables) {
    if (!v.quantity.empty()) {
      const Conversion c = convertQuantity(v.quantity, var.unit);
      if (!c.value) throw ModelError(v.where, "bad value for " + owner + ": " + c.error, std::string("the parameter is in ") + (*var.unit ? var.unit : "no unit"));
      return *c.value;
    }
    if (!v.expression) return v.number;
    if (site == nullptr && cellVariables == nullptr) {
      throw ModelError(v.where, owner + " cannot be an expression here", "expressions are for mechanisms on the cells of a template and for populations");
    }
    ExpressionVariables vars;
    std::string where;
    if (cellVariables != nullptr) vars = *cellVariables;
    if (site != nullptr) {
      const CellInstance &c = *site->cell;
      const auto &dis = c.shape->discretisation;
      const std::int32_t local = site->local;
      vars.distance = dis.distance[static_cast<std::size_t>(local)];
      vars.x = site->x;
      vars.diam = dis.diam[static_cast<std::size_t>(local)];
      vars.L = dis.sections[static_cast<std::size_t>(site->section)].length;
      vars.gid = static_cast<double>(c.identity.gid);
      vars.i = c.identity.index;
      where = c.name + "." + c.shape->morphology.sections[static_cast<std::size_t>(site->section)].name + "(" + std::to_string(site->x) + ")";
    }
    const double value = v.expression->evaluate(vars);
    if (!std::isfinite(value)) throw ModelError(v.where, "the expression for " + owner + " gives " + std::to_string(value) + (where.empty() ? "" : " at " + where));
    return value;
  }

  void setParameters(const Placed &placed, const std::vector<ParameterSetting> &settings, const Site *site, const ExpressionVariables *cellVariables = nullptr) {
    sim::MechanismSet &s = set(placed);
    const std::int32_t instance = ref(placed).instance;
    const rv_mechanism &m = s.description();
    for (const ParameterSetting &p : settings) {
      const rv_variable *var = findVariable(m, p.name);
      if (var == nullptr) {
        throw ModelError(p.where, std::string(m.name) + " has no parameter '" + p.name + "'", suggestion(p.name, settableNames(m), std::string("the parameters of ") + m.name));
      }
      if (var->storage != RV_STORAGE_FIELD && var->storage != RV_STORAGE_GLOBAL) {
        throw ModelError(p.where, std::string(var->name) + " of " + m.name + " is not a parameter one can set");
      }
      if (var->role == RV_ROLE_STATE || var->role == RV_ROLE_ASSIGNED || var->role == RV_ROLE_CURRENT) {
        throw ModelError(p.where, std::string(var->name) + " of " + m.name + " is computed by the mechanism (INITIAL and the solver set it)",
                         suggestion(p.name, settableNames(m), std::string("the parameters of ") + m.name));
      }
      if (static_cast<std::int32_t>(p.values.size()) > var->size) {
        throw ModelError(p.where, std::string(var->name) + " has " + std::to_string(var->size) + " element(s), " + std::to_string(p.values.size()) + " given");
      }
      for (std::size_t e = 0; e < p.values.size(); ++e) {
        s.instances.value(*var, instance, static_cast<std::int32_t>(e)) = evaluate(p.values[e], *var, std::string(m.name) + " " + p.name, site, cellVariables);
      }
    }
  }

  // A population's per-cell values for the mechanism `name` placed at `placed` on cell
  // `index` of `pop` (or for artificial cell `index` of `pop`).
  void setCellValues(const Placed &placed, const std::string &name, const Population &pop, std::int32_t index) {
    for (const CellValues &cv : pop.perCell) {
      if (cv.mechanism != name) continue;
      const SourceLocation &at = cv.at.line > 0 ? cv.at : pop.at;
      sim::MechanismSet &s = set(placed);
      const rv_mechanism &m = s.description();
      const rv_variable *var = findVariable(m, cv.parameter);
      if (var == nullptr || var->storage != RV_STORAGE_FIELD || var->role == RV_ROLE_STATE || var->role == RV_ROLE_ASSIGNED || var->role == RV_ROLE_CURRENT) {
        throw ModelError(at, std::string(m.name) + " has no per-instance parameter '" + cv.parameter + "' to vary",
                         suggestion(cv.parameter, settableNames(m), std::string("the parameters of ") + m.name));
      }
      if (static_cast<std::size_t>(index) >= cv.values.size()) throw ModelError(at, "fewer values of " + cv.mechanism + "." + cv.parameter + " than cells");
      double value = cv.values[static_cast<std::size_t>(index)];
      if (!cv.unit.empty()) {  // converted as a model file's "<value> <unit>" is, to the same bits
        const Conversion c = convertQuantity(fmt::format("{} {}", value, cv.unit), var->unit);
        if (!c.value) throw ModelError(at, cv.mechanism + "." + cv.parameter + " in " + cv.unit + ": " + c.error, std::string("the parameter is in ") + (*var->unit ? var->unit : "no unit"));
        value = *c.value;
      }
      s.instances.value(*var, ref(placed).instance, 0) = value;
    }
  }

  // Every per-cell value must land somewhere.
  void checkCellValues() {
    for (const Population &pop : model_.populations) {
      if (pop.perCell.empty()) continue;
      const CellTemplate *t = pop.mechanism.empty() ? &model_.templates.at(pop.cellTemplate) : nullptr;
      for (const CellValues &cv : pop.perCell) {
        const bool placed = t != nullptr ? std::any_of(t->insertions.begin(), t->insertions.end(), [&](const Insertion &i) { return i.mechanism == cv.mechanism; }) ||
                                               std::any_of(t->points.begin(), t->points.end(), [&](const PointSpec &p) { return p.name == cv.mechanism; })
                                         : cv.mechanism == pop.mechanism;
        if (!placed) {
          throw ModelError(cv.at.line > 0 ? cv.at : pop.at,
                           t != nullptr ? "'" + cv.mechanism + "' is neither inserted on nor a point of the cells of '" + pop.name + "'"
                                        : "the artificial cells of '" + pop.name + "' are " + pop.mechanism + ", not " + cv.mechanism,
                           "vary parameters of mechanisms the template inserts");
        }
      }
    }
  }

  void setParameters() {
    checkCellValues();
    for (const DensityPlacement &d : densities_) {
      setParameters(d.placed, d.insertion->parameters, &d.site);
      setCellValues(d.placed, d.insertion->mechanism, *d.site.cell->population, d.site.cell->index);
    }
    for (const PointPlacement &p : templatePoints_) {
      setParameters(p.placed, p.spec->parameters, &*p.site);
      setCellValues(p.placed, p.spec->name, *p.site->cell->population, p.site->cell->index);
    }
    for (const PointPlacement &p : points_) {
      if (p.placed.id >= 0) setParameters(p.placed, p.spec->parameters, p.site ? &*p.site : nullptr);
    }
    for (const ArtificialInstance &a : artificial_) {
      if (!a.owned) continue;
      const ExpressionVariables vars{.gid = static_cast<double>(a.identity.gid), .i = static_cast<double>(a.identity.index)};
      setParameters(a.placed, a.population->parameters, nullptr, &vars);
      setCellValues(a.placed, a.population->mechanism, *a.population, a.index);
    }
  }

  // ---- spike sources and connections -------------------------------------------------

  sim::Simulation &sim(std::size_t part) { return out_.network ? out_.network->part(part) : *(*sims_)[part]; }

  void makeSpikeSources() {
    for (const CellInstance &c : cells_) {
      const CellTemplate &t = *c.shape->source;
      if (!t.spikeSource || !c.owned) continue;
      const Site site = siteOf(c, t.spikeSource->section, t.spikeSource->x, t.spikeSource->at);
      sim(site.part).addDetector(sim::SpikeDetector{position(site.part, site.node), t.spikeSource->threshold, c.gid, false});
    }
    for (const ArtificialInstance &a : artificial_) {
      if (a.owned) sim(a.part).setSpikeSource(ref(a.placed).mechanism, ref(a.placed).instance, a.gid);
    }
  }

  // A source that is not a gid: `cell` is the gid it sits on (-1: none).
  std::int32_t newSource(std::string label, std::int64_t cell) {
    out_.sourceLabels.push_back(std::move(label));
    sourceCell_.push_back(cell);
    return out_.gidCount + static_cast<std::int32_t>(out_.sourceLabels.size() - 1);
  }

  int ownerOfSource(std::int32_t source) const {
    return ownerOf(source < out_.gidCount ? source : sourceCell_.at(static_cast<std::size_t>(source - out_.gidCount)));
  }

  // A threshold detector at a location that is not a cell's spike source.
  std::int32_t detectorAt(const Location &loc, double threshold, const std::string &label, std::int64_t *cell) {
    CellInstance &c = cellOf(loc);
    const std::int32_t section = sectionOf(c, loc.section, loc.at);
    if (cell != nullptr) *cell = c.gid;
    // Keyed by gid and local node, so every rank gives the same place the same number.
    const std::int32_t local = c.shape->discretisation.nodeAt(section, loc.x);
    const auto key = std::make_tuple(static_cast<std::size_t>(c.gid), local, threshold);
    if (auto it = detectors_.find(key); it != detectors_.end()) return it->second;
    const std::int32_t source = newSource(label, c.gid);
    if (c.owned) {
      const CellInstance::NodeAt at = c.at(local);
      sim(at.part).addDetector(sim::SpikeDetector{position(at.part, at.node), threshold, source, false});
    }
    detectors_.emplace(key, source);
    return source;
  }

  // A [[point]] by name (once placed), and its entry: by an index, as junction entries
  // make thousands.
  const PointPlacement *namedPoint(const std::string &name) const {
    const auto it = pointNumber_.find(name);
    return it != pointNumber_.end() && it->second < points_.size() ? &points_[it->second] : nullptr;
  }
  const PointSpec *modelPoint(const std::string &name) const {
    const auto it = pointNumber_.find(name);
    return it != pointNumber_.end() ? &model_.points[it->second] : nullptr;
  }

  const Population *population(const std::string &name) const {
    for (const Population &pop : model_.populations) {
      if (pop.name == name) return &pop;
    }
    return nullptr;
  }

  std::vector<std::string> endpointNames(bool targets) const {
    std::vector<std::string> out;
    for (const Population &pop : model_.populations) {
      if (!targets || !pop.mechanism.empty()) out.push_back(pop.name);
      if (targets && pop.mechanism.empty()) {
        for (const PointSpec &p : model_.templates.at(pop.cellTemplate).points) out.push_back(pop.name + "." + p.name);
      }
    }
    for (const auto &p : points_) out.push_back(p.spec->name);
    return out;
  }

  // Cells of a population selection, in gid order: first index and end.
  template <class F>
  void forPopulation(const Population &pop, const std::string &range, const SourceLocation &at, F f) {
    const auto [first, end] = parseRange(range, pop.count, at, "population '" + pop.name + "'");
    if (pop.mechanism.empty()) {
      std::size_t offset = 0;
      for (const Population &p : model_.populations) {
        if (&p == &pop) break;
        if (p.mechanism.empty()) offset += static_cast<std::size_t>(p.count);
      }
      for (int i = first; i < end; ++i) f(&cells_[offset + static_cast<std::size_t>(i)], nullptr);
    } else {
      std::size_t offset = 0;
      for (const Population &p : model_.populations) {
        if (&p == &pop) break;
        if (!p.mechanism.empty()) offset += static_cast<std::size_t>(p.count);
      }
      for (int i = first; i < end; ++i) f(nullptr, &artificial_[offset + static_cast<std::size_t>(i)]);
    }
  }

  void addSources(const Selection &sel, const NetConSpec &spec, std::vector<Endpoint> &out) {
    if (sel.text.find('(') != std::string::npos) {
      const Location loc = parseLocation(sel.text, sel.at);
      Endpoint e;
      e.name = sel.text;
      // An explicit place is not a cell of a population: no autapse rule applies to it.
      e.source = detectorAt(loc, spec.threshold, sel.text, nullptr);
      out.push_back(e);
      return;
    }
    const SelectionParts parts = splitSelection(sel.text, sel.at);
    if (const Population *pop = population(parts.name)) {
      if (!parts.rest.empty()) throw ModelError(sel.at, "a source is a cell or a place on it: '" + sel.text + "'", "write \"" + parts.name + "\", \"" + parts.name + "[i]\" or \"" + parts.name + "[i].section(x)\"");
      if (pop->mechanism.empty() && !model_.templates.at(pop->cellTemplate).spikeSource) {
        throw ModelError(sel.at, "the cells of '" + pop->name + "' have no spike source", "add spike_source = { at = \"soma(0.5)\", threshold = 10 } to cell template '" + pop->cellTemplate + "'");
      }
      forPopulation(*pop, parts.range, sel.at, [&](const CellInstance *c, const ArtificialInstance *a) {
        Endpoint e;
        e.name = c ? c->name : a->name;
        e.cell = e.source = c ? c->gid : a->gid;
        out.push_back(e);
      });
      return;
    }
    if (const PointPlacement *p = namedPoint(parts.name); p != nullptr && !parts.bracketed && parts.rest.empty()) {
      auto it = pointSources_.find(p);
      if (it == pointSources_.end()) {
        it = pointSources_.emplace(p, newSource(p->spec->name, p->site ? p->site->cell->gid : -1)).first;
        if (p->placed.id >= 0) sim(p->placed.part).setSpikeSource(ref(p->placed).mechanism, ref(p->placed).instance, it->second);
      }
      Endpoint e;
      e.name = p->spec->name;
      e.source = it->second;
      out.push_back(e);
      return;
    }
    throw ModelError(sel.at, "no population or point process is named '" + parts.name + "'", suggestion(parts.name, endpointNames(false), "the sources"));
  }

  void addTargets(const Selection &sel, std::vector<Endpoint> &out) {
    const SelectionParts parts = splitSelection(sel.text, sel.at);
    if (const Population *pop = population(parts.name)) {
      if (!pop->mechanism.empty()) {
        if (!parts.rest.empty()) throw ModelError(sel.at, "'" + pop->name + "' is a population of artificial cells: they are targets themselves", "write \"" + pop->name + "\" or \"" + pop->name + "[i]\"");
        const rv_mechanism &m = mechanism(pop->mechanism, pop->at);
        forPopulation(*pop, parts.range, sel.at, [&](const CellInstance *, const ArtificialInstance *a) {
          out.push_back(Endpoint{a->name, a->gid, -1, a->placed, &m});
        });
        return;
      }
      const CellTemplate &t = model_.templates.at(pop->cellTemplate);
      std::size_t k = 0;
      while (k < t.points.size() && t.points[k].name != parts.rest) ++k;
      if (k == t.points.size()) {
        std::vector<std::string> names;
        for (const PointSpec &p : t.points) names.push_back(p.name);
        throw ModelError(sel.at, parts.rest.empty() ? "a target on cells of '" + pop->name + "' names one of their points: \"" + pop->name + ".<point>\""
                                                    : "cell template '" + t.name + "' has no point '" + parts.rest + "'",
                         names.empty() ? "add points = [{ name = \"syn\", mechanism = \"ExpSyn\", at = \"dend(0.5)\" }] to the template" : suggestion(parts.rest, names, "its points"));
      }
      const rv_mechanism &m = mechanism(t.points[k].mechanism, t.points[k].at);
      forPopulation(*pop, parts.range, sel.at, [&](const CellInstance *c, const ArtificialInstance *) {
        out.push_back(Endpoint{c->name + "." + parts.rest, c->gid, -1, c->owned ? c->points[k] : Placed{}, &m});
      });
      return;
    }
    if (const PointPlacement *p = namedPoint(parts.name); p != nullptr && !parts.bracketed && parts.rest.empty()) {
      out.push_back(Endpoint{p->spec->name, p->site ? p->site->cell->gid : -1, -1, p->placed, p->mechanism});
      return;
    }
    throw ModelError(sel.at, "no population or point process is named '" + parts.name + "'", suggestion(parts.name, endpointNames(true), "the targets"));
  }

  struct PendingNetCon {
    std::size_t part;
    sim::NetCon netcon;
    const NetConSpec *spec;
    std::string from, to;
  };

  // Tells every rank which of its sources this rank's connections listen to: only their
  // spikes need to travel.
  void shareWantedSources(const std::vector<PendingNetCon> &pending) {
    if (comm_.size() == 1) return;
    std::vector<std::vector<std::int32_t>> wanted(static_cast<std::size_t>(comm_.size()));
    for (const PendingNetCon &p : pending) {
      const int owner = ownerOfSource(p.netcon.source);
      if (owner != comm_.rank()) wanted[static_cast<std::size_t>(owner)].push_back(p.netcon.source);
    }
    for (auto &list : wanted) {
      std::sort(list.begin(), list.end());
      list.erase(std::unique(list.begin(), list.end()), list.end());
    }
    sentSources_ = comm_.allToAll(wanted);
  }

  // Returns the exchange interval in steps.
  std::int64_t connect() {
    const double dt = model_.dt;
    std::vector<PendingNetCon> pending;
    for (const NetConSpec &spec : model_.netcons) {
      std::vector<Endpoint> sources, targets;
      for (const Selection &s : spec.sources) addSources(s, spec, sources);
      for (const Selection &t : spec.targets) addTargets(t, targets);
      if (spec.rule == ConnectionRule::Ring && !spec.ruleGiven) throw ModelError(spec.at, "internal: ring without rule");
      std::size_t expectedWeights = 1;
      for (const Endpoint &t : targets) {
        if (!hasNetReceive(*t.mechanism)) {
          throw ModelError(spec.at, std::string(t.mechanism->name) + " ('" + t.name + "') has no NET_RECEIVE block", "the target must be a synapse or an artificial cell");
        }
        expectedWeights = std::max<std::size_t>(expectedWeights, static_cast<std::size_t>(std::max(t.mechanism->net_receive_args, 1)));
      }
      const std::size_t given = spec.hasWeight ? 1 + spec.moreWeights.size() : 0;
      if (given > expectedWeights && !targets.empty()) {
        throw ModelError(spec.at, std::to_string(given) + " weights given; " + targets.front().mechanism->name + "'s NET_RECEIVE takes " + std::to_string(expectedWeights));
      }
      RuleInput input;
      input.sources = static_cast<std::int32_t>(sources.size());
      input.targets = static_cast<std::int32_t>(targets.size());
      input.sourceCell = [&](std::int32_t s) { return sources[static_cast<std::size_t>(s)].cell; };
      input.targetCell = [&](std::int32_t t) { return targets[static_cast<std::size_t>(t)].cell; };
      if (comm_.size() > 1) input.wanted = [&](std::int32_t t) { return targets[static_cast<std::size_t>(t)].placed.id >= 0; };
      // Weights of conductance synapses are in uS (NEURON's convention); a plain number is taken as is.
      input.weight = spec.hasWeight && spec.weight.kind == Draw::Kind::Constant ? plainNumber(spec.weight.constant, "uS", "a weight") : 0.0;
      input.delay = spec.delay.kind == Draw::Kind::Constant ? spec.delay.constant.number : 1.0;
      std::vector<double> more;
      for (const Value &w : spec.moreWeights) more.push_back(plainNumber(w, "uS", "a weight"));
      const std::vector<Edge> edges = expandRule(spec, input);
      // Each rank makes the edges ending on its cells: the rule made none if no rank did.
      const bool none = comm_.size() > 1 ? comm_.allTrue(edges.empty()) : edges.empty();
      if (none && comm_.rank() == 0 && !sources.empty() && !targets.empty()) {
        out_.warnings.push_back(spec.at.file + ":" + std::to_string(spec.at.line) + ": this [[netcon]] makes no connection" +
                                (spec.autapses ? "" : " (a cell does not connect to itself unless autapses = true)"));
      }
      for (const Edge &e : edges) {
        const Endpoint &src = sources[static_cast<std::size_t>(e.source)];
        const Endpoint &tgt = targets[static_cast<std::size_t>(e.target)];
        if (tgt.placed.id < 0) continue;  // a target on another rank
        sim::NetCon nc;
        nc.source = src.source;
        nc.targetMechanism = ref(tgt.placed).mechanism;
        nc.targetInstance = ref(tgt.placed).instance;
        nc.delay = e.delay;
        if (spec.hasWeight) {
          nc.weights.push_back(e.weight);
          nc.weights.insert(nc.weights.end(), more.begin(), more.end());
        }
        pending.push_back({tgt.placed.part, std::move(nc), &spec, src.name, tgt.name});
      }
    }
    // The exchange interval: the shortest delay. With one part, shorter delays than dt
    // are delivered at once instead; with more, they are an error.
    double shortest = 0;
    bool any = false;
    for (const PendingNetCon &p : pending) {
      if ((parts_ > 1 || comm_.size() > 1) && !(p.netcon.delay >= dt)) {
        throw ModelError(p.spec->at, "the connection from " + p.from + " to " + p.to + " has delay " + shortText(p.netcon.delay) + " ms, below dt = " + shortText(dt) + " ms",
                         "with more than one thread or rank every delay must be at least dt (they exchange spikes once per shortest delay); lengthen it or run with --threads 1");
      }
      if (p.netcon.delay >= dt && (!any || p.netcon.delay < shortest)) {
        shortest = p.netcon.delay;
        any = true;
      }
    }
    shareWantedSources(pending);
    // Every rank must use the same interval: the shortest delay anywhere.
    shortest = comm_.minimum(any ? shortest : std::numeric_limits<double>::infinity());
    any = std::isfinite(shortest);
    constexpr std::int64_t kLongestInterval = 1000;  // steps: bounds the sample buffers and keeps progress lively
    const std::int64_t interval = any ? std::clamp<std::int64_t>(static_cast<std::int64_t>(std::floor(shortest / dt + 1e-9)), 1, kLongestInterval)
                                      : std::min<std::int64_t>(kLongestInterval, std::max<std::int64_t>(1, std::llround(1.0 / dt)));
    out_.minimumDelay = any ? shortest : 0;
    for (PendingNetCon &p : pending) {
      p.netcon.immediate = parts_ == 1 && comm_.size() == 1 && !(p.netcon.delay >= static_cast<double>(interval) * dt * (1 - 1e-12));
      try {
        sim(p.part).addNetCon(std::move(p.netcon));
      } catch (const std::exception &e) {
        throw ModelError(p.spec->at, e.what());
      }
    }
    out_.connections = pending.size();
    return interval;
  }

  static std::string shortText(double v) {  // "0.025", not "0.025000"
    std::ostringstream s;
    s << v;
    return s.str();
  }

  // ---- recordings ---------------------------------------------------------------------

  void recordSpikes() {
    sim::Network &n = *out_.network;
    if (!model_.spikes.empty()) {
      for (const CellInstance &c : cells_) {
        if (c.shape->source->spikeSource) n.recordSource(c.gid);
      }
      for (const ArtificialInstance &a : artificial_) n.recordSource(a.gid);
      out_.recordsSpikes = out_.gidCount > 0 && (!artificial_.empty() || std::any_of(cells_.begin(), cells_.end(), [](const CellInstance &c) {
                                                  return c.shape->source->spikeSource.has_value();
                                                }));
    }
    for (const RecordSpec &r : model_.records) {
      if (r.variable != "spikes") continue;
      if (!r.location) throw ModelError(r.at, "recording spikes needs a location (where v crosses the threshold)", "add at = \"soma(0.5)\"");
      const std::string label = r.label.empty() ? r.location->text : r.label;
      const std::int32_t source = detectorAt(*r.location, r.threshold, label, nullptr);
      out_.sourceLabels[static_cast<std::size_t>(source - out_.gidCount)] = label;
      n.recordSource(source);
      out_.recordsSpikes = true;
    }
  }

  // The rank that records `r`; -1: every rank (a value not on any cell).
  int recordingRank(const RecordSpec &r) {
    if (const auto dot = r.variable.find('.'); dot != std::string::npos && !r.location) {
      // a point process: its cell's rank (placed or not on this one); an artificial cell's: rank 0's
      if (const auto *p = namedPoint(r.variable.substr(0, dot))) return p->spec->location ? ownerOf(cellOf(*p->spec->location).gid) : ownerOf(-1);
    }
    return r.location ? ownerOf(cellOf(*r.location).gid) : -1;
  }

  struct Probed {
    std::size_t part;
    const double *value;
  };

  // What `r` names, for a recording or (verb "point at") a [[pointer]]'s target.
  Probed probe(const RecordSpec &r, const std::string &verb = "record") {
    const std::string &name = r.variable;
    if (const auto dot = name.find('.'); dot != std::string::npos) {
      const std::string owner = name.substr(0, dot), var = name.substr(dot + 1);
      if (const auto *p = namedPoint(owner)) {
        if (r.location) throw ModelError(r.location->at, "'" + owner + "' is a point process: its variables need no location");
        sim::MechanismSet &s = set(p->placed);
        const auto [base, k] = elementOf(var, r.at);
        const rv_variable *v = findVariable(s.description(), base);
        if (v == nullptr || v->storage != RV_STORAGE_FIELD) {
          throw ModelError(r.at, std::string(s.description().name) + " has no variable '" + base + "' to " + verb, suggestion(base, recordableNames(s.description()), "its variables"));
        }
        return {p->placed.part, element(s, *v, ref(p->placed).instance, k, var, r.at)};
      }
      return densityProbe(r, owner, var, verb);
    }
    if (const auto under = name.rfind('_'); under != std::string::npos && provider_.find(name.substr(under + 1)) != nullptr) {
      return densityProbe(r, name.substr(under + 1), name.substr(0, under), verb);
    }
    if (!r.location) throw ModelError(r.at, (verb == "record" ? "recording '" : "'") + name + "' needs a location", verb == "record" ? "add at = \"soma(0.5)\"" : "add target_at = \"soma(0.5)\"");
    const CellInstance &c = cellOf(*r.location);
    const std::int32_t section = sectionOf(c, r.location->section, r.location->at);
    if (name == "v") {
      const CellInstance::NodeAt at = c.at(c.shape->discretisation.nodeAt(section, r.location->x));
      return {at.part, groupOf(at.part).nodes.v.data() + position(at.part, at.node)};
    }
    const CellInstance::NodeAt at = c.at(c.shape->discretisation.segmentAt(section, r.location->x));
    const std::int32_t node = position(at.part, at.node);
    for (const sim::Ion &ion : groupOf(at.part).ions) {
      const std::string &i = ion.species.name;
      const std::pair<std::string, int> names[] = {{"e" + i, RV_ION_REVERSAL}, {i + "i", RV_ION_INSIDE}, {i + "o", RV_ION_OUTSIDE}, {"i" + i, RV_ION_CURRENT}};
      for (const auto &[n, q] : names) {
        if (n == name) return {at.part, ion.values[static_cast<std::size_t>(q)].data() + node};
      }
    }
    throw ModelError(r.at, "nothing to " + verb + " under the name '" + name + "'",
                     verb + " \"v\", an ion variable (e.g. \"ina\", \"cai\"), \"mechanism.variable\" at a location, \"point.variable\"" +
                         (verb == "record" ? " or \"spikes\"" : ""));
  }

  // "ca[1]": the element of an array variable; "ca": element 0.
  static std::pair<std::string, std::int32_t> elementOf(const std::string &var, const SourceLocation &at) {
    const auto open = var.find('[');
    if (open == std::string::npos) return {var, 0};
    std::int32_t k = -1;
    const auto [end, ec] = std::from_chars(var.data() + open + 1, var.data() + var.size(), k);
    if (ec != std::errc() || k < 0 || end != var.data() + var.size() - 1 || var.back() != ']') {
      throw ModelError(at, "'" + var + "' is not a variable or an element of one", "name an element as ca[1]");
    }
    return {var.substr(0, open), k};
  }

  const double *element(sim::MechanismSet &s, const rv_variable &v, std::int32_t instance, std::int32_t k, const std::string &var, const SourceLocation &at) {
    if (k >= v.size) throw ModelError(at, fmt::format("{} has {} element{}; there is no {}", v.name, v.size, v.size == 1 ? "" : "s", var), "elements are numbered from 0");
    return &s.instances.value(v, instance, k);
  }

  Probed densityProbe(const RecordSpec &r, const std::string &mechanismName, const std::string &var, const std::string &verb) {
    if (!r.location) throw ModelError(r.at, (verb == "record" ? "recording '" : "'") + r.variable + "' needs a location", verb == "record" ? "add at = \"soma(0.5)\"" : "add target_at = \"soma(0.5)\"");
    const rv_mechanism &m = mechanism(mechanismName, r.at);
    const CellInstance &c = cellOf(*r.location);
    const std::int32_t section = sectionOf(c, r.location->section, r.location->at);
    const CellInstance::NodeAt at = c.at(c.shape->discretisation.segmentAt(section, r.location->x));
    const auto it = densityAt_.find({m.name, at.part, at.node});
    if (it == densityAt_.end()) {
      throw ModelError(r.at, std::string(m.name) + " is not inserted at " + r.location->text, "insert it there or " + verb + " elsewhere");
    }
    const auto [name, k] = elementOf(var, r.at);
    const rv_variable *v = findVariable(m, name);
    if (v == nullptr || v->storage != RV_STORAGE_FIELD) throw ModelError(r.at, std::string(m.name) + " has no variable '" + name + "' to " + verb, suggestion(name, recordableNames(m), "its variables"));
    const Placed placed{at.part, it->second};
    return {at.part, element(set(placed), *v, ref(placed).instance, k, var, r.at)};
  }

  // ---- FUNCTION_TABLEs -----------------------------------------------------------------

  // The [[function_table]] entries' values, each checked against its mechanism, given to
  // every group's instances; a table of a mechanism in use without values is an error.
  void giveFunctionTables() {
    std::map<std::pair<std::string, std::string>, std::pair<std::shared_ptr<const runtime::FunctionTableData>, SourceLocation>> given;
    for (const FunctionTableSpec &f : model_.functionTables) {
      const auto dot = f.function.find('.');
      const std::string mechanismName = f.function.substr(0, dot), name = f.function.substr(dot + 1);
      const rv_mechanism &m = mechanism(mechanismName, f.at);
      std::vector<std::string> names;
      const rv_function_table *table = nullptr;
      for (std::int32_t k = 0; k < m.function_table_count; ++k) {
        names.push_back(m.function_tables[k].name);
        if (names.back() == name) table = &m.function_tables[k];
      }
      if (table == nullptr) {
        throw ModelError(f.at, std::string(m.name) + " has no FUNCTION_TABLE '" + name + "'",
                         names.empty() ? std::string(m.name) + " declares none" : suggestion(name, names, "its FUNCTION_TABLEs"));
      }
      if (!f.constant && f.axes.size() != static_cast<std::size_t>(table->arity)) {
        throw ModelError(f.at, fmt::format("{}.{} takes {} argument{}: give {}", m.name, name, table->arity, table->arity == 1 ? "" : "s", table->arity == 1 ? "x alone" : "x and y"));
      }
      std::shared_ptr<const runtime::FunctionTableData> data;
      if (f.constant) {
        data = std::make_shared<runtime::FunctionTableData>(runtime::FunctionTableData::constant(*f.constant, static_cast<std::size_t>(table->arity)));
      } else {
        std::vector<runtime::TableAxis> axes;
        for (const FunctionTableSpec::Axis &a : f.axes) {
          axes.push_back(a.points.empty() ? runtime::TableAxis::uniform(a.from, a.to, a.size) : runtime::TableAxis::explicitPoints(a.points));
        }
        try {
          data = std::make_shared<runtime::FunctionTableData>(std::move(axes), f.values);
        } catch (const std::invalid_argument &e) {
          throw ModelError(f.valuesAt, std::string("bad table for ") + f.function + ": " + e.what());
        }
      }
      if (auto [it, added] = given.try_emplace({m.name, name}, data, f.at); !added) {
        throw ModelError(f.at, f.function + " is already given, at line " + std::to_string(it->second.second.line), "keep one of the two");
      }
    }
    for (sim::CellGroup &g : groups_) {
      for (auto &set : g.mechanisms) {
        const rv_mechanism &m = set->description();
        set->functionTables.clear();
        for (std::int32_t k = 0; k < m.function_table_count; ++k) {
          const auto it = given.find({m.name, m.function_tables[k].name});
          if (it == given.end()) {
            const std::string name = std::string(m.name) + "." + m.function_tables[k].name;
            const auto use = firstUse_.find(m.name);
            throw ModelError(use != firstUse_.end() ? use->second : SourceLocation{model_.file.string(), 1, 1}, "the FUNCTION_TABLE " + name + " has no values",
                             "give them in a [[function_table]] entry: function = \"" + name + "\", x = [...], values = [...] (docs/model-files.md)");
          }
          set->functionTables.push_back(it->second.first);
        }
      }
    }
  }

  // ---- LONGITUDINAL_DIFFUSION -----------------------------------------------------------

  static bool diffuses(const rv_mechanism &m) {
    for (std::int32_t k = 0; k < m.kernel_count; ++k) {
      if (m.kernels[k].kind == RV_KERNEL_DIFFUSION) return true;
    }
    return false;
  }

  // For each mechanism that diffuses along cells, the tree of its instances in each part:
  // the parent of an instance is the instance at its node's parent, else (a zero-area
  // end node between them) at the parent's parent, else at the first segment of the
  // parent section (NEURON's longdifusalloc); dx is each section's L/nseg.
  void setUpDiffusion() {
    for (std::size_t part = 0; part < parts_; ++part) {
      sim::CellGroup &g = groupOf(part);
      for (std::size_t k = 0; k < g.mechanisms.size(); ++k) {
        const rv_mechanism &m = g.mechanisms[k]->description();
        if (!diffuses(m)) continue;
        sim::Simulation::LongitudinalDiffusion ld;
        ld.mechanism = k;
        for (std::int32_t j = 0; j < m.kernel_count; ++j) {
          const rv_kernel &kernel = m.kernels[j];
          if (kernel.kind != RV_KERNEL_DIFFUSION) continue;
          const std::string state = std::string(kernel.name).substr(std::string("ldifus_").size());
          sim::Simulation::LongitudinalDiffusion::Species s{&kernel, g.mechanisms[k]->instances.kernel("ldifus_volume_" + state),
                                                            g.mechanisms[k]->instances.variable(state)};
          if (s.volume == nullptr || s.state == nullptr) throw std::logic_error("a diffusion kernel without its volume or state");
          ld.species.push_back(s);
        }
        std::vector<const DensityPlacement *> rows;
        for (const DensityPlacement &d : densities_) {
          if (d.placed.part == part && ref(d.placed).mechanism == static_cast<std::int32_t>(k)) rows.push_back(&d);
        }
        std::stable_sort(rows.begin(), rows.end(), [&](const DensityPlacement *x, const DensityPlacement *y) {
          return position(part, x->site.node) < position(part, y->site.node);
        });
        std::map<std::pair<const CellInstance *, std::int32_t>, std::int32_t> rowAt;  // (cell, its node) -> row
        for (std::size_t r = 0; r < rows.size(); ++r) rowAt[{rows[r]->site.cell, rows[r]->site.local}] = static_cast<std::int32_t>(r);
        for (const DensityPlacement *d : rows) {
          const CellInstance &c = *d->site.cell;
          const cell::Discretisation &dis = c.shape->discretisation;
          auto rowOf = [&](std::int32_t local) {
            const auto it = local >= 0 ? rowAt.find({&c, local}) : rowAt.end();
            return it == rowAt.end() ? -1 : it->second;
          };
          const std::int32_t node = d->site.local, up = dis.parent[static_cast<std::size_t>(node)];
          std::int32_t parent = rowOf(up);
          if (parent < 0) {
            const std::int32_t upper = up >= 0 ? dis.parent[static_cast<std::size_t>(up)] : -1;
            parent = rowOf(upper);
            if (parent < 0) {
              const int parentSection = c.shape->morphology.sections[static_cast<std::size_t>(d->site.section)].parent;
              if (parentSection >= 0) parent = rowOf(dis.sections[static_cast<std::size_t>(parentSection)].segment(0));
            }
          }
          auto dx = [&](std::int32_t section) {
            const auto &s = dis.sections[static_cast<std::size_t>(section)];
            return s.length / static_cast<double>(s.nseg);
          };
          double af = 0, bf = 0;
          if (parent >= 0) {
            const double dxc = dx(d->site.section), dxp = dx(rows[static_cast<std::size_t>(parent)]->site.section);
            const double rall = 1;  // NEURON's rallbranch, which Ranvier does not have
            af = 2 * rall / dxp / (dxc + dxp);
            bf = 2 / dxc / (dxc + dxp);
          }
          ld.instance.push_back(ref(d->placed).instance);
          ld.parent.push_back(parent);
          ld.af.push_back(af);
          ld.bf.push_back(bf);
        }
        sim(part).addLongitudinalDiffusion(std::move(ld));
      }
    }
  }

  // ---- POINTERs ----------------------------------------------------------------------

  // One entry per POINTER: "pop[range].point.name" with target_at "pop[range].section(x)"
  // becomes one entry per selected cell, paired in order with offset (PointerSpec).
  void expandPointers() {
    for (const PointerSpec &p : model_.pointers) {
      if (p.targetSelection.empty()) {
        pointers_.push_back(p);
        continue;
      }
      const SelectionParts owner = splitSelection(p.pointer, p.at);
      const Population *from = population(owner.name);
      if (from == nullptr || !from->mechanism.empty()) {
        throw ModelError(p.at, "no population of cells is named '" + owner.name + "'", "pointer = \"pop.point.name\" names a template point on the cells of a population");
      }
      const auto [first, end] = parseRange(owner.range, from->count, p.at, "population '" + from->name + "'");
      const std::string pointName = owner.rest.substr(0, owner.rest.find('.'));
      const CellTemplate &t = model_.templates.at(from->templateOf(first));
      if (std::none_of(t.points.begin(), t.points.end(), [&](const PointSpec &q) { return q.name == pointName; })) {
        std::vector<std::string> names;
        for (const PointSpec &q : t.points) names.push_back(q.name);
        throw ModelError(p.at, "cell template '" + t.name + "' has no point '" + pointName + "'", suggestion(pointName, names, "its points"));
      }
      const SelectionParts place = splitSelection(p.targetSelection, p.targetAt);
      const Population *to = population(place.name);
      if (to == nullptr || !to->mechanism.empty()) {
        throw ModelError(p.targetAt, "no population of cells is named '" + place.name + "'", "target_at = \"pop.section(x)\" or \"pop[range].section(x)\"");
      }
      const auto [firstPlace, endPlace] = parseRange(place.range, to->count, p.targetAt, "population '" + to->name + "'");
      const Location site = parseLocation(place.rest, p.targetAt);
      if (!site.population.empty() || place.rest.empty()) {
        throw ModelError(p.targetAt, "'" + p.targetSelection + "' does not name one place on each cell", "write pop.section(x), e.g. \"ring.soma(0.5)\"");
      }
      const int owners = end - first, places = endPlace - firstPlace;
      if (owners != places) {
        throw ModelError(p.at, fmt::format("{} POINTERs and {} places: they are paired one to one", owners, places), "select as many cells on both sides");
      }
      for (int k = 0; k < owners; ++k) {
        PointerSpec one = p;
        one.targetSelection.clear();
        one.templatePoint = true;
        one.pointer = owner.rest;
        one.location = Location{fmt::format("{}[{}]", from->name, first + k), from->name, first + k, "", 0.5, p.at};
        const int target = firstPlace + static_cast<int>(((static_cast<long long>(k) + p.offset) % places + places) % places);
        one.targetLocation = Location{fmt::format("{}[{}].{}({:g})", to->name, target, site.section, site.x), to->name, target, site.section, site.x, p.targetAt};
        pointers_.push_back(std::move(one));
      }
    }
  }

  static std::pair<std::string, std::string> ownerAndName(const PointerSpec &p) {
    const auto dot = p.pointer.find('.');
    return {p.pointer.substr(0, dot), p.pointer.substr(dot + 1)};
  }

  const PointSpec &pointerPoint(const PointerSpec &p) const {
    const std::string owner = ownerAndName(p).first;
    if (const PointSpec *point = modelPoint(owner)) {
      if (!point->location) throw ModelError(p.at, "'" + owner + "' is an artificial cell; Ranvier sets POINTERs of point processes and density mechanisms");
      return *point;
    }
    std::vector<std::string> names;
    for (const PointSpec &point : model_.points) names.push_back(point.name);
    throw ModelError(p.at, "no [[point]] is named '" + owner + "'",
                     suggestion(owner, names, "the [[point]]s") + "; for a density mechanism's POINTER add at = \"pop[i].section(x)\"");
  }

  // The cell whose mechanism holds the POINTER.
  const CellInstance *pointerOwnerCell(const PointerSpec &p) {
    if (p.location) return &cellOf(*p.location);
    return &cellOf(*pointerPoint(p).location);
  }

  // The cell of what it points at; null when the target names no place (probe() says why).
  const CellInstance *pointerTargetCell(const PointerSpec &p) {
    if (p.targetLocation) return &cellOf(*p.targetLocation);
    if (const auto dot = p.target.find('.'); dot != std::string::npos) {
      if (const PointSpec *point = modelPoint(p.target.substr(0, dot)); point != nullptr && point->location) return &cellOf(*point->location);
    }
    return nullptr;
  }

  // The rank that holds what it points at (artificial [[point]]s are rank 0's); -1 when
  // the target names no place (probe() says why).
  int pointerTargetRank(const PointerSpec &p) {
    if (const CellInstance *c = pointerTargetCell(p)) return ownerOf(c->gid);
    if (const auto dot = p.target.find('.'); dot != std::string::npos && !p.targetLocation) {
      if (modelPoint(p.target.substr(0, dot)) != nullptr) return ownerOf(-1);
    }
    return -1;
  }

  // The mechanism whose POINTER it sets, from the model alone (before cells exist);
  // null for bad names, which pointerOwner() reports.
  const rv_mechanism *pointerMechanism(const PointerSpec &p) {
    const std::string owner = ownerAndName(p).first;
    if (p.templatePoint) {
      const auto pop = std::find_if(model_.populations.begin(), model_.populations.end(), [&](const Population &q) { return q.name == p.location->population; });
      if (pop == model_.populations.end() || p.location->cell < 0 || p.location->cell >= pop->count) return nullptr;
      const auto t = model_.templates.find(pop->templateOf(p.location->cell));
      if (t == model_.templates.end()) return nullptr;
      const auto &points = t->second.points;
      const auto it = std::find_if(points.begin(), points.end(), [&](const PointSpec &q) { return q.name == owner; });
      return it == points.end() ? nullptr : provider_.find(it->mechanism);
    }
    if (!p.location) {
      const PointSpec *point = modelPoint(owner);
      return point == nullptr ? nullptr : provider_.find(point->mechanism);
    }
    return provider_.find(owner);
  }

  // A POINTER at a voltage that its mechanism reads only before v changes in a step
  // (INITIAL, current kernels, NET_RECEIVE, WATCH conditions; FUNCTIONs and PROCEDUREs
  // only as those call them) and never writes: sim::VoltageTransfer can feed it with a
  // copy made once per step when the two cells run on different threads, with the
  // same values. Gap junctions are such POINTERs.
  bool readsVoltageOnly(const PointerSpec &p) {
    if (p.target != "v" || !p.targetLocation) return false;
    const rv_mechanism *m = pointerMechanism(p);
    const rv_variable *v = m ? findVariable(*m, ownerAndName(p).second) : nullptr;
    if (v == nullptr || v->storage != RV_STORAGE_POINTER) return false;
    return (v->read_by & ~kReadBeforeVoltageChanges) == 0 && (v->written_by & ~kCalledOnly) == 0;
  }
  // rv_variable.read_by / written_by bits: kernels the runtime never calls itself (only
  // other kernels do, which carry their bits too), and the kernels that run before v
  // changes in a step (not a TABLE's check: it runs before v_init is set and handed over).
  static constexpr std::uint32_t kCalledOnly = (1u << RV_KERNEL_FUNCTION) | (1u << RV_KERNEL_PROCEDURE);
  static constexpr std::uint32_t kReadBeforeVoltageChanges = (1u << RV_KERNEL_INIT) | (1u << RV_KERNEL_CURRENT) | (1u << RV_KERNEL_NET_RECEIVE) |
                                                             (1u << RV_KERNEL_NET_INIT) | (1u << RV_KERNEL_WATCH) | kCalledOnly;

  // Why a POINTER joining two cells cannot take a copy of the other's v (the first such
  // entry's reason goes into the thread-0 warning, with what would let it cross).
  std::string whyJoined(const PointerSpec &p) {
    const std::string name = ownerAndName(p).second;
    if (p.target != "v" || !p.targetLocation) return "the POINTER " + p.pointer + " points at " + p.target + ", not at a voltage";
    const rv_mechanism *m = pointerMechanism(p);
    const rv_variable *v = m ? findVariable(*m, name) : nullptr;
    if (v == nullptr) return {};
    auto kinds = [](std::uint32_t bits) {
      const std::pair<rv_kernel_kind, const char *> names[] = {
          {RV_KERNEL_STATE, "SOLVE"}, {RV_KERNEL_BEFORE, "BEFORE"}, {RV_KERNEL_AFTER, "AFTER"}, {RV_KERNEL_INIT, "INITIAL"},
          {RV_KERNEL_CURRENT, "BREAKPOINT"}, {RV_KERNEL_NET_RECEIVE, "NET_RECEIVE"}, {RV_KERNEL_DIFFUSION, "LONGITUDINAL_DIFFUSION"},
          {RV_KERNEL_TABLE_CHECK, "a TABLE"}, {RV_KERNEL_WATCH, "WATCH"}};
      std::string out;
      for (const auto &[k, text] : names) {
        if ((bits & (1u << k)) != 0) out += (out.empty() ? "" : ", ") + std::string(text);
      }
      return out.empty() ? std::string("some kernel") : out;
    };
    if ((v->written_by & ~kCalledOnly) != 0) return std::string(m->name) + " writes through its POINTER " + name + " in " + kinds(v->written_by);
    return std::string(m->name) + " reads its POINTER " + name + " in " + kinds(v->read_by & ~kReadBeforeVoltageChanges) +
           ", after v is updated; a POINTER that only BREAKPOINT's currents, INITIAL or NET_RECEIVE read may cross threads";
  }

  // The instance that holds the POINTER; id -1 when it is on another rank.
  Placed pointerOwner(const PointerSpec &p) {
    const auto [owner, name] = ownerAndName(p);
    if (p.templatePoint) {
      const CellInstance &c = cellOf(*p.location);
      const auto &points = c.shape->source->points;
      const auto it = std::find_if(points.begin(), points.end(), [&](const PointSpec &q) { return q.name == owner; });
      if (it == points.end()) throw ModelError(p.at, "cell " + c.name + " has no point '" + owner + "'");
      return c.owned ? c.points[static_cast<std::size_t>(it - points.begin())] : Placed{};
    }
    if (!p.location) {
      pointerPoint(p);
      const PointPlacement *placed = namedPoint(owner);
      return placed->placed.id >= 0 ? placed->placed : Placed{};
    }
    const rv_mechanism &m = mechanism(owner, p.at);
    if (m.kind != RV_DENSITY) {
      throw ModelError(p.location->at, std::string(m.name) + " is not a density mechanism",
                       "a point process's POINTER is named through its [[point]]: pointer = \"point." + name + "\", without at");
    }
    const CellInstance &c = cellOf(*p.location);
    const std::int32_t section = sectionOf(c, p.location->section, p.location->at);
    if (!c.owned) return {};
    const CellInstance::NodeAt at = c.at(c.shape->discretisation.segmentAt(section, p.location->x));
    const auto it = densityAt_.find({m.name, at.part, at.node});
    if (it == densityAt_.end()) throw ModelError(p.location->at, std::string(m.name) + " is not inserted at " + p.location->text);
    return {at.part, it->second};
  }

  // The entries of the model file and of the templates' insert lists, then the check
  // that none is left unset.
  void setPointers() {
    // Voltages read on another rank: every rank walks the same entries in the same order,
    // so each knows, without asking, where in what each rank sends the voltage it needs.
    std::vector<std::size_t> sentBy(static_cast<std::size_t>(comm_.size()), 0);
    std::vector<sim::VoltageExchange::RemoteExport> sent;
    struct Received {
      Placed placed;
      const PointerSpec *spec;
      RecordSpec target;
      int rank;
      std::size_t k;
    };
    std::vector<Received> received;
    for (const PointerSpec &p : pointers_) {
      RecordSpec target;
      target.variable = p.target;
      target.location = p.targetLocation;
      target.at = p.at;
      const bool voltage = readsVoltageOnly(p);
      if (const int from = voltage ? pointerTargetRank(p) : -1; from >= 0 && from != ownerOf(pointerOwnerCell(p)->gid)) {
        const std::size_t k = sentBy[static_cast<std::size_t>(from)]++;
        if (from == comm_.rank()) {
          const Probed at = probe(target, "point at");
          sent.push_back({at.part, transfer(at.part).exportVoltage(at.value)});
        }
        if (const Placed placed = pointerOwner(p); placed.id >= 0) received.push_back({placed, &p, target, from, k});
        continue;
      }
      const Placed placed = pointerOwner(p);
      if (placed.id < 0) continue;
      setPointer(placed, ownerAndName(p).second, target, "[[pointer]]", voltage);
    }
    const std::size_t exchanged = std::accumulate(sentBy.begin(), sentBy.end(), std::size_t{0});
    if (exchanged > 0) {
      for (const Received &r : received) {
        const std::size_t first = std::accumulate(sentBy.begin(), sentBy.begin() + r.rank, std::size_t{0});
        setPointer(r.placed, ownerAndName(*r.spec).second, r.target, "[[pointer]]", true, static_cast<std::int32_t>(first + r.k));
      }
      for (std::size_t part = 0; part < parts_; ++part) (void)transfer(part);  // every part meets every step
      remoteVoltages_ = {std::move(sent), std::move(sentBy)};
    }
    for (const DensityPlacement &d : densities_) {
      const CellInstance &c = *d.site.cell;
      for (const InsertionPointer &p : d.insertion->pointers) {
        RecordSpec target;
        target.variable = p.variable;
        target.at = p.at;
        Location place = p.place.value_or(Location{"", "", 0, c.shape->morphology.sections[static_cast<std::size_t>(d.site.section)].name, d.site.x, p.at});
        place.population = c.population->name;
        place.cell = c.index;
        place.text = fmt::format("{}.{}({:g})", c.name, place.section, place.x);
        target.location = std::move(place);
        setPointer(d.placed, p.name, target, "insert entry's pointers");
      }
    }
    checkPointersSet();
    connectTransfers();
  }

  // acrossThreads: the POINTER may read a value of another thread (readsVoltageOnly);
  // fromRank: it reads that voltage of the ones the ranks exchange instead of `target`.
  void setPointer(const Placed &placed, const std::string &name, const RecordSpec &target, const std::string &setter, bool acrossThreads = false,
                  std::optional<std::int32_t> fromRank = std::nullopt) {
    sim::MechanismSet &s = set(placed);
    const rv_mechanism &m = s.description();
    const rv_variable *v = findVariable(m, name);
    if (v == nullptr || v->storage != RV_STORAGE_POINTER) {
      std::vector<std::string> names;
      for (std::int32_t i = 0; i < m.variable_count; ++i) {
        if (m.variables[i].storage == RV_STORAGE_POINTER) names.push_back(m.variables[i].name);
      }
      throw ModelError(target.at, std::string(m.name) + " has no POINTER '" + name + "'",
                       names.empty() ? std::string(m.name) + " declares no POINTER" : suggestion(name, names, "its POINTERs"));
    }
    if (auto [it, added] = pointerSetBy_.try_emplace({placed.part, placed.id, v->slot}, target.at); !added) {
      throw ModelError(target.at, "this POINTER is already set, by the " + setter + " at line " + std::to_string(it->second.line), "keep one of the two");
    }
    // Kernels write through POINTERs as through their own fields.
    double *address = nullptr;
    if (fromRank) {
      address = transfer(placed.part).importRemoteVoltage(*fromRank);
    } else {
      const Probed at = probe(target, "point at");
      address = const_cast<double *>(at.value);
      if (at.part != placed.part) {
        if (!acrossThreads) {  // assignParts() keeps joined cells on one thread; this is a guard
          throw ModelError(target.at, "this POINTER points at a value that another thread computes", "run with threads = 1");
        }
        address = transfer(placed.part).importVoltage(at.part, transfer(at.part).exportVoltage(at.value));
      }
    }
    s.instances.setPointer(*v, ref(placed).instance, address);
    if (const rv_variable *flag = findVariable(m, "nrn_pointing_" + name)) s.instances.value(*flag, ref(placed).instance) = 1;
  }

  sim::VoltageTransfer &transfer(std::size_t part) {
    transfers_.resize(parts_);
    if (!transfers_[part]) transfers_[part] = std::make_unique<sim::VoltageTransfer>();
    return *transfers_[part];
  }

  // The parts that read each other's voltages meet once per step (sim::VoltageTransfer).
  void connectTransfers() {
    if (transfers_.empty()) return;
    std::vector<std::size_t> exports(parts_, 0);
    int participants = 0;
    for (std::size_t p = 0; p < transfers_.size(); ++p) {
      if (!transfers_[p]) continue;
      exports[p] = transfers_[p]->exports();
      ++participants;
    }
    auto exchange = std::make_shared<sim::VoltageExchange>(exports, participants);
    if (remoteVoltages_) exchange->setRemote(comm_, std::move(remoteVoltages_->first), std::move(remoteVoltages_->second));
    remoteVoltages_.reset();
    for (std::size_t p = 0; p < transfers_.size(); ++p) {
      if (!transfers_[p]) continue;
      transfers_[p]->join(exchange, p);
      sim(p).setTransfer(std::move(transfers_[p]));
    }
    transfers_.clear();
  }

  // Every POINTER of every instance points somewhere: NEURON reads whatever memory an
  // unset one holds (or crashes); here it is an error before the run.
  void checkPointersSet() {
    auto check = [&](const Placed &placed, const SourceLocation &at, const std::string &what) {
      if (placed.id < 0) return;
      sim::MechanismSet &s = set(placed);
      const rv_mechanism &m = s.description();
      for (std::int32_t i = 0; i < m.variable_count; ++i) {
        const rv_variable &v = m.variables[i];
        if (v.storage == RV_STORAGE_POINTER && s.instances.pointer(v, ref(placed).instance) == nullptr) {
          if (findVariable(m, "nrn_pointing_" + std::string(v.name)) != nullptr) {  // tested with nrn_pointing: may stay unset
            s.instances.setPointer(v, ref(placed).instance, s.instances.unsetTarget());
            continue;
          }
          throw ModelError(at, "the POINTER " + std::string(v.name) + " of " + what + " is not set",
                           "point it somewhere with a [[pointer]] entry: pointer = \"...\", target = \"v\", target_at = \"pop[i].section(x)\"");
        }
      }
    };
    for (const PointPlacement &p : points_) check(p.placed, p.spec->at, fmt::format("'{}' ({})", p.spec->name, p.mechanism->name));
    for (const PointPlacement &p : templatePoints_) check(p.placed, p.spec->at, fmt::format("'{}' ({}) on {}", p.spec->name, p.mechanism->name, p.site->cell->name));
    for (const DensityPlacement &d : densities_) {
      const CellInstance &c = *d.site.cell;
      check(d.placed, d.insertion->at,
            d.insertion->mechanism + " at " + c.name + "." + c.shape->morphology.sections[static_cast<std::size_t>(d.site.section)].name + fmt::format("({:g})", d.site.x));
    }
    for (const ArtificialInstance &a : artificial_) check(a.placed, a.population->at, a.name);
  }

  void record() {
    const double dt = model_.dt;
    std::map<std::string, std::size_t> files;
    for (const RecordSpec &r : model_.records) {
      if (r.variable == "spikes") continue;
      const double interval = r.interval > 0 ? r.interval : (model_.interval > 0 ? model_.interval : dt);
      const double steps = interval / dt;
      const auto every = static_cast<std::int64_t>(std::llround(steps));
      if (every < 1 || std::abs(steps - static_cast<double>(every)) > 1e-9 * steps) {
        throw ModelError(r.at, "the sampling interval " + std::to_string(interval) + " ms is not a multiple of dt = " + std::to_string(dt) + " ms");
      }
      const std::string file = r.file.empty() ? model_.traces : r.file;
      auto [it, added] = files.try_emplace(file, out_.traces.size());
      if (added) out_.traces.push_back(TraceFile{file, {}, every});
      TraceFile &tf = out_.traces[it->second];
      if (tf.everySteps != every) {
        throw ModelError(r.at, "recordings in one file share one interval; " + file + " already samples every " + std::to_string(tf.everySteps) + " steps",
                         "give this recording its own file = \"...\"");
      }
      std::string label = r.label;
      if (label.empty()) label = r.location ? r.location->text + "." + r.variable : r.variable;
      const int rank = recordingRank(r);
      tf.columns.push_back(label);
      tf.columnRank.push_back(rank);
      if (rank >= 0 && rank != comm_.rank()) continue;  // each rank writes what it owns
      const Probed p = probe(r);
      tf.probes.push_back({label, p.part, p.value});
    }
  }

  const Model &model_;
  MechanismProvider &provider_;
  sim::Communicator &comm_;
  std::map<std::string, Shape> shapes_;
  std::map<std::string, double> templateCost_;
  std::map<std::string, std::vector<double>> templateNodeCost_;
  std::vector<sim::SplitCellLayout> splits_;   // the cells cut into pieces
  std::vector<CellInstance *> splitCell_;      // and which cell each is
  std::map<std::string, bool> templateUnsafe_;
  std::map<std::string, std::size_t> unsafe_;
  std::size_t parts_ = 1;
  std::size_t linkedCells_ = 0;  // cells that [[pointer]] entries join
  std::size_t voltagePointers_ = 0;  // POINTERs at other cells' v that may cross threads
  std::string linkedWhy_;            // why the first POINTER that joins two cells does
  std::vector<PointerSpec> pointers_;  // the model's, the forms for many cells expanded
  std::unordered_map<std::string, std::size_t> pointNumber_;  // [[point]] name -> its number in model_.points (and points_)
  std::vector<std::unique_ptr<sim::VoltageTransfer>> transfers_;  // per part, while POINTERs are set
  // voltages this rank sends to the others, and how many each rank sends
  std::optional<std::pair<std::vector<sim::VoltageExchange::RemoteExport>, std::vector<std::size_t>>> remoteVoltages_;
  std::map<std::string, SourceLocation> firstUse_;  // per mechanism: where the model first names it
  std::map<std::tuple<std::size_t, std::int32_t, std::int32_t>, SourceLocation> pointerSetBy_;  // (part, id, slot)
  std::vector<sim::GroupBuilder> builders_;
  std::vector<sim::CellGroup> groups_;
  std::vector<std::vector<sim::InstanceRef>> refs_;
  std::vector<std::unique_ptr<sim::Simulation>> *sims_ = nullptr;
  std::vector<int> owner_;                  // balanced distribution: rank per gid
  std::vector<std::int64_t> sourceCell_;    // per labelled source: its cell's gid or -1
  std::vector<std::int32_t> sentSources_;   // this rank's sources other ranks listen to
  std::vector<CellInstance> cells_;
  std::vector<ArtificialInstance> artificial_;
  std::vector<DensityPlacement> densities_;
  std::map<std::tuple<std::string, std::size_t, std::int32_t>, std::int32_t> densityAt_;
  std::vector<PointPlacement> templatePoints_, points_;
  std::map<const PointPlacement *, std::int32_t> pointSources_;
  std::map<std::tuple<std::size_t, std::int32_t, double>, std::int32_t> detectors_;
  BuiltModel out_;
};

}  // namespace

BuiltModel build(const Model &model, MechanismProvider &mechanisms, sim::Communicator *communicator) {
  if (model.populations.empty() && model.points.empty()) {
    throw ModelError({model.file.string(), 1, 1}, "the model has no cells", "add a [cell.<name>] template (and [population.<name>] entries for more than one cell)");
  }
  sim::Communicator single;
  BuiltModel built = Builder(model, mechanisms, communicator != nullptr ? *communicator : single).run();
  if (communicator != nullptr) built.network->setCommunicator(*communicator);
  return built;
}

}  // namespace ranvier::model
