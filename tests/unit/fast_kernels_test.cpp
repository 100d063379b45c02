// Fast kernels (codegen::KernelMath::Fast): what they compute and how they are kept
// apart from exact ones. Division, exp and log in 8-lane AVX-512 kernels against IEEE
// division and glibc's exp and log, on random operands (full blocks and a masked tail) and at
// the edges (0, -0, inf, NaN, subnormals, overflow and underflow of exp), where they
// must give IEEE's answer; cnexp with the algebra fast kernels use; exact kernels still
// divide exactly; and fast and exact builds have different cache keys and descriptions.
#include <cmath>
#include <limits>
#include <random>

#include <gtest/gtest.h>

#include "codegen/target.hpp"
#include "jit/jit.hpp"
#include "kernel_support.hpp"
#include "mechanism/instances.hpp"

namespace ranvier::test {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

const char *kMath = "NEURON { SUFFIX fm RANGE a, b, q, x, e }\nASSIGNED { a b q x e }\nBREAKPOINT { q = a/b  e = exp(x) }\n";

struct Mech {
  std::unique_ptr<Lowered> lowered;
  std::unique_ptr<jit::Jit> jit;
  std::unique_ptr<runtime::MechanismInstances> instances;
  std::vector<double> zeros;
  std::vector<std::int32_t> nodeIndex;

  Mech(const std::string &text, std::int32_t count, codegen::KernelMath math) {
    lowered = lowerText(text);
    EXPECT_TRUE(lowered->ok()) << lowered->messages();
    jit = std::make_unique<jit::Jit>(jit::JitOptions{.math = math});
    instances = std::make_unique<runtime::MechanismInstances>(*jit->load(lowered->get()), count);
    zeros.assign(static_cast<std::size_t>(count), 0.0);
    for (std::int32_t i = 0; i < count; ++i) nodeIndex.push_back(i);
    rv_instances &view = instances->view();
    view.node_index = nodeIndex.data();
    for (int q = 0; q < RV_NODE_QUANTITIES; ++q) view.node[q] = zeros.data();
    view.dt = 0.1;
  }
  double &at(const char *name, std::int32_t i) { return instances->value(*instances->variable(name), i); }
  void run(rv_kernel_kind kind) { instances->run(*instances->kernel(kind), 0, instances->count()); }
};

// Distance in units in the last place (both finite, same sign).
double ulps(double got, double want) { return std::abs(got - want) / (std::nextafter(std::abs(want), kInf) - std::abs(want)); }

bool fastKernelsRunHere() { return codegen::hostTarget().name == "avx512"; }

TEST(FastKernels, DivisionAndExpAreWithinAnUlpOrTwoAndExactAtTheEdges) {
  if (!fastKernelsRunHere()) GTEST_SKIP() << "fast division and exp are AVX-512 code";
  // The edges first, then random operands; 8-lane blocks and a tail of 5.
  const std::vector<std::pair<double, double>> edges{
      {1, 0},           {1, -0.0},        {0, 0},         {-3, 0},          {1, kInf},        {kInf, 3},       {kInf, kInf},
      {kNaN, 2},        {2, kNaN},        {1, 1e-310},    {-1, 5e-324},     {1e300, 1e-10},   {3, 7},          {1, 3},
      {-2.5, 1e-300},   {7, -1e299},      {0, 5},         {-0.0, 5},        {1e-300, 1e10},   {5e-324, 0.5},   {1, 0x1p-1000}};
  const std::vector<double> exps{0, -0.0, 1, -1, 709.7, 709.79, 710, 800, kInf, -708, -709, -740, -745, -745.2, -746, -1000, -kInf, kNaN,
                                 1e-20, -1e-300, 0.5 * std::log(2.0), -0.5 * std::log(2.0), 100, -100};
  std::mt19937_64 random(11);
  const std::int32_t count = 8 * 40 + 5;
  Mech fast(kMath, count, codegen::KernelMath::Fast);
  std::vector<double> a(count), b(count), x(count);
  for (std::int32_t i = 0; i < count; ++i) {
    const auto k = static_cast<std::size_t>(i);
    if (k < edges.size()) {
      a[k] = edges[k].first;
      b[k] = edges[k].second;
    } else {
      a[k] = std::ldexp(std::uniform_real_distribution<double>(-1, 1)(random), static_cast<int>(random() % 200) - 100);
      b[k] = std::ldexp(std::uniform_real_distribution<double>(-1, 1)(random), static_cast<int>(random() % 200) - 100);
    }
    x[k] = k < exps.size() ? exps[k] : std::uniform_real_distribution<double>(-745, 709.7)(random);
    fast.at("a", i) = a[k];
    fast.at("b", i) = b[k];
    fast.at("x", i) = x[k];
  }
  fast.run(RV_KERNEL_STATE);
  double worstQ = 0, worstE = 0;
  for (std::int32_t i = 0; i < count; ++i) {
    const auto k = static_cast<std::size_t>(i);
    const double q = fast.at("q", i), wantQ = a[k] / b[k];
    // exp is NEURON's hoc_Exp (0 below -700, exp(700) above 700), exact or fast
    const double e = fast.at("e", i), wantE = ir::applyMath(ir::MathFn::Exp, x[k]);
    if (std::isnan(wantQ) || std::isinf(wantQ) || wantQ == 0) {
      EXPECT_TRUE(std::isnan(wantQ) ? std::isnan(q) : q == wantQ && std::signbit(q) == std::signbit(wantQ))
          << a[k] << " / " << b[k] << " = " << q << ", IEEE " << wantQ;
    } else if (std::isnormal(wantQ)) {
      worstQ = std::max(worstQ, ulps(q, wantQ));
    }
    if (std::isnan(wantE) || std::isinf(wantE) || wantE == 0) {
      EXPECT_TRUE(std::isnan(wantE) ? std::isnan(e) : e == wantE) << "exp(" << x[k] << ") = " << e << ", hoc_Exp " << wantE;
    } else if (std::isnormal(wantE)) {
      worstE = std::max(worstE, ulps(e, wantE));
      EXPECT_LE(ulps(e, wantE), 2) << "exp(" << x[k] << ")";
    } else {  // subnormal results: absolute error below the smallest normal's ulp
      EXPECT_LE(std::abs(e - wantE), 2 * 5e-324) << "exp(" << x[k] << ")";
    }
  }
  std::printf("[ measured ] fast division: max %.2f ulp; fast exp: max %.2f ulp (normal results)\n", worstQ, worstE);
  EXPECT_LE(worstQ, 1.5);
  EXPECT_LE(worstE, 2);
}

// log: against glibc's log on random x over the whole double range (subnormals too),
// near 1 (where log is small and cancellation would show), around the interval's seams
// (3/4, 3/2, powers of two) and at the edges, where it must give IEEE's answer.
TEST(FastKernels, LogIsWithinAnUlpOrTwoAndIeeeAtTheEdges) {
  if (!fastKernelsRunHere()) GTEST_SKIP() << "fast log is AVX-512 code";
  const std::vector<double> edges{1, 0, -0.0, -1, -kInf, kInf, kNaN, 5e-324, 2.2250738585072014e-308, 1e-310, 0.75, 1.5,
                                  std::nextafter(0.75, 0.0), std::nextafter(1.5, 0.0), 2, 0.5, std::nextafter(1.0, 2.0),
                                  std::nextafter(1.0, 0.0), std::numeric_limits<double>::max(), 3.0, 1e-300, -1e-300, -5e-324, -2.2250738585072014e-308};
  std::mt19937_64 random(5);
  const std::int32_t count = 8 * 500 + 3;
  Mech fast("NEURON { SUFFIX fl RANGE x, l }\nASSIGNED { x l }\nBREAKPOINT { l = log(x) }\n", count, codegen::KernelMath::Fast);
  std::vector<double> x(count);
  for (std::int32_t i = 0; i < count; ++i) {
    const auto k = static_cast<std::size_t>(i);
    if (k < edges.size()) {
      x[k] = edges[k];
    } else if (k % 3 == 0) {  // near 1
      x[k] = 1 + std::ldexp(std::uniform_real_distribution<double>(-1, 1)(random), -static_cast<int>(random() % 50) - 1);
    } else if (k % 3 == 1) {  // anywhere, subnormals included
      x[k] = std::ldexp(std::uniform_real_distribution<double>(0.5, 1)(random), static_cast<int>(random() % 2098) - 1073);
    } else {  // seams of the reduction
      const double seams[] = {0.75, 1.5, 1, 2};
      x[k] = std::ldexp(seams[random() % 4] * (1 + std::ldexp(std::uniform_real_distribution<double>(-1, 1)(random), -40)),
                        static_cast<int>(random() % 200) - 100);
    }
    fast.at("x", i) = x[k];
  }
  fast.run(RV_KERNEL_STATE);
  double worst = 0;
  for (std::int32_t i = 0; i < count; ++i) {
    const auto k = static_cast<std::size_t>(i);
    const double got = fast.at("l", i), want = std::log(x[k]);
    if (std::isnan(want) || std::isinf(want) || want == 0) {
      EXPECT_TRUE(std::isnan(want) ? std::isnan(got) : got == want) << "log(" << x[k] << ") = " << got << ", libm " << want;
    } else {
      worst = std::max(worst, ulps(got, want));
      EXPECT_LE(ulps(got, want), 2) << "log(" << x[k] << ") = " << got << ", libm " << want;
    }
  }
  std::printf("[ measured ] fast log: max %.2f ulp from glibc's log\n", worst);
}

// cnexp's update x + (1 - exp(dt b)) (-a/b - x) with a = inf/tau, b = -1/tau: fast
// kernels use -a/b = inf. Within a few ulps of exact kernels.
TEST(FastKernels, CnexpAgreesWithExactKernels) {
  const std::string text = "NEURON { SUFFIX g RANGE minf, mtau }\nSTATE { m }\nASSIGNED { minf mtau }\n"
                           "BREAKPOINT { SOLVE s METHOD cnexp }\nDERIVATIVE s { m' = (minf - m)/mtau }\n";
  const std::int32_t count = 37;
  Mech exact(text, count, codegen::KernelMath::Exact), fast(text, count, codegen::KernelMath::Fast);
  std::mt19937_64 random(3);
  for (std::int32_t i = 0; i < count; ++i) {
    for (Mech *r : {&exact, &fast}) {
      std::mt19937_64 same(static_cast<std::uint64_t>(i));
      r->at("m", i) = std::uniform_real_distribution<double>(0, 1)(same);
      r->at("minf", i) = std::uniform_real_distribution<double>(0, 1)(same);
      r->at("mtau", i) = std::uniform_real_distribution<double>(0.1, 100)(same);
    }
  }
  for (int step = 0; step < 10; ++step) {
    exact.run(RV_KERNEL_STATE);
    fast.run(RV_KERNEL_STATE);
  }
  for (std::int32_t i = 0; i < count; ++i) EXPECT_NEAR(fast.at("m", i), exact.at("m", i), 1e-14) << "instance " << i;
}

TEST(FastKernels, ExactKernelsStillDivideExactly) {
  const std::int32_t count = 21;
  Mech exact(kMath, count, codegen::KernelMath::Exact);
  std::mt19937_64 random(5);
  std::vector<double> a(count), b(count);
  for (std::int32_t i = 0; i < count; ++i) {
    exact.at("a", i) = a[static_cast<std::size_t>(i)] = std::uniform_real_distribution<double>(-10, 10)(random);
    exact.at("b", i) = b[static_cast<std::size_t>(i)] = std::uniform_real_distribution<double>(-10, 10)(random);
  }
  exact.run(RV_KERNEL_STATE);
  for (std::int32_t i = 0; i < count; ++i) EXPECT_EQ(exact.at("q", i), a[static_cast<std::size_t>(i)] / b[static_cast<std::size_t>(i)]);
}

// A fast and an exact build of one file are never confused: different cache keys, and
// the description says which it is.
TEST(FastKernels, FastAndExactBuildsHaveDifferentCacheKeysAndDescriptions) {
  jit::Jit exact(jit::JitOptions{}), fast(jit::JitOptions{.math = codegen::KernelMath::Fast});
  EXPECT_EQ(exact.options().math, codegen::KernelMath::Exact);  // the default
  EXPECT_NE(exact.cacheKey(kMath), fast.cacheKey(kMath));
  EXPECT_EQ(exact.cacheKey(kMath), jit::Jit(jit::JitOptions{}).cacheKey(kMath));
  auto lowered = lowerText(kMath);
  ASSERT_TRUE(lowered->ok());
  const std::string target = codegen::hostTarget().name;
  EXPECT_EQ(std::string(exact.load(lowered->get())->target), target);
  EXPECT_EQ(std::string(fast.load(lowered->get())->target), target + " fast");
  EXPECT_EQ(codegen::kernelMathNamed("fast"), codegen::KernelMath::Fast);
  EXPECT_EQ(codegen::kernelMathNamed("exact"), codegen::KernelMath::Exact);
  EXPECT_FALSE(codegen::kernelMathNamed("quick").has_value());
}

}  // namespace
}  // namespace ranvier::test
