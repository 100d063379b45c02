#include "codegen/kernels.hpp"

#include "codegen/body_emitter.hpp"
#include "ranvier/mechanism_abi.h"

namespace ranvier::codegen {

namespace {
constexpr int kMaxCallDepth = 1000;  // as the interpreter

llvm::Function *makeFunction(ModuleContext &mc, llvm::FunctionType *type, const std::string &name, unsigned width) {
  auto *f = llvm::Function::Create(type, llvm::Function::PrivateLinkage, mc.name(name), mc.module);
  f->addFnAttr(llvm::Attribute::NoUnwind);
  if (!mc.target.cpu.empty()) f->addFnAttr("target-cpu", mc.target.cpu);
  if (!mc.target.features.empty()) f->addFnAttr("target-features", mc.target.features);
  // Keep <8 x double> in one zmm register instead of two ymm halves.
  f->addFnAttr("min-legal-vector-width", std::to_string(64 * std::max(width, mc.target.width)));
  // The entry block only branches on: allocas and hoisted loads go before that branch.
  auto *entry = llvm::BasicBlock::Create(mc.module.getContext(), "entry", f);
  auto *start = llvm::BasicBlock::Create(mc.module.getContext(), "start", f);
  llvm::IRBuilder<>(entry).CreateBr(start);
  return f;
}

llvm::BasicBlock *startBlock(llvm::Function *f) { return f->getEntryBlock().getSingleSuccessor(); }

// Kernels that run once per simulation or on request (INITIAL, TABLE builds, FUNCTIONs
// called by the user) are compiled without optimisation: they are most of a
// mechanism's code and none of its run time, and compile time is what users wait for.
bool isCold(const ir::Kernel &k) {
  switch (k.kind) {
  case ir::KernelKind::Init:
  case ir::KernelKind::NetInit:
  case ir::KernelKind::Function:
  case ir::KernelKind::Procedure:
  case ir::KernelKind::TableCheck:
  case ir::KernelKind::Constructor:
  case ir::KernelKind::Destructor: return true;
  default: return false;
  }
}

void markCold(llvm::Function *f) {
  f->addFnAttr(llvm::Attribute::OptimizeNone);
  f->addFnAttr(llvm::Attribute::NoInline);
}

bool isCallable(const ir::Kernel &k) {
  return k.kind == ir::KernelKind::Function || k.kind == ir::KernelKind::Procedure;
}
}  // namespace

llvm::Function *emitRangeKernel(ModuleContext &mc, const ir::Kernel &kernel, unsigned width) {
  const AbiTypes &t = mc.types;
  auto *type = llvm::FunctionType::get(t.voidTy, {t.ptr, t.i32, t.i32}, false);
  llvm::Function *f = makeFunction(mc, type, kernel.name, width);
  if (isCold(kernel)) markCold(f);
  auto &c = mc.module.getContext();
  llvm::Value *p = f->getArg(0), *begin = f->getArg(1), *end = f->getArg(2);
  p->setName("instances");
  begin->setName("begin");
  end->setName("end");

  llvm::IRBuilder<> b(startBlock(f));
  llvm::AllocaInst *i = llvm::IRBuilder<>(f->getEntryBlock().getTerminator()).CreateAlloca(t.i32, nullptr, "i");
  b.CreateStore(begin, i);
  auto *header = llvm::BasicBlock::Create(c, "loop", f);
  auto *body = llvm::BasicBlock::Create(c, "loop.body", f);
  auto *exit = llvm::BasicBlock::Create(c, "exit", f);
  b.CreateBr(header);
  b.SetInsertPoint(header);
  llvm::Value *at = b.CreateLoad(t.i32, i);
  if (width == 1) {
    b.CreateCondBr(b.CreateICmpSLT(at, end), body, exit);
    b.SetInsertPoint(body);
    BodyEmitter one(mc, *f, 1, p, b.getInt32(0));
    one.builder().SetInsertPoint(body);
    one.emit(kernel, at);
    one.builder().CreateStore(one.builder().CreateAdd(at, one.builder().getInt32(1)), i);
    one.builder().CreateBr(header);
    b.SetInsertPoint(exit);
    b.CreateRetVoid();
    return f;
  }
  // Full blocks of `width` lanes, with every lane on: no masks, plain vector loads and
  // stores (and values stored to a field and read back are forwarded in registers).
  // Then at most one partial block, with the lanes k < end - at on. The two bodies do
  // the same arithmetic per lane, so an instance's result does not depend on which
  // kind of block it lands in.
  auto *tailCheck = llvm::BasicBlock::Create(c, "tail.check", f);
  auto *tail = llvm::BasicBlock::Create(c, "tail", f);
  b.CreateCondBr(b.CreateICmpSGE(b.CreateSub(end, at), b.getInt32(static_cast<std::int32_t>(width))), body, tailCheck);
  {
    // Node and ion values: when the block's index entries are consecutive (instances
    // in node order, one per node, as in most cell groups), plain vector loads and
    // stores; else gathers and scatters. Same addresses, same values either way.
    auto *latch = llvm::BasicBlock::Create(c, "loop.next", f);
    auto emitBody = [&](llvm::BasicBlock *where, bool consecutive) {
      BodyEmitter lanes(mc, *f, width, p, b.getInt32(0));
      if (consecutive) lanes.assumeConsecutiveIndices();
      lanes.builder().SetInsertPoint(where);
      lanes.emit(kernel, at);
      lanes.builder().CreateBr(latch);
    };
    BodyEmitter test(mc, *f, width, p, b.getInt32(0));
    test.builder().SetInsertPoint(body);
    if (llvm::Value *consecutive = test.contiguityTest(kernel, at)) {
      auto *plain = llvm::BasicBlock::Create(c, "body.consecutive", f);
      auto *gathered = llvm::BasicBlock::Create(c, "body.gathered", f);
      test.builder().CreateCondBr(consecutive, plain, gathered);
      emitBody(plain, true);
      emitBody(gathered, false);
    } else {
      emitBody(body, false);
    }
    llvm::IRBuilder<> next(latch);
    next.CreateStore(next.CreateAdd(at, next.getInt32(static_cast<std::int32_t>(width))), i);
    next.CreateBr(header);
  }
  b.SetInsertPoint(tailCheck);
  llvm::Value *rest = b.CreateLoad(t.i32, i);
  b.CreateCondBr(b.CreateICmpSLT(rest, end), tail, exit);
  b.SetInsertPoint(tail);
  std::vector<llvm::Constant *> steps;
  for (unsigned k = 0; k < width; ++k) steps.push_back(b.getInt32(k));
  llvm::Value *left = b.CreateVectorSplat(width, b.CreateSub(end, rest));
  llvm::Value *mask = b.CreateICmpSLT(llvm::ConstantVector::get(steps), left);
  BodyEmitter lanes(mc, *f, width, p, b.getInt32(0));
  lanes.builder().SetInsertPoint(b.GetInsertBlock());
  lanes.emit(kernel, rest, {}, mask);
  lanes.builder().CreateBr(exit);
  b.SetInsertPoint(exit);
  b.CreateRetVoid();
  return f;
}

void declareCallees(ModuleContext &mc) {
  const AbiTypes &t = mc.types;
  mc.callees.assign(mc.mech.kernels.size(), nullptr);
  for (std::size_t k = 0; k < mc.mech.kernels.size(); ++k) {
    const ir::Kernel &kernel = mc.mech.kernels[k];
    if (!isCallable(kernel)) continue;
    std::vector<llvm::Type *> params{t.ptr, t.i32, t.i32};
    params.insert(params.end(), kernel.params.size(), t.f64);
    mc.callees[k] = makeFunction(mc, llvm::FunctionType::get(t.f64, params, false), "call." + kernel.name, 1);
    markCold(mc.callees[k]);  // recursion, or the user calling a FUNCTION
  }
}

void defineCallees(ModuleContext &mc) {
  for (std::size_t k = 0; k < mc.mech.kernels.size(); ++k) {
    llvm::Function *f = mc.callees[k];
    if (f == nullptr) continue;
    const ir::Kernel &kernel = mc.mech.kernels[k];
    auto &c = mc.module.getContext();
    llvm::IRBuilder<> b(startBlock(f));
    auto *deep = llvm::BasicBlock::Create(c, "too.deep", f);
    auto *body = llvm::BasicBlock::Create(c, "call.body", f);
    llvm::Value *depth = f->getArg(2);
    b.CreateCondBr(b.CreateICmpSGT(depth, b.getInt32(kMaxCallDepth)), deep, body);
    b.SetInsertPoint(deep);
    b.CreateCall(mc.reportError, {f->getArg(0), f->getArg(1), b.getInt32(RV_ERROR_RECURSION)});
    b.CreateRet(llvm::ConstantFP::get(mc.types.f64, 0.0));

    std::map<ir::VarId, llvm::Value *> params;
    for (std::size_t i = 0; i < kernel.params.size(); ++i) params[kernel.params[i]] = f->getArg(3 + static_cast<unsigned>(i));
    BodyEmitter one(mc, *f, 1, f->getArg(0), depth);
    one.builder().SetInsertPoint(body);
    one.emit(kernel, f->getArg(1), params);
    one.builder().CreateRet(kernel.result ? one.local(*kernel.result) : llvm::ConstantFP::get(mc.types.f64, 0.0));
  }
}

llvm::Function *emitInstanceKernel(ModuleContext &mc, const ir::Kernel &kernel) {
  const AbiTypes &t = mc.types;
  auto *type = llvm::FunctionType::get(t.f64, {t.ptr, t.i32, t.ptr}, false);
  llvm::Function *f = makeFunction(mc, type, kernel.name, 1);
  if (isCold(kernel)) markCold(f);
  llvm::IRBuilder<> b(startBlock(f));
  std::vector<llvm::Value *> args;
  for (std::size_t i = 0; i < kernel.params.size(); ++i) {
    args.push_back(b.CreateLoad(t.f64, b.CreateConstInBoundsGEP1_64(t.f64, f->getArg(2), i)));
  }
  const auto index = static_cast<std::size_t>(&kernel - mc.mech.kernels.data());
  if (llvm::Function *callee = mc.callees[index]) {
    std::vector<llvm::Value *> values{f->getArg(0), f->getArg(1), b.getInt32(0)};
    values.insert(values.end(), args.begin(), args.end());
    b.CreateRet(b.CreateCall(callee, values));
    return f;
  }
  std::map<ir::VarId, llvm::Value *> params;
  for (std::size_t i = 0; i < kernel.params.size(); ++i) params[kernel.params[i]] = args[i];
  BodyEmitter one(mc, *f, 1, f->getArg(0), b.getInt32(0));
  one.builder().SetInsertPoint(b.GetInsertBlock());
  if (kernel.kind == ir::KernelKind::NetReceive || kernel.kind == ir::KernelKind::NetInit) {
    const std::size_t weights = kernel.kind == ir::KernelKind::NetReceive ? kernel.params.size() - 1 : kernel.params.size();
    one.weightArguments(f->getArg(2), std::vector<ir::VarId>(kernel.params.begin(), kernel.params.begin() + static_cast<std::ptrdiff_t>(weights)));
  }
  one.emit(kernel, f->getArg(1), params);
  if (kernel.kind == ir::KernelKind::NetReceive || kernel.kind == ir::KernelKind::NetInit) {
    // NET_RECEIVE's arguments are the NetCon's weights: what the block assigns to them
    // persists (the flag, the last argument of net_receive, is not a weight).
    const std::size_t weights = kernel.kind == ir::KernelKind::NetReceive ? kernel.params.size() - 1 : kernel.params.size();
    for (std::size_t i = 0; i < weights; ++i) {
      one.builder().CreateStore(one.local(kernel.params[i]), one.builder().CreateConstInBoundsGEP1_64(t.f64, f->getArg(2), i));
    }
  }
  one.builder().CreateRet(kernel.result ? one.local(*kernel.result) : llvm::ConstantFP::get(t.f64, 0.0));
  return f;
}

llvm::Function *emitWatchKernel(ModuleContext &mc, std::size_t watch) {
  const AbiTypes &t = mc.types;
  auto *type = llvm::FunctionType::get(t.f64, {t.ptr, t.i32, t.ptr}, false);
  llvm::Function *f = makeFunction(mc, type, "watch" + std::to_string(watch), 1);
  BodyEmitter one(mc, *f, 1, f->getArg(0), llvm::ConstantInt::get(t.i32, 0));
  one.builder().SetInsertPoint(startBlock(f));
  one.emit(ir::Kernel{}, f->getArg(1));
  one.builder().CreateRet(one.value(*mc.mech.watches[watch].value));
  return f;
}

}  // namespace ranvier::codegen
