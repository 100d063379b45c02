// Statements: assignments under the lane mask, if/while as masks (vectors) or
// branches (one lane), reports to the runtime.
#include <stdexcept>

#include <llvm/IR/MDBuilder.h>

#include "codegen/body_emitter.hpp"
#include "ranvier/mechanism_abi.h"

namespace ranvier::codegen {

namespace {
constexpr std::uint64_t kMaxLoopIterations = 100'000'000;  // as the interpreter
}

void BodyEmitter::emit(const ir::Kernel &kernel, llvm::Value *base, const std::map<ir::VarId, llvm::Value *> &params,
                       llvm::Value *mask) {
  base_ = base;
  mask_ = entryMask_ = mask;
  instances_ = nullptr;
  indexVectors_.clear();
  firstIndices_.clear();
  if (consecutive_ && (width_ == 1 || mask != nullptr)) throw std::logic_error("consecutive indices are for full vector blocks");
  auto &c = b_.getContext();
  auto *prologue = llvm::BasicBlock::Create(c, "lanes", &fn_);
  auto *body = llvm::BasicBlock::Create(c, "body", &fn_);
  b_.CreateBr(prologue);
  b_.SetInsertPoint(prologue);
  prologue_.SetInsertPoint(b_.CreateBr(body));
  // Locals start at 0 for every instance, as in the interpreter.
  for (ir::VarId id : kernel.locals) {
    llvm::AllocaInst *slot = localSlot(id);
    prologue_.CreateStore(llvm::Constant::getNullValue(slot->getAllocatedType()), slot);
  }
  for (ir::VarId id : kernel.params) {
    llvm::AllocaInst *slot = localSlot(id);
    prologue_.CreateStore(llvm::Constant::getNullValue(slot->getAllocatedType()), slot);
    if (auto it = params.find(id); it != params.end()) {
      prologue_.CreateStore(it->second, prologue_.CreateConstInBoundsGEP2_32(slot->getAllocatedType(), slot, 0, 0));
    }
  }
  b_.SetInsertPoint(body);
  badIndex_ = nullptr;
  exec(kernel.body);
  if (badIndex_ != nullptr) {
    mask_ = nullptr;
    llvm::Value *bad = b_.CreateLoad(boolType(), badIndex_);
    auto *report = llvm::BasicBlock::Create(c, "index.bad", &fn_);
    auto *done = llvm::BasicBlock::Create(c, "index.end", &fn_);
    b_.CreateCondBr(any(bad), report, done, llvm::MDBuilder(c).createBranchWeights(1, 1000));
    b_.SetInsertPoint(report);
    reportError(width_ == 1 ? nullptr : bad, RV_ERROR_INDEX);
    b_.CreateBr(done);
    b_.SetInsertPoint(done);
  }
}

llvm::Value *BodyEmitter::local(ir::VarId id) { return load(id, nullptr); }

void BodyEmitter::exec(const ir::Body &body) {
  for (const ir::Stmt &s : body) exec(s);
}

void BodyEmitter::report(llvm::Function *reporter, std::vector<llvm::Value *> perLane) {
  forEachLane(mask_, [&](unsigned k) {
    std::vector<llvm::Value *> args{p_, instanceOf(k)};
    for (llvm::Value *v : perLane) args.push_back(v->getType()->isVectorTy() ? lane(v, k) : v);
    b_.CreateCall(reporter, args);
  });
}

void BodyEmitter::reportError(llvm::Value *lanes, int code) {
  if (width_ == 1) {
    b_.CreateCall(mc_.reportError, {p_, base_, b_.getInt32(code)});
    return;
  }
  llvm::Value *bits = lanes == nullptr ? static_cast<llvm::Value *>(b_.getInt32((1u << width_) - 1))
                                       : b_.CreateZExt(b_.CreateBitCast(lanes, b_.getIntNTy(width_)), t_.i32);
  b_.CreateCall(mc_.reportErrorLanes, {p_, base_, bits, b_.getInt32(code)});
}

void BodyEmitter::exec(const ir::Stmt &s) {
  switch (s.kind) {
  case ir::StmtKind::Assign: assign(s); return;
  case ir::StmtKind::If: ifStmt(s); return;
  case ir::StmtKind::While: whileStmt(s); return;
  case ir::StmtKind::Call: {
    if (width_ != 1) throw std::logic_error("a call in a vector kernel");
    callKernel(s.index2, s.args);
    return;
  }
  case ir::StmtKind::SolveLinear: solveLinear(s); return;
  case ir::StmtKind::NetSend:
    report(mc_.reportEvent, {b_.getInt32(RV_NET_SEND), evalReal(*s.value), evalReal(*s.flag)});
    return;
  case ir::StmtKind::NetEvent:
  case ir::StmtKind::NetMove: {
    const int kind = s.kind == ir::StmtKind::NetEvent ? RV_NET_EVENT : RV_NET_MOVE;
    report(mc_.reportEvent, {b_.getInt32(kind), evalReal(*s.value), llvm::ConstantFP::get(t_.f64, 0.0)});
    return;
  }
  case ir::StmtKind::Watch: report(mc_.reportWatch, {b_.getInt32(static_cast<int>(s.index2))}); return;
  case ir::StmtKind::Fail: reportError(mask_, static_cast<int>(s.index2)); return;
  case ir::StmtKind::Random: randomDraw(s); return;
  case ir::StmtKind::ForNetCons: forNetCons(s); return;
  }
}

// A draw through rv_callbacks.random for this instance. Kernels that draw run one
// instance at a time (vectorizable.cpp): each instance's draws are made in program
// order, which is what keeps its stream reproducible.
void BodyEmitter::randomDraw(const ir::Stmt &s) {
  if (width_ != 1) throw std::logic_error("a random draw in a vector kernel");
  static_assert(RV_RANDOM_UNIFORM01 == static_cast<int>(ir::RandomDistribution::Uniform01) &&
                RV_RANDOM_EXPONENTIAL == static_cast<int>(ir::RandomDistribution::Exponential) &&
                RV_RANDOM_NORMAL == static_cast<int>(ir::RandomDistribution::Normal) &&
                RV_RANDOM_POISSON == static_cast<int>(ir::RandomDistribution::Poisson) &&
                RV_RANDOM_SEED == static_cast<int>(ir::RandomDistribution::Seed));
  llvm::Value *a = evalReal(*s.args[0]);  // in the interpreter's order
  llvm::Value *b = evalReal(*s.args[1]);
  llvm::Value *value =
      b_.CreateCall(mc_.drawRandom, {p_, base_, b_.getInt32(static_cast<int>(s.distribution)), a, b});
  if (s.distribution == ir::RandomDistribution::Seed) value = constant(0);  // set_seed's value is 0
  store(s.target, nullptr, value);
}

// FOR_NETCONS: for (k = 0; (w = netcon_weights(p, instance, k)) != null; ++k) { vars = w[..];
// body; w[..] = vars; }, with NET_RECEIVE's own weights written out before and read back
// after (the runtime hands the event's NetCon to the loop as the kernel's `args`).
void BodyEmitter::forNetCons(const ir::Stmt &s) {
  if (width_ != 1) throw std::logic_error("FOR_NETCONS in a vector kernel");
  auto &c = b_.getContext();
  auto element = [&](llvm::Value *base, std::size_t i) { return b_.CreateConstInBoundsGEP1_64(t_.f64, base, i); };
  for (std::size_t i = 0; args_ != nullptr && i < weights_.size(); ++i) b_.CreateStore(local(weights_[i]), element(args_, i));
  llvm::AllocaInst *k = entry_.CreateAlloca(t_.i32, nullptr, "netcon");
  b_.CreateStore(b_.getInt32(0), k);
  auto *header = llvm::BasicBlock::Create(c, "for_netcons", &fn_);
  auto *body = llvm::BasicBlock::Create(c, "for_netcons.body", &fn_);
  auto *exit = llvm::BasicBlock::Create(c, "for_netcons.end", &fn_);
  b_.CreateBr(header);
  b_.SetInsertPoint(header);
  llvm::Value *index = b_.CreateLoad(t_.i32, k);
  llvm::Value *w = b_.CreateCall(mc_.netconWeights, {p_, base_, index});
  b_.CreateCondBr(b_.CreateIsNull(w), exit, body);
  b_.SetInsertPoint(body);
  for (std::size_t i = 0; i < s.vars.size(); ++i) store(s.vars[i], nullptr, b_.CreateLoad(t_.f64, element(w, i)));
  exec(s.body);
  for (std::size_t i = 0; i < s.vars.size(); ++i) b_.CreateStore(local(s.vars[i]), element(w, i));
  b_.CreateStore(b_.CreateAdd(b_.CreateLoad(t_.i32, k), b_.getInt32(1)), k);
  b_.CreateBr(header);
  b_.SetInsertPoint(exit);
  for (std::size_t i = 0; args_ != nullptr && i < weights_.size(); ++i) store(weights_[i], nullptr, b_.CreateLoad(t_.f64, element(args_, i)));
}

// x = x + e and x = x - e on node and ion values: one read-modify-write per lane, in
// lane order, so that lanes sharing a node (point processes) all count.
bool BodyEmitter::accumulate(const ir::Stmt &s) {
  const ir::Variable &v = mc_.mech.variables[s.target];
  if ((v.storage != ir::Storage::Node && v.storage != ir::Storage::Ion) || s.index) return false;
  const ir::Expr &e = *s.value;
  if (e.op != ir::Op::Add && e.op != ir::Op::Sub) return false;
  const ir::Expr &self = *e.args[0];
  if (self.op != ir::Op::Var || self.var != s.target || !self.args.empty() || ir::uses(*e.args[1], s.target)) return false;
  llvm::Value *delta = evalReal(*e.args[1]);
  if (consecutive_) {
    // Consecutive indices are distinct: load, add, store, under the lanes' mask.
    llvm::Value *at = consecutiveAddress(s.target);
    llvm::Value *old = tagged(b_.CreateAlignedLoad(realType(), at, llvm::Align(8)), s.target);
    llvm::Value *sum = e.op == ir::Op::Add ? b_.CreateFAdd(old, delta) : b_.CreateFSub(old, delta);
    if (mask_ != nullptr) {
      tagged(b_.CreateMaskedStore(sum, at, llvm::Align(8), mask_), s.target);
    } else {
      tagged(b_.CreateAlignedStore(sum, at, llvm::Align(8)), s.target);
    }
    return true;
  }
  llvm::Value *pointers = addresses(s.target, b_.getInt32(0));
  if (width_ > 1 && mc_.mech.kind == ir::MechanismKind::Density) {
    // One instance per node: no two lanes share an address, so gather, add, scatter.
    llvm::Value *old = gather(pointers, s.target);
    llvm::Value *sum = e.op == ir::Op::Add ? b_.CreateFAdd(old, delta) : b_.CreateFSub(old, delta);
    tagged(b_.CreateMaskedScatter(sum, pointers, llvm::Align(8), mask_), s.target);
    return true;
  }
  forEachLane(mask_, [&](unsigned k) {
    llvm::Value *at = lane(pointers, k);
    llvm::Value *old = tagged(b_.CreateAlignedLoad(t_.f64, at, llvm::Align(8)), s.target);
    llvm::Value *d = lane(delta, k);
    tagged(b_.CreateAlignedStore(e.op == ir::Op::Add ? b_.CreateFAdd(old, d) : b_.CreateFSub(old, d), at, llvm::Align(8)),
           s.target);
  });
  return true;
}

void BodyEmitter::assign(const ir::Stmt &s) {
  if (accumulate(s)) return;
  llvm::Value *value = evalReal(*s.value);
  store(s.target, s.index, value);
}

void BodyEmitter::store(ir::VarId id, const ir::ExprRef &index, llvm::Value *value) {
  const ir::Variable &v = mc_.mech.variables[id];
  std::uint32_t k = 0;
  const bool known = constantElement(index, v.size, k);
  if (v.storage == ir::Storage::Local || v.storage == ir::Storage::Param) {
    llvm::AllocaInst *slot = localSlot(id);
    auto *type = slot->getAllocatedType();
    if (known) {
      llvm::Value *at = b_.CreateConstInBoundsGEP2_32(type, slot, 0, k);
      if (localMask() != nullptr) value = b_.CreateSelect(localMask(), value, b_.CreateLoad(realType(), at));
      b_.CreateStore(value, at);
      return;
    }
    llvm::Value *e = element(index, v.size);
    if (width_ == 1) {
      b_.CreateStore(value, b_.CreateInBoundsGEP(type, slot, {b_.getInt32(0), e}));
      return;
    }
    forEachLane(localMask(), [&](unsigned lane_k) {
      llvm::Value *at = b_.CreateInBoundsGEP(type, slot, {b_.getInt32(0), lane(e, lane_k)});
      llvm::Value *row = b_.CreateLoad(realType(), at);
      b_.CreateStore(b_.CreateInsertElement(row, lane(value, lane_k), std::uint64_t{lane_k}), at);
    });
    return;
  }
  if (v.storage == ir::Storage::Field && known) {  // contiguous lanes
    const VariableSlot &slot = mc_.layout.variables[id];
    llvm::Value *offset = b_.CreateAdd(b_.CreateMul(b_.getInt32(k), hoistedCapacity()), base_);
    llvm::Value *at = b_.CreateInBoundsGEP(t_.f64, fieldBase(slot.slot), offset);
    // A masked store leaves the lanes that are off untouched (past the end they may
    // be another thread's instances).
    if (mask_ != nullptr) {
      tagged(b_.CreateMaskedStore(value, at, llvm::Align(8), mask_), id);
    } else {
      tagged(b_.CreateAlignedStore(value, at, llvm::Align(8)), id);
    }
    return;
  }
  if (consecutive_ && known && k == 0 && (v.storage == ir::Storage::Node || v.storage == ir::Storage::Ion)) {
    llvm::Value *at = consecutiveAddress(id);
    if (mask_ != nullptr) {
      tagged(b_.CreateMaskedStore(value, at, llvm::Align(8), mask_), id);
    } else {
      tagged(b_.CreateAlignedStore(value, at, llvm::Align(8)), id);
    }
    return;
  }
  // Shared storage is written by scalar code only (see vectorizable.cpp); per-lane
  // addresses are written lane by lane.
  llvm::Value *e = known ? static_cast<llvm::Value *>(b_.getInt32(k)) : element(index, v.size);
  llvm::Value *pointers = addresses(id, e);
  forEachLane(mask_, [&](unsigned lane_k) {
    llvm::Value *at = pointers->getType()->isVectorTy() ? lane(pointers, lane_k) : pointers;
    tagged(b_.CreateAlignedStore(lane(value, lane_k), at, llvm::Align(8)), id);
  });
}

// Whether an expression has one value for all lanes: constants, and shared storage
// (globals, tables, t/dt/celsius, thread storage), which vector kernels never write.
bool BodyEmitter::uniform(const ir::Expr &e) const {
  switch (e.op) {
  case ir::Op::Call:
  case ir::Op::TableCall: return false;
  case ir::Op::Var: {
    const ir::Storage storage = mc_.mech.variables[e.var].storage;
    if (storage != ir::Storage::Global && storage != ir::Storage::Table && storage != ir::Storage::Builtin &&
        storage != ir::Storage::Thread) {
      return false;
    }
    break;
  }
  default: break;
  }
  for (const ir::ExprRef &arg : e.args) {
    if (arg && !uniform(*arg)) return false;
  }
  return true;
}

llvm::Value *BodyEmitter::switchIsOn(ir::VarId id) {
  return entry_.CreateFCmpUNE(entry_.CreateLoad(t_.f64, uniformAddress(id, 0)), llvm::ConstantFP::get(t_.f64, 0.0));
}

void BodyEmitter::ifStmt(const ir::Stmt &s) {
  if (switch_ && switchVariable(*s.value) == switch_->first) {
    exec(switch_->second ? s.body : s.otherwise);
    return;
  }
  auto &c = b_.getContext();
  llvm::Value *condition = evalBool(*s.value);
  if (width_ > 1 && uniform(*s.value)) {
    // The same for every lane (`usetable`, a GLOBAL switch): an ordinary branch, and
    // each side runs with the lanes that were on.
    condition = lane(condition, 0);
  }
  if (width_ == 1 || !condition->getType()->isVectorTy()) {
    auto *then = llvm::BasicBlock::Create(c, "then", &fn_);
    auto *otherwise = llvm::BasicBlock::Create(c, "else", &fn_);
    auto *join = llvm::BasicBlock::Create(c, "endif", &fn_);
    // A likely then-side (TABLE lookups, the other side computing without the table)
    // gets the registers: the unusual side spills around its calls, not the usual one.
    b_.CreateCondBr(condition, then, otherwise, s.likely ? llvm::MDBuilder(c).createBranchWeights(2000, 1) : nullptr);
    b_.SetInsertPoint(then);
    exec(s.body);
    b_.CreateBr(join);
    b_.SetInsertPoint(otherwise);
    exec(s.otherwise);
    b_.CreateBr(join);
    b_.SetInsertPoint(join);
    return;
  }
  llvm::Value *outer = mask_;
  condition = definedOnLanes(outer, condition);
  llvm::Value *thenMask = outer ? b_.CreateAnd(outer, condition) : condition;
  llvm::Value *elseMask = outer ? b_.CreateAnd(outer, b_.CreateNot(condition)) : b_.CreateNot(condition);
  auto side = [&](const ir::Body &body, llvm::Value *mask, const char *name) {
    if (body.empty()) return;
    auto *run = llvm::BasicBlock::Create(c, name, &fn_);
    auto *join = llvm::BasicBlock::Create(c, std::string(name) + ".end", &fn_);
    b_.CreateCondBr(any(mask), run, join);
    b_.SetInsertPoint(run);
    mask_ = mask;
    exec(body);
    mask_ = outer;
    b_.CreateBr(join);
    b_.SetInsertPoint(join);
  };
  side(s.body, thenMask, "then");
  side(s.otherwise, elseMask, "else");
}

// A while loop, guarded: after 100 million iterations the lanes still running are
// reported (RV_ERROR_LOOP) and the loop ends, so no mechanism hangs the simulator.
void BodyEmitter::whileStmt(const ir::Stmt &s) {
  auto &c = b_.getContext();
  llvm::AllocaInst *count = entry_.CreateAlloca(t_.i64, nullptr, "iterations");
  b_.CreateStore(b_.getInt64(0), count);
  llvm::AllocaInst *active = width_ == 1 ? nullptr : entry_.CreateAlloca(boolType(), nullptr, "active");
  if (active) b_.CreateStore(activeMask(), active);
  auto *header = llvm::BasicBlock::Create(c, "while", &fn_);
  auto *body = llvm::BasicBlock::Create(c, "while.body", &fn_);
  auto *guard = llvm::BasicBlock::Create(c, "while.guard", &fn_);
  auto *stop = llvm::BasicBlock::Create(c, "while.runaway", &fn_);
  auto *exit = llvm::BasicBlock::Create(c, "while.end", &fn_);
  b_.CreateBr(header);

  b_.SetInsertPoint(header);
  llvm::Value *outer = mask_;
  llvm::Value *on = evalBool(*s.value);
  if (active) {
    // Frozen even in a full block: `active` is a mask here too (definedOnLanes).
    on = b_.CreateAnd(b_.CreateLoad(boolType(), active), b_.CreateFreeze(on));
    b_.CreateStore(on, active);
  }
  b_.CreateCondBr(any(on), body, exit);

  b_.SetInsertPoint(body);
  if (active) mask_ = on;
  exec(s.body);
  llvm::Value *n = b_.CreateAdd(b_.CreateLoad(t_.i64, count), b_.getInt64(1));
  b_.CreateStore(n, count);
  b_.CreateCondBr(b_.CreateICmpUGE(n, b_.getInt64(kMaxLoopIterations)), stop, guard,
                  llvm::MDBuilder(c).createBranchWeights(1, 1000000));

  b_.SetInsertPoint(stop);
  reportError(active ? b_.CreateLoad(boolType(), active) : nullptr, RV_ERROR_LOOP);
  b_.CreateBr(exit);

  b_.SetInsertPoint(guard);
  b_.CreateBr(header);
  mask_ = outer;
  b_.SetInsertPoint(exit);
}

}  // namespace ranvier::codegen
