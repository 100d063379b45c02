#include "codegen/machine.hpp"

#include <mutex>
#include <stdexcept>

#include <llvm/IR/LegacyPassManager.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Passes/StandardInstrumentations.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>

namespace ranvier::codegen {

namespace {
constexpr const char *kTriple = "x86_64-pc-linux-gnu";

llvm::CodeGenOpt::Level codegenLevel(int level) {
  switch (level) {
  case 0: return llvm::CodeGenOpt::None;
  case 1: return llvm::CodeGenOpt::Less;
  case 3: return llvm::CodeGenOpt::Aggressive;
  default: return llvm::CodeGenOpt::Default;
  }
}

llvm::OptimizationLevel passLevel(int level) {
  switch (level) {
  case 0: return llvm::OptimizationLevel::O0;
  case 1: return llvm::OptimizationLevel::O1;
  case 3: return llvm::OptimizationLevel::O3;
  default: return llvm::OptimizationLevel::O2;
  }
}
}  // namespace

void initializeLlvm() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
}

std::unique_ptr<llvm::TargetMachine> targetMachine(const Target &target, int optLevel, KernelMath math) {
  initializeLlvm();
  std::string error;
  const llvm::Target *t = llvm::TargetRegistry::lookupTarget(kTriple, error);
  if (t == nullptr) throw std::runtime_error("LLVM has no x86-64 backend: " + error);
  llvm::TargetOptions options;  // exact: IEEE arithmetic, no fast-math, no FMA contraction
  options.AllowFPOpFusion = math == KernelMath::Fast ? llvm::FPOpFusion::Fast : llvm::FPOpFusion::Strict;
  std::unique_ptr<llvm::TargetMachine> machine(t->createTargetMachine(
      kTriple, target.cpu, target.features, options, llvm::Reloc::PIC_, std::nullopt, codegenLevel(optLevel)));
  if (!machine) throw std::runtime_error("LLVM cannot build code for target " + target.name);
  return machine;
}

void configure(llvm::Module &module, llvm::TargetMachine &machine) {
  module.setTargetTriple(machine.getTargetTriple().str());
  module.setDataLayout(machine.createDataLayout());
}

void optimize(llvm::Module &module, llvm::TargetMachine &machine, int optLevel) {
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PipelineTuningOptions tuning;
  tuning.LoopVectorization = false;  // the kernels are vector code already
  tuning.SLPVectorization = false;
  tuning.LoopUnrolling = optLevel >= 3;
  // The standard instrumentation is what makes the pass managers skip functions
  // marked optnone (the cold kernels); without it they are optimised anyway.
  llvm::PassInstrumentationCallbacks callbacks;
  llvm::StandardInstrumentations instrumentation(module.getContext(), /*DebugLogging=*/false);
  instrumentation.registerCallbacks(callbacks, &fam);
  llvm::PassBuilder pb(&machine, tuning, std::nullopt, &callbacks);
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  llvm::ModulePassManager pipeline = optLevel == 0 ? pb.buildO0DefaultPipeline(llvm::OptimizationLevel::O0)
                                                   : pb.buildPerModuleDefaultPipeline(passLevel(optLevel));
  pipeline.run(module, mam);
}

std::string objectCode(llvm::Module &module, llvm::TargetMachine &machine) {
  llvm::SmallVector<char, 0> bytes;
  llvm::raw_svector_ostream out(bytes);
  llvm::legacy::PassManager pm;
  if (machine.addPassesToEmitFile(pm, out, nullptr, llvm::CGFT_ObjectFile)) {
    throw std::runtime_error("LLVM cannot write object files for this target");
  }
  pm.run(module);
  return std::string(bytes.data(), bytes.size());
}

std::string textualIr(const llvm::Module &module) {
  std::string text;
  llvm::raw_string_ostream out(text);
  module.print(out, nullptr);
  return out.str();
}

}  // namespace ranvier::codegen
