// kernel_bench: mechanisms/hh.mod through the JIT against hand-written C++.
//
//   kernel_bench [--instances 1000,100000,1000000] [--repeat 5] [--min-time 0.2]
//                [--steps N] [--no-shuffled] [--no-limits] [--mod FILE]
//
// 1. Compile time: .mod text -> callable kernels through ranvier::jit::Jit. In fresh
//    processes (a child forked before this process touches LLVM, so one-off LLVM
//    set-up is included): Jit construction, the first load with an empty cache
//    directory (compile + store), then another child loading it from that cache. In
//    this (warm) process: a load without cache, the front end alone, a load into an
//    empty cache directory and a second Jit on the same directory (cache hit).
// 2. Kernels: ns per instance-step of hh's `state` and `current` kernels, JIT
//    (usetable = 0, the exp path; also usetable = 1) against bench/hh_reference.cpp
//    (g++ -O3 -march=native), for each instance count, one node per instance, node
//    and ion indices identity (and shuffled). Each repeat runs >= --min-time seconds;
//    the implementations take turns repeat by repeat (a busy moment of a shared machine
//    hits them alike) and each keeps its best of --repeat. Before timing, both sides
//    run 5 steps from the same values and their results are compared (max relative
//    difference).
// 3. Machine limits on one core: exp throughput (glibc scalar exp, AVX-512 libmvec
//    _ZGVeN8v_exp), division throughput, an interpolated TABLE lookup (AVX-512 gathers),
//    FMA throughput with 512- and 256-bit vectors, STREAM-like triad bandwidth.
//
// Readable tables go to stdout, followed by machine-readable `data,...` lines
// (comma-separated key=value). Exit status: 0 ok, 1 compile or agreement failure.

#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "driver/compile.hpp"
#include "hh_reference.hpp"
#include "jit/jit.hpp"
#include "mechanism/instances.hpp"

#ifndef RANVIER_SOURCE_DIR
#define RANVIER_SOURCE_DIR "."
#endif

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using ranvier::runtime::AlignedArray;
using ranvier::runtime::MechanismInstances;

double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

std::vector<std::string> dataLines;  // machine-readable output, printed at the end

template <typename... Args>
void data(fmt::format_string<Args...> format, Args &&...args) {
  dataLines.push_back("data," + fmt::format(format, std::forward<Args>(args)...));
}

struct Options {
  std::vector<std::int32_t> instances{1000, 100000, 1000000};
  int repeat = 5;
  double minTime = 0.2;
  long steps = 0;  // 0: scaled so that a measurement runs >= minTime
  bool shuffled = true;
  bool limits = true;
  int compileRepeat = 5;
  std::vector<std::int64_t> triadMegabytes{48, 768};  // in L3 (260 MB here), out of it
  std::string mod = RANVIER_SOURCE_DIR "/mechanisms/hh.mod";
};

double minOf(const std::vector<double> &v) { return v.empty() ? NAN : *std::min_element(v.begin(), v.end()); }
double medianOf(std::vector<double> v) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string readText(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

ranvier::jit::JitOptions jitOptions(const fs::path &cache) {
  return {.target = ranvier::codegen::hostTarget(), .optLevel = 2, .cacheDirectory = cache};
}

// Loads the mechanism; throws with the diagnostics when it does not compile.
const rv_mechanism *load(ranvier::jit::Jit &jit, const std::string &name, const std::string &text) {
  ranvier::DiagnosticEngine diagnostics;
  const rv_mechanism *m = jit.loadSource(ranvier::SourceFile(name, text), diagnostics);
  if (m == nullptr) {
    std::string message = name + " does not compile:";
    for (const auto &d : diagnostics.diagnostics()) message += "\n  " + d.message;
    throw std::runtime_error(message);
  }
  return m;
}

// --- 1. compile time ------------------------------------------------------------

// Runs `body` in a forked child and returns the doubles it produced (NaN on failure).
std::vector<double> inChild(std::size_t count, const std::function<std::vector<double>()> &body) {
  int pipeFds[2];
  if (pipe(pipeFds) != 0) throw std::runtime_error("pipe failed");
  std::fflush(stdout);
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    close(pipeFds[0]);
    std::vector<double> out(count, NAN);
    try {
      out = body();
    } catch (const std::exception &e) {
      std::fprintf(stderr, "kernel_bench (child): %s\n", e.what());
    }
    out.resize(count, NAN);
    const auto bytes = static_cast<ssize_t>(count * sizeof(double));
    const bool ok = write(pipeFds[1], out.data(), static_cast<std::size_t>(bytes)) == bytes;
    _exit(ok ? 0 : 1);
  }
  close(pipeFds[1]);
  std::vector<double> out(count, NAN);
  const auto bytes = static_cast<ssize_t>(count * sizeof(double));
  if (read(pipeFds[0], out.data(), static_cast<std::size_t>(bytes)) != bytes) std::fill(out.begin(), out.end(), NAN);
  close(pipeFds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return out;
}

bool compileBenchmark(const Options &o, const std::string &name, const std::string &text, const fs::path &scratch) {
  auto ms = [](Clock::duration d) { return seconds(d) * 1e3; };
  std::map<std::string, std::vector<double>> fresh, warm;
  bool ok = true;

  // Fresh processes: fork before this process has used LLVM.
  for (int r = 0; r < o.compileRepeat; ++r) {
    const fs::path dir = scratch / fmt::format("fresh{}", r);
    // {Jit construction ms, load ms, compiled or cached count} in a child process.
    auto timedLoad = [&](bool countCompiled) {
      return inChild(3, [&, countCompiled] {
        auto t0 = Clock::now();
        ranvier::jit::Jit jit(jitOptions(dir));
        auto t1 = Clock::now();
        load(jit, name, text);
        auto t2 = Clock::now();
        const auto &stats = jit.stats();
        return std::vector<double>{ms(t1 - t0), ms(t2 - t1),
                                   static_cast<double>(countCompiled ? stats.compiled : stats.cached)};
      });
    };
    auto cold = timedLoad(true);
    auto hit = timedLoad(false);
    if (cold[2] != 1 || hit[2] != 1) {
      fmt::print(stderr, "kernel_bench: fresh-process run {}: expected one compile then one cache hit (got {} and {})\n", r,
                 cold[2], hit[2]);
      ok = false;
    }
    fresh["ctor"].push_back(cold[0]);
    fresh["ctor"].push_back(hit[0]);
    fresh["store"].push_back(cold[1]);
    fresh["hit"].push_back(hit[1]);
  }

  // This process: one discarded load first, so LLVM's one-off set-up is not counted.
  {
    ranvier::jit::Jit jit(jitOptions({}));
    load(jit, name, text);
  }
  for (int r = 0; r < o.compileRepeat; ++r) {
    auto t0 = Clock::now();
    ranvier::jit::Jit plain(jitOptions({}));
    auto t1 = Clock::now();
    load(plain, name, text);
    auto t2 = Clock::now();
    warm["ctor"].push_back(ms(t1 - t0));
    warm["nocache"].push_back(ms(t2 - t1));

    ranvier::SourceFile file(name, text);
    ranvier::DiagnosticEngine diagnostics;
    t0 = Clock::now();
    auto kernels = ranvier::driver::compileToKernels(file, diagnostics);
    t1 = Clock::now();
    if (!kernels) ok = false;
    warm["frontend"].push_back(ms(t1 - t0));

    const fs::path dir = scratch / fmt::format("warm{}", r);
    ranvier::jit::Jit first(jitOptions(dir));
    t0 = Clock::now();
    load(first, name, text);
    t1 = Clock::now();
    ranvier::jit::Jit second(jitOptions(dir));
    t2 = Clock::now();
    load(second, name, text);
    auto t3 = Clock::now();
    warm["store"].push_back(ms(t1 - t0));
    warm["hit"].push_back(ms(t3 - t2));
    if (first.stats().compiled != 1 || second.stats().cached != 1 || second.stats().compiled != 0) {
      fmt::print(stderr, "kernel_bench: warm run {}: the second Jit did not load from the cache\n", r);
      ok = false;
    }
  }

  fmt::print("## {} -> callable kernels (ms; {} runs each, min / median)\n\n", name, o.compileRepeat);
  fmt::print("| step | fresh process min | median | warm process min | median |\n");
  fmt::print("|---|---:|---:|---:|---:|\n");
  const std::vector<std::pair<std::string, std::string>> rows = {
      {"ctor", "Jit construction"},
      {"nocache", "load, no cache (compile)"},
      {"frontend", "  of which front end (parse, check, lower)"},
      {"store", "load, cold: empty cache dir (compile + store)"},
      {"hit", "load, cached: second Jit, same cache dir"}};
  auto cell = [](const std::map<std::string, std::vector<double>> &m, const std::string &key) {
    auto it = m.find(key);
    if (it == m.end()) return std::string("| — | — ");
    return fmt::format("| {:.2f} | {:.2f} ", minOf(it->second), medianOf(it->second));
  };
  for (const auto &[key, label] : rows) {
    fmt::print("| {} {}{}|\n", label, cell(fresh, key), cell(warm, key));
    for (const auto *m : {&fresh, &warm}) {
      auto it = m->find(key);
      if (it == m->end()) continue;
      data("compile,step={},process={},runs={},min_ms={:.4f},median_ms={:.4f}", key, m == &fresh ? "fresh" : "warm",
           it->second.size(), minOf(it->second), medianOf(it->second));
    }
  }
  fmt::print("\nFresh process: a forked child that had not used LLVM before (its one-off set-up included).\n"
             "Warm process: after one discarded compile in the same process.\n\n");
  return ok;
}

// --- 2. kernels -------------------------------------------------------------------

double threadSeconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// One implementation of a kernel under test: `step` is one pass over all instances.
struct Candidate {
  const char *kernel, *impl;
  int usetable;
  std::function<void()> step;
  long steps = 0;
  std::vector<double> ns;  // per timed repeat, ns per instance-step
  bool preempted = false;  // the best repeat's wall time exceeds its CPU time by > 5 %
  double best() const { return minOf(ns); }
};

int preemptedMeasurements = 0;

// Times every candidate: steps scaled so that a repeat runs >= minTime, then `repeat`
// rounds in which each candidate runs once, so that a noisy moment of a shared machine
// hits all of them alike; each keeps its best repeat.
void timeCandidates(const Options &o, std::int64_t instances, std::vector<Candidate> &candidates) {
  for (Candidate &c : candidates) {
    c.step();  // warm-up: caches, page faults, libmvec resolution
    if (o.steps > 0) {
      c.steps = o.steps;
      continue;
    }
    for (long n = 1;; n *= 2) {
      auto t0 = Clock::now();
      for (long s = 0; s < n; ++s) c.step();
      const double t = seconds(Clock::now() - t0);
      if (t >= o.minTime / 8 || n >= (1L << 30)) {
        c.steps = std::max(1L, static_cast<long>(std::ceil(static_cast<double>(n) * o.minTime / std::max(t, 1e-9))));
        break;
      }
    }
  }
  std::vector<double> bestWall(candidates.size(), INFINITY);
  for (int r = 0; r < o.repeat; ++r) {
    for (std::size_t k = 0; k < candidates.size(); ++k) {
      Candidate &c = candidates[k];
      const double cpu0 = threadSeconds();
      auto t0 = Clock::now();
      for (long s = 0; s < c.steps; ++s) c.step();
      const double wall = seconds(Clock::now() - t0), cpu = threadSeconds() - cpu0;
      c.ns.push_back(wall / static_cast<double>(c.steps) / static_cast<double>(instances) * 1e9);
      if (wall < bestWall[k]) {
        bestWall[k] = wall;
        c.preempted = wall > 1.05 * cpu;
      }
    }
  }
  for (const Candidate &c : candidates) preemptedMeasurements += c.preempted ? 1 : 0;
}

// Node and ion storage of one cell group (one node per instance), in `count + pad` entries.
struct Group {
  std::vector<std::int32_t> nodeIndex, naIndex, kIndex;
  std::array<AlignedArray, RV_NODE_QUANTITIES> node;
  std::array<AlignedArray, RV_ION_QUANTITIES> na, k;

  Group(std::int32_t count, std::int32_t capacity, bool shuffled, std::uint64_t seed) {
    const auto cap = static_cast<std::size_t>(capacity);
    nodeIndex.resize(cap);
    for (std::size_t i = 0; i < cap; ++i) nodeIndex[i] = static_cast<std::int32_t>(i);
    std::mt19937_64 rng(seed);
    if (shuffled) std::shuffle(nodeIndex.begin(), nodeIndex.begin() + count, rng);
    naIndex = nodeIndex;  // one node per instance: the ion values live per node
    kIndex = nodeIndex;
    for (auto &q : node) q = AlignedArray(cap, 0.0);
    for (auto &q : na) q = AlignedArray(cap, 0.0);
    for (auto &q : k) q = AlignedArray(cap, 0.0);
    std::uniform_real_distribution<double> voltage(-80.0, 40.0);
    for (std::size_t i = 0; i < cap; ++i) {
      node[RV_NODE_V].data()[i] = voltage(rng);
      node[RV_NODE_AREA].data()[i] = 100;
      node[RV_NODE_DIAM].data()[i] = 1;
      na[RV_ION_REVERSAL].data()[i] = 50;
      k[RV_ION_REVERSAL].data()[i] = -77;
    }
  }

  void copyFrom(const Group &g) {
    nodeIndex = g.nodeIndex;
    naIndex = g.naIndex;
    kIndex = g.kIndex;
    auto copy = [](auto &to, const auto &from) {
      for (std::size_t q = 0; q < to.size(); ++q) {
        to[q] = AlignedArray(from[q].size());
        std::copy(from[q].data(), from[q].data() + from[q].size(), to[q].data());
      }
    };
    copy(node, g.node);
    copy(na, g.na);
    copy(k, g.k);
  }
};

const char *kFieldNames[] = {"gnabar", "gkbar", "gl", "el", "m", "h", "n", "minf", "hinf",
                             "ninf",   "mtau",  "htau", "ntau", "gna", "gk", "ina", "ik", "il"};
constexpr std::size_t kFields = std::size(kFieldNames);

struct Agreement {
  double states = 0, rates = 0, currents = 0, rhs = 0, d = 0, ions = 0;
};

double relative(double a, double b) {
  if (a == b) return 0;
  if (!std::isfinite(a) || !std::isfinite(b)) return INFINITY;
  return std::fabs(a - b) / std::max({std::fabs(a), std::fabs(b), 1e-300});
}

struct Row {
  std::string kernel;
  std::int32_t instances;
  std::string order;
  double jit = NAN, cpp = NAN, jitTable = NAN, cppLean = NAN;
};

class KernelBench {
public:
  KernelBench(const rv_mechanism &m, const Options &o) : m_(m), o_(o) {}

  // Benchmarks one instance count and node order; appends rows; returns agreement.
  Agreement run(std::int32_t count, bool shuffled, std::vector<Row> &rows) {
    MechanismInstances inst(m_, count);
    rv_instances &view = inst.view();
    const std::int32_t capacity = inst.capacity();
    Group jitGroup(count, capacity, shuffled, 20240607u + static_cast<std::uint64_t>(count));
    view.node_index = jitGroup.nodeIndex.data();
    for (int q = 0; q < RV_NODE_QUANTITIES; ++q) view.node[q] = jitGroup.node[static_cast<std::size_t>(q)].data();
    std::vector<const std::int32_t *> ionIndex;
    std::vector<double *> ionValues;
    for (std::int32_t ion = 0; ion < m_.ion_count; ++ion) {
      const std::string ionName = m_.ions[ion].name;
      if (ionName != "na" && ionName != "k") throw std::runtime_error("unexpected ion " + ionName + " in hh");
      auto &values = ionName == "na" ? jitGroup.na : jitGroup.k;
      ionIndex.push_back(ionName == "na" ? jitGroup.naIndex.data() : jitGroup.kIndex.data());
      for (auto &q : values) ionValues.push_back(q.data());
    }
    view.ion_index = ionIndex.data();
    view.ion_values = ionValues.data();
    view.dt = 0.025;
    view.celsius = 6.3;
    view.t = 0;

    const rv_kernel *init = kernel(inst, RV_KERNEL_INIT);
    const rv_kernel *state = kernel(inst, RV_KERNEL_STATE);
    const rv_kernel *current = kernel(inst, RV_KERNEL_CURRENT);
    const rv_kernel *tableCheck = inst.kernel(RV_KERNEL_TABLE_CHECK);
    double &usetable = global(inst, "usetable");
    stateWidth_ = state->vector_width;
    currentWidth_ = current->vector_width;

    usetable = 0;
    init->range(&view, 0, count);

    // The reference: its own copies of every field and of the node and ion arrays.
    Group refGroup(0, 0, false, 0);
    refGroup.copyFrom(jitGroup);
    std::vector<AlignedArray> refFields;
    for (const char *name : kFieldNames) {
      const double *from = field(inst, name);
      refFields.emplace_back(static_cast<std::size_t>(capacity));
      std::copy(from, from + capacity, refFields.back().data());
    }
    auto f = [&](std::size_t i) { return refFields[i].data(); };
    const ranvier::bench::HhArrays ref{
        .gnabar = f(0), .gkbar = f(1), .gl = f(2), .el = f(3), .m = f(4), .h = f(5), .n = f(6),
        .minf = f(7), .hinf = f(8), .ninf = f(9), .mtau = f(10), .htau = f(11), .ntau = f(12),
        .gna = f(13), .gk = f(14), .ina = f(15), .ik = f(16), .il = f(17),
        .node_index = refGroup.nodeIndex.data(),
        .v = refGroup.node[RV_NODE_V].data(), .rhs = refGroup.node[RV_NODE_RHS].data(), .d = refGroup.node[RV_NODE_D].data(),
        .na_index = refGroup.naIndex.data(), .k_index = refGroup.kIndex.data(),
        .ena = refGroup.na[RV_ION_REVERSAL].data(), .ion_ina = refGroup.na[RV_ION_CURRENT].data(),
        .ion_dinadv = refGroup.na[RV_ION_CONDUCTANCE].data(),
        .ek = refGroup.k[RV_ION_REVERSAL].data(), .ion_ik = refGroup.k[RV_ION_CURRENT].data(),
        .ion_dikdv = refGroup.k[RV_ION_CONDUCTANCE].data()};
    const double dt = view.dt, celsius = view.celsius;

    // Agreement: 5 steps (current, then state) on both sides from the same values.
    for (int s = 0; s < 5; ++s) {
      current->range(&view, 0, count);
      state->range(&view, 0, count);
      ranvier::bench::hhCurrent(ref, 0, count);
      ranvier::bench::hhState(ref, dt, celsius, 0, count);
    }
    Agreement a;
    for (std::size_t fi = 4; fi < kFields; ++fi) {  // 0..3 are parameters, which no kernel writes
      const double *x = field(inst, kFieldNames[fi]), *y = refFields[fi].data();
      double worst = 0;
      for (std::int32_t i = 0; i < count; ++i) worst = std::max(worst, relative(x[i], y[i]));
      double &into = fi <= 6 ? a.states : fi <= 12 ? a.rates : a.currents;
      into = std::max(into, worst);
    }
    auto compare = [&](const AlignedArray &x, const AlignedArray &y) {
      double worst = 0;
      for (std::int32_t i = 0; i < count; ++i) worst = std::max(worst, relative(x.data()[i], y.data()[i]));
      return worst;
    };
    a.rhs = compare(jitGroup.node[RV_NODE_RHS], refGroup.node[RV_NODE_RHS]);
    a.d = compare(jitGroup.node[RV_NODE_D], refGroup.node[RV_NODE_D]);
    for (int q : {RV_ION_CURRENT, RV_ION_CONDUCTANCE}) {
      a.ions = std::max({a.ions, compare(jitGroup.na[static_cast<std::size_t>(q)], refGroup.na[static_cast<std::size_t>(q)]),
                         compare(jitGroup.k[static_cast<std::size_t>(q)], refGroup.k[static_cast<std::size_t>(q)])});
    }

    // Timing: each step sets usetable (the table is built once, before the first usetable=1 step).
    const char *order = shuffled ? "shuffled" : "identity";
    std::vector<Candidate> stateRuns = {
        {"state", "jit", 0, [&] { usetable = 0; state->range(&view, 0, count); }},
        {"state", "cpp", 0, [&] { ranvier::bench::hhState(ref, dt, celsius, 0, count); }},
        {"state", "cpp-lean", 0, [&] { ranvier::bench::hhStateLean(ref, dt, celsius, 0, count); }}};
    if (tableCheck != nullptr) {
      usetable = 1;
      tableCheck->instance(&view, 0, nullptr);
      stateRuns.push_back({"state", "jit", 1, [&] { usetable = 1; state->range(&view, 0, count); }});
    }
    timeCandidates(o_, count, stateRuns);
    usetable = 0;
    std::vector<Candidate> currentRuns = {{"current", "jit", 0, [&] { current->range(&view, 0, count); }},
                                          {"current", "cpp", 0, [&] { ranvier::bench::hhCurrent(ref, 0, count); }}};
    timeCandidates(o_, count, currentRuns);
    for (const auto *runs : {&stateRuns, &currentRuns}) {
      for (const Candidate &c : *runs) {
        data("kernel,kernel={},impl={},usetable={},order={},instances={},steps={},repeat={},ns_per_instance={:.4f},"
             "median_ns={:.4f},preempted={}",
             c.kernel, c.impl, c.usetable, order, count, c.steps, o_.repeat, c.best(), medianOf(c.ns), c.preempted ? 1 : 0);
      }
    }
    Row st{"state", count, order}, cu{"current", count, order};
    st.jit = stateRuns[0].best();
    st.cpp = stateRuns[1].best();
    st.cppLean = stateRuns[2].best();
    if (stateRuns.size() > 3) st.jitTable = stateRuns[3].best();
    cu.jit = currentRuns[0].best();
    cu.cpp = currentRuns[1].best();
    rows.push_back(st);
    rows.push_back(cu);
    return a;
  }

  int stateWidth() const { return stateWidth_; }
  int currentWidth() const { return currentWidth_; }

private:
  const rv_mechanism &m_;
  const Options &o_;
  int stateWidth_ = 0, currentWidth_ = 0;

  static const rv_kernel *kernel(MechanismInstances &inst, rv_kernel_kind kind) {
    const rv_kernel *k = inst.kernel(kind);
    if (k == nullptr || k->range == nullptr) throw std::runtime_error("hh has no such range kernel");
    return k;
  }
  static double &global(MechanismInstances &inst, const char *name) {
    const rv_variable *v = inst.variable(name);
    if (v == nullptr) throw std::runtime_error(std::string("hh has no variable ") + name);
    return inst.value(*v, 0);
  }
  static double *field(MechanismInstances &inst, const char *name) {
    const rv_variable *v = inst.variable(name);
    if (v == nullptr || v->storage != RV_STORAGE_FIELD) throw std::runtime_error(std::string("hh has no field ") + name);
    return inst.view().fields[v->slot];
  }
};

// --- 3. machine limits --------------------------------------------------------------

struct Limits {
  double expScalarNs = NAN, expVectorNs = NAN, divScalarNs = NAN, divVectorNs = NAN, lookupNs = NAN;
  double fma512Ns = NAN, fma256Ns = NAN;  // per FMA instruction (12 independent chains)
  std::vector<std::pair<std::int64_t, double>> triadGBs;  // (total MB, GB/s in STREAM counting)
};

// Best time per element of `body(passes)` over `count` elements, >= minTime per run.
double perElementNs(const Options &o, std::int64_t count, const std::function<void(int)> &body) {
  body(1);
  int passes = 1;
  for (;;) {
    auto t0 = Clock::now();
    body(passes);
    const double t = seconds(Clock::now() - t0);
    if (t >= o.minTime / 4 || passes >= (1 << 28)) {
      passes = std::max(1, static_cast<int>(std::ceil(passes * o.minTime / std::max(t, 1e-9))));
      break;
    }
    passes *= 2;
  }
  double best = INFINITY;
  for (int r = 0; r < o.repeat; ++r) {
    auto t0 = Clock::now();
    body(passes);
    best = std::min(best, seconds(Clock::now() - t0));
  }
  return best / passes / static_cast<double>(count) * 1e9;
}

Limits machineLimits(const Options &o) {
  Limits l;
  constexpr std::int64_t n = 2048;  // x and y: 32 KB, in L1
  AlignedArray x(n), y(n);
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> arg(-5.0, 5.0);  // hh's exp arguments are of this size
  for (std::int64_t i = 0; i < n; ++i) x.data()[i] = arg(rng);
  l.expScalarNs = perElementNs(o, n, [&](int p) { ranvier::bench::expScalar(x.data(), y.data(), n, p); });
  if (ranvier::bench::expVector(x.data(), y.data(), n, 1)) {
    l.expVectorNs = perElementNs(o, n, [&](int p) { ranvier::bench::expVector(x.data(), y.data(), n, p); });
  }
  for (std::int64_t i = 0; i < n; ++i) x.data()[i] = 1.5 + arg(rng);  // no zeros, no denormals
  l.divScalarNs = perElementNs(o, n, [&](int p) { ranvier::bench::divideScalar(x.data(), y.data(), n, p); });
  l.divVectorNs = perElementNs(o, n, [&](int p) { ranvier::bench::divideVector(x.data(), y.data(), n, p); });
  {  // a 2001-entry TABLE (16 KB) read at random rows, as a population's lanes read it
    AlignedArray table(2001);
    std::vector<std::int32_t> rows(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < 2001; ++i) table.data()[i] = 1e-3 * static_cast<double>(i);
    for (std::int64_t i = 0; i < n; ++i) {
      rows[static_cast<std::size_t>(i)] = static_cast<std::int32_t>(rng() % 2000);
      x.data()[i] = 0.5;
    }
    if (ranvier::bench::tableLookup(table.data(), rows.data(), x.data(), y.data(), n, 1)) {
      l.lookupNs = perElementNs(o, n, [&](int p) { ranvier::bench::tableLookup(table.data(), rows.data(), x.data(), y.data(), n, p); });
    }
  }

  {
    double sink = 0;
    constexpr std::int64_t rounds = 1 << 16;  // x 12 FMAs
    if (ranvier::bench::fmaThroughput(8, &sink, rounds, 1)) {
      l.fma512Ns = perElementNs(o, 12 * rounds, [&](int p) { ranvier::bench::fmaThroughput(8, &sink, rounds, p); });
      l.fma256Ns = perElementNs(o, 12 * rounds, [&](int p) { ranvier::bench::fmaThroughput(4, &sink, rounds, p); });
    }
  }

  for (std::int64_t megabytes : o.triadMegabytes) {
    const std::int64_t count = megabytes * (1 << 20) / 3 / 8;
    AlignedArray a(static_cast<std::size_t>(count), 0.0), b(static_cast<std::size_t>(count), 1.0),
        c(static_cast<std::size_t>(count), 2.0);
    ranvier::bench::triad(a.data(), b.data(), c.data(), 3.0, count, 1);  // warm-up
    const int passes = std::max(1, static_cast<int>(1024 / std::max<std::int64_t>(megabytes, 1)));  // >= ~1 GB a run
    double best = INFINITY;
    for (int r = 0; r < std::max(o.repeat, 3); ++r) {
      auto t0 = Clock::now();
      ranvier::bench::triad(a.data(), b.data(), c.data(), 3.0, count, passes);
      best = std::min(best, seconds(Clock::now() - t0));
    }
    l.triadGBs.emplace_back(megabytes, 24.0 * static_cast<double>(count) * passes / best / 1e9);
  }
  return l;
}

std::string loadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one.empty() ? "unknown" : one + " " + five + " " + fifteen;
}

std::string cpuName() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  }
  return "unknown CPU";
}

}  // namespace

int main(int argc, char **argv) {
  Options o;
  CLI::App app{"kernel_bench: hh.mod through the JIT against hand-written C++ (g++ -O3 -march=native)"};
  app.add_option("--instances", o.instances, "instance counts, comma-separated")->delimiter(',');
  app.add_option("--repeat", o.repeat, "timed repeats per measurement (the best is kept)")->check(CLI::Range(1, 1000));
  app.add_option("--min-time", o.minTime, "seconds per timed repeat (steps are scaled to reach it)");
  app.add_option("--steps", o.steps, "steps per timed repeat (0: scaled by --min-time)");
  app.add_option("--compile-repeat", o.compileRepeat, "runs of each compile-time measurement")->check(CLI::Range(1, 1000));
  app.add_option("--triad-mb", o.triadMegabytes, "total sizes of the triad arrays (MB), comma-separated")->delimiter(',');
  app.add_option("--mod", o.mod, "the hh mechanism file");
  app.add_flag("!--no-shuffled", o.shuffled, "leave out the shuffled node order rows");
  app.add_flag("!--no-limits", o.limits, "leave out the machine limits");
  CLI11_PARSE(app, argc, argv);

  int status = 0;
  const fs::path scratch = fs::temp_directory_path() / fmt::format("ranvier-kernel-bench-{}", getpid());
  try {
    const std::string text = readText(o.mod);
    const std::string name = fs::path(o.mod).filename().string();
    const ranvier::codegen::Target target = ranvier::codegen::hostTarget();
    fmt::print("# Ranvier kernel benchmark: {}\n\n", name);
    fmt::print("- CPU: {}, one core; JIT target {} ({} lanes), LLVM O2\n", cpuName(), target.name, target.width);
    fmt::print("- Reference: bench/hh_reference.cpp, g++ {} -O3 -march=native\n", __VERSION__);
    fmt::print("- Timing: steady_clock, best of {} repeats of >= {} s each; load average at start: {}\n\n", o.repeat,
               o.minTime, loadAverage());
    std::fflush(stdout);

    fs::create_directories(scratch);
    if (!compileBenchmark(o, name, text, scratch)) status = 1;

    // The kernels under test: loaded from the cache, as a second process would.
    ranvier::jit::Jit jit(jitOptions(scratch / "warm0"));
    const rv_mechanism *m = load(jit, name, text);
    KernelBench bench(*m, o);
    std::vector<Row> rows;
    std::vector<std::pair<std::string, Agreement>> agreements;
    for (std::int32_t count : o.instances) {
      for (bool shuffled : {false, true}) {
        if (shuffled && !o.shuffled) continue;
        agreements.emplace_back(fmt::format("{} {}", count, shuffled ? "shuffled" : "identity"),
                                bench.run(count, shuffled, rows));
        std::fflush(stdout);
      }
    }

    fmt::print("## hh kernels: ns per instance-step (one core)\n\n");
    fmt::print("JIT: mechanism target {}, state {} lanes, current {} lanes. C++: hh_reference.cpp, scalar code (g++ does\n"
               "not vectorise these loops: exp calls without -ffast-math, indexed node and ion accesses).\n"
               "C++/JIT > 1: the JIT is faster.\n\n",
               m->target, bench.stateWidth(), bench.currentWidth());
    fmt::print("| kernel | instances | node order | JIT | C++ -O3 | C++/JIT | JIT usetable=1 | C++ lean | lean/JIT |\n");
    fmt::print("|---|---:|---|---:|---:|---:|---:|---:|---:|\n");
    auto num = [](double x) { return std::isnan(x) ? std::string("—") : fmt::format("{:.2f}", x); };
    for (const Row &r : rows) {
      fmt::print("| {} | {} | {} | {} | {} | {} | {} | {} | {} |\n", r.kernel, r.instances, r.order, num(r.jit), num(r.cpp),
                 num(r.cpp / r.jit), num(r.jitTable), num(r.cppLean), num(r.cppLean / r.jit));
    }
    fmt::print("\nJIT and C++ columns: usetable=0 (rates computed with exp, as the reference does). JIT usetable=1: the\n"
               "TABLE path (linear interpolation, no exp). C++ lean: rates kept in registers (no minf..ntau stores)\n"
               "and x += (1 - exp(-dt/xtau))*(xinf - x) instead of nocmodl's cnexp form (12 divisions, not 24).\n");
    if (preemptedMeasurements > 0) {
      fmt::print("Warning: in {} measurement(s) even the best repeat was descheduled (wall time > 1.05 x CPU time):\n"
                 "the machine was busy; run again on a quiet machine.\n", preemptedMeasurements);
    }
    fmt::print("\n");

    fmt::print("## Agreement after 5 steps (max relative difference, JIT vs C++)\n\n");
    fmt::print("| instances | m, h, n | minf..ntau | gna..il | node rhs | node d | ion i, di/dv |\n|---|---:|---:|---:|---:|---:|---:|\n");
    for (const auto &[label, a] : agreements) {
      fmt::print("| {} | {:.1e} | {:.1e} | {:.1e} | {:.1e} | {:.1e} | {:.1e} |\n", label, a.states, a.rates, a.currents,
                 a.rhs, a.d, a.ions);
      data("agreement,case={},states={:.3e},rates={:.3e},currents={:.3e},rhs={:.3e},d={:.3e},ions={:.3e}", label,
           a.states, a.rates, a.currents, a.rhs, a.d, a.ions);
      // m, h, n and rhs within 1e-10; d and di/dv are differences of two currents 0.001 mV
      // apart divided by 0.001, which amplifies rounding about 1e3-fold: 1e-8 for those.
      if (!(std::max({a.states, a.rates, a.currents, a.rhs}) <= 1e-10 && std::max(a.d, a.ions) <= 1e-8)) {
        fmt::print(stderr, "kernel_bench: JIT and reference disagree beyond tolerance ({})\n", label);
        status = 1;
      }
    }
    fmt::print("\n");

    if (o.limits) {
      const Limits l = machineLimits(o);
      fmt::print("## Machine limits (one core)\n\n");
      fmt::print("| what | ns per element | per ns |\n|---|---:|---:|\n");
      fmt::print("| exp, glibc scalar | {:.3f} | {:.2f} |\n", l.expScalarNs, 1 / l.expScalarNs);
      fmt::print("| exp, libmvec _ZGVeN8v_exp (AVX-512) | {:.3f} | {:.2f} |\n", l.expVectorNs, 1 / l.expVectorNs);
      fmt::print("| division, scalar divsd | {:.3f} | {:.2f} |\n", l.divScalarNs, 1 / l.divScalarNs);
      fmt::print("| division, g++ -O3 -march=native vectorised | {:.3f} | {:.2f} |\n", l.divVectorNs, 1 / l.divVectorNs);
      fmt::print("| TABLE lookup, linear interpolation (2 AVX-512 gathers per 8) | {:.3f} | {:.2f} |\n", l.lookupNs, 1 / l.lookupNs);
      fmt::print("| FMA instruction, 512-bit (8 doubles) | {:.3f} | {:.2f} |\n", l.fma512Ns, 1 / l.fma512Ns);
      fmt::print("| FMA instruction, 256-bit (4 doubles) | {:.3f} | {:.2f} |\n", l.fma256Ns, 1 / l.fma256Ns);
      fmt::print("\nDouble-precision FMA lanes per ns: {:.2f} with 512-bit vectors, {:.2f} with 256-bit ones (about equal:\n"
                 "the core has one 512-bit FMA unit; about twice as many with 512-bit vectors: two).\n",
                 8 / l.fma512Ns, 4 / l.fma256Ns);
      fmt::print("\n| triad a[i] = b[i] + s*c[i], arrays in all | GB/s, STREAM counting (24 B an element) | GB/s with the write-allocate read (32 B) |\n"
                 "|---|---:|---:|\n");
      for (const auto &[megabytes, gbs] : l.triadGBs) {
        fmt::print("| {} MB | {:.1f} | {:.1f} |\n", megabytes, gbs, gbs * 32 / 24);
        data("limit,what=triad,megabytes={},gb_per_s={:.3f}", megabytes, gbs);
      }
      fmt::print("\n");
      data("limit,what=exp_scalar,ns={:.4f}", l.expScalarNs);
      data("limit,what=exp_libmvec_avx512,ns={:.4f}", l.expVectorNs);
      data("limit,what=div_scalar,ns={:.4f}", l.divScalarNs);
      data("limit,what=div_vector,ns={:.4f}", l.divVectorNs);
      data("limit,what=table_lookup,ns={:.4f}", l.lookupNs);
      data("limit,what=fma_512,ns={:.4f}", l.fma512Ns);
      data("limit,what=fma_256,ns={:.4f}", l.fma256Ns);

      // Floors per instance-step from the limits: work counted from mechc --emit-kernels.
      // state: 9 exp, 24 divisions; bytes: node_index 4 + v 8 + m,h,n read and written 48
      // + minf..ntau written 48 (+48 write-allocate). current: no exp, 3 divisions;
      // bytes: 3 indices 12 + v, ena, ek 24 + 7 fields read 56 + 5 fields written 40
      // (+40) + ion i, di/dv and node rhs, d read and written 96.
      fmt::print("## Floors per instance-step from these limits (ns)\n\n");
      fmt::print("| kernel | exp only (vector) | divisions only (vector) |");
      for (const auto &[megabytes, gbs] : l.triadGBs) fmt::print(" memory at the {} MB triad rate |", megabytes);
      fmt::print("\n|---|---:|---:|");
      for (std::size_t i = 0; i < l.triadGBs.size(); ++i) fmt::print("---:|");
      fmt::print("\n");
      struct Work {
        const char *name;
        int exps, divisions, bytes;
      };
      for (const Work &w : {Work{"state (9 exp, 24 div, 156 B)", 9, 24, 156}, Work{"state lean (9 exp, 12 div, 60 B)", 9, 12, 60},
                            Work{"current (0 exp, 3 div, 268 B)", 0, 3, 268}}) {
        fmt::print("| {} | {} | {:.2f} |", w.name, w.exps ? fmt::format("{:.2f}", w.exps * l.expVectorNs) : "—",
                   w.divisions * l.divVectorNs);
        for (const auto &pair : l.triadGBs) fmt::print(" {:.2f} |", w.bytes / (pair.second * 32 / 24));  // bytes incl. write-allocates
        fmt::print("\n");
      }
      fmt::print("\nOperation counts from mechc --emit-kernels; bytes count write-allocate reads. A kernel touches\n"
                 "about 84 B (state) or 180 B (current) of arrays per instance: at 1e6 instances 84 or 180 MB, which\n"
                 "the JIT's and the reference's copies (they take turns) and other tenants share with the L3.\n\n");
    }

    for (const std::string &line : dataLines) fmt::print("{}\n", line);
  } catch (const std::exception &e) {
    fmt::print(stderr, "kernel_bench: {}\n", e.what());
    status = 1;
  }
  std::error_code ignored;
  fs::remove_all(scratch, ignored);
  return status;
}
