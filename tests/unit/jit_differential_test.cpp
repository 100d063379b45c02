// Compiled kernels against the reference interpreter, for every test mechanism and
// every kernel, on random valid inputs: 1003 instances (an odd count, so the last
// vector block is partial), shuffled node and ion indices. Scalar code performs the interpreter's
// operations in the interpreter's order with the same libm, so it must agree bit for
// bit; vector code differs only through libmvec's exp/log/pow/... (within 4 ulp
// each): held to 1e-12 relative (the worst seen is 8e-15, in hh's h), and di/dv to
// 1e-8 (see kVectorDerivativeTolerance).

#include <filesystem>
#include <set>

#include <gtest/gtest.h>

#include "jit_support.hpp"
#include "kernel_support.hpp"

namespace ranvier::test {
namespace {

constexpr std::int32_t kInstances = 1003;
constexpr double kScalarTolerance = 0;
constexpr double kVectorTolerance = 1e-12;
// di/dv = (i(v+0.001) - i(v))/0.001 magnifies exp's last-bit differences by about
// |i|/(0.001 |di/dv|): the worst seen is 1e-10 (cachan1.mod's node d, where d is much
// smaller than the currents it is the difference of).
constexpr double kVectorDerivativeTolerance = 1e-8;

std::vector<std::filesystem::path> testMechanisms() {
  std::vector<std::filesystem::path> files;
  for (const char *dir : {"mechanisms", "tests/mod/kernels", "tests/mod/codegen", "tests/mod/pointer"}) {
    for (const auto &entry : std::filesystem::directory_iterator(std::filesystem::path(RANVIER_SOURCE_DIR) / dir)) {
      if (entry.path().extension() != ".mod") continue;
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

struct Case {
  std::string label;
  std::unique_ptr<Lowered> lowered;
};

// Checks every kernel of `m` on one target; with tablesOff, usetable = 0 (the kernels
// test it once, before their loops, and run the copy that computes without tables).
void checkAllKernels(const ir::Mechanism &m, const std::string &targetName, double tolerance, bool tablesOff = false) {
  SCOPED_TRACE(m.name + " on " + targetName + (tablesOff ? ", usetable = 0" : ""));
  const std::optional<ir::VarId> usetable = m.find("usetable");
  jit::Jit jit({.target = *codegen::targetNamed(targetName)});
  const rv_mechanism *compiled = jit.load(m);
  ASSERT_NE(compiled, nullptr);
  std::uint64_t seed = 1;
  const ir::Kernel *tableCheck = m.kernel(ir::KernelKind::TableCheck);
  for (const ir::Kernel &k : m.kernels) {
    SCOPED_TRACE("kernel " + k.name);
    Twin twin(m, *compiled, kInstances);
    twin.randomize(seed++);
    if (tablesOff && usetable) twin.set(*usetable, 0, 0, 0.0);
    const rv_kernel *entry = twin.jit().kernel(k.name);
    ASSERT_NE(entry, nullptr);
    if (tableCheck != nullptr && &k != tableCheck) {  // tables as the runtime builds them
      twin.runInterp(*tableCheck, 0);
      twin.jit().call(*twin.jit().kernel(tableCheck->name), 0, nullptr);
    }
    if (entry->range != nullptr) {
      for (std::int32_t i = 0; i < kInstances; ++i) twin.runInterp(k, i);
      twin.jit().run(*entry, 0, kInstances);
    } else {
      const std::int32_t instances = k.perInstance ? 64 : 1;
      std::mt19937_64 rng(seed);
      for (std::int32_t i = 0; i < instances; ++i) {
        std::vector<double> args(k.params.size());
        for (double &a : args) a = std::uniform_real_distribution<double>(0, 2)(rng);
        const double expected = twin.runInterp(k, i, args);
        const double got = twin.jit().call(*entry, i, args.data());
        EXPECT_TRUE(close(expected, got, tolerance)) << "returned " << got << ", interpreter " << expected;
      }
    }
    for (const std::string &d : twin.differences(tolerance, tolerance == 0 ? 0 : kVectorDerivativeTolerance)) ADD_FAILURE() << d;
    EXPECT_EQ(twin.interpReports().errors, twin.jitReports().errors);
    EXPECT_EQ(twin.interpReports().watches, twin.jitReports().watches);
    EXPECT_EQ(twin.interpReports().events.size(), twin.jitReports().events.size());
    EXPECT_EQ(twin.interpReports().draws, twin.jitReports().draws);
  }
  // WATCH conditions: CompiledKernels.WatchConditionsAgreeWithTheInterpreter.
}

class JitDifferential : public ::testing::TestWithParam<std::filesystem::path> {};

TEST_P(JitDifferential, ScalarCodeMatchesTheInterpreter) {
  auto lowered = lowerFile(GetParam());
  ASSERT_TRUE(lowered->ok()) << lowered->messages();
  checkAllKernels(lowered->get(), "scalar", kScalarTolerance);
}

TEST_P(JitDifferential, VectorCodeMatchesTheInterpreter) {
  auto lowered = lowerFile(GetParam());
  ASSERT_TRUE(lowered->ok()) << lowered->messages();
  checkAllKernels(lowered->get(), "native", kVectorTolerance);
}

TEST_P(JitDifferential, VectorCodeWithoutTablesMatchesTheInterpreter) {
  auto lowered = lowerFile(GetParam());
  ASSERT_TRUE(lowered->ok()) << lowered->messages();
  if (!lowered->get().find("usetable")) GTEST_SKIP() << "no TABLE";
  checkAllKernels(lowered->get(), "native", kVectorTolerance, true);
}

// Every mechanism Debian's NEURON and NMODL packages ship (they all lower) compiles,
// and its compiled kernels agree with the interpreter, scalar and vector.
TEST(JitDifferentialDebian, EveryShippedMechanismCompilesAndAgrees) {
  std::vector<std::filesystem::path> files;
  for (const char *dir : {"/usr/share/nrn/demo/release", "/usr/lib/python3/dist-packages/nmodl/ext/example"}) {
    if (!std::filesystem::is_directory(dir)) continue;
    for (const auto &entry : std::filesystem::recursive_directory_iterator(dir)) {
      if (entry.path().extension() == ".mod") files.push_back(entry.path());
    }
  }
  if (files.empty()) GTEST_SKIP() << "Debian's neuron / python3-nmodl packages are not installed";
  std::sort(files.begin(), files.end());
  for (const auto &file : files) {
    SCOPED_TRACE(file.string());
    auto lowered = lowerFile(file);
    ASSERT_TRUE(lowered->ok()) << lowered->messages();
    checkAllKernels(lowered->get(), "scalar", kScalarTolerance);
    checkAllKernels(lowered->get(), "native", kVectorTolerance);
  }
}

// Which kernels run in SIMD lanes: all that can, and none that carry values between
// instances or call recursive functions.
TEST(JitVectorization, KernelsRunInLanesWhenTheyCan) {
  const codegen::Target native = codegen::hostTarget();
  if (native.width == 1) GTEST_SKIP() << "this machine has no SIMD target";
  auto widths = [&](const std::string &file) {
    auto lowered = lowerFile(std::filesystem::path(RANVIER_SOURCE_DIR) / file);
    EXPECT_TRUE(lowered->ok()) << lowered->messages();
    jit::Jit jit({.target = native});
    const rv_mechanism *m = jit.load(lowered->get());
    std::map<std::string, int> out;
    for (std::int32_t k = 0; k < m->kernel_count; ++k) {
      if (m->kernels[k].range != nullptr) out[m->kernels[k].name] = m->kernels[k].vector_width;
    }
    return out;
  };
  const int w = static_cast<int>(native.width);
  // INITIAL runs once per simulation and is compiled as scalar code (compile time).
  EXPECT_EQ(widths("mechanisms/hh.mod"), (std::map<std::string, int>{{"init", 1}, {"current", w}, {"state", w}}));
  EXPECT_EQ(widths("mechanisms/expsyn.mod"), (std::map<std::string, int>{{"init", 1}, {"current", w}, {"state", w}}));
  // BREAKPOINT's divergent WHILE loop runs in lanes.
  EXPECT_EQ(widths("tests/mod/codegen/lanes.mod"), (std::map<std::string, int>{{"init", 1}, {"state", w}}));
  // `carry` goes from one instance to the next.
  EXPECT_EQ(widths("tests/mod/codegen/linear_sys.mod").at("state"), 1);
  EXPECT_EQ(widths("tests/mod/kernels/cabuf_kin.mod").at("state"), w);  // a KINETIC solve per lane
  // Random draws: each instance's stream is drawn in program order, one instance at a time.
  EXPECT_EQ(widths("tests/mod/codegen/random.mod"), (std::map<std::string, int>{{"init", 1}, {"current", 1}, {"state", 1}}));
}

INSTANTIATE_TEST_SUITE_P(Mechanisms, JitDifferential, ::testing::ValuesIn(testMechanisms()),
                         [](const auto &param) {
                           std::string name = param.param.stem().string();
                           for (char &c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace ranvier::test
