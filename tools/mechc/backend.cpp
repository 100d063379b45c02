#include "backend.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "codegen/codegen.hpp"
#include "codegen/machine.hpp"
#include "jit/jit.hpp"
#include "jit/object_cache.hpp"
#include "support/diagnostics.hpp"

extern char **environ;

namespace ranvier::mechc {

namespace {

bool writeBytes(const std::filesystem::path &path, const std::string &bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) {
    std::cerr << fmt::format("mechc: error: cannot write {}\n", path.string());
    return false;
  }
  return true;
}

// Runs the system C compiler driver to link a shared library; returns its exit status.
int link(const std::vector<std::string> &objects, const std::string &output) {
  const char *cc = std::getenv("CC");
  std::vector<std::string> args{cc != nullptr && *cc != '\0' ? cc : "cc", "-shared", "-o", output};
  args.insert(args.end(), objects.begin(), objects.end());
  args.insert(args.end(), {"-lmvec", "-lm"});
  std::vector<char *> argv;
  for (std::string &a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawnp(&pid, argv[0], nullptr, nullptr, argv.data(), environ) != 0) {
    std::cerr << fmt::format("mechc: error: --shared needs a C compiler driver to link ('{}' was not found; set CC)\n", args[0]);
    return -1;
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string objectOf(llvm::Module &module, llvm::TargetMachine &machine, int optLevel) {
  codegen::configure(module, machine);
  codegen::optimize(module, machine, optLevel);
  return codegen::objectCode(module, machine);
}

}  // namespace

bool knownTarget(const std::string &name) { return codegen::targetNamed(name).has_value(); }
std::string targetHelp() { return codegen::targetNames(); }

int emitCode(const std::vector<ir::Mechanism> &mechanisms, const std::vector<std::string> &sourceTexts,
             const BackendOptions &options) {
  const codegen::Target target = *codegen::targetNamed(options.target);
  const codegen::KernelMath math = *codegen::kernelMathNamed(options.kernels);
  auto machine = codegen::targetMachine(target, options.optLevel, math);
  llvm::LLVMContext context;

  if (options.emitLlvm) {
    std::string text;
    for (std::size_t i = 0; i < mechanisms.size(); ++i) {
      auto module = codegen::generate(mechanisms[i], context,
                                      {.target = target, .sourceHash = jit::sha256Hex(sourceTexts[i]), .math = math});
      codegen::configure(*module, *machine);
      codegen::optimize(*module, *machine, options.optLevel);
      text += codegen::textualIr(*module);
    }
    if (options.output.empty() || options.output == "-") {
      std::cout << text;
      return 0;
    }
    return writeBytes(options.output, text) ? 0 : 2;
  }

  if (!options.shared) {  // one object file
    auto module = codegen::generate(mechanisms.front(), context,
                                    {.target = target, .sourceHash = jit::sha256Hex(sourceTexts.front()), .math = math});
    return writeBytes(options.output, objectOf(*module, *machine, options.optLevel)) ? 0 : 2;
  }

  // A shared library: one object per mechanism plus the `ranvier_library` index.
  std::error_code ec;
  const auto scratch = std::filesystem::temp_directory_path() / fmt::format("mechc-{}", ::getpid());
  std::filesystem::create_directories(scratch, ec);
  if (ec) {
    std::cerr << fmt::format("mechc: error: cannot create {}: {}\n", scratch.string(), ec.message());
    return 2;
  }
  std::vector<std::string> objects, names;
  bool ok = true;
  for (std::size_t i = 0; i < mechanisms.size() && ok; ++i) {
    auto module = codegen::generate(mechanisms[i], context,
                                    {.target = target, .sourceHash = jit::sha256Hex(sourceTexts[i]), .math = math});
    objects.push_back((scratch / (mechanisms[i].name + ".o")).string());
    names.push_back(mechanisms[i].name);
    ok = writeBytes(objects.back(), objectOf(*module, *machine, options.optLevel));
  }
  if (ok) {
    auto index = codegen::libraryIndex(names, context);
    objects.push_back((scratch / "ranvier_library.o").string());
    ok = writeBytes(objects.back(), objectOf(*index, *machine, options.optLevel));
  }
  int status = ok ? link(objects, options.output) : -1;
  std::filesystem::remove_all(scratch, ec);
  if (status != 0) {
    if (status > 0) std::cerr << fmt::format("mechc: error: linking {} failed (exit {})\n", options.output, status);
    return 2;
  }
  return 0;
}

int jitLoad(const std::vector<std::string> &files, const BackendOptions &options, bool color) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  jit::JitOptions jitOptions{.target = *codegen::targetNamed(options.target), .optLevel = options.optLevel,
                             .math = *codegen::kernelMathNamed(options.kernels), .includes = options.includes};
  if (!options.noCache) jitOptions.cacheDirectory = options.cacheDir.empty() ? jit::ObjectCache::defaultDirectory() : std::filesystem::path(options.cacheDir);
  jit::Jit jit(jitOptions);
  const double startup = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  int status = 0;
  for (const std::string &path : files) {
    auto loaded = SourceFile::load(path);
    if (!loaded.file) {
      std::cerr << fmt::format("mechc: error: {}: {}\n", path, loaded.error);
      status = std::max(status, 2);
      continue;
    }
    DiagnosticEngine diagnostics;
    const std::size_t compiledBefore = jit.stats().compiled;
    const auto t0 = Clock::now();
    const rv_mechanism *m = jit.loadSource(*loaded.file, diagnostics);
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    printAll(std::cerr, diagnostics, RenderOptions{color, true});
    if (m == nullptr) {
      status = std::max(status, 1);
      continue;
    }
    std::int32_t vectorKernels = 0;
    for (std::int32_t k = 0; k < m->kernel_count; ++k) vectorKernels += m->kernels[k].vector_width > 1;
    std::cout << fmt::format("{}: {} {} in {:.2f} ms ({} kernels, {} in {}-lane SIMD)\n", path, m->name,
                             jit.stats().compiled > compiledBefore ? "compiled" : "loaded from the cache", ms,
                             m->kernel_count, vectorKernels, m->vector_width);
  }
  for (const std::string &w : jit.stats().warnings) std::cerr << "mechc: warning: " << w << '\n';
  const jit::JitStats &s = jit.stats();
  std::cout << fmt::format("jit: target {}, {} kernels, {} compiled, {} from the cache, {} damaged cache entries rebuilt\n",
                           jit.options().target.name, codegen::kernelMathName(jit.options().math), s.compiled, s.cached, s.damaged);
  std::cout << fmt::format("jit: milliseconds: start-up {:.2f}, front end {:.2f}, IR {:.2f}, optimisation {:.2f}, "
                           "object code {:.2f}, linking {:.2f}\n",
                           startup, s.frontMs, s.generateMs, s.optimizeMs, s.objectMs, s.linkMs);
  return status;
}

}  // namespace ranvier::mechc
