#pragma once
// NEURON's fixed-step method on one cell group (fadvance.cpp): implicit Euler for the
// membrane potential with the staggered state update (secondorder = 0), or
// Crank–Nicolson (secondorder = 2), events delivered at the nearest step boundary,
// threshold crossings detected at step ends. See docs/neuron-numerics.md.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/cell_group.hpp"
#include "sim/events.hpp"

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

struct NetCon {
  // Source: an instance whose NET_RECEIVE calls net_event (artificial cells), or a
  // spike detector (-1 when the source is an instance).
  std::int32_t sourceMechanism = -1, sourceInstance = -1;
  std::int32_t sourceDetector = -1;
  std::int32_t targetMechanism = -1, targetInstance = -1;  // -1: no target (recording only)
  double delay = 1;               // ms
  std::vector<double> weights;    // as many as the target's NET_RECEIVE takes
};

// Threshold detection on a node's v, as NEURON's PreSyn in fixed step: a spike when v
// goes above the threshold, checked at the start of each step.
struct SpikeDetector {
  std::int32_t node = 0;
  double threshold = 10;  // mV
  bool above = false;
  std::vector<double> spikes;  // times, when `record` is set
  bool record = false;
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
  std::int32_t addDetector(SpikeDetector detector);
  const SpikeDetector &detector(std::int32_t id) const { return detectors_.at(static_cast<std::size_t>(id)); }
  // Keep the spike times of a detector that so far only drove connections.
  void recordSpikes(std::int32_t id) { detectors_.at(static_cast<std::size_t>(id)).record = true; }

  // finitialize: t = 0, v = v_init, ions, every mechanism's INITIAL, NetCon INITIAL,
  // events due at 0, then one current evaluation so currents are defined.
  void initialize();
  // One step of dt. Throws SimulationError when a kernel reported an error.
  void step();

  // Kernel callbacks (see rv_callbacks).
  static void onError(void *context, std::int32_t instance, std::int32_t error);
  static void onEvent(void *context, std::int32_t instance, std::int32_t kind, double time, double flag);
  static double onRandom(void *context, std::int32_t instance, std::int32_t distribution, double a, double b);

private:
  void setTime(double t);
  void checkThresholds();
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
  double t_ = 0;
  EventQueue queue_;
  std::vector<NetCon> netcons_;
  std::vector<SpikeDetector> detectors_;
  std::vector<std::vector<std::vector<std::int32_t>>> netconsFromInstance_;  // per mechanism, per instance
  std::vector<std::vector<std::int32_t>> netconsFromDetector_;
  std::vector<std::vector<std::uint64_t>> movable_;  // per mechanism, per instance: pending flag-1 self-event
  std::vector<std::vector<std::uint64_t>> random_;    // per mechanism, per instance: its stream's state
  std::vector<double> args_;                          // NET_RECEIVE arguments, reused
  std::int32_t deliveringNetcon_ = -1;
  std::string pendingError_;
};

}  // namespace ranvier::sim
