// mechc's outputs (object files, shared libraries, LLVM IR) and the JIT's on-disk
// cache, observed from outside: separate processes, damaged entries, concurrent
// writers. Object files and libraries must compute exactly what the JIT computes.

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "cli_support.hpp"
#include "jit_support.hpp"
#include "kernel_support.hpp"
#include "mechanism/library.hpp"

namespace ranvier::test {
namespace {

namespace fs = std::filesystem;

CliRun mechc(const std::string &arguments) { return runCommand(std::string(MECHC_PATH) + " " + arguments); }

std::string mod(const std::string &relative) { return (fs::path(RANVIER_SOURCE_DIR) / relative).string(); }

bool contains(const std::string &text, const std::string &what) { return text.find(what) != std::string::npos; }

// Fills every field of two instance sets with the same values, runs each range
// kernel on both and requires bit-identical fields, nodes and ions.
void expectSameResults(const rv_mechanism &a, const rv_mechanism &b, std::int32_t count) {
  runtime::MechanismInstances x(a, count), y(b, count);
  std::vector<std::vector<double>> nodes(2 * RV_NODE_QUANTITIES, std::vector<double>(static_cast<std::size_t>(count)));
  std::vector<std::vector<double>> ions(2 * RV_ION_QUANTITIES * static_cast<std::size_t>(a.ion_count),
                                        std::vector<double>(static_cast<std::size_t>(count), 1.0));
  std::vector<std::int32_t> index(static_cast<std::size_t>(count));
  for (std::int32_t i = 0; i < count; ++i) index[static_cast<std::size_t>(i)] = count - 1 - i;
  std::vector<const std::int32_t *> ionIndex(static_cast<std::size_t>(a.ion_count), index.data());
  std::vector<double *> ionValues[2];
  std::mt19937_64 rng(5);
  for (int side = 0; side < 2; ++side) {
    runtime::MechanismInstances &s = side == 0 ? x : y;
    rv_instances &view = s.view();
    view.node_index = index.data();
    for (int q = 0; q < RV_NODE_QUANTITIES; ++q) view.node[q] = nodes[static_cast<std::size_t>(side * RV_NODE_QUANTITIES + q)].data();
    for (std::size_t k = 0; k < static_cast<std::size_t>(RV_ION_QUANTITIES * a.ion_count); ++k) {
      ionValues[side].push_back(ions[static_cast<std::size_t>(side * RV_ION_QUANTITIES * a.ion_count) + k].data());
    }
    view.ion_index = ionIndex.data();
    view.ion_values = ionValues[side].data();
  }
  for (std::int32_t i = 0; i < count; ++i) {
    const double v = std::uniform_real_distribution<double>(-80, 30)(rng);
    nodes[RV_NODE_V][static_cast<std::size_t>(i)] = nodes[RV_NODE_QUANTITIES + RV_NODE_V][static_cast<std::size_t>(i)] = v;
    nodes[RV_NODE_AREA][static_cast<std::size_t>(i)] = nodes[RV_NODE_QUANTITIES + RV_NODE_AREA][static_cast<std::size_t>(i)] = 100;
  }
  for (std::int32_t k = 0; k < a.kernel_count; ++k) {
    if (a.kernels[k].kind == RV_KERNEL_TABLE_CHECK) {
      x.call(a.kernels[k], 0, nullptr);
      y.call(*y.kernel(a.kernels[k].name), 0, nullptr);
    }
  }
  for (const char *name : {"init", "current", "state"}) {
    const rv_kernel *kx = x.kernel(name);
    const rv_kernel *ky = y.kernel(name);
    ASSERT_EQ(kx == nullptr, ky == nullptr) << name;
    if (kx == nullptr) continue;
    x.run(*kx, 0, count);
    y.run(*ky, 0, count);
  }
  for (std::int32_t v = 0; v < a.variable_count; ++v) {
    const rv_variable &var = a.variables[v];
    if (var.storage != RV_STORAGE_FIELD) continue;
    for (std::int32_t i = 0; i < count; ++i) {
      ASSERT_EQ(x.value(var, i), y.value(*y.variable(var.name), i)) << var.name << " of instance " << i;
    }
  }
  for (std::size_t q = 0; q < RV_NODE_QUANTITIES; ++q) EXPECT_EQ(nodes[q], nodes[RV_NODE_QUANTITIES + q]) << "node quantity " << q;
  for (std::size_t k = 0; k < static_cast<std::size_t>(RV_ION_QUANTITIES * a.ion_count); ++k) {
    EXPECT_EQ(ions[k], ions[static_cast<std::size_t>(RV_ION_QUANTITIES * a.ion_count) + k]) << "ion array " << k;
  }
}

TEST(MechcOutputs, ObjectFileLoadsAndComputesWhatTheJitComputes) {
  const fs::path dir = freshDirectory("object");
  CliRun run = mechc("-o " + (dir / "hh.o").string() + " " + mod("mechanisms/hh.mod"));
  ASSERT_EQ(run.status, 0) << run.output;
  std::ifstream object(dir / "hh.o", std::ios::binary);
  char magic[4] = {};
  object.read(magic, 4);
  EXPECT_EQ(std::string(magic, 4), "\x7f" "ELF");

  jit::Jit jit;
  auto loaded = jit.loadObject(dir / "hh.o");
  ASSERT_EQ(loaded.size(), 1u);
  EXPECT_EQ(std::string(loaded[0]->name), "hh");
  EXPECT_EQ(std::string(loaded[0]->source_hash).size(), 64u);
  auto lowered = lowerFile(mod("mechanisms/hh.mod"));
  const rv_mechanism *jitted = jit.load(lowered->get());
  expectSameResults(*jitted, *loaded[0], 1003);
}

TEST(MechcOutputs, SharedLibraryHoldsEveryMechanismAndComputesWhatTheJitComputes) {
  const fs::path dir = freshDirectory("shared");
  const fs::path library = dir / "libmechs.so";
  CliRun run = mechc("--shared -o " + library.string() + " " + mod("mechanisms/hh.mod") + " " +
                     mod("mechanisms/expsyn.mod") + " " + mod("tests/mod/kernels/capool_di.mod"));
  ASSERT_EQ(run.status, 0) << run.output;
  runtime::MechanismLibrary lib = runtime::MechanismLibrary::open(library);
  ASSERT_EQ(lib.mechanisms().size(), 3u);
  ASSERT_NE(lib.find("hh"), nullptr);
  ASSERT_NE(lib.find("ExpSyn"), nullptr);
  jit::Jit jit;
  for (const char *file : {"mechanisms/hh.mod", "mechanisms/expsyn.mod", "tests/mod/kernels/capool_di.mod"}) {
    auto lowered = lowerFile(mod(file));
    SCOPED_TRACE(file);
    expectSameResults(*jit.load(lowered->get()), *lib.find(lowered->get().name), 517);
  }
}

TEST(MechcOutputs, LibraryErrorsNameTheFileAndTheCause) {
  EXPECT_THROW(runtime::MechanismLibrary::open("/nonexistent/libx.so"), runtime::LibraryError);
  try {
    runtime::MechanismLibrary::open("/lib/x86_64-linux-gnu/libm.so.6");
    FAIL() << "libm is not a mechanism library";
  } catch (const runtime::LibraryError &e) {
    EXPECT_TRUE(contains(e.what(), "is not a Ranvier mechanism library")) << e.what();
  }
}

TEST(MechcOutputs, EmitLlvmAndUsageErrors) {
  CliRun ir = mechc("--emit-llvm --target avx2 -O1 " + mod("mechanisms/pas.mod"));
  ASSERT_EQ(ir.status, 0) << ir.output;
  EXPECT_TRUE(contains(ir.output, "@ranvier_mech_pas = local_unnamed_addr constant %rv_mechanism")) << ir.output.substr(0, 2000);
  EXPECT_TRUE(contains(ir.output, "<4 x double>")) << "avx2 kernels have 4 lanes";
  EXPECT_TRUE(contains(ir.output, "\"target-cpu\"=\"x86-64-v3\""));

  EXPECT_EQ(mechc("--target pentium -o /dev/null " + mod("mechanisms/pas.mod")).status, 2);
  EXPECT_EQ(mechc("-O7 -o /dev/null " + mod("mechanisms/pas.mod")).status, 2);
  CliRun two = mechc("-o /tmp/x.o " + mod("mechanisms/pas.mod") + " " + mod("mechanisms/hh.mod"));
  EXPECT_EQ(two.status, 2);
  EXPECT_TRUE(contains(two.output, "use --shared")) << two.output;
  CliRun noOutput = mechc("--shared " + mod("mechanisms/pas.mod"));
  EXPECT_EQ(noOutput.status, 2);
  EXPECT_TRUE(contains(noOutput.output, "needs -o")) << noOutput.output;
  CliRun both = mechc("--check -o /tmp/x.o " + mod("mechanisms/pas.mod"));
  EXPECT_EQ(both.status, 2);
}

TEST(MechcOutputs, VerbatimIsNeverCompiled) {
  const fs::path dir = freshDirectory("verbatim");
  writeFile(dir / "v.mod", "NEURON { SUFFIX v }\nINITIAL {\nVERBATIM\n system(\"echo hi\");\nENDVERBATIM\n}\n");
  CliRun run = mechc("-o " + (dir / "v.o").string() + " " + (dir / "v.mod").string());
  EXPECT_EQ(run.status, 1);
  EXPECT_TRUE(contains(run.output, "v.mod:3:1: error: this mechanism needs VERBATIM")) << run.output;
  EXPECT_FALSE(fs::exists(dir / "v.o"));
}

// The cache: a second process compiles nothing; damage is detected and repaired.
TEST(JitCache, ASecondProcessCompilesNothing) {
  const fs::path cache = freshDirectory("cache");
  const std::string files = mod("mechanisms/hh.mod") + " " + mod("mechanisms/expsyn.mod");
  CliRun first = mechc("--jit --cache-dir " + cache.string() + " " + files);
  ASSERT_EQ(first.status, 0) << first.output;
  EXPECT_TRUE(contains(first.output, "2 compiled, 0 from the cache")) << first.output;
  CliRun second = mechc("--jit --cache-dir " + cache.string() + " " + files);
  ASSERT_EQ(second.status, 0) << second.output;
  EXPECT_TRUE(contains(second.output, "0 compiled, 2 from the cache")) << second.output;
  EXPECT_TRUE(contains(second.output, "hh loaded from the cache")) << second.output;

  // Another target or optimisation level is another entry.
  CliRun scalar = mechc("--jit --target scalar --cache-dir " + cache.string() + " " + files);
  EXPECT_TRUE(contains(scalar.output, "2 compiled, 0 from the cache")) << scalar.output;
  CliRun none = mechc("--jit --no-cache --cache-dir " + cache.string() + " " + files);
  EXPECT_TRUE(contains(none.output, "2 compiled, 0 from the cache")) << none.output;
}

// Fast kernels are their own entries: a fast build never loads an exact one, nor the
// reverse.
TEST(JitCache, FastAndExactKernelsAreSeparateEntries) {
  const fs::path cache = freshDirectory("cache_kernels");
  const std::string file = mod("mechanisms/hh.mod");
  CliRun exact = mechc("--jit --cache-dir " + cache.string() + " " + file);
  EXPECT_TRUE(contains(exact.output, "exact kernels, 1 compiled, 0 from the cache")) << exact.output;
  CliRun fast = mechc("--jit --kernels fast --cache-dir " + cache.string() + " " + file);
  EXPECT_TRUE(contains(fast.output, "fast kernels, 1 compiled, 0 from the cache")) << fast.output;
  CliRun fastAgain = mechc("--jit --kernels fast --cache-dir " + cache.string() + " " + file);
  EXPECT_TRUE(contains(fastAgain.output, "fast kernels, 0 compiled, 1 from the cache")) << fastAgain.output;
  CliRun exactAgain = mechc("--jit --kernels exact --cache-dir " + cache.string() + " " + file);
  EXPECT_TRUE(contains(exactAgain.output, "exact kernels, 0 compiled, 1 from the cache")) << exactAgain.output;
  std::size_t entries = 0;
  for (const auto &e : fs::directory_iterator(cache)) entries += e.path().extension() == ".rvo";
  EXPECT_EQ(entries, 2u);
  EXPECT_NE(mechc("--jit --kernels quick " + file).status, 0);
}

TEST(JitCache, DamagedEntriesAreDetectedAndRebuilt) {
  const fs::path cache = freshDirectory("cache_damage");
  const std::string file = mod("mechanisms/hh.mod");
  ASSERT_EQ(mechc("--jit --cache-dir " + cache.string() + " " + file).status, 0);
  std::vector<fs::path> entries;
  for (const auto &e : fs::directory_iterator(cache)) entries.push_back(e.path());
  ASSERT_EQ(entries.size(), 1u);
  const fs::path entry = entries[0];
  const auto size = fs::file_size(entry);

  auto damage = [&](const std::function<void()> &how) {
    how();
    CliRun run = mechc("--jit --cache-dir " + cache.string() + " " + file);
    EXPECT_EQ(run.status, 0) << run.output;
    EXPECT_TRUE(contains(run.output, "1 compiled, 0 from the cache, 1 damaged")) << run.output;
    EXPECT_EQ(fs::file_size(entry), size);  // rebuilt
    CliRun again = mechc("--jit --cache-dir " + cache.string() + " " + file);
    EXPECT_TRUE(contains(again.output, "0 compiled, 1 from the cache, 0 damaged")) << again.output;
  };
  damage([&] {  // a flipped byte in the object code
    std::fstream f(entry, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(size - 100));
    f.put('\x5a');
  });
  damage([&] { fs::resize_file(entry, size / 2); });     // cut short
  damage([&] { writeFile(entry, "not a cache entry"); });  // replaced
  damage([&] { fs::resize_file(entry, 0); });               // empty
}

TEST(JitCache, ConcurrentProcessesShareOneEntry) {
  const fs::path cache = freshDirectory("cache_race");
  std::vector<pid_t> children;
  for (int i = 0; i < 4; ++i) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      const std::string command = std::string(MECHC_PATH) + " --jit --cache-dir " + cache.string() + " " +
                                  mod("mechanisms/hh.mod") + " > /dev/null 2>&1";
      _exit(std::system(command.c_str()) == 0 ? 0 : 1);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  std::vector<std::string> names;
  for (const auto &e : fs::directory_iterator(cache)) names.push_back(e.path().filename().string());
  ASSERT_EQ(names.size(), 1u) << "temporary files left behind";
  EXPECT_EQ(fs::path(names[0]).extension(), ".rvo");
  CliRun after = mechc("--jit --cache-dir " + cache.string() + " " + mod("mechanisms/hh.mod"));
  EXPECT_TRUE(contains(after.output, "0 compiled, 1 from the cache")) << after.output;
}

}  // namespace
}  // namespace ranvier::test
