#include "codegen/codegen.hpp"

#include <map>
#include <stdexcept>

#include <llvm/IR/Constants.h>
#include <llvm/IR/GlobalVariable.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Support/raw_ostream.h>

#include "codegen/kernels.hpp"
#include "codegen/vectorizable.hpp"
#include "ir/access.hpp"
#include "ranvier/mechanism_abi.h"

namespace ranvier::codegen {

namespace {

struct KernelEntry {
  std::string name;
  std::int32_t kind = 0, params = 0, width = 1, index = 0;
  llvm::Function *range = nullptr, *instance = nullptr;
};

std::int32_t abiKind(ir::KernelKind k) {
  switch (k) {
  case ir::KernelKind::Init: return RV_KERNEL_INIT;
  case ir::KernelKind::Current: return RV_KERNEL_CURRENT;
  case ir::KernelKind::State: return RV_KERNEL_STATE;
  case ir::KernelKind::NetReceive: return RV_KERNEL_NET_RECEIVE;
  case ir::KernelKind::NetInit: return RV_KERNEL_NET_INIT;
  case ir::KernelKind::Function: return RV_KERNEL_FUNCTION;
  case ir::KernelKind::Procedure: return RV_KERNEL_PROCEDURE;
  case ir::KernelKind::TableCheck: return RV_KERNEL_TABLE_CHECK;
  case ir::KernelKind::Before: return RV_KERNEL_BEFORE;
  case ir::KernelKind::After: return RV_KERNEL_AFTER;
  case ir::KernelKind::Constructor: return RV_KERNEL_CONSTRUCTOR;
  case ir::KernelKind::Destructor: return RV_KERNEL_DESTRUCTOR;
  case ir::KernelKind::Diffusion: return RV_KERNEL_DIFFUSION;
  case ir::KernelKind::DiffusionVolume: return RV_KERNEL_DIFFUSION_VOLUME;
  }
  return -1;
}

// ir::VariableAccess bits (per ir::KernelKind, and watchBit) as rv_kernel_kind bits.
std::uint32_t abiKernelBits(std::uint32_t irBits) {
  std::uint32_t out = (irBits & ir::watchBit) != 0 ? 1u << RV_KERNEL_WATCH : 0u;
  for (unsigned k = 0; k <= static_cast<unsigned>(ir::KernelKind::DiffusionVolume); ++k) {
    const auto kind = static_cast<ir::KernelKind>(k);
    if ((irBits & ir::kindBit(kind)) != 0) out |= 1u << abiKind(kind);
  }
  return out;
}

std::int32_t abiStorage(ir::Storage s) {
  switch (s) {
  case ir::Storage::Field: return RV_STORAGE_FIELD;
  case ir::Storage::Global: return RV_STORAGE_GLOBAL;
  case ir::Storage::Thread: return RV_STORAGE_THREAD;
  case ir::Storage::Table: return RV_STORAGE_TABLE;
  case ir::Storage::Ion: return RV_STORAGE_ION;
  case ir::Storage::Node: return RV_STORAGE_NODE;
  case ir::Storage::Builtin: return RV_STORAGE_BUILTIN;
  case ir::Storage::Pointer: return RV_STORAGE_POINTER;
  default: return -1;
  }
}

std::int32_t abiRole(ir::Role r) {
  switch (r) {
  case ir::Role::Parameter: return RV_ROLE_PARAMETER;
  case ir::Role::Assigned: return RV_ROLE_ASSIGNED;
  case ir::Role::State: return RV_ROLE_STATE;
  case ir::Role::Current: return RV_ROLE_CURRENT;
  case ir::Role::IonCopy: return RV_ROLE_ION_COPY;
  case ir::Role::Temporary: return RV_ROLE_TEMPORARY;
  case ir::Role::Internal: return RV_ROLE_INTERNAL;
  }
  return RV_ROLE_INTERNAL;
}

std::int32_t abiMechanismKind(ir::MechanismKind k) {
  switch (k) {
  case ir::MechanismKind::Density: return RV_DENSITY;
  case ir::MechanismKind::PointProcess: return RV_POINT_PROCESS;
  case ir::MechanismKind::ArtificialCell: return RV_ARTIFICIAL_CELL;
  }
  return RV_DENSITY;
}

bool isRangeKernel(const ir::Kernel &k) {
  switch (k.kind) {
  case ir::KernelKind::Init:
  case ir::KernelKind::Current:
  case ir::KernelKind::State:
  case ir::KernelKind::Before:
  case ir::KernelKind::After:
  case ir::KernelKind::Constructor:
  case ir::KernelKind::Destructor: return k.params.empty() && k.perInstance;
  default: return false;
  }
}

// Builds the constant rv_mechanism and its arrays.
class Description {
public:
  Description(ModuleContext &mc) : mc_(mc), t_(mc.types) {}

  void emit(const std::vector<KernelEntry> &kernels, const CodegenOptions &options, std::int32_t width) {
    const ir::Mechanism &m = mc_.mech;
    const std::vector<ir::VariableAccess> access = ir::variableAccess(m);
    std::vector<llvm::Constant *> variables;
    for (std::size_t id = 0; id < m.variables.size(); ++id) {
      const VariableSlot &s = mc_.layout.variables[id];
      if (!s.stored) continue;
      const ir::Variable &v = m.variables[id];
      variables.push_back(llvm::ConstantStruct::get(
          t_.variable, {str(v.name), str(v.unit), str(v.ion), i32(abiStorage(v.storage)), i32(abiRole(v.role)),
                        i32(static_cast<std::int32_t>(v.size)), i32(s.slot), i32(s.quantity), i32(v.range ? 1 : 0),
                        f64(v.initial), i32(static_cast<std::int32_t>(abiKernelBits(access[id].readBy))),
                        i32(static_cast<std::int32_t>(abiKernelBits(access[id].writtenBy)))}));
    }
    std::vector<llvm::Constant *> ions;
    for (const ir::Ion &ion : m.ions) {
      std::uint32_t uses = (ion.readsReversal ? +RV_READS_REVERSAL : 0u) | (ion.readsInside ? +RV_READS_INSIDE : 0u) |
                           (ion.readsOutside ? +RV_READS_OUTSIDE : 0u) | (ion.writesCurrent ? +RV_WRITES_CURRENT : 0u) |
                           (ion.writesInside ? +RV_WRITES_INSIDE : 0u) | (ion.writesOutside ? +RV_WRITES_OUTSIDE : 0u) |
                           (ion.writesReversal ? +RV_WRITES_REVERSAL : 0u);
      ions.push_back(llvm::ConstantStruct::get(
          t_.ion, {str(ion.name), f64(ion.valence), i32(ion.hasValence ? 1 : 0), i32(static_cast<std::int32_t>(uses))}));
    }
    std::vector<llvm::Constant *> entries;
    for (const KernelEntry &k : kernels) {
      entries.push_back(llvm::ConstantStruct::get(
          t_.kernel, {str(k.name), i32(k.kind), i32(k.params), i32(k.width), i32(k.index), fn(k.range), fn(k.instance)}));
    }
    std::vector<llvm::Constant *> errors;
    for (const ir::KernelError &e : m.errors) errors.push_back(llvm::ConstantStruct::get(t_.error, {str(e.message), str(e.location)}));
    std::vector<llvm::Constant *> flags;
    for (const ir::Watch &w : m.watches) flags.push_back(f64(w.flag));
    std::vector<llvm::Constant *> tables;
    for (const ir::FunctionTable &f : m.functionTables) {
      tables.push_back(llvm::ConstantStruct::get(t_.functionTable, {str(f.name), str(f.unit), i32(static_cast<std::int32_t>(f.arity))}));
    }

    auto count = [&](const std::vector<llvm::Constant *> &v) { return i32(static_cast<std::int32_t>(v.size())); };
    llvm::Constant *description = llvm::ConstantStruct::get(
        t_.mechanism,
        {i32(static_cast<std::int32_t>(RV_ABI_VERSION)), i32(abiMechanismKind(m.kind)), str(m.name),
         i32(m.threadsafe ? 1 : 0), i32(m.electrodeCurrent ? 1 : 0), i32(width),
         i32(static_cast<std::int32_t>(m.netReceiveArgs)), i32(mc_.layout.fieldSlots), i32(mc_.layout.globalSlots),
         i32(mc_.layout.threadSlots), i32(mc_.layout.pointerSlots), count(variables), array(t_.variable, variables, "variables"), count(ions),
         array(t_.ion, ions, "ions"), count(entries), array(t_.kernel, entries, "kernels"), count(errors),
         array(t_.error, errors, "errors"), count(flags), array(t_.f64, flags, "watch_flags"), count(tables),
         array(t_.functionTable, tables, "function_tables"),
         str(options.math == KernelMath::Fast ? options.target.name + " fast" : options.target.name),
         str(std::string("ranvier ") + RANVIER_VERSION), str(options.sourceHash)});
    new llvm::GlobalVariable(mc_.module, t_.mechanism, true, llvm::GlobalValue::ExternalLinkage, description,
                             descriptionSymbol(m.name));
  }

private:
  llvm::Constant *i32(std::int32_t v) { return llvm::ConstantInt::get(t_.i32, static_cast<std::uint64_t>(v), true); }
  llvm::Constant *f64(double v) { return llvm::ConstantFP::get(t_.f64, v); }
  llvm::Constant *fn(llvm::Function *f) {
    return f ? static_cast<llvm::Constant *>(f) : llvm::ConstantPointerNull::get(llvm::cast<llvm::PointerType>(t_.ptr));
  }
  llvm::Constant *str(const std::string &s) {
    if (auto it = strings_.find(s); it != strings_.end()) return it->second;
    llvm::Constant *data = llvm::ConstantDataArray::getString(mc_.module.getContext(), s);
    auto *g = new llvm::GlobalVariable(mc_.module, data->getType(), true, llvm::GlobalValue::PrivateLinkage, data, ".str");
    g->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
    g->setAlignment(llvm::Align(1));
    return strings_[s] = g;
  }
  llvm::Constant *array(llvm::Type *element, const std::vector<llvm::Constant *> &items, const std::string &what) {
    if (items.empty()) return llvm::ConstantPointerNull::get(llvm::cast<llvm::PointerType>(t_.ptr));
    auto *type = llvm::ArrayType::get(element, items.size());
    return new llvm::GlobalVariable(mc_.module, type, true, llvm::GlobalValue::PrivateLinkage,
                                    llvm::ConstantArray::get(type, items), mc_.name(what));
  }

  ModuleContext &mc_;
  const AbiTypes &t_;
  std::map<std::string, llvm::Constant *> strings_;
};

}  // namespace

std::string descriptionSymbol(const std::string &mechanismName) { return "ranvier_mech_" + mechanismName; }

std::unique_ptr<llvm::Module> generate(const ir::Mechanism &mechanism, llvm::LLVMContext &context,
                                       const CodegenOptions &options) {
  auto module = std::make_unique<llvm::Module>(mechanism.name, context);
  ModuleContext mc(*module, mechanism, options.target, options.math);
  declareCallees(mc);
  defineCallees(mc);

  std::vector<KernelEntry> entries;
  std::int32_t widest = 1;
  for (const ir::Kernel &k : mechanism.kernels) {
    KernelEntry e{.name = k.name, .kind = abiKind(k.kind), .params = static_cast<std::int32_t>(k.params.size())};
    if (k.kind == ir::KernelKind::Before || k.kind == ir::KernelKind::After) {
      switch (k.stepPoint) {
      case ir::StepPoint::Breakpoint: e.index = RV_BA_BREAKPOINT; break;
      case ir::StepPoint::Solve: e.index = RV_BA_SOLVE; break;
      case ir::StepPoint::Initial: e.index = RV_BA_INITIAL; break;
      case ir::StepPoint::Step: e.index = RV_BA_STEP; break;
      }
    }
    if (isRangeKernel(k)) {
      // INITIAL runs once per simulation: scalar code compiles several times faster.
      const bool hot = k.kind != ir::KernelKind::Init && k.kind != ir::KernelKind::Constructor &&
                       k.kind != ir::KernelKind::Destructor;
      const unsigned width =
          hot && options.target.width > 1 && vectorizable(mechanism, k).ok ? options.target.width : 1;
      e.width = static_cast<std::int32_t>(width);
      e.range = emitRangeKernel(mc, k, width);
      widest = std::max(widest, e.width);
    } else {
      e.instance = emitInstanceKernel(mc, k);
    }
    entries.push_back(std::move(e));
  }
  for (std::size_t w = 0; w < mechanism.watches.size(); ++w) {
    entries.push_back(KernelEntry{.name = "watch" + std::to_string(w), .kind = RV_KERNEL_WATCH,
                                  .index = static_cast<std::int32_t>(w), .instance = emitWatchKernel(mc, w)});
  }
  Description(mc).emit(entries, options, widest);

  std::string problems;
  llvm::raw_string_ostream out(problems);
  if (llvm::verifyModule(*module, &out)) {
    throw std::runtime_error("the LLVM module of " + mechanism.name + " is malformed: " + out.str());
  }
  return module;
}

std::unique_ptr<llvm::Module> libraryIndex(const std::vector<std::string> &names, llvm::LLVMContext &context) {
  auto module = std::make_unique<llvm::Module>("ranvier_library", context);
  AbiTypes t(context);
  std::vector<llvm::Constant *> entries;
  for (const std::string &name : names) {
    entries.push_back(new llvm::GlobalVariable(*module, t.mechanism, true, llvm::GlobalValue::ExternalLinkage, nullptr,
                                               descriptionSymbol(name)));
  }
  entries.push_back(llvm::ConstantPointerNull::get(llvm::cast<llvm::PointerType>(t.ptr)));
  auto *type = llvm::ArrayType::get(t.ptr, entries.size());
  new llvm::GlobalVariable(*module, type, true, llvm::GlobalValue::ExternalLinkage, llvm::ConstantArray::get(type, entries),
                           "ranvier_library");
  return module;
}

}  // namespace ranvier::codegen
