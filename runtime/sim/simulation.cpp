#include "sim/simulation.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace ranvier::sim {

namespace {

std::string kernelErrorText(const rv_mechanism &m, std::int32_t error) {
  switch (error) {
  case RV_ERROR_INDEX: return "an array index outside its array (element 0 was used)";
  case RV_ERROR_LOOP: return "a loop ran 100 million times and was stopped";
  case RV_ERROR_RECURSION: return "calls nested deeper than 1000";
  default: break;
  }
  if (error >= 0 && error < m.error_count) {
    return std::string(m.errors[error].location) + ": " + m.errors[error].message;
  }
  return "error " + std::to_string(error);
}

// One reproducible stream per instance (splitmix64), keyed by the mechanism's name and
// the instance: the draws do not depend on the order instances or threads run in.
std::uint64_t nextRandom(std::uint64_t &state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

std::uint64_t streamSeed(const char *mechanism, std::uint64_t instance, double seed) {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a over the name
  for (const char *c = mechanism; *c; ++c) h = (h ^ static_cast<unsigned char>(*c)) * 1099511628211ull;
  std::uint64_t state = h ^ (instance * 0xD1B54A32D192ED03ull) ^ static_cast<std::uint64_t>(seed * 2654435761.0);
  nextRandom(state);
  return state;
}

double uniformOpen(std::uint64_t &state) {  // (0, 1]
  return (static_cast<double>(nextRandom(state) >> 11) + 1.0) * 0x1.0p-53;
}

}  // namespace

double Simulation::onRandom(void *context, std::int32_t instance, std::int32_t distribution, double a, double b) {
  auto *c = static_cast<CallbackContext *>(context);
  Simulation &s = *c->simulation;
  const auto mech = static_cast<std::size_t>(c->mechanism);
  std::uint64_t &state = s.random_[mech][static_cast<std::size_t>(instance)];
  switch (distribution) {
  case RV_RANDOM_UNIFORM01: return 1.0 - uniformOpen(state);
  case RV_RANDOM_EXPONENTIAL: return -a * std::log(uniformOpen(state));
  case RV_RANDOM_NORMAL: {
    const double u1 = uniformOpen(state), u2 = uniformOpen(state);
    return a + b * std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * 3.14159265358979323846 * u2);
  }
  case RV_RANDOM_POISSON: {
    if (!(a > 0)) return 0;
    if (a > 500) return std::max(0.0, std::round(a + std::sqrt(a) * std::sqrt(-2.0 * std::log(uniformOpen(state))) *
                                                    std::cos(2.0 * 3.14159265358979323846 * uniformOpen(state))));
    const double limit = std::exp(-a);
    double k = 0, p = uniformOpen(state);
    while (p > limit) {
      p *= uniformOpen(state);
      k += 1;
    }
    return k;
  }
  case RV_RANDOM_SEED:
    state = streamSeed(s.group_.mechanisms[mech]->description().name, s.group_.mechanisms[mech]->keys[static_cast<std::size_t>(instance)], a);
    return 0;
  default: return 0;
  }
}

// The NetCon being delivered is the kernel's own `args` (the runtime copies them back into
// its weights after the kernel): the loop must change that copy, not the stale weights.
double *Simulation::onNetconWeights(void *context, std::int32_t instance, std::int32_t k) {
  auto *c = static_cast<CallbackContext *>(context);
  Simulation &s = *c->simulation;
  const auto &to = s.netconsTo_[static_cast<std::size_t>(c->mechanism)];
  if (to.empty() || k < 0) return nullptr;
  const std::vector<std::int32_t> &list = to[static_cast<std::size_t>(instance)];
  if (static_cast<std::size_t>(k) >= list.size()) return nullptr;
  const std::int32_t id = list[static_cast<std::size_t>(k)];
  if (id == s.deliveringNetcon_) return s.args_.data();
  return s.weights_.data() + s.weightStart_[static_cast<std::size_t>(id)];
}

double Simulation::onFunctionTable(void *context, std::int32_t, std::int32_t table, const double *args) {
  auto *c = static_cast<CallbackContext *>(context);
  const auto &tables = c->simulation->group_.mechanisms[static_cast<std::size_t>(c->mechanism)]->functionTables;
  if (table < 0 || static_cast<std::size_t>(table) >= tables.size() || !tables[static_cast<std::size_t>(table)]) return 0;  // the builder gives every one
  return (*tables[static_cast<std::size_t>(table)])(args);
}

Simulation::Simulation(CellGroup group, Settings settings)
    : group_(std::move(group)), settings_(settings), solver_(group_.nodes), queue_(settings.dt) {
  if (!(settings_.dt > 0)) throw std::invalid_argument("dt must be positive");
  if (settings_.secondorder != 0 && settings_.secondorder != 2) throw std::invalid_argument("secondorder must be 0 or 2");
  std::size_t widest = 1;
  for (auto &set : group_.mechanisms) {
    rv_instances &view = set->instances.view();
    set->context.simulation = this;
    view.callbacks.context = &set->context;
    view.callbacks.error = &Simulation::onError;
    view.callbacks.event = &Simulation::onEvent;
    view.callbacks.watch = &Simulation::onWatch;
    Watches w;
    if (!set->watches.empty()) {
      const auto slots = static_cast<std::size_t>(set->instances.count()) * set->watches.size();
      w.active.assign(slots, 0);
      w.above.assign(slots, 0);
      w.pending.assign(slots, 0);
      w.armedIn.assign(static_cast<std::size_t>(set->instances.count()), 0);
    }
    watches_.push_back(std::move(w));
    view.callbacks.random = &Simulation::onRandom;
    view.callbacks.netcon_weights = &Simulation::onNetconWeights;
    view.callbacks.function_table = &Simulation::onFunctionTable;
    netconsTo_.emplace_back();
    random_.emplace_back();
    for (std::int32_t i = 0; i < set->instances.count(); ++i) random_.back().push_back(streamSeed(set->description().name, set->keys[static_cast<std::size_t>(i)], 0));
    view.dt = settings_.dt;
    view.celsius = settings_.celsius;
    view.secondorder = settings_.secondorder;
    sourceOfInstance_.emplace_back(static_cast<std::size_t>(set->instances.count()), -1);
    movable_.emplace_back(static_cast<std::size_t>(set->instances.count()) + 1, 0);
    widest = std::max(widest, static_cast<std::size_t>(std::max(set->description().net_receive_args, 1)));
  }
  args_.assign(widest + 1, 0.0);
}

std::int32_t Simulation::addNetCon(NetCon netcon) {
  const auto id = static_cast<std::int32_t>(netcons_.size());
  const MechanismSet &target = *group_.mechanisms.at(static_cast<std::size_t>(netcon.targetMechanism));
  if (target.netReceive == nullptr) {
    throw std::invalid_argument(std::string(target.description().name) + " has no NET_RECEIVE block to receive events");
  }
  if (netcon.targetInstance < 0 || netcon.targetInstance >= target.instances.count()) throw std::out_of_range("NetCon target instance");
  netcon.weights.resize(static_cast<std::size_t>(std::max(target.description().net_receive_args, 1)), 0.0);
  (netcon.immediate ? immediateFrom_ : fromSource_)[netcon.source].push_back(id);
  args_.resize(std::max(args_.size(), netcon.weights.size() + 1), 0.0);
  weightStart_.push_back(static_cast<std::uint32_t>(weights_.size()));
  weights_.insert(weights_.end(), netcon.weights.begin(), netcon.weights.end());
  netcon.weights = {};
  auto &to = netconsTo_.at(static_cast<std::size_t>(netcon.targetMechanism));
  if (to.empty()) to.resize(static_cast<std::size_t>(target.instances.count()));
  to[static_cast<std::size_t>(netcon.targetInstance)].push_back(id);
  netcons_.push_back(std::move(netcon));
  return id;
}

void Simulation::addDetector(SpikeDetector detector) {
  if (detector.node < 0 || detector.node >= group_.nodes.count) throw std::out_of_range("spike detector node");
  detectors_.push_back(detector);
}

void Simulation::setSpikeSource(std::int32_t mechanism, std::int32_t instance, std::int32_t source) {
  sourceOfInstance_.at(static_cast<std::size_t>(mechanism)).at(static_cast<std::size_t>(instance)) = source;
}

void Simulation::queueNetCon(std::int32_t id, double spikeTime) {
  const NetCon &nc = netcons_[static_cast<std::size_t>(id)];
  queue_.push(Event{.time = spikeTime + nc.delay, .mechanism = nc.targetMechanism, .instance = nc.targetInstance, .netcon = id});
}

void Simulation::fire(std::int32_t source, double time) {
  outbox_.push_back(Spike{time, source});
  if (immediateFrom_.empty()) return;
  if (auto it = immediateFrom_.find(source); it != immediateFrom_.end()) {
    for (std::int32_t id : it->second) queueNetCon(id, time);
  }
}

void Simulation::receive(const std::vector<Spike> &spikes) {
  if (fromSource_.empty()) return;
  for (const Spike &spike : spikes) {
    auto it = fromSource_.find(spike.source);
    if (it == fromSource_.end()) continue;
    for (std::int32_t id : it->second) queueNetCon(id, spike.time);
  }
}

void Simulation::setTime(double t) {
  t_ = t;
  for (auto &set : group_.mechanisms) set->instances.view().t = t;
}

void Simulation::onError(void *context, std::int32_t instance, std::int32_t error) {
  auto *c = static_cast<CallbackContext *>(context);
  Simulation &s = *c->simulation;
  if (!s.pendingError_.empty()) return;  // the first error is the one to report
  const rv_mechanism &m = s.group_.mechanisms[static_cast<std::size_t>(c->mechanism)]->description();
  s.pendingError_ = "at t = " + std::to_string(s.t_) + " ms, " + m.name + " instance " + std::to_string(instance) + ": " +
                    kernelErrorText(m, error);
}

void Simulation::onEvent(void *context, std::int32_t instance, std::int32_t kind, double time, double flag) {
  auto *c = static_cast<CallbackContext *>(context);
  Simulation &s = *c->simulation;
  const auto mech = static_cast<std::size_t>(c->mechanism);
  const double now = s.group_.mechanisms[mech]->instances.view().t;
  switch (kind) {
  case RV_NET_SEND: {
    if (time < 0 && s.pendingError_.empty()) s.pendingError_ = "net_send with a negative delay";
    const std::uint64_t order = s.queue_.push(Event{.time = now + time, .mechanism = c->mechanism, .instance = instance,
                                                    .netcon = s.deliveringNetcon_, .flag = flag});
    if (flag == 1) s.movable_[mech][static_cast<std::size_t>(instance)] = order;
    break;
  }
  case RV_NET_MOVE: {
    std::uint64_t &pending = s.movable_[mech][static_cast<std::size_t>(instance)];
    if (pending == 0) {
      if (s.pendingError_.empty()) s.pendingError_ = "net_move: no event with flag 1 is pending";
      return;
    }
    s.queue_.cancel(pending);
    pending = s.queue_.push(Event{.time = std::max(time, now), .mechanism = c->mechanism, .instance = instance,
                                  .netcon = s.deliveringNetcon_, .flag = 1});
    break;
  }
  case RV_NET_EVENT:
    if (const std::int32_t source = s.sourceOfInstance_[mech][static_cast<std::size_t>(instance)]; source >= 0) s.fire(source, time);
    break;
  default: break;
  }
}

// WATCH (condition) flag in NET_RECEIVE, as NEURON 8.2.2 does it
// (docs/neuron-before-after-watch.md): the first WATCH of a call disarms the instance's
// others and drops their events still queued; arming remembers whether the condition
// already holds, counting a measure >= -1e-11 as holding, so such a condition fires only
// after it has been false.
void Simulation::onWatch(void *context, std::int32_t instance, std::int32_t watch) {
  auto *c = static_cast<CallbackContext *>(context);
  Simulation &s = *c->simulation;
  const auto mech = static_cast<std::size_t>(c->mechanism);
  MechanismSet &set = *s.group_.mechanisms[mech];
  Watches &w = s.watches_[mech];
  const std::size_t count = set.watches.size();
  if (watch < 0 || static_cast<std::size_t>(watch) >= count || set.watches[static_cast<std::size_t>(watch)] == nullptr) return;
  const auto i = static_cast<std::size_t>(instance);
  if (w.armedIn[i] != s.receiveCall_) {
    w.armedIn[i] = s.receiveCall_;
    for (std::size_t slot = i * count; slot < (i + 1) * count; ++slot) {
      w.active[slot] = 0;
      if (w.pending[slot] != 0) s.queue_.cancel(std::exchange(w.pending[slot], 0));
    }
  }
  const std::size_t slot = i * count + static_cast<std::size_t>(watch);
  w.active[slot] = 1;
  w.above[slot] = set.watches[static_cast<std::size_t>(watch)]->instance(&set.instances.view(), instance, nullptr) >= -1e-11;
}

// After the threshold detectors, at the step's start: a condition measure going from
// <= 0 to > 0 queues the WATCH's flag at this t (delivered within the step).
void Simulation::checkWatches() {
  for (std::size_t mech = 0; mech < watches_.size(); ++mech) {
    Watches &w = watches_[mech];
    if (w.active.empty()) continue;
    MechanismSet &set = *group_.mechanisms[mech];
    const std::size_t count = set.watches.size();
    const double *flags = set.description().watch_flags;
    for (std::size_t slot = 0; slot < w.active.size(); ++slot) {
      if (!w.active[slot]) continue;
      const auto instance = static_cast<std::int32_t>(slot / count);
      const std::size_t watch = slot % count;
      const bool above = set.watches[watch]->instance(&set.instances.view(), instance, nullptr) > 0;
      if (above && !w.above[slot]) {
        w.pending[slot] = queue_.push(Event{.time = t_, .mechanism = static_cast<std::int32_t>(mech), .instance = instance, .netcon = -1,
                                            .flag = flags[watch], .watch = static_cast<std::int32_t>(slot)});
      }
      w.above[slot] = above;
    }
  }
}

void Simulation::runBlocks(bool before, std::int32_t point) {
  for (auto &set : group_.mechanisms) {
    const rv_kernel *k = (before ? set->before : set->after)[static_cast<std::size_t>(point)];
    if (k != nullptr && k->range != nullptr && set->instances.count() > 0) k->range(&set->instances.view(), 0, set->instances.count());
  }
}

void Simulation::deliver(const Event &e) {
  MechanismSet &set = *group_.mechanisms[static_cast<std::size_t>(e.mechanism)];
  const std::size_t weights = static_cast<std::size_t>(std::max(set.description().net_receive_args, 1));
  double *args = args_.data();
  if (e.netcon >= 0) {
    // every NetCon into this mechanism has exactly `weights` weights (addNetCon)
    const double *w = weights_.data() + weightStart_[static_cast<std::size_t>(e.netcon)];
    for (std::size_t k = 0; k < weights; ++k) args[k] = w[k];
  } else {
    for (std::size_t k = 0; k < weights; ++k) args[k] = 0.0;
  }
  args[weights] = e.flag;
  if (e.watch >= 0) {
    std::uint64_t &pending = watches_[static_cast<std::size_t>(e.mechanism)].pending[static_cast<std::size_t>(e.watch)];
    if (pending == e.order) pending = 0;
  }
  if (e.flag == 1) {
    std::uint64_t &pending = movable_[static_cast<std::size_t>(e.mechanism)][static_cast<std::size_t>(e.instance)];
    if (pending == e.order) pending = 0;
  }
  const double saved = set.instances.view().t;
  set.instances.view().t = e.time;  // NEURON runs NET_RECEIVE at the event's exact time
  deliveringNetcon_ = e.netcon;
  ++receiveCall_;
  set.netReceive->instance(&set.instances.view(), e.instance, args_.data());
  if (e.netcon >= 0) {  // NET_RECEIVE may change its weights: per-connection state (NEURON)
    double *w = weights_.data() + weightStart_[static_cast<std::size_t>(e.netcon)];
    for (std::size_t k = 0; k < weights; ++k) w[k] = args[k];
  }
  deliveringNetcon_ = -1;
  ++delivered_;
  set.instances.view().t = saved;
}

void Simulation::deliverEvents(double until) {
  Event e;
  while (queue_.popDue(until, e)) deliver(e);
}

void Simulation::checkThresholds() {
  const double *v = group_.nodes.v.data();
  for (SpikeDetector &det : detectors_) {
    const bool above = v[det.node] > det.threshold;
    // NEURON's PreSyn::check(nt, t, 1e-10): the spike is at t + 1e-10, so its events
    // follow those due at t exactly (a WATCH's, a NetStim's) and one with delay dt/2 is
    // not due in this step.
    if (above && !det.above) fire(det.source, t_ + 1e-10);
    det.above = above;
  }
}

void Simulation::nernstEveryStep() {
  for (Ion &ion : group_.ions) {
    if (ion.reversalEveryStep.empty()) continue;
    double *e = ion.values[RV_ION_REVERSAL].data();
    const double *ci = ion.values[RV_ION_INSIDE].data(), *co = ion.values[RV_ION_OUTSIDE].data();
    for (std::int32_t node : ion.reversalEveryStep) e[node] = nernst(ci[node], co[node], ion.species.valence, settings_.celsius);
  }
}

// NEURON's nrn_rhs up to the axial terms: ion currents cleared (and e following
// Nernst where concentrations are states), then every mechanism's current kernel.
void Simulation::computeCurrents() {
  Nodes &n = group_.nodes;
  std::fill_n(n.rhs.data(), n.count, 0.0);
  std::fill_n(n.d.data(), n.count, 0.0);
  runBlocks(true, RV_BA_BREAKPOINT);  // nrn_rhs: after rhs = 0, before the ions' currents are cleared
  nernstEveryStep();
  for (Ion &ion : group_.ions) {
    double *i = ion.values[RV_ION_CURRENT].data(), *g = ion.values[RV_ION_CONDUCTANCE].data();
    for (const auto &[begin, end] : ion.usedRanges) {
      std::fill(i + begin, i + end, 0.0);
      std::fill(g + begin, g + end, 0.0);
    }
  }
  for (auto &set : group_.mechanisms) {
    if (set->current != nullptr && set->instances.count() > 0) set->current->range(&set->instances.view(), 0, set->instances.count());
  }
}

// The tree system: capacitance and axial coupling added to what the mechanisms put in
// rhs and d, then NEURON's triang and bksub. Afterwards rhs holds the change of v.
void Simulation::assembleAndSolve() {
  const double cfac = (settings_.secondorder == 2 ? 2.0 : 1.0) * (0.001 / settings_.dt);
  Nodes &nodes = group_.nodes;
  if (!split_) {
    solver_.assembleAndSolve(nodes, cfac);
    return;
  }
  solver_.assemble(nodes, cfac);
  split_->assemble(nodes);
  solver_.eliminate(nodes);
  if (!split_->join(nodes)) throw PeerStopped();
  split_->substituteInterfaces(nodes);
  solver_.substitute(nodes);
  split_->finish(nodes);
}

void Simulation::updateVoltage() {
  Nodes &n = group_.nodes;
  double *v = n.v.data();
  const double *dv = n.rhs.data();
  if (settings_.secondorder == 2) {
    // second_order_cur: ion currents to the middle of the step
    for (Ion &ion : group_.ions) {
      double *i = ion.values[RV_ION_CURRENT].data();
      const double *g = ion.values[RV_ION_CONDUCTANCE].data();
      for (std::int32_t node : ion.used) i[node] += g[node] * dv[node];
    }
    for (std::int32_t k = 0; k < n.count; ++k) v[k] += 2.0 * dv[k];
    if (split_) split_->updateVoltages(2.0);
  } else {
    for (std::int32_t k = 0; k < n.count; ++k) v[k] += dv[k];
    if (split_) split_->updateVoltages(1.0);
  }
}

void Simulation::advanceStates() {
  for (auto &set : group_.mechanisms) {
    if (set->state != nullptr && set->instances.count() > 0) set->state->range(&set->instances.view(), 0, set->instances.count());
  }
}

void Simulation::diffuseAlongCells() {
  const double dt = settings_.dt;
  for (LongitudinalDiffusion &ld : diffusions_) {
    MechanismInstances &instances = group_.mechanisms[ld.mechanism]->instances;
    const std::size_t n = ld.instance.size();
    for (std::vector<double> *scratch : {&ld.a, &ld.b, &ld.d, &ld.rhs, &ld.dc, &ld.vol}) scratch->resize(n);
    std::vector<double> &a = ld.a, &b = ld.b, &d = ld.d, &rhs = ld.rhs, &dc = ld.dc, &vol = ld.vol;
    for (const LongitudinalDiffusion::Species &s : ld.species) {
      for (std::int32_t element = 0; element < s.state->size; ++element) {
        for (std::size_t i = 0; i < n; ++i) {
          double args[1] = {static_cast<double>(element)};
          dc[i] = instances.call(*s.coefficient, ld.instance[i], args);
          vol[i] = instances.call(*s.volume, ld.instance[i], args);
          d[i] = 0;
          if (const std::int32_t p = ld.parent[i]; p > -1) {
            const double between = (dc[i] + dc[static_cast<std::size_t>(p)]) / 2.;  // D times the area between the two
            a[i] = -ld.af[i] * between / vol[static_cast<std::size_t>(p)];
            b[i] = -ld.bf[i] * between / vol[i];
          }
        }
        for (std::size_t i = 0; i < n; ++i) {
          d[i] += 1. / dt;
          rhs[i] = instances.value(*s.state, ld.instance[i], element) / dt;
          if (const std::int32_t p = ld.parent[i]; p > -1) {
            d[i] -= b[i];
            d[static_cast<std::size_t>(p)] -= a[i];
          }
        }
        for (std::size_t i = n; i-- > 1;) {  // eliminate towards the roots
          if (const std::int32_t p = ld.parent[i]; p > -1) {
            const double f = a[i] / d[i];
            d[static_cast<std::size_t>(p)] -= f * b[i];
            rhs[static_cast<std::size_t>(p)] -= f * rhs[i];
          }
        }
        for (std::size_t i = 0; i < n; ++i) {
          if (const std::int32_t p = ld.parent[i]; p > -1) rhs[i] -= b[i] * rhs[static_cast<std::size_t>(p)];
          rhs[i] /= d[i];
          instances.value(*s.state, ld.instance[i], element) = rhs[i];
        }
      }
    }
  }
}

void Simulation::raisePendingError() {
  if (pendingError_.empty()) return;
  std::string message = std::move(pendingError_);
  pendingError_.clear();
  throw SimulationError(message);
}

double Simulation::barrierWaitSeconds() const {
  return (split_ ? split_->waitSeconds() : 0.0) + (transfer_ ? transfer_->waitSeconds() : 0.0);
}

void Simulation::abandonPeers(bool moreSteps) {
  if (split_) split_->abandon();
  if (transfer_) transfer_->leave(moreSteps);
}

void Simulation::setInitialVoltages() {
  Nodes &n = group_.nodes;
  std::fill_n(n.v.data(), n.count, settings_.vInit);
  if (transfer_) transfer_->publishInitial();
}

void Simulation::initialize() {
  setTime(0);
  if (split_) split_->initialize();
  queue_.clear();
  for (auto &pending : movable_) std::fill(pending.begin(), pending.end(), 0);
  for (auto &set : group_.mechanisms) {
    if (set->tableCheck != nullptr && set->instances.count() > 0) set->tableCheck->instance(&set->instances.view(), 0, nullptr);
  }
  setInitialVoltages();
  if (transfer_) transfer_->receiveInitial();
  runBlocks(true, RV_BA_INITIAL);  // before the ions are initialised, as NEURON's nrn_finitialize
  for (Ion &ion : group_.ions) {
    double *ci = ion.values[RV_ION_INSIDE].data(), *co = ion.values[RV_ION_OUTSIDE].data();
    for (std::int32_t node : ion.concentrationStates) {
      ci[node] = ion.species.insideInitial;
      co[node] = ion.species.outsideInitial;
    }
  }
  auto nernstAtInit = [&](Ion &ion) {
    double *e = ion.values[RV_ION_REVERSAL].data();
    const double *ci = ion.values[RV_ION_INSIDE].data(), *co = ion.values[RV_ION_OUTSIDE].data();
    for (std::int32_t node : ion.reversalAtInit) e[node] = nernst(ci[node], co[node], ion.species.valence, settings_.celsius);
  };
  for (Ion &ion : group_.ions) nernstAtInit(ion);
  for (auto &set : group_.mechanisms) {
    if (set->init != nullptr && set->instances.count() > 0) set->init->range(&set->instances.view(), 0, set->instances.count());
    // nrn_wrote_conc: a concentration written by INITIAL updates e at once
    const rv_mechanism &m = set->description();
    for (std::int32_t k = 0; k < m.ion_count; ++k) {
      if (m.ions[k].uses & (RV_WRITES_INSIDE | RV_WRITES_OUTSIDE)) nernstAtInit(group_.ions[static_cast<std::size_t>(set->ionOfGroup[static_cast<std::size_t>(k)])]);
    }
  }
  // NET_RECEIVE's INITIAL once per NetCon; without one, weights past the first start at 0.
  for (std::size_t id = 0; id < netcons_.size(); ++id) {
    NetCon &nc = netcons_[id];
    MechanismSet &set = *group_.mechanisms[static_cast<std::size_t>(nc.targetMechanism)];
    if (set.netInit != nullptr) {
      const std::size_t weights = static_cast<std::size_t>(std::max(set.description().net_receive_args, 1));
      std::copy_n(weights_.begin() + weightStart_[id], weights, args_.begin());
      deliveringNetcon_ = static_cast<std::int32_t>(id);
      ++receiveCall_;
      set.netInit->instance(&set.instances.view(), nc.targetInstance, args_.data());
      std::copy_n(args_.begin(), weights, weights_.begin() + weightStart_[id]);
      deliveringNetcon_ = -1;
    }
  }
  for (Watches &w : watches_) {  // init_events drops every watch after NET_RECEIVE INITIAL
    std::fill(w.active.begin(), w.active.end(), 0);
    std::fill(w.pending.begin(), w.pending.end(), 0);
  }
  runBlocks(false, RV_BA_INITIAL);
  for (SpikeDetector &det : detectors_) det.above = false;
  outbox_.clear();
  delivered_ = 0;
  deliverEvents(0.0);
  computeCurrents();
  runBlocks(true, RV_BA_STEP);  // fixed_record_continuous, before row 0 is recorded
  raisePendingError();
}

// NEURON's nrn_fixed_step: events due by t were delivered at the end of the previous
// step (after recording); then the threshold detectors and WATCH conditions are checked
// at t, and the events due by t + dt/2 delivered; currents at t + dt/2, solve, v, t + dt,
// states, AFTER SOLVE, BEFORE STEP.
void Simulation::step() {
  const double dt = settings_.dt;
  if (transfer_ && !transfer_->receive()) throw PeerStopped();
  deliverEvents(t_);
  checkThresholds();
  checkWatches();
  deliverEvents(t_ + 0.5 * dt);
  setTime(t_ + 0.5 * dt);
  computeCurrents();
  assembleAndSolve();
  updateVoltage();
  if (transfer_) transfer_->publish();
  setTime(t_ + 0.5 * dt);
  advanceStates();
  diffuseAlongCells();
  runBlocks(false, RV_BA_SOLVE);
  runBlocks(true, RV_BA_STEP);
  raisePendingError();
}

}  // namespace ranvier::sim
