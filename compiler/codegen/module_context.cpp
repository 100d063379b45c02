#include "codegen/module_context.hpp"

#include <stdexcept>

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/MDBuilder.h>

namespace ranvier::codegen {

namespace {
// libm's name for the math functions that are calls (not intrinsics).
const char *libmName(ir::MathFn fn) {
  switch (fn) {
  case ir::MathFn::Exp: return "exp";
  case ir::MathFn::Log: return "log";
  case ir::MathFn::Log10: return "log10";
  case ir::MathFn::Sin: return "sin";
  case ir::MathFn::Cos: return "cos";
  case ir::MathFn::Tan: return "tan";
  case ir::MathFn::Asin: return "asin";
  case ir::MathFn::Acos: return "acos";
  case ir::MathFn::Atan: return "atan";
  case ir::MathFn::Atan2: return "atan2";
  case ir::MathFn::Sinh: return "sinh";
  case ir::MathFn::Cosh: return "cosh";
  case ir::MathFn::Tanh: return "tanh";
  case ir::MathFn::Pow: return "pow";
  case ir::MathFn::Erf: return "erf";
  case ir::MathFn::Erfc: return "erfc";
  default: return nullptr;  // intrinsics or instructions
  }
}
}  // namespace

ModuleContext::ModuleContext(llvm::Module &m, const ir::Mechanism &mechanism, const Target &t, KernelMath k)
    : module(m), mech(mechanism), target(t), math(k), layout(layoutOf(mechanism)), types(m.getContext()) {
  reportError = makeReporter("report_error", {types.i32}, AbiTypes::Error);
  reportEvent = makeReporter("report_event", {types.i32, types.f64, types.f64}, AbiTypes::Event);
  reportWatch = makeReporter("report_watch", {types.i32}, AbiTypes::Watch);
  reportErrorLanes = makeLaneReporter();
  drawRandom = makeCallbackCaller("random", types.f64, {types.i32, types.f64, types.f64}, AbiTypes::Random, llvm::ConstantFP::get(types.f64, 0.0));
  netconWeights = makeCallbackCaller("netcon_weights", types.ptr, {types.i32}, AbiTypes::NetconWeights,
                                     llvm::ConstantPointerNull::get(llvm::PointerType::get(m.getContext(), 0)));
  lookupTable = makeCallbackCaller("function_table", types.f64, {types.i32, types.ptr}, AbiTypes::FunctionTable, llvm::ConstantFP::get(types.f64, 0.0));
}

// A private, never-inlined `void name(params...)` of the module.
llvm::Function *ModuleContext::makeHelper(const std::string &what, const std::vector<llvm::Type *> &params) {
  auto *type = llvm::FunctionType::get(types.voidTy, params, false);
  auto *f = llvm::Function::Create(type, llvm::Function::PrivateLinkage, name(what), module);
  f->addFnAttr(llvm::Attribute::NoInline);
  f->addFnAttr(llvm::Attribute::NoUnwind);
  return f;
}

// while (bits) { k = cttz(bits); report_error(p, base + k, code); bits &= bits - 1; }
llvm::Function *ModuleContext::makeLaneReporter() {
  auto *f = makeHelper("report_error_lanes", {types.ptr, types.i32, types.i32, types.i32});
  f->addFnAttr(llvm::Attribute::Cold);
  auto &c = module.getContext();
  auto *entry = llvm::BasicBlock::Create(c, "entry", f);
  auto *check = llvm::BasicBlock::Create(c, "check", f);
  auto *body = llvm::BasicBlock::Create(c, "lane", f);
  auto *done = llvm::BasicBlock::Create(c, "done", f);
  llvm::IRBuilder<> b(entry);
  b.CreateBr(check);
  b.SetInsertPoint(check);
  llvm::PHINode *bits = b.CreatePHI(types.i32, 2);
  bits->addIncoming(f->getArg(2), entry);
  b.CreateCondBr(b.CreateICmpEQ(bits, b.getInt32(0)), done, body);
  b.SetInsertPoint(body);
  llvm::Value *lane = b.CreateIntrinsic(llvm::Intrinsic::cttz, {types.i32}, {bits, b.getTrue()});
  b.CreateCall(reportError, {f->getArg(0), b.CreateAdd(f->getArg(1), lane), f->getArg(3)});
  bits->addIncoming(b.CreateAnd(bits, b.CreateSub(bits, b.getInt32(1))), body);
  b.CreateBr(check);
  b.SetInsertPoint(done);
  b.CreateRetVoid();
  return f;
}

std::string ModuleContext::name(const std::string &what) const { return "rv." + mech.name + "." + what; }

// if (p->callbacks.<field>) p->callbacks.<field>(p->callbacks.context, instance, extra...)
llvm::Function *ModuleContext::makeReporter(const char *what, std::vector<llvm::Type *> extra, unsigned field) {
  std::vector<llvm::Type *> params{types.ptr, types.i32};
  params.insert(params.end(), extra.begin(), extra.end());
  auto *f = makeHelper(what, params);
  auto &c = module.getContext();
  auto *entry = llvm::BasicBlock::Create(c, "entry", f);
  auto *call = llvm::BasicBlock::Create(c, "call", f);
  auto *done = llvm::BasicBlock::Create(c, "done", f);
  llvm::IRBuilder<> b(entry);
  llvm::Value *callbacks = b.CreateStructGEP(types.instances, f->getArg(0), AbiTypes::Callbacks);
  llvm::Value *fn = b.CreateLoad(types.ptr, b.CreateStructGEP(types.callbacks, callbacks, field));
  b.CreateCondBr(b.CreateIsNull(fn), done, call);
  b.SetInsertPoint(call);
  llvm::Value *context = b.CreateLoad(types.ptr, b.CreateStructGEP(types.callbacks, callbacks, AbiTypes::Context));
  std::vector<llvm::Value *> args{context};
  for (unsigned i = 1; i < f->arg_size(); ++i) args.push_back(f->getArg(i));
  std::vector<llvm::Type *> calleeParams{types.ptr};
  calleeParams.insert(calleeParams.end(), params.begin() + 1, params.end());
  b.CreateCall(llvm::FunctionType::get(types.voidTy, calleeParams, false), fn, args);
  b.CreateBr(done);
  b.SetInsertPoint(done);
  b.CreateRetVoid();
  return f;
}

// A private `result name(p, instance, extra...)`: p->callbacks.<field> ?
// p->callbacks.<field>(p->callbacks.context, instance, extra...) : fallback.
llvm::Function *ModuleContext::makeCallbackCaller(const std::string &what, llvm::Type *result, const std::vector<llvm::Type *> &extra,
                                                  unsigned field, llvm::Constant *fallback) {
  std::vector<llvm::Type *> params{types.ptr, types.i32};
  params.insert(params.end(), extra.begin(), extra.end());
  auto *type = llvm::FunctionType::get(result, params, false);
  auto *f = llvm::Function::Create(type, llvm::Function::PrivateLinkage, name(what), module);
  f->addFnAttr(llvm::Attribute::NoInline);
  f->addFnAttr(llvm::Attribute::NoUnwind);
  auto &c = module.getContext();
  auto *entry = llvm::BasicBlock::Create(c, "entry", f);
  auto *call = llvm::BasicBlock::Create(c, "call", f);
  auto *none = llvm::BasicBlock::Create(c, "none", f);
  llvm::IRBuilder<> b(entry);
  llvm::Value *callbacks = b.CreateStructGEP(types.instances, f->getArg(0), AbiTypes::Callbacks);
  llvm::Value *fn = b.CreateLoad(types.ptr, b.CreateStructGEP(types.callbacks, callbacks, field));
  b.CreateCondBr(b.CreateIsNull(fn), none, call);
  b.SetInsertPoint(call);
  std::vector<llvm::Value *> args{b.CreateLoad(types.ptr, b.CreateStructGEP(types.callbacks, callbacks, AbiTypes::Context))};
  for (unsigned k = 1; k < f->arg_size(); ++k) args.push_back(f->getArg(k));
  b.CreateRet(b.CreateCall(type, fn, args));  // the callee's context takes p's place
  b.SetInsertPoint(none);
  b.CreateRet(fallback);
  return f;
}

llvm::MDNode *ModuleContext::aliasTag(const std::string &what) {
  if (auto it = tags_.find(what); it != tags_.end()) return it->second;
  llvm::MDBuilder md(module.getContext());
  if (tbaaRoot_ == nullptr) tbaaRoot_ = md.createTBAARoot("ranvier mechanism memory");
  llvm::MDNode *type = md.createTBAAScalarTypeNode(what, tbaaRoot_);
  return tags_[what] = md.createTBAAStructTagNode(type, type, 0);
}

llvm::Function *ModuleContext::libraryFunction(ir::MathFn fn, unsigned width) {
  const char *scalar = libmName(fn);
  if (scalar == nullptr) return nullptr;
  auto key = std::make_pair(fn, width);
  if (auto it = math_.find(key); it != math_.end()) return it->second;
  const int arity = ir::arity(fn);
  llvm::Type *type = width == 1 ? types.f64 : llvm::FixedVectorType::get(types.f64, width);
  std::string symbol = scalar;
  if (width > 1) {
    if (target.mathIsa == 0) throw std::logic_error("vector math requested for a target without libmvec");
    symbol = target.vectorMathName(scalar, arity);
  }
  auto *ftype = llvm::FunctionType::get(type, std::vector<llvm::Type *>(arity, type), false);
  auto callee = module.getOrInsertFunction(symbol, ftype);
  auto *f = llvm::cast<llvm::Function>(callee.getCallee());
  // Pure as far as generated code is concerned (errno is never read), and safe to
  // compute ahead of the branch that needs it: so LLVM may hoist pow(3, (celsius -
  // 6.3)/10) out of the loop over instances even when it sits in an if.
  f->setDoesNotAccessMemory();
  f->setDoesNotThrow();
  f->addFnAttr(llvm::Attribute::WillReturn);
  f->addFnAttr(llvm::Attribute::Speculatable);
  math_[key] = f;
  return f;
}

}  // namespace ranvier::codegen
