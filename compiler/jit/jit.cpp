#include "jit/jit.hpp"

#include "compiler_fingerprint.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <set>
#include <unistd.h>

#include <fmt/format.h>
#include <llvm/ExecutionEngine/Orc/ExecutionUtils.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/Object/ObjectFile.h>
#include <llvm/Support/DynamicLibrary.h>
#include <llvm/Support/Error.h>

#include "codegen/codegen.hpp"
#include "codegen/machine.hpp"
#include "driver/compile.hpp"
#include "jit/object_cache.hpp"

namespace ranvier::jit {

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point start) { return std::chrono::duration<double, std::milli>(Clock::now() - start).count(); }

// What generated code may call: the math list, scalar and vector, the math functions
// LLVM's library-call simplifier turns them into (sin and cos of one value become
// sincos, pow(2, x) becomes exp2, ...), and what LLVM emits for copies and zeroing.
bool allowedSymbol(llvm::StringRef name) {
  static const std::set<std::string, std::less<>> scalar = {
      "exp", "log", "log10", "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh",
      "pow", "erf", "erfc", "fmod", "floor", "ceil", "sqrt", "fabs", "fmin", "fmax", "sincos", "exp2", "exp10",
      "ldexp", "expm1", "log2", "log1p", "cbrt", "hypot", "memset", "memcpy", "memmove"};
  if (scalar.contains(name)) return true;
  // libmvec: _ZGV<isa>N<lanes><v...>_<function>
  if (!name.startswith("_ZGV")) return false;
  const std::size_t underscore = name.find('_', 4);
  return underscore != llvm::StringRef::npos && scalar.contains(name.substr(underscore + 1));
}

std::string errorText(llvm::Error error) { return llvm::toString(std::move(error)); }

// With RANVIER_PERF_MAP set, the kernels of every linked mechanism are appended to
// /tmp/perf-<pid>.map, so that `perf report` names JIT code per mechanism and kernel.
// A kernel's size is the distance to the next kernel of the same object (the helper
// functions in between are counted with it).
void writePerfMap(const std::vector<const rv_mechanism *> &mechanisms) {
  static const bool wanted = std::getenv("RANVIER_PERF_MAP") != nullptr;
  if (!wanted) return;
  std::vector<std::pair<std::uintptr_t, std::string>> kernels;
  for (const rv_mechanism *m : mechanisms) {
    for (std::int32_t k = 0; k < m->kernel_count; ++k) {
      const rv_kernel &kernel = m->kernels[k];
      const void *code = kernel.range != nullptr ? reinterpret_cast<const void *>(kernel.range) : reinterpret_cast<const void *>(kernel.instance);
      if (code != nullptr) kernels.emplace_back(reinterpret_cast<std::uintptr_t>(code), fmt::format("rv.{}.{}", m->name, kernel.name));
    }
  }
  std::sort(kernels.begin(), kernels.end());
  std::FILE *out = std::fopen(fmt::format("/tmp/perf-{}.map", ::getpid()).c_str(), "a");
  if (out == nullptr) return;
  for (std::size_t i = 0; i < kernels.size(); ++i) {
    const std::uintptr_t size = i + 1 < kernels.size() ? kernels[i + 1].first - kernels[i].first : 0x2000;
    fmt::print(out, "{:x} {:x} {}\n", kernels[i].first, size, kernels[i].second);
  }
  std::fclose(out);
}

}  // namespace

struct Jit::Impl {
  JitOptions options;
  ObjectCache cache;
  JitStats stats;
  std::unique_ptr<llvm::orc::LLJIT> lljit;
  std::unique_ptr<llvm::TargetMachine> machine;
  std::vector<std::unique_ptr<llvm::MemoryBuffer>> mapped;  // cache files backing linked objects
  std::mutex mutex;
  unsigned libraries = 0;

  explicit Impl(JitOptions o) : options(std::move(o)), cache(options.cacheDirectory) {}

  // Links one object into a fresh JITDylib and returns the descriptions it exports.
  std::vector<const rv_mechanism *> link(std::unique_ptr<llvm::MemoryBuffer> object, const std::vector<std::string> &names) {
    const auto start = Clock::now();
    auto &jd = lljit->getExecutionSession().createBareJITDylib(fmt::format("mechanisms{}", libraries++));
    auto generator = llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(
        lljit->getDataLayout().getGlobalPrefix(), [](const llvm::orc::SymbolStringPtr &name) { return allowedSymbol(*name); });
    if (!generator) throw JitError("cannot search the process for math functions: " + errorText(generator.takeError()));
    jd.addGenerator(std::move(*generator));
    if (auto error = lljit->addObjectFile(jd, std::move(object))) throw JitError("cannot add an object: " + errorText(std::move(error)));
    std::vector<const rv_mechanism *> out;
    for (const std::string &name : names) {
      auto address = lljit->lookup(jd, codegen::descriptionSymbol(name));
      if (!address) throw JitError(fmt::format("cannot link mechanism {}: {}", name, errorText(address.takeError())));
      const auto *description = address->toPtr<const rv_mechanism *>();
      if (description->abi_version != RV_ABI_VERSION) {
        throw JitError(fmt::format("mechanism {} was compiled for ABI version {}, this runtime has {}", name,
                                   description->abi_version, RV_ABI_VERSION));
      }
      out.push_back(description);
    }
    writePerfMap(out);
    stats.linkMs += since(start);
    return out;
  }

  std::string compileObject(const ir::Mechanism &mechanism, const std::string &sourceHash) {
    llvm::LLVMContext context;
    const codegen::CodegenOptions codegenOptions{.target = options.target, .sourceHash = sourceHash, .math = options.math};
    auto start = Clock::now();
    auto module = codegen::generate(mechanism, context, codegenOptions);
    codegen::configure(*module, *machine);
    stats.generateMs += since(start);
    start = Clock::now();
    codegen::optimize(*module, *machine, options.optLevel);
    stats.optimizeMs += since(start);
    start = Clock::now();
    std::string object = codegen::objectCode(*module, *machine);
    stats.objectMs += since(start);
    return object;
  }
};

Jit::Jit(JitOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {
  const codegen::Target &target = impl_->options.target;
  if (!codegen::hostRuns(target)) {
    throw JitError(fmt::format("this machine cannot run code built for target '{}'; use --target native", target.name));
  }
  codegen::initializeLlvm();
  // libmvec is not linked into every process: load it so that vector math resolves.
  std::string error;
  if (target.width > 1 && llvm::sys::DynamicLibrary::LoadLibraryPermanently("libmvec.so.1", &error)) {
    throw JitError("cannot load glibc's vector math library libmvec.so.1: " + error);
  }
  llvm::sys::DynamicLibrary::LoadLibraryPermanently(nullptr);
  auto jit = llvm::orc::LLJITBuilder().create();
  if (!jit) throw JitError("cannot start LLVM's JIT: " + errorText(jit.takeError()));
  impl_->lljit = std::move(*jit);
  impl_->machine = codegen::targetMachine(target, impl_->options.optLevel, impl_->options.math);
}

Jit::~Jit() = default;

const JitStats &Jit::stats() const { return impl_->stats; }
const JitOptions &Jit::options() const { return impl_->options; }

std::string Jit::cacheKey(std::string_view sourceText) const {
  const codegen::Target &t = impl_->options.target;
  return sha256Hex(fmt::format("ranvier {} {}\nabi {}\ntarget {} {} {}\nO{}\nkernels {}\n", RANVIER_VERSION, RANVIER_COMPILER_FINGERPRINT, RV_ABI_VERSION, t.name,
                               t.cpu, t.features, impl_->options.optLevel, codegen::kernelMathName(impl_->options.math)) +
                   std::string(sourceText));
}

const rv_mechanism *Jit::loadSource(const SourceFile &file, DiagnosticEngine &diagnostics) {
  std::lock_guard lock(impl_->mutex);
  const std::string allText = driver::textRead(file, impl_->options.includes);  // with INCLUDEd files' text
  const std::string key = cacheKey(allText);
  ObjectCache::Entry entry;
  switch (impl_->cache.find(key, entry)) {
  case ObjectCache::Lookup::Hit: {
    auto object = llvm::MemoryBuffer::getMemBuffer(llvm::StringRef(entry.object.data(), entry.object.size()),
                                                   impl_->cache.pathOf(key).string(), false);
    impl_->mapped.push_back(std::move(entry.file));
    ++impl_->stats.cached;
    return impl_->link(std::move(object), {entry.mechanism}).front();
  }
  case ObjectCache::Lookup::Damaged:
    ++impl_->stats.damaged;
    impl_->stats.warnings.push_back(fmt::format("the cache entry {} was damaged; it was removed and rebuilt",
                                                impl_->cache.pathOf(key).string()));
    break;
  case ObjectCache::Lookup::Miss: break;
  }
  const auto start = Clock::now();
  auto kernels = driver::compileToKernels(file, diagnostics, {}, impl_->options.includes);
  impl_->stats.frontMs += since(start);
  if (!kernels) return nullptr;
  std::string object = impl_->compileObject(*kernels, sha256Hex(allText));
  ++impl_->stats.compiled;
  std::string error;
  if (!impl_->cache.store(key, kernels->name, object, error)) impl_->stats.warnings.push_back(error);
  return impl_->link(llvm::MemoryBuffer::getMemBufferCopy(object, kernels->name + ".o"), {kernels->name}).front();
}

const rv_mechanism *Jit::load(const ir::Mechanism &mechanism) {
  std::lock_guard lock(impl_->mutex);
  std::string object = impl_->compileObject(mechanism, "");
  ++impl_->stats.compiled;
  return impl_->link(llvm::MemoryBuffer::getMemBufferCopy(object, mechanism.name + ".o"), {mechanism.name}).front();
}

std::vector<const rv_mechanism *> Jit::loadObject(const std::filesystem::path &path) {
  std::lock_guard lock(impl_->mutex);
  auto file = llvm::MemoryBuffer::getFile(path.string(), false, false);
  if (!file) throw JitError(fmt::format("cannot read {}: {}", path.string(), file.getError().message()));
  auto object = llvm::object::ObjectFile::createObjectFile((*file)->getMemBufferRef());
  if (!object) throw JitError(fmt::format("{} is not an object file: {}", path.string(), errorText(object.takeError())));
  std::vector<std::string> names;
  const std::string prefix = codegen::descriptionSymbol("");
  for (const llvm::object::SymbolRef &symbol : (*object)->symbols()) {
    auto name = symbol.getName();
    if (!name) return {};
    auto flags = symbol.getFlags();
    if (name->startswith(prefix) && flags && (*flags & llvm::object::SymbolRef::SF_Undefined) == 0) {
      names.push_back(name->substr(prefix.size()).str());
    }
  }
  if (names.empty()) throw JitError(fmt::format("{} holds no Ranvier mechanism", path.string()));
  return impl_->link(std::move(*file), names);
}

}  // namespace ranvier::jit
