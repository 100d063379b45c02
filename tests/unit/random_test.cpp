// Random numbers: exprand, normrand, scop_random, poisrand and set_seed draw through
// the runtime's generator (rv_callbacks.random in compiled code, a RandomSource in
// the interpreter). Each call asks for its distribution and arguments, for its
// instance, in program order; set_seed reaches the generator; without one every draw
// is 0 and nothing crashes; kernels that draw run one instance at a time; NetStim's
// spike times follow the draws. And scopmath's gauss, poisson and factorial, which
// are values, not draws, as NEURON computes them.
// (Interpreter against compiled code on every kernel of netstim.mod and
// tests/mod/codegen/random.mod, with a fake generator: jit_differential_test.cpp.)

#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "jit_support.hpp"
#include "kernel_support.hpp"

namespace ranvier::test {
namespace {

using Draw = std::tuple<int, int, double, double>;  // instance, distribution, a, b

// Records every draw, in order. The value of instance i's k-th draw (k from 1) is
// 100*i + k, so a stored value says who drew it and when; set_seed gets 7, which
// kernels must ignore.
struct Recorder {
  std::vector<Draw> draws;
  std::map<int, int> made;

  double next(int instance, int distribution, double a, double b) {
    draws.emplace_back(instance, distribution, a, b);
    const int k = ++made[instance];
    return distribution == RV_RANDOM_SEED ? 7.0 : 100.0 * instance + k;
  }
};

double record(void *context, std::int32_t instance, std::int32_t distribution, double a, double b) {
  return static_cast<Recorder *>(context)->next(instance, distribution, a, b);
}

interp::RandomSource recordInto(Recorder &r) {
  return [&r](std::size_t instance, ir::RandomDistribution d, double a, double b) {
    return r.next(static_cast<int>(instance), static_cast<int>(d), a, b);
  };
}

// A mechanism compiled for `target`, `count` instances, each on its own node; draws
// go to `recorder`, reports nowhere.
struct Compiled {
  std::unique_ptr<Lowered> lowered;
  std::unique_ptr<jit::Jit> jit;
  std::unique_ptr<runtime::MechanismInstances> instances;
  std::vector<double> v, zeros;
  std::vector<std::int32_t> nodeIndex;
  Recorder recorder;

  Compiled(std::unique_ptr<Lowered> l, std::int32_t count, const std::string &target) : lowered(std::move(l)) {
    EXPECT_TRUE(lowered->ok()) << lowered->messages();
    jit = std::make_unique<jit::Jit>(jit::JitOptions{.target = *codegen::targetNamed(target)});
    instances = std::make_unique<runtime::MechanismInstances>(*jit->load(lowered->get()), count);
    v.assign(static_cast<std::size_t>(count), -65.0);
    zeros.assign(static_cast<std::size_t>(count), 0.0);
    for (std::int32_t i = 0; i < count; ++i) nodeIndex.push_back(i);
    rv_instances &view = instances->view();
    view.node_index = nodeIndex.data();
    view.node[RV_NODE_V] = v.data();
    for (int q = 1; q < RV_NODE_QUANTITIES; ++q) view.node[q] = zeros.data();
    view.callbacks = rv_callbacks{&recorder, nullptr, nullptr, nullptr, record};
  }
  double &value(const char *name, std::int32_t instance) {
    return instances->value(*instances->variable(name), instance);
  }
  const rv_kernel &kernel(const char *name) { return *instances->kernel(name); }
};

const char *kDraws =
    "NEURON { SUFFIX draws RANGE mean, sd, e, n, u, p }\n"
    "PARAMETER { mean = 2 sd = 0.5 }\n"
    "ASSIGNED { e n u p }\n"
    "BREAKPOINT {\n"
    "  e = exprand(mean)\n"
    "  n = normrand(mean, sd)\n"
    "  u = scop_random()\n"
    "  p = poisrand(mean + 1)\n"
    "}\n"
    "PROCEDURE seed(x) { set_seed(x) }\n"
    "FUNCTION seeded(x) { seeded = setseed(x) + 1 }\n"
    "PROCEDURE skip() { scop_random() }\n";

constexpr std::int32_t kCount = 5;

double meanOf(std::int32_t i) { return 1.0 + i; }
double sdOf(std::int32_t i) { return 0.1 * (i + 1); }

// What kDraws's BREAKPOINT asks for, instance by instance.
std::vector<Draw> expectedDraws() {
  std::vector<Draw> out;
  for (int i = 0; i < kCount; ++i) {
    out.emplace_back(i, RV_RANDOM_EXPONENTIAL, meanOf(i), 0.0);
    out.emplace_back(i, RV_RANDOM_NORMAL, meanOf(i), sdOf(i));
    out.emplace_back(i, RV_RANDOM_UNIFORM01, 0.0, 0.0);
    out.emplace_back(i, RV_RANDOM_POISSON, meanOf(i) + 1, 0.0);
  }
  return out;
}

class RandomDraws : public ::testing::TestWithParam<const char *> {};

TEST_P(RandomDraws, EachCallAsksForItsDistributionAndArgumentsPerInstance) {
  Compiled c(lowerText(kDraws), kCount, GetParam());
  for (std::int32_t i = 0; i < kCount; ++i) {
    c.value("mean", i) = meanOf(i);
    c.value("sd", i) = sdOf(i);
  }
  const rv_kernel &state = c.kernel("state");
  EXPECT_EQ(state.vector_width, 1);  // draws: one instance at a time, in program order
  c.instances->run(state, 0, kCount);
  EXPECT_EQ(c.recorder.draws, expectedDraws());
  for (std::int32_t i = 0; i < kCount; ++i) {
    EXPECT_EQ(c.value("e", i), 100.0 * i + 1);
    EXPECT_EQ(c.value("n", i), 100.0 * i + 2);
    EXPECT_EQ(c.value("u", i), 100.0 * i + 3);
    EXPECT_EQ(c.value("p", i), 100.0 * i + 4);
  }
}

TEST_P(RandomDraws, SetSeedReachesTheGeneratorAndIsWorthZero) {
  Compiled c(lowerText(kDraws), kCount, GetParam());
  double seed = 42;
  EXPECT_EQ(c.instances->call(c.kernel("seed"), 3, &seed), 0.0);
  double x = 9;
  EXPECT_EQ(c.instances->call(c.kernel("seeded"), 1, &x), 1.0);  // the generator's 7 is ignored
  EXPECT_EQ(c.recorder.draws, (std::vector<Draw>{{3, RV_RANDOM_SEED, 42.0, 0.0}, {1, RV_RANDOM_SEED, 9.0, 0.0}}));
}

TEST_P(RandomDraws, ADrawWhoseValueIsUnusedIsStillMade) {
  Compiled c(lowerText(kDraws), kCount, GetParam());
  c.instances->call(c.kernel("skip"), 2, nullptr);
  EXPECT_EQ(c.recorder.draws, (std::vector<Draw>{{2, RV_RANDOM_UNIFORM01, 0.0, 0.0}}));
}

TEST_P(RandomDraws, WithoutAGeneratorEveryDrawIsZero) {
  Compiled c(lowerText(kDraws), kCount, GetParam());
  c.instances->view().callbacks = rv_callbacks{};
  for (std::int32_t i = 0; i < kCount; ++i) {
    for (const char *name : {"e", "n", "u", "p"}) c.value(name, i) = 5;
  }
  c.instances->run(c.kernel("state"), 0, kCount);
  double seed = 1;
  EXPECT_EQ(c.instances->call(c.kernel("seed"), 0, &seed), 0.0);
  EXPECT_EQ(c.instances->call(c.kernel("seeded"), 0, &seed), 1.0);
  c.instances->call(c.kernel("skip"), 0, nullptr);
  for (std::int32_t i = 0; i < kCount; ++i) {
    for (const char *name : {"e", "n", "u", "p"}) EXPECT_EQ(c.value(name, i), 0.0) << name << " of instance " << i;
  }
}

INSTANTIATE_TEST_SUITE_P(Targets, RandomDraws, ::testing::Values("scalar", "native"));

TEST(RandomDrawsInterpreted, EachCallAsksItsSourceAsCompiledCodeDoes) {
  auto lowered = lowerText(kDraws);
  ASSERT_TRUE(lowered->ok()) << lowered->messages();
  interp::Interpreter in(lowered->get(), kCount);
  Recorder recorder;
  in.setRandom(recordInto(recorder));
  for (std::int32_t i = 0; i < kCount; ++i) {
    in.at("mean", static_cast<std::size_t>(i)) = meanOf(i);
    in.at("sd", static_cast<std::size_t>(i)) = sdOf(i);
  }
  for (std::int32_t i = 0; i < kCount; ++i) in.run(ir::KernelKind::State, static_cast<std::size_t>(i));
  EXPECT_EQ(recorder.draws, expectedDraws());
  for (std::size_t i = 0; i < kCount; ++i) {
    EXPECT_EQ(in.at("e", i), 100.0 * static_cast<double>(i) + 1);
    EXPECT_EQ(in.at("p", i), 100.0 * static_cast<double>(i) + 4);
  }
  recorder.draws.clear();
  EXPECT_EQ(in.run("seed", 3, {42}).value, 0.0);
  EXPECT_EQ(in.run("seeded", 1, {9}).value, 1.0);
  in.run("skip", 2);
  EXPECT_EQ(recorder.draws, (std::vector<Draw>{{3, RV_RANDOM_SEED, 42.0, 0.0},
                                               {1, RV_RANDOM_SEED, 9.0, 0.0},
                                               {2, RV_RANDOM_UNIFORM01, 0.0, 0.0}}));
}

TEST(RandomDrawsInterpreted, WithoutASourceEveryDrawIsZero) {
  auto lowered = lowerText(kDraws);
  ASSERT_TRUE(lowered->ok()) << lowered->messages();
  interp::Interpreter in(lowered->get(), 2);
  in.at("e", 1) = 5;
  in.run(ir::KernelKind::State, 1);
  EXPECT_EQ(in.run("seeded", 1, {3}).value, 1.0);
  for (const char *name : {"e", "n", "u", "p"}) EXPECT_EQ(in.at(name, 1), 0.0) << name;
}

TEST(RandomDrawsLowered, EachCallIsOneRandomStatement) {
  auto lowered = lowerText(kDraws);
  ASSERT_TRUE(lowered->ok()) << lowered->messages();
  const std::string text = ir::print(lowered->get());
  for (const char *line : {"exprand = random exponential(mean, 0)", "normrand = random normal(mean, sd)",
                           "scop_random = random uniform01(0, 0)", "poisrand = random poisson(mean + 1, 0)",
                           "set_seed = random seed(x, 0)", "setseed = random seed(x, 0)"}) {
    EXPECT_NE(text.find(line), std::string::npos) << line << "\n" << text;
  }
}

// NetStim (noise 0, 0.5, 1): the first spike at start + invl(interval) - interval*(1 -
// noise), the next ones invl(interval) apart, invl = (1 - noise)*interval +
// noise*interval*exprand(1); with noise 0 nothing is drawn.
TEST(RandomDrawsNetStim, SpikeTimesFollowTheDraws) {
  for (const char *target : {"scalar", "native"}) {
    SCOPED_TRACE(target);
    Compiled c(lowerFile(sourceDir() / "mechanisms/netstim.mod"), 3, target);
    interp::Interpreter in(c.lowered->get(), 3);
    Recorder interpreted;
    in.setRandom(recordInto(interpreted));
    Reports events;
    c.instances->view().callbacks.event = collectEvent;
    c.instances->view().callbacks.context = &events;
    c.instances->view().callbacks.random = collectRandom;  // events and draws into `events`
    const double noise[] = {0, 0.5, 1};
    for (std::int32_t i = 0; i < 3; ++i) {
      c.value("noise", i) = noise[i];
      in.at("noise", static_cast<std::size_t>(i)) = noise[i];
    }
    // events.random is a FakeRandom: collect what it gives, then check the times with it.
    c.instances->run(c.kernel("init"), 0, 3);
    std::vector<double> compiledDelays(3, -1);
    for (const auto &[instance, kind, delay, flag] : events.events) {
      EXPECT_EQ(kind, RV_NET_SEND);
      EXPECT_EQ(flag, 3);
      compiledDelays[static_cast<std::size_t>(instance)] = delay;
    }
    ASSERT_EQ(events.events.size(), 3u);
    // Draws: one exprand(1) for each instance with noise.
    EXPECT_EQ(events.draws, (std::multiset<Draw>{{1, RV_RANDOM_EXPONENTIAL, 1.0, 0.0}, {2, RV_RANDOM_EXPONENTIAL, 1.0, 0.0}}));
    FakeRandom same;
    const double x1 = same.draw(1, RV_RANDOM_EXPONENTIAL, 1, 0), x2 = same.draw(2, RV_RANDOM_EXPONENTIAL, 1, 0);
    EXPECT_EQ(compiledDelays[0], 50.0);
    EXPECT_EQ(compiledDelays[1], 50 + ((1 - 0.5) * 10 + 0.5 * 10 * x1) - 10 * (1 - 0.5));
    EXPECT_EQ(compiledDelays[2], 50 + ((1 - 1.0) * 10 + 1.0 * 10 * x2) - 10 * (1 - 1.0));

    // The interpreter, drawing 100*i + k: the same formula.
    for (std::size_t i = 0; i < 3; ++i) {
      interp::KernelResult r = in.run(ir::KernelKind::Init, i);
      ASSERT_EQ(r.events.size(), 1u);
      const double x = 100.0 * static_cast<double>(i) + 1;
      const double expected = noise[i] == 0 ? 50.0 : 50 + ((1 - noise[i]) * 10 + noise[i] * 10 * x) - 10 * (1 - noise[i]);
      EXPECT_EQ(r.events[0].time, expected) << "instance " << i;
    }
    EXPECT_EQ(interpreted.draws, (std::vector<Draw>{{1, RV_RANDOM_EXPONENTIAL, 1.0, 0.0}, {2, RV_RANDOM_EXPONENTIAL, 1.0, 0.0}}));

    // The start-up event (flag 3) and the first spike (flag 1): the next interval is drawn.
    const rv_kernel &receive = c.kernel("net_receive");
    for (const double flag : {3.0, 1.0}) {
      double args[] = {0, flag};
      for (std::int32_t i = 0; i < 3; ++i) c.instances->call(receive, i, args);
    }
    EXPECT_EQ(events.draws.size(), 4u);  // one more for instances 1 and 2
    const double y1 = same.draw(1, RV_RANDOM_EXPONENTIAL, 1, 0), y2 = same.draw(2, RV_RANDOM_EXPONENTIAL, 1, 0);
    std::multiset<std::tuple<int, int, double, double>> spikes;
    for (const auto &e : events.events) {
      if (std::get<1>(e) == RV_NET_SEND && std::get<3>(e) == 1 && std::get<2>(e) != 0) spikes.insert(e);
    }
    EXPECT_EQ(spikes, (std::multiset<std::tuple<int, int, double, double>>{
                          {0, RV_NET_SEND, 10.0, 1.0},
                          {1, RV_NET_SEND, (1 - 0.5) * 10 + 0.5 * 10 * y1, 1.0},
                          {2, RV_NET_SEND, (1 - 1.0) * 10 + 1.0 * 10 * y2, 1.0}}));
  }
}

// NEURON's scopmath (gauss.cpp, poisson.cpp, factoria.cpp), for comparison.
double neuronGauss(double x, double mean, double sd) {
  const double twoPi = 6.28318530;
  const double temp = std::exp(-0.5 * std::pow((x - mean) / sd, 2.));
  return temp / (std::sqrt(twoPi) * sd);
}
double neuronFactorial(double n) {
  const double twoPi = 6.28318530;
  const double x = static_cast<int>(n + 0.1);
  if (x < 2) return 1.0;
  if (x < 20) {
    double value = 1.0;
    for (int i = static_cast<int>(n); i > 1; i--) value = value * i;
    return value;
  }
  return std::exp(-x) * std::pow(x, x) * std::sqrt(twoPi * x);
}
double neuronPoisson(double x, double mean) { return (std::pow(mean, x) * std::exp(-mean)) / neuronFactorial(x); }

TEST(ScopmathProbabilities, GaussPoissonAndFactorialAreNeuronsValues) {
  auto lowered = lowerText("NEURON { SUFFIX probs }\n"
                           "FUNCTION g(x, m, s) { g = gauss(x, m, s) }\n"
                           "FUNCTION p(x, m) { p = poisson(x, m) }\n"
                           "FUNCTION f(n) { f = factorial(n) }\n");
  ASSERT_TRUE(lowered->ok()) << lowered->messages();
  interp::Interpreter in(lowered->get(), 1);
  for (const char *target : {"scalar", "native"}) {
    SCOPED_TRACE(target);
    jit::Jit jit({.target = *codegen::targetNamed(target)});
    runtime::MechanismInstances compiled(*jit.load(lowered->get()), 1);
    Reports reports;
    compiled.view().callbacks = rv_callbacks{&reports, collectError, collectEvent, collectWatch, nullptr};
    auto both = [&](const char *kernel, std::vector<double> args, double expected) {
      SCOPED_TRACE(fmt::format("{}({}{}{})", kernel, args.at(0), args.size() > 1 ? ", ..." : "", ""));
      EXPECT_EQ(in.run(kernel, 0, args).value, expected);
      EXPECT_EQ(compiled.call(*compiled.kernel(kernel), 0, args.data()), expected);
    };
    for (double n : {-0.05, 0.0, 1.0, 1.95, 2.0, 4.95, 5.0, 12.0, 18.9, 19.0, 19.95, 20.0, 25.0, 100.5}) {
      both("f", {n}, neuronFactorial(n));
    }
    EXPECT_EQ(neuronFactorial(4.95), 24);  // x = 5, but the product starts at (int)4.95
    EXPECT_EQ(neuronFactorial(19), 121645100408832000.0);
    for (auto [x, m] : std::vector<std::pair<double, double>>{{0.0, 2.5}, {3.0, 2.5}, {7.0, 0.5}, {25.0, 20.0}}) {
      both("p", {x, m}, neuronPoisson(x, m));
    }
    for (auto [x, m, sd] : std::vector<std::tuple<double, double, double>>{{0, 0, 1}, {1.3, -0.2, 0.7}, {-4, 2, 3.5}}) {
      both("g", {x, m, sd}, neuronGauss(x, m, sd));
    }
    EXPECT_TRUE(reports.errors.empty());
    // A negative argument is an error (NEURON stops the run); the value is 1.
    interp::KernelResult r = in.run("f", 0, {-2});
    EXPECT_EQ(r.value, 1.0);
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(lowered->get().errors.at(r.errors[0]).message, "factorial of a negative number");
    double minusTwo = -2;
    EXPECT_EQ(compiled.call(*compiled.kernel("f"), 0, &minusTwo), 1.0);
    EXPECT_EQ(reports.errors, (std::multiset<std::pair<int, int>>{{0, static_cast<int>(r.errors[0])}}));
  }
}

}  // namespace
}  // namespace ranvier::test
