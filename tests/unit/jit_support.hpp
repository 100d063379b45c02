#pragma once
// Differential testing of compiled kernels against the reference interpreter: a
// Twin holds the same random instances twice, once in the interpreter (each instance
// with its own node and ion values) and once in ABI storage for the JIT (node and ion
// values in shared arrays reached through shuffled index arrays), runs a kernel on
// both and compares every stored value, error, event, watch and random draw (each
// side draws from its own FakeRandom: the same numbers for the same calls).

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "interp/interpreter.hpp"
#include "jit/jit.hpp"
#include "mechanism/instances.hpp"

namespace ranvier::test {

// A deterministic stand-in for the runtime's generator, with the ABI's contract
// (rv_callbacks.random): each instance has its own stream, so what instance i draws
// depends only on its seed and on how many draws it made before, not on the order in
// which instances run. The interpreter and compiled code each get one: they must
// draw the same numbers.
class FakeRandom {
public:
  double draw(std::int32_t instance, std::int32_t distribution, double a, double b) {
    Stream &s = streams_[instance];
    switch (distribution) {
    case RV_RANDOM_UNIFORM01: return uniform(instance, s);
    case RV_RANDOM_EXPONENTIAL: return -a * std::log(uniform(instance, s));
    case RV_RANDOM_NORMAL: {
      const double u1 = uniform(instance, s);
      const double u2 = uniform(instance, s);
      return a + b * std::sqrt(-2 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }
    case RV_RANDOM_POISSON: {  // NEURON's poisrand, with a bound on the loop
      const double limit = std::exp(-a);
      double q = 1;
      int n = 0;
      while (q >= limit && n < 1000) {
        q *= uniform(instance, s);
        ++n;
      }
      return n - 1;
    }
    case RV_RANDOM_SEED: {
      std::uint64_t bits = 0;
      std::memcpy(&bits, &a, sizeof bits);
      s = Stream{bits, 0};
      return 0;
    }
    default: return std::nan("");
    }
  }

private:
  struct Stream {
    std::uint64_t seed = 0;
    std::uint64_t count = 0;
  };
  // splitmix64 of (seed, instance, draw number): uniform on (0, 1)
  static double uniform(std::int32_t instance, Stream &s) {
    std::uint64_t x = s.seed ^ (static_cast<std::uint64_t>(instance) * 0x9E3779B97F4A7C15ull) ^
                      (s.count++ * 0xD1B54A32D192ED03ull);
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    x ^= x >> 31;
    return (static_cast<double>(x >> 11) + 0.5) * 0x1p-53;
  }
  std::map<std::int32_t, Stream> streams_;
};

// What kernels reported and drew, in a form both sides produce, and the generator
// they drew from.
struct Reports {
  std::multiset<std::pair<int, int>> errors;                          // (instance, code)
  std::multiset<std::tuple<int, int, double, double>> events;         // (instance, kind, time, flag)
  std::multiset<std::pair<int, int>> watches;                         // (instance, watch)
  std::multiset<std::tuple<int, int, double, double>> draws;          // (instance, distribution, a, b)
  FakeRandom random;
};

inline void collectError(void *context, std::int32_t instance, std::int32_t code) {
  static_cast<Reports *>(context)->errors.insert({instance, code});
}
inline void collectEvent(void *context, std::int32_t instance, std::int32_t kind, double time, double flag) {
  static_cast<Reports *>(context)->events.insert({instance, kind, time, flag});
}
inline void collectWatch(void *context, std::int32_t instance, std::int32_t watch) {
  static_cast<Reports *>(context)->watches.insert({instance, watch});
}
inline double collectRandom(void *context, std::int32_t instance, std::int32_t distribution, double a, double b) {
  auto *reports = static_cast<Reports *>(context);
  reports->draws.insert({instance, distribution, a, b});
  return reports->random.draw(instance, distribution, a, b);
}

// |a - b| <= tolerance * max(|a|, |b|); NaNs equal each other; infinities must match.
inline bool close(double a, double b, double tolerance) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  if (a == b) return true;
  if (std::isinf(a) || std::isinf(b)) return false;
  return std::fabs(a - b) <= tolerance * std::max(std::fabs(a), std::fabs(b));
}

class Twin {
public:
  Twin(const ir::Mechanism &ir, const rv_mechanism &compiled, std::int32_t count)
      : ir_(ir), interp_(ir, static_cast<std::size_t>(count)), jit_(compiled, count), count_(count) {
    std::mt19937_64 shuffle(12345);
    nodeIndex_.resize(static_cast<std::size_t>(count));
    for (std::int32_t i = 0; i < count; ++i) nodeIndex_[static_cast<std::size_t>(i)] = i;
    std::shuffle(nodeIndex_.begin(), nodeIndex_.end(), shuffle);
    for (auto &q : nodes_) q.assign(static_cast<std::size_t>(count) + 1, 0.0);
    rv_instances &view = jit_.view();
    view.node_index = nodeIndex_.data();
    for (int q = 0; q < RV_NODE_QUANTITIES; ++q) view.node[q] = nodes_[static_cast<std::size_t>(q)].data();
    for (std::int32_t ion = 0; ion < compiled.ion_count; ++ion) {
      std::vector<std::int32_t> index(nodeIndex_.begin(), nodeIndex_.end());
      std::shuffle(index.begin(), index.end(), shuffle);
      ionIndex_.push_back(std::move(index));
      for (int q = 0; q < RV_ION_QUANTITIES; ++q) ionValues_.emplace_back(static_cast<std::size_t>(count) + 1, 0.0);
    }
    for (auto &index : ionIndex_) ionIndexPointers_.push_back(index.data());
    for (auto &values : ionValues_) ionValuePointers_.push_back(values.data());
    view.ion_index = ionIndexPointers_.data();
    view.ion_values = ionValuePointers_.data();
    // Each POINTER of each instance names its own value, in shuffled order.
    pointees_.assign(static_cast<std::size_t>(compiled.pointer_slots), std::vector<double>(static_cast<std::size_t>(count), 0.0));
    for (std::int32_t k = 0; k < compiled.variable_count; ++k) {
      const rv_variable &v = compiled.variables[k];
      if (v.storage != RV_STORAGE_POINTER) continue;
      std::vector<std::int32_t> order(nodeIndex_.begin(), nodeIndex_.end());
      std::shuffle(order.begin(), order.end(), shuffle);
      for (std::int32_t i = 0; i < count; ++i) {
        jit_.setPointer(v, i, &pointees_[static_cast<std::size_t>(v.slot)][static_cast<std::size_t>(order[static_cast<std::size_t>(i)])]);
      }
    }
    view.callbacks = rv_callbacks{&jitReports_, collectError, collectEvent, collectWatch, collectRandom};
    interp_.setRandom([this](std::size_t instance, ir::RandomDistribution distribution, double a, double b) {
      return collectRandom(&interpReports_, static_cast<std::int32_t>(instance), static_cast<std::int32_t>(distribution),
                           a, b);
    });
  }

  interp::Interpreter &interp() { return interp_; }
  runtime::MechanismInstances &jit() { return jit_; }
  Reports &jitReports() { return jitReports_; }
  Reports &interpReports() { return interpReports_; }
  std::int32_t count() const { return count_; }

  // Random, plausible values for every stored variable, the same on both sides.
  void randomize(std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    auto uniform = [&](double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); };
    for (std::size_t id = 0; id < ir_.variables.size(); ++id) {
      const ir::Variable &v = ir_.variables[id];
      const std::int32_t instances = perInstance(v.storage) ? count_ : 1;
      for (std::int32_t i = 0; i < instances; ++i) {
        for (std::uint32_t e = 0; e < v.size; ++e) {
          double x = 0;
          switch (v.storage) {
          case ir::Storage::Field:
          case ir::Storage::Thread:
            x = v.initial != 0 ? v.initial * uniform(0.5, 1.5) : uniform(0.0, 1.0);
            break;
          case ir::Storage::Node:
            switch (v.nodeQuantity) {
            case ir::NodeQuantity::Voltage: x = uniform(-90, 40); break;
            case ir::NodeQuantity::Area: x = uniform(50, 500); break;
            case ir::NodeQuantity::Diam: x = uniform(0.5, 5); break;
            default: x = uniform(-1, 1); break;
            }
            break;
          case ir::Storage::Ion:
            switch (v.ionQuantity) {
            case ir::IonQuantity::Reversal: x = uniform(-90, 60); break;
            case ir::IonQuantity::Inside: x = uniform(1e-5, 20); break;
            case ir::IonQuantity::Outside: x = uniform(1, 140); break;
            case ir::IonQuantity::Current: x = uniform(-1, 1); break;
            case ir::IonQuantity::Conductance: x = uniform(0, 1); break;
            }
            break;
          case ir::Storage::Pointer: x = uniform(-90, 40); break;  // most POINTERs name a voltage
          case ir::Storage::Builtin:
            // secondorder: 0 or 2, as a simulation's (both paths of derivimplicit and sparse)
            x = v.name == "dt" ? 0.025 : v.name == "celsius" ? uniform(6, 37) : v.name == "secondorder" ? (uniform(0, 1) < 0.5 ? 0 : 2) : uniform(0, 100);
            break;
          default: continue;  // globals and tables keep their defaults
          }
          set(static_cast<ir::VarId>(id), i, e, x);
        }
      }
    }
    interpReports_ = {};
    jitReports_ = {};
  }

  void set(ir::VarId id, std::int32_t instance, std::uint32_t element, double x) {
    interp_.at(id, static_cast<std::size_t>(instance), element) = x;
    jitSlot(id, instance, element) = x;
  }

  double &jitSlot(ir::VarId id, std::int32_t instance, std::uint32_t element) {
    const ir::Variable &v = ir_.variables[id];
    const rv_variable *d = jit_.variable(v.name);
    if (d == nullptr) throw std::runtime_error("no compiled variable " + v.name);
    const auto at = static_cast<std::size_t>(instance);
    switch (d->storage) {
    case RV_STORAGE_NODE: return nodes_[static_cast<std::size_t>(d->quantity)][static_cast<std::size_t>(nodeIndex_[at])];
    case RV_STORAGE_ION: {
      const auto ion = static_cast<std::size_t>(d->slot / RV_ION_QUANTITIES);
      return ionValues_[static_cast<std::size_t>(d->slot)][static_cast<std::size_t>(ionIndex_[ion][at])];
    }
    case RV_STORAGE_POINTER: return *jit_.pointer(*d, instance);
    case RV_STORAGE_BUILTIN: {
      rv_instances &view = jit_.view();
      switch (d->quantity) {
      case RV_BUILTIN_T: return view.t;
      case RV_BUILTIN_DT: return view.dt;
      case RV_BUILTIN_SECONDORDER: return view.secondorder;
      default: return view.celsius;
      }
    }
    default: return jit_.value(*d, instance, static_cast<std::int32_t>(element));
    }
  }

  // Runs an interpreter kernel for every instance (or for one), collecting its reports.
  double runInterp(const ir::Kernel &kernel, std::int32_t instance, const std::vector<double> &args = {}) {
    interp::KernelResult r = interp_.run(kernel, static_cast<std::size_t>(instance), args);
    for (std::uint32_t e : r.errors) interpReports_.errors.insert({instance, static_cast<int>(e)});
    for (const interp::Event &e : r.events) {
      const int kind = e.kind == ir::StmtKind::NetSend ? RV_NET_SEND : e.kind == ir::StmtKind::NetEvent ? RV_NET_EVENT : RV_NET_MOVE;
      interpReports_.events.insert({instance, kind, e.time, e.flag});
    }
    for (std::uint32_t w : r.watches) interpReports_.watches.insert({instance, static_cast<int>(w)});
    return r.value;
  }

  // Every stored value equal within `tolerance`; returns the mismatches (at most 10).
  // di/dv values (node d, ion conductances) are a difference of two currents divided
  // by 0.001: cancellation magnifies rounding, so they get `derivativeTolerance`.
  std::vector<std::string> differences(double tolerance, double derivativeTolerance = -1) {
    if (derivativeTolerance < 0) derivativeTolerance = tolerance;
    std::vector<std::string> out;
    for (std::size_t id = 0; id < ir_.variables.size() && out.size() < 10; ++id) {
      const ir::Variable &v = ir_.variables[id];
      if (v.storage == ir::Storage::Local || v.storage == ir::Storage::Param) continue;
      for (std::int32_t i = 0; i < (perInstance(v.storage) ? count_ : 1) && out.size() < 10; ++i) {
        for (std::uint32_t e = 0; e < v.size; ++e) {
          const double a = interp_.at(static_cast<ir::VarId>(id), static_cast<std::size_t>(i), e);
          const double b = jitSlot(static_cast<ir::VarId>(id), i, e);
          const bool derivative = (v.storage == ir::Storage::Node && v.nodeQuantity == ir::NodeQuantity::Diagonal) ||
                                  (v.storage == ir::Storage::Ion && v.ionQuantity == ir::IonQuantity::Conductance);
          if (!close(a, b, derivative ? derivativeTolerance : tolerance)) {
            out.push_back(fmt::format("{}[{}] of instance {}: interpreter {:.17g}, compiled {:.17g}", v.name, e, i, a, b));
          }
        }
      }
    }
    return out;
  }

private:
  static bool perInstance(ir::Storage s) {
    return s == ir::Storage::Field || s == ir::Storage::Node || s == ir::Storage::Ion || s == ir::Storage::Pointer;
  }

  const ir::Mechanism &ir_;
  interp::Interpreter interp_;
  runtime::MechanismInstances jit_;
  std::int32_t count_;
  std::vector<std::int32_t> nodeIndex_;
  std::array<std::vector<double>, RV_NODE_QUANTITIES> nodes_;
  std::vector<std::vector<std::int32_t>> ionIndex_;
  std::vector<std::vector<double>> ionValues_;
  std::vector<const std::int32_t *> ionIndexPointers_;
  std::vector<double *> ionValuePointers_;
  std::vector<std::vector<double>> pointees_;  // per POINTER slot, what instances point at
  Reports interpReports_, jitReports_;
};

}  // namespace ranvier::test
