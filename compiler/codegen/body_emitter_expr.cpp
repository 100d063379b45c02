// Expressions: each evaluates to one value per lane.
#include <functional>
#include <stdexcept>

#include <llvm/IR/Intrinsics.h>

#include "codegen/body_emitter.hpp"

namespace ranvier::codegen {

llvm::Value *BodyEmitter::evalReal(const ir::Expr &e) {
  llvm::Value *v = eval(e);
  if (v->getType()->getScalarType()->isIntegerTy(1)) return b_.CreateUIToFP(v, realType());
  return v;
}

llvm::Value *BodyEmitter::evalBool(const ir::Expr &e) {
  llvm::Value *v = eval(e);
  if (v->getType()->getScalarType()->isDoubleTy()) return b_.CreateFCmpUNE(v, constant(0));
  return v;
}

llvm::Value *BodyEmitter::value(const ir::Expr &e) { return evalReal(e); }

llvm::Value *BodyEmitter::math(ir::MathFn fn, const std::vector<llvm::Value *> &args) {
  using llvm::Intrinsic::ID;
  auto intrinsic = [&](ID id) { return b_.CreateIntrinsic(id, {realType()}, args); };
  switch (fn) {
  case ir::MathFn::Sqrt: return intrinsic(llvm::Intrinsic::sqrt);
  case ir::MathFn::Fabs: return intrinsic(llvm::Intrinsic::fabs);
  case ir::MathFn::Floor: return intrinsic(llvm::Intrinsic::floor);
  case ir::MathFn::Ceil: return intrinsic(llvm::Intrinsic::ceil);
  case ir::MathFn::Fmin: return intrinsic(llvm::Intrinsic::minnum);  // C fmin: a NaN operand loses
  case ir::MathFn::Fmax: return intrinsic(llvm::Intrinsic::maxnum);
  case ir::MathFn::Fmod: return b_.CreateFRem(args[0], args[1]);     // C fmod
  case ir::MathFn::Exp: {  // NEURON's hoc_Exp (ir::kExpLimit)
    llvm::Value *x = args[0];
    llvm::Value *clamped = b_.CreateSelect(b_.CreateFCmpOGT(x, constant(ir::kExpLimit)), constant(ir::kExpLimit), x);
    llvm::Value *e = fastVectorMath() ? exponential(clamped) : libraryMath(fn, {clamped});
    return b_.CreateSelect(b_.CreateFCmpOLT(x, constant(-ir::kExpLimit)), constant(0), e);
  }
  case ir::MathFn::Log:
    if (fastVectorMath()) return logarithm(args[0]);
    break;
  default: break;
  }
  return libraryMath(fn, args);
}

llvm::Value *BodyEmitter::libraryMath(ir::MathFn fn, const std::vector<llvm::Value *> &args) {
  llvm::Function *f = mc_.libraryFunction(fn, width_);
  if (f == nullptr) throw std::logic_error("no library function for a math call");
  return b_.CreateCall(f, args);
}

llvm::Value *BodyEmitter::load(ir::VarId id, const ir::ExprRef &index, bool inRange) {
  const ir::Variable &v = mc_.mech.variables[id];
  if (v.storage == ir::Storage::Local || v.storage == ir::Storage::Param) {
    llvm::AllocaInst *slot = localSlot(id);
    auto *type = slot->getAllocatedType();
    std::uint32_t k = 0;
    if (constantElement(index, v.size, k)) {
      return b_.CreateLoad(realType(), b_.CreateConstInBoundsGEP2_32(type, slot, 0, k));
    }
    // Lanes may pick different elements: assemble the value lane by lane.
    llvm::Value *e = element(index, v.size, inRange);
    if (width_ == 1) return b_.CreateLoad(t_.f64, b_.CreateInBoundsGEP(type, slot, {b_.getInt32(0), e}));
    llvm::Value *out = llvm::PoisonValue::get(realType());
    for (unsigned lane_k = 0; lane_k < width_; ++lane_k) {
      llvm::Value *row = b_.CreateLoad(realType(), b_.CreateInBoundsGEP(type, slot, {b_.getInt32(0), lane(e, lane_k)}));
      out = b_.CreateInsertElement(out, lane(row, lane_k), std::uint64_t{lane_k});
    }
    return out;
  }

  const VariableSlot &s = mc_.layout.variables[id];
  std::uint32_t k = 0;
  const bool known = constantElement(index, v.size, k);
  switch (v.storage) {
  case ir::Storage::Field:
    if (known) {  // contiguous lanes
      llvm::Value *offset = b_.CreateAdd(b_.CreateMul(b_.getInt32(k), hoistedCapacity()), base_);
      llvm::Value *at = b_.CreateInBoundsGEP(t_.f64, fieldBase(s.slot), offset);
      // Lanes past the end may be another thread's instances: not even read.
      if (entryMask_ != nullptr) {
        return tagged(b_.CreateMaskedLoad(realType(), at, llvm::Align(8), entryMask_, llvm::PoisonValue::get(realType())), id);
      }
      return tagged(b_.CreateAlignedLoad(realType(), at, llvm::Align(8)), id);
    }
    break;
  case ir::Storage::Global:
  case ir::Storage::Table:
  case ir::Storage::Thread:
  case ir::Storage::Builtin:
    if (known) {  // one value for all lanes
      if (width_ > 1 && v.storage != ir::Storage::Thread) {
        // Vector kernels never write shared storage (vectorizable.cpp): read it once,
        // before the loop over blocks.
        const std::string key = "uniform " + std::to_string(id) + "." + std::to_string(k);
        if (auto it = hoisted_.find(key); it != hoisted_.end()) return it->second;
        llvm::Value *at = uniformAddress(id, k);
        llvm::Value *value = tagged(entry_.CreateAlignedLoad(t_.f64, at, llvm::Align(8)), id);
        return hoisted_[key] = entry_.CreateVectorSplat(width_, value);
      }
      llvm::Value *at = addresses(id, b_.getInt32(k));
      return splat(tagged(b_.CreateAlignedLoad(t_.f64, at, llvm::Align(8)), id));
    }
    break;
  case ir::Storage::Node:
  case ir::Storage::Ion:
    if (known && k == 0 && consecutive_) return tagged(b_.CreateAlignedLoad(realType(), consecutiveAddress(id), llvm::Align(8)), id);
    break;
  default: break;
  }
  // A gather: every lane has its own address.
  llvm::Value *e = known ? static_cast<llvm::Value *>(b_.getInt32(k)) : element(index, v.size, inRange);
  llvm::Value *pointers = addresses(id, e);
  if (width_ > 1 && !pointers->getType()->isVectorTy()) return splat(gather(pointers, id));
  return gather(pointers, id);
}

// A FUNCTION_TABLE through rv_callbacks.function_table, its arguments in a stack array.
// Kernels that read tables are scalar (vectorizable.cpp).
llvm::Value *BodyEmitter::lookUpTable(const ir::Expr &e) {
  if (width_ != 1) throw std::logic_error("a FUNCTION_TABLE in a vector kernel");
  auto *type = llvm::ArrayType::get(t_.f64, e.args.size());
  llvm::AllocaInst *args = entry_.CreateAlloca(type, nullptr, "table_args");
  for (std::size_t i = 0; i < e.args.size(); ++i) {
    b_.CreateStore(evalReal(*e.args[i]), b_.CreateConstInBoundsGEP2_32(type, args, 0, static_cast<unsigned>(i)));
  }
  return b_.CreateCall(mc_.lookupTable, {p_, base_, b_.getInt32(static_cast<std::int32_t>(e.kernel)), args});
}

llvm::Value *BodyEmitter::callKernel(std::uint32_t kernel, const std::vector<ir::ExprRef> &args) {
  if (width_ != 1) throw std::logic_error("a call in a vector kernel");
  llvm::Function *callee = mc_.callees.at(kernel);
  if (callee == nullptr) throw std::logic_error("call to a kernel that is not callable");
  std::vector<llvm::Value *> values{p_, base_, b_.CreateAdd(depth_, b_.getInt32(1))};
  for (const ir::ExprRef &a : args) values.push_back(evalReal(*a));
  // Missing arguments are 0 (the interpreter's rule); extra ones are dropped.
  while (values.size() < callee->arg_size()) values.push_back(constant(0));
  values.resize(callee->arg_size());
  return b_.CreateCall(callee, values);
}

// Fast kernels: (x/t)/(y/t) is x/y, with a minus sign on the numerator or the
// denominator carried along. cnexp's -(inf/tau)/(-1/tau) (-a/b of x' = a + b x) becomes
// inf, as algebra says, instead of three divisions. `x` and `y` are the new numerator
// and denominator (a negation of x is made in place: null then; see below).
bool BodyEmitter::commonDivisor(const ir::Expr &e, const ir::Expr *&x, const ir::Expr *&y) {
  auto quotient = [](const ir::Expr &q, bool &negated) -> const ir::Expr * {
    negated = q.op == ir::Op::Neg;
    const ir::Expr &inner = negated ? *q.args[0] : q;
    return inner.op == ir::Op::Div ? &inner : nullptr;
  };
  bool negateA = false, negateB = false;
  const ir::Expr *a = quotient(*e.args[0], negateA), *b = quotient(*e.args[1], negateB);
  if (a == nullptr || b == nullptr || !ir::sameExpr(*a->args[1], *b->args[1])) return false;
  std::function<bool(const ir::Expr &)> calls = [&](const ir::Expr &t) {
    if (t.op == ir::Op::Call) return true;
    for (const ir::ExprRef &arg : t.args) {
      if (arg && calls(*arg)) return true;
    }
    return false;
  };
  if (calls(*a->args[1])) return false;  // a FUNCTION call may have effects: evaluated as written
  // Only the simple, common case: no signs to carry, or both, or a sign on a constant.
  if (negateA != negateB && !b->args[0]->isConst()) return false;
  x = a->args[0].get();
  y = b->args[0].get();
  if (negateA != negateB) {
    negatedConstant_ = ir::constant(-b->args[0]->value);
    y = negatedConstant_.get();
  }
  return true;
}

llvm::Value *BodyEmitter::eval(const ir::Expr &e) {
  auto real = [&](std::size_t i) { return evalReal(*e.args[i]); };
  auto cond = [&](std::size_t i) { return evalBool(*e.args[i]); };
  switch (e.op) {
  case ir::Op::Const:
    return e.type == ir::Type::Bool ? llvm::ConstantInt::get(boolType(), e.value != 0) : constant(e.value);
  case ir::Op::Var: return load(e.var, e.args.empty() ? nullptr : e.args[0], e.indexInRange);
  case ir::Op::Neg: return b_.CreateFNeg(real(0));
  case ir::Op::Not: return b_.CreateNot(cond(0));
  case ir::Op::Add: return b_.CreateFAdd(real(0), real(1));
  case ir::Op::Sub: return b_.CreateFSub(real(0), real(1));
  case ir::Op::Mul: return b_.CreateFMul(real(0), real(1));
  case ir::Op::Div:
    if (const ir::Expr *x = nullptr, *y = nullptr; mc_.fast() && commonDivisor(e, x, y)) {
      return divide(evalReal(*x), evalReal(*y));  // (x/t)/(y/t) = x/y
    }
    return divide(real(0), real(1));
  case ir::Op::Pow: return math(ir::MathFn::Pow, {real(0), real(1)});
  case ir::Op::Lt: return b_.CreateFCmpOLT(real(0), real(1));
  case ir::Op::Le: return b_.CreateFCmpOLE(real(0), real(1));
  case ir::Op::Gt: return b_.CreateFCmpOGT(real(0), real(1));
  case ir::Op::Ge: return b_.CreateFCmpOGE(real(0), real(1));
  case ir::Op::Eq: return b_.CreateFCmpOEQ(real(0), real(1));
  case ir::Op::Ne: return b_.CreateFCmpUNE(real(0), real(1));
  case ir::Op::And: return b_.CreateAnd(cond(0), cond(1));
  case ir::Op::Or: return b_.CreateOr(cond(0), cond(1));
  case ir::Op::Select: {
    llvm::Value *c = cond(0);
    if (e.type == ir::Type::Bool) return b_.CreateSelect(c, cond(1), cond(2));
    return b_.CreateSelect(c, real(1), real(2));
  }
  case ir::Op::Math: {
    std::vector<llvm::Value *> args;
    for (std::size_t i = 0; i < e.args.size(); ++i) args.push_back(real(i));
    return math(e.fn, args);
  }
  case ir::Op::Call: return callKernel(e.kernel, e.args);
  case ir::Op::TableCall: return lookUpTable(e);
  }
  throw std::logic_error("unknown expression");
}

}  // namespace ranvier::codegen
