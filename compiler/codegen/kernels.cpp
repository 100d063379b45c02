#include "codegen/kernels.hpp"

#include <functional>
#include <optional>
#include <set>

#include <llvm/IR/MDBuilder.h>

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

// The GLOBAL g of the first `if (g != 0)` in the kernel (usetable), when the kernel
// never writes g and calls no kernel that might: a switch the whole call sees the same.
std::optional<ir::VarId> loopInvariantSwitch(const ir::Mechanism &m, const ir::Kernel &kernel) {
  std::optional<ir::VarId> found;
  std::set<ir::VarId> written;
  bool calls = false;
  std::function<void(const ir::Expr &)> expr = [&](const ir::Expr &e) {
    calls = calls || e.op == ir::Op::Call;
    for (const ir::ExprRef &a : e.args) {
      if (a) expr(*a);
    }
  };
  std::function<void(const ir::Body &)> walk = [&](const ir::Body &body) {
    for (const ir::Stmt &s : body) {
      if (s.kind == ir::StmtKind::Assign || s.kind == ir::StmtKind::Random) written.insert(s.target);
      calls = calls || s.kind == ir::StmtKind::Call;
      for (const ir::ExprRef &e : {s.index, s.value, s.flag}) {
        if (e) expr(*e);
      }
      for (const ir::ExprRef &e : s.args) {
        if (e) expr(*e);
      }
      if (s.kind == ir::StmtKind::If && !found) {
        const std::optional<ir::VarId> g = BodyEmitter::switchVariable(*s.value);
        if (g && m.variables[*g].storage == ir::Storage::Global) found = g;
      }
      walk(s.body);
      walk(s.otherwise);
    }
  };
  walk(kernel.body);
  if (!found || calls || written.count(*found) > 0) return std::nullopt;
  return found;
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
  auto *exit = llvm::BasicBlock::Create(c, "exit", f);
  b.CreateBr(header);
  b.SetInsertPoint(header);
  if (width == 1) {
    llvm::Value *at = b.CreateLoad(t.i32, i);
    auto *body = llvm::BasicBlock::Create(c, "loop.body", f);
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
  // A switch such as usetable, which the kernel reads and never writes, is tested once
  // here: each of two copies of the loops has only its side of the switch (testing it
  // in every block cost the tabulated Liu sweep 3 %).
  const std::optional<ir::VarId> invariant = loopInvariantSwitch(mc.mech, kernel);
  auto loops = [&](llvm::BasicBlock *from, std::optional<bool> on) {
    auto configured = [&](BodyEmitter &e) {
      if (on) e.assumeSwitch(*invariant, *on);
    };
    llvm::IRBuilder<> h(from);
    h.CreateStore(begin, i);
    auto *loop = llvm::BasicBlock::Create(c, "blocks", f);
    auto *blockBody = llvm::BasicBlock::Create(c, "blocks.body", f);
    auto *latch = llvm::BasicBlock::Create(c, "blocks.next", f);
    auto *tailCheck = llvm::BasicBlock::Create(c, "tail.check", f);
    auto *tail = llvm::BasicBlock::Create(c, "tail", f);
    h.CreateBr(loop);
    h.SetInsertPoint(loop);
    llvm::Value *blockAt = h.CreateLoad(t.i32, i);
    h.CreateCondBr(h.CreateICmpSGE(h.CreateSub(end, blockAt), h.getInt32(static_cast<std::int32_t>(width))), blockBody, tailCheck);
    // Node and ion values: when the block's index entries are consecutive (instances
    // in node order, one per node, as in most cell groups), plain vector loads and
    // stores; else gathers and scatters. Same addresses, same values either way.
    auto emitBody = [&](llvm::BasicBlock *where, bool consecutive) {
      BodyEmitter lanes(mc, *f, width, p, b.getInt32(0));
      configured(lanes);
      if (consecutive) lanes.assumeConsecutiveIndices();
      lanes.builder().SetInsertPoint(where);
      lanes.emit(kernel, blockAt);
      lanes.builder().CreateBr(latch);
    };
    BodyEmitter test(mc, *f, width, p, b.getInt32(0));
    test.builder().SetInsertPoint(blockBody);
    if (llvm::Value *consecutive = test.contiguityTest(kernel, blockAt)) {
      auto *plain = llvm::BasicBlock::Create(c, "body.consecutive", f);
      auto *gathered = llvm::BasicBlock::Create(c, "body.gathered", f);
      test.builder().CreateCondBr(consecutive, plain, gathered);
      emitBody(plain, true);
      emitBody(gathered, false);
    } else {
      emitBody(blockBody, false);
    }
    llvm::IRBuilder<> next(latch);
    next.CreateStore(next.CreateAdd(blockAt, next.getInt32(static_cast<std::int32_t>(width))), i);
    next.CreateBr(loop);

    llvm::IRBuilder<> tb(tailCheck);
    llvm::Value *rest = tb.CreateLoad(t.i32, i);
    tb.CreateCondBr(tb.CreateICmpSLT(rest, end), tail, exit);
    tb.SetInsertPoint(tail);
    std::vector<llvm::Constant *> steps;
    for (unsigned k = 0; k < width; ++k) steps.push_back(tb.getInt32(k));
    llvm::Value *left = tb.CreateVectorSplat(width, tb.CreateSub(end, rest));
    llvm::Value *mask = tb.CreateICmpSLT(llvm::ConstantVector::get(steps), left);
    BodyEmitter lanes(mc, *f, width, p, b.getInt32(0));
    configured(lanes);
    lanes.builder().SetInsertPoint(tail);
    lanes.emit(kernel, rest, {}, mask);
    lanes.builder().CreateBr(exit);
  };
  // From `header`, one copy of the loops, or the switch's test and two; each starts at begin.
  if (invariant) {
    BodyEmitter probe(mc, *f, width, p, b.getInt32(0));
    auto *on = llvm::BasicBlock::Create(c, "switch.on", f);
    auto *off = llvm::BasicBlock::Create(c, "switch.off", f);
    b.CreateCondBr(probe.switchIsOn(*invariant), on, off, llvm::MDBuilder(c).createBranchWeights(2000, 1));
    loops(on, true);
    loops(off, false);
  } else {
    auto *all = llvm::BasicBlock::Create(c, "blocks.start", f);
    b.CreateBr(all);
    loops(all, std::nullopt);
  }
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
