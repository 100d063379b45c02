#pragma once
// NEURON's fixed-step method on one cell group (fadvance.cpp): implicit Euler for the
// membrane potential with the staggered state update (secondorder = 0), or
// Crank–Nicolson (secondorder = 2), events delivered at the nearest step boundary,
// threshold crossings detected at step ends. See docs/neuron-numerics.md.
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "sim/cell_group.hpp"
#include "sim/events.hpp"
#include "sim/spike.hpp"
#include "sim/split_solve.hpp"
#include "sim/tree_solver.hpp"
#include "sim/voltage_transfer.hpp"

namespace ranvier::sim {

struct Settings {
  double dt = 0.025;       // ms
  double celsius = 6.3;    // degC
  double vInit = -65;      // mV
  int secondorder = 0;     // 0: implicit Euler; 2: Crank–Nicolson
};

// A kernel reported an error (a solver did not converge, an index outside its array):
// the simulation stops, as NEURON's does.
class SimulationError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// Another thread holding pieces of a split cell failed, so this one cannot go on; the
// other's error is the one to report.
class PeerStopped : public SimulationError {
public:
  PeerStopped() : SimulationError("another thread stopped") {}
};

// A connection into this cell group: spikes of `source` reach the target's NET_RECEIVE
// after `delay` with the NetCon's weights. Spikes arrive through receive() (the spike
// exchange between cell groups) or, for an `immediate` connection, at once when the
// source is in this group and fires (only a single-group run may have those: they are
// how delays shorter than the exchange interval work).
struct NetCon {
  std::int32_t source = -1;
  std::int32_t targetMechanism = -1, targetInstance = -1;
  double delay = 1;               // ms
  std::vector<double> weights;    // as many as the target's NET_RECEIVE takes
  bool immediate = false;
};

// Threshold detection on a node's v, as NEURON's PreSyn in fixed step: a spike when v
// goes above the threshold, checked at the start of each step.
struct SpikeDetector {
  std::int32_t node = 0;
  double threshold = 10;  // mV
  std::int32_t source = 0;
  bool above = false;
};

class Simulation {
public:
  Simulation(CellGroup group, Settings settings);
  Simulation(const Simulation &) = delete;
  Simulation &operator=(const Simulation &) = delete;

  CellGroup &group() { return group_; }
  const Settings &settings() const { return settings_; }
  double time() const { return t_; }

  std::int32_t addNetCon(NetCon netcon);
  void addDetector(SpikeDetector detector);
  // An artificial cell (or any instance that calls net_event) as a spike source.
  void setSpikeSource(std::int32_t mechanism, std::int32_t instance, std::int32_t source);

  // Spikes fired here since the last takeSpikes(), in the order they fired.
  std::vector<Spike> &outbox() { return outbox_; }
  // Spikes from the exchange (sorted by time, then source): queues an event for every
  // connection here from their sources.
  void receive(const std::vector<Spike> &spikes);
  std::size_t eventsDelivered() const { return delivered_; }

  // finitialize: t = 0, v = v_init, ions, every mechanism's INITIAL, NetCon INITIAL,
  // events due at 0, then one current evaluation so currents are defined.
  void initialize();
  // v = v_init, and published to the parts that read some of it (VoltageTransfer): every
  // part does this before any part's initialize() (which does it too).
  void setInitialVoltages();
  // One step of dt. Throws SimulationError when a kernel reported an error.
  void step();

  // Pieces of split cells in this part (before initialize()).
  void setSplit(std::unique_ptr<SplitPart> split) { split_ = std::move(split); }
  // Voltages of other parts that POINTERs here read (before initialize()).
  void setTransfer(std::unique_ptr<VoltageTransfer> transfer) { transfer_ = std::move(transfer); }
  VoltageTransfer *transfer() { return transfer_.get(); }
  // Seconds spent waiting for other parts at the per-step barriers (split cells, voltages).
  double barrierWaitSeconds() const;
  // This part stops stepping (it failed, or a partner did): parts that would meet it at a
  // per-step barrier must not wait for it. moreSteps: steps of the interval are left.
  void abandonPeers(bool moreSteps);

  // LONGITUDINAL_DIFFUSION of one mechanism's states along the cells (NEURON's
  // ldifus.cpp, its fixed-step "stagger"): after the state kernels, each diffusing
  // state element takes an implicit diffusion step of dt over the tree of the
  // mechanism's instances. Rows go parents first; af and bf are NEURON's geometry
  // factors, 2/dx_parent/(dx + dx_parent) and 2/dx/(dx + dx_parent).
  struct LongitudinalDiffusion {
    struct Species {
      const rv_kernel *coefficient = nullptr, *volume = nullptr;
      const rv_variable *state = nullptr;
    };
    std::size_t mechanism = 0;  // in the group
    std::vector<Species> species;
    std::vector<std::int32_t> instance, parent;  // per row; parent: a row, or -1
    std::vector<double> af, bf;
    std::vector<double> a, b, d, rhs, dc, vol;  // the step's matrix, per row (scratch)
  };
  void addLongitudinalDiffusion(LongitudinalDiffusion diffusion) { diffusions_.push_back(std::move(diffusion)); }
  SplitPart *split() { return split_.get(); }

  // Kernel callbacks (see rv_callbacks).
  static void onError(void *context, std::int32_t instance, std::int32_t error);
  static void onEvent(void *context, std::int32_t instance, std::int32_t kind, double time, double flag);
  static double onRandom(void *context, std::int32_t instance, std::int32_t distribution, double a, double b);
  static void onWatch(void *context, std::int32_t instance, std::int32_t watch);
  static double *onNetconWeights(void *context, std::int32_t instance, std::int32_t k);
  static double onFunctionTable(void *context, std::int32_t instance, std::int32_t table, const double *args);

private:
  void setTime(double t);
  void checkThresholds();
  void checkWatches();
  // BEFORE or AFTER blocks of one step point, every mechanism in type order.
  void runBlocks(bool before, std::int32_t point);
  void deliverEvents(double until);
  void deliver(const Event &event);
  void computeCurrents();
  void assembleAndSolve();
  void updateVoltage();
  void advanceStates();
  void nernstEveryStep();
  void raisePendingError();

  CellGroup group_;
  Settings settings_;
  TreeSolver solver_;
  std::unique_ptr<SplitPart> split_;
  std::unique_ptr<VoltageTransfer> transfer_;
  double t_ = 0;
  EventQueue queue_;
  void fire(std::int32_t source, double time);
  void queueNetCon(std::int32_t id, double spikeTime);

  std::vector<NetCon> netcons_;       // their weights live in weights_ (one array: no cache miss per event)
  std::vector<std::uint32_t> weightStart_;
  // per mechanism, per instance: the NetCons that target it, in the order made (FOR_NETCONS)
  std::vector<std::vector<std::vector<std::int32_t>>> netconsTo_;
  std::vector<double> weights_;
  std::vector<SpikeDetector> detectors_;
  std::unordered_map<std::int32_t, std::vector<std::int32_t>> fromSource_;     // exchanged connections per source
  std::unordered_map<std::int32_t, std::vector<std::int32_t>> immediateFrom_;  // immediate ones
  std::vector<std::vector<std::int32_t>> sourceOfInstance_;  // per mechanism, per instance (-1: none)
  std::vector<Spike> outbox_;
  std::size_t delivered_ = 0;
  std::vector<std::vector<std::uint64_t>> movable_;  // per mechanism, per instance: pending flag-1 self-event
  std::vector<std::vector<std::uint64_t>> random_;    // per mechanism, per instance: its stream's state
  // WATCH: per mechanism (empty without WATCH), per instance and WATCH number
  struct Watches {
    std::vector<std::uint8_t> active, above;  // instance * count + watch
    std::vector<std::uint64_t> pending;       // its event not yet delivered (queue order), 0: none
    std::vector<std::uint64_t> armedIn;       // per instance: the NET_RECEIVE call that last armed
  };
  std::vector<Watches> watches_;
  std::vector<LongitudinalDiffusion> diffusions_;
  void diffuseAlongCells();
  std::uint64_t receiveCall_ = 0;  // counts NET_RECEIVE calls
  std::vector<double> args_;                          // NET_RECEIVE arguments, reused
  std::int32_t deliveringNetcon_ = -1;
  std::string pendingError_;
};

}  // namespace ranvier::sim
