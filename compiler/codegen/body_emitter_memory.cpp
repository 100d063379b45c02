// Lanes, masks and addresses for the body emitter.
#include <cmath>
#include <set>
#include <stdexcept>

#include <llvm/IR/MDBuilder.h>

#include "codegen/body_emitter.hpp"
#include "ranvier/mechanism_abi.h"

namespace ranvier::codegen {

BodyEmitter::BodyEmitter(ModuleContext &mc, llvm::Function &function, unsigned width, llvm::Value *p,
                         llvm::Value *depth)
    : mc_(mc), t_(mc.types), fn_(function), width_(width), b_(function.getContext()),
      entry_(function.getEntryBlock().getTerminator()), prologue_(function.getContext()), p_(p), depth_(depth) {
  if (mc.fast()) {
    // Fast kernels: x / c may become x * (1/c), a*b + c may become one FMA, math
    // functions may be approximated. Not nnan/ninf: NaN tests (TABLE lookups) stay.
    llvm::FastMathFlags flags;
    flags.setAllowReciprocal();
    flags.setAllowContract();
    flags.setApproxFunc();
    b_.setFastMathFlags(flags);
  }
}

llvm::Type *BodyEmitter::realType() const {
  return width_ == 1 ? t_.f64 : static_cast<llvm::Type *>(llvm::FixedVectorType::get(t_.f64, width_));
}
llvm::Type *BodyEmitter::boolType() const {
  return width_ == 1 ? t_.i1 : static_cast<llvm::Type *>(llvm::FixedVectorType::get(t_.i1, width_));
}

llvm::Value *BodyEmitter::splat(llvm::Value *scalar) {
  return width_ == 1 ? scalar : b_.CreateVectorSplat(width_, scalar);
}

llvm::Value *BodyEmitter::constant(double value) { return llvm::ConstantFP::get(realType(), value); }

llvm::Value *BodyEmitter::any(llvm::Value *mask) { return width_ == 1 ? mask : b_.CreateOrReduce(mask); }

llvm::Value *BodyEmitter::activeMask() {
  return mask_ != nullptr ? mask_ : llvm::ConstantInt::getTrue(boolType());
}

llvm::Value *BodyEmitter::lane(llvm::Value *vector, unsigned k) {
  return width_ == 1 ? vector : b_.CreateExtractElement(vector, std::uint64_t{k});
}

llvm::Value *BodyEmitter::instanceOf(unsigned k) { return k == 0 ? base_ : b_.CreateAdd(base_, b_.getInt32(k)); }

void BodyEmitter::forEachLane(llvm::Value *mask, const std::function<void(unsigned)> &f) {
  if (mask != nullptr && width_ > 1) {
    // Usually every lane is on: then the lanes go without a branch each.
    auto *all = llvm::BasicBlock::Create(b_.getContext(), "lanes.all", &fn_);
    auto *some = llvm::BasicBlock::Create(b_.getContext(), "lanes.some", &fn_);
    auto *join = llvm::BasicBlock::Create(b_.getContext(), "lanes.end", &fn_);
    b_.CreateCondBr(b_.CreateAndReduce(mask), all, some);
    b_.SetInsertPoint(all);
    for (unsigned k = 0; k < width_; ++k) f(k);
    b_.CreateBr(join);
    b_.SetInsertPoint(some);
    forEachLaneOf(mask, f);
    b_.CreateBr(join);
    b_.SetInsertPoint(join);
    return;
  }
  forEachLaneOf(mask, f);
}

void BodyEmitter::forEachLaneOf(llvm::Value *mask, const std::function<void(unsigned)> &f) {
  for (unsigned k = 0; k < width_; ++k) {
    if (mask == nullptr) {
      f(k);
      continue;
    }
    auto *on = llvm::BasicBlock::Create(b_.getContext(), "lane.on", &fn_);
    auto *next = llvm::BasicBlock::Create(b_.getContext(), "lane.next", &fn_);
    b_.CreateCondBr(lane(mask, k), on, next);
    b_.SetInsertPoint(on);
    f(k);
    b_.CreateBr(next);
    b_.SetInsertPoint(next);
  }
}

llvm::Value *BodyEmitter::entryLoad(llvm::Type *type, llvm::Value *pointer) {
  return tagged(entry_.CreateLoad(type, pointer), "pointers");
}

llvm::Value *BodyEmitter::tagged(llvm::Value *access, const char *what) {
  llvm::cast<llvm::Instruction>(access)->setMetadata(llvm::LLVMContext::MD_tbaa, mc_.aliasTag(what));
  return access;
}

llvm::Value *BodyEmitter::tagged(llvm::Value *access, ir::VarId id) {
  const VariableSlot &s = mc_.layout.variables[id];
  std::string what;
  switch (mc_.mech.variables[id].storage) {
  case ir::Storage::Field: what = "field " + std::to_string(s.slot); break;
  case ir::Storage::Node: what = "node " + std::to_string(s.quantity); break;
  case ir::Storage::Ion: what = "ion " + std::to_string(s.slot); break;
  case ir::Storage::Global:
  case ir::Storage::Table: what = "globals"; break;
  case ir::Storage::Thread: what = "thread"; break;
  case ir::Storage::Builtin: what = "pointers"; break;  // members of rv_instances
  default: return access;
  }
  llvm::cast<llvm::Instruction>(access)->setMetadata(llvm::LLVMContext::MD_tbaa, mc_.aliasTag(what));
  return access;
}

llvm::Value *BodyEmitter::fieldBase(std::int32_t slot) {
  const std::string key = "field" + std::to_string(slot);
  if (auto it = hoisted_.find(key); it != hoisted_.end()) return it->second;
  llvm::Value *fields = entryLoad(t_.ptr, entry_.CreateStructGEP(t_.instances, p_, AbiTypes::Fields));
  llvm::Value *base = entryLoad(t_.ptr, entry_.CreateConstInBoundsGEP1_64(t_.ptr, fields, slot));
  return hoisted_[key] = base;
}

llvm::Value *BodyEmitter::nodeBase(std::int32_t quantity) {
  const std::string key = "node" + std::to_string(quantity);
  if (auto it = hoisted_.find(key); it != hoisted_.end()) return it->second;
  llvm::Value *array = entry_.CreateStructGEP(t_.instances, p_, AbiTypes::Node);
  llvm::Value *base = entryLoad(t_.ptr, entry_.CreateConstInBoundsGEP1_64(t_.ptr, array, quantity));
  return hoisted_[key] = base;
}

llvm::Value *BodyEmitter::ionValues(std::int32_t slot) {
  const std::string key = "ion" + std::to_string(slot);
  if (auto it = hoisted_.find(key); it != hoisted_.end()) return it->second;
  llvm::Value *values = entryLoad(t_.ptr, entry_.CreateStructGEP(t_.instances, p_, AbiTypes::IonValues));
  llvm::Value *base = entryLoad(t_.ptr, entry_.CreateConstInBoundsGEP1_64(t_.ptr, values, slot));
  return hoisted_[key] = base;
}

// The addresses a POINTER holds for this block's lanes: pointers[slot][instance].
llvm::Value *BodyEmitter::pointerTargets(std::int32_t slot) {
  const std::string key = "pointers" + std::to_string(slot);
  llvm::Value *array = nullptr;
  if (auto it = hoisted_.find(key); it != hoisted_.end()) {
    array = it->second;
  } else {
    llvm::Value *slots = entryLoad(t_.ptr, entry_.CreateStructGEP(t_.instances, p_, AbiTypes::Pointers));
    array = hoisted_[key] = entryLoad(t_.ptr, entry_.CreateConstInBoundsGEP1_64(t_.ptr, slots, slot));
  }
  llvm::Value *at = b_.CreateInBoundsGEP(t_.ptr, array, base_);
  if (width_ == 1) return tagged(b_.CreateAlignedLoad(t_.ptr, at, llvm::Align(8)), "pointer addresses");
  // Lanes past the end are not read (they may be another thread's instances); their
  // addresses are null and never used, since gathers and stores go by the lanes' mask.
  auto *type = llvm::FixedVectorType::get(t_.ptr, width_);
  if (entryMask_ != nullptr) {
    return tagged(b_.CreateMaskedLoad(type, at, llvm::Align(8), entryMask_, llvm::Constant::getNullValue(type)), "pointer addresses");
  }
  return tagged(b_.CreateAlignedLoad(type, at, llvm::Align(8)), "pointer addresses");
}

// The i32 entries of an index array (node_index or an ion_index) for this block's
// lanes, loaded in the prologue so that they dominate every use.
llvm::Value *BodyEmitter::indexVector(llvm::Value *indexArray) {
  if (auto it = indexVectors_.find(indexArray); it != indexVectors_.end()) return it->second;
  llvm::Value *at = prologue_.CreateInBoundsGEP(t_.i32, indexArray, base_);
  llvm::Value *indices = nullptr;
  if (width_ == 1) {
    indices = tagged(prologue_.CreateAlignedLoad(t_.i32, at, llvm::Align(4)), "index");
  } else {
    // Index arrays hold `count` entries: lanes past the end (off in the entry mask)
    // take lane 0's index, which exists.
    auto *type = llvm::FixedVectorType::get(t_.i32, width_);
    llvm::Value *first =
        prologue_.CreateVectorSplat(width_, tagged(prologue_.CreateAlignedLoad(t_.i32, at, llvm::Align(4)), "index"));
    indices = entryMask_ == nullptr ? static_cast<llvm::Value *>(prologue_.CreateAlignedLoad(type, at, llvm::Align(4)))
                                    : prologue_.CreateMaskedLoad(type, at, llvm::Align(4), entryMask_, first);
    tagged(indices, "index");
  }
  return indexVectors_[indexArray] = indices;
}

llvm::Value *BodyEmitter::firstIndex(llvm::Value *indexArray) {
  if (auto it = firstIndices_.find(indexArray); it != firstIndices_.end()) return it->second;
  llvm::Value *at = prologue_.CreateInBoundsGEP(t_.i32, indexArray, base_);
  return firstIndices_[indexArray] = tagged(prologue_.CreateAlignedLoad(t_.i32, at, llvm::Align(4)), "index");
}

llvm::Value *BodyEmitter::consecutiveAddress(ir::VarId id) {
  const VariableSlot &s = mc_.layout.variables[id];
  if (mc_.mech.variables[id].storage == ir::Storage::Node) {
    return b_.CreateInBoundsGEP(t_.f64, nodeBase(s.quantity), firstIndex(nodeIndexArray()));
  }
  return b_.CreateInBoundsGEP(t_.f64, ionValues(s.slot), firstIndex(ionIndexArray(s.ion)));
}

namespace {
// The node and ion index arrays a body reads or writes values through.
void collectIndexUse(const ir::Mechanism &m, const Layout &layout, const ir::Expr &e, bool &node, std::set<std::int32_t> &ions) {
  if (e.op == ir::Op::Var) {
    const ir::Storage storage = m.variables[e.var].storage;
    if (storage == ir::Storage::Node) node = true;
    if (storage == ir::Storage::Ion) ions.insert(layout.variables[e.var].ion);
  }
  for (const ir::ExprRef &a : e.args) {
    if (a) collectIndexUse(m, layout, *a, node, ions);
  }
}

void collectIndexUse(const ir::Mechanism &m, const Layout &layout, const ir::Body &body, bool &node, std::set<std::int32_t> &ions) {
  for (const ir::Stmt &s : body) {
    if (s.kind == ir::StmtKind::Assign || s.kind == ir::StmtKind::Random) {
      const ir::Storage storage = m.variables[s.target].storage;
      if (storage == ir::Storage::Node) node = true;
      if (storage == ir::Storage::Ion) ions.insert(layout.variables[s.target].ion);
    }
    for (const ir::ExprRef *e : {&s.index, &s.value, &s.flag}) {
      if (*e) collectIndexUse(m, layout, **e, node, ions);
    }
    for (const ir::ExprRef &a : s.args) {
      if (a) collectIndexUse(m, layout, *a, node, ions);
    }
    if (s.system) {
      for (const ir::ExprRef &e : s.system->matrix) {
        if (e) collectIndexUse(m, layout, *e, node, ions);
      }
      for (const ir::ExprRef &e : s.system->rhs) {
        if (e) collectIndexUse(m, layout, *e, node, ions);
      }
    }
    collectIndexUse(m, layout, s.body, node, ions);
    collectIndexUse(m, layout, s.otherwise, node, ions);
  }
}
}  // namespace

llvm::Value *BodyEmitter::contiguityTest(const ir::Kernel &kernel, llvm::Value *base) {
  bool node = false;
  std::set<std::int32_t> ions;
  collectIndexUse(mc_.mech, mc_.layout, kernel.body, node, ions);
  std::vector<llvm::Value *> arrays;
  if (node) arrays.push_back(nodeIndexArray());
  for (std::int32_t ion : ions) arrays.push_back(ionIndexArray(ion));
  if (arrays.empty()) return nullptr;
  auto *type = llvm::FixedVectorType::get(t_.i32, width_);
  std::vector<llvm::Constant *> steps;
  for (unsigned k = 0; k < width_; ++k) steps.push_back(b_.getInt32(k));
  llvm::Value *all = nullptr;
  for (llvm::Value *array : arrays) {
    llvm::Value *at = b_.CreateInBoundsGEP(t_.i32, array, base);
    llvm::Value *entries = tagged(b_.CreateAlignedLoad(type, at, llvm::Align(4)), "index");
    llvm::Value *first = tagged(b_.CreateAlignedLoad(t_.i32, at, llvm::Align(4)), "index");
    llvm::Value *expected = b_.CreateAdd(b_.CreateVectorSplat(width_, first), llvm::ConstantVector::get(steps));
    llvm::Value *same = b_.CreateAndReduce(b_.CreateICmpEQ(entries, expected));
    all = all == nullptr ? same : b_.CreateAnd(all, same);
  }
  return all;
}

// A condition about to be combined with `mask` (null: every lane on). In a masked tail
// the switched-off lanes of masked loads and gathers are poison, and so is any condition
// computed from them; `and false, poison` is poison too, and a branch on any() of it
// would be undefined behaviour. Frozen, those lanes hold some fixed value instead, which
// the mask then discards. The loads keep their poison lanes (a defined pass-through
// such as 0 changed fast kernels' contraction in tails, so a set's result depended on
// its position in a chunk); LLVM may move the freeze onto the tested value, which
// changes no active lane (the Liu sweep CSVs are byte-identical).
llvm::Value *BodyEmitter::definedOnLanes(llvm::Value *mask, llvm::Value *condition) {
  return mask == nullptr ? condition : b_.CreateFreeze(condition);
}

llvm::Value *BodyEmitter::gather(llvm::Value *pointers, ir::VarId id) {
  if (!pointers->getType()->isVectorTy()) return tagged(b_.CreateAlignedLoad(t_.f64, pointers, llvm::Align(8)), id);
  return tagged(b_.CreateMaskedGather(realType(), pointers, llvm::Align(8), entryMask_), id);
}

llvm::AllocaInst *BodyEmitter::localSlot(ir::VarId id) {
  if (auto it = locals_.find(id); it != locals_.end()) return it->second;
  const ir::Variable &v = mc_.mech.variables[id];
  auto *type = llvm::ArrayType::get(realType(), v.size);
  auto *slot = entry_.CreateAlloca(type, nullptr, v.name);
  entry_.CreateStore(llvm::Constant::getNullValue(type), slot);
  return locals_[id] = slot;
}

bool BodyEmitter::constantElement(const ir::ExprRef &index, std::uint32_t size, std::uint32_t &out) {
  if (!index) {
    out = 0;
    return true;
  }
  if (!index->isConst()) return false;
  const double x = index->value;
  if (!(x >= 0) || x >= static_cast<double>(size)) return false;  // reported at run time
  out = static_cast<std::uint32_t>(x);
  return true;
}

llvm::Value *BodyEmitter::element(const ir::ExprRef &index, std::uint32_t size, bool inRange) {
  llvm::Type *i32s = width_ == 1 ? t_.i32 : static_cast<llvm::Type *>(llvm::FixedVectorType::get(t_.i32, width_));
  std::uint32_t known = 0;
  if (constantElement(index, size, known)) return llvm::ConstantInt::get(i32s, known);
  if (inRange) {
    // A TABLE's point i + 1 as (point i) + 1: one conversion for both ends, and the 1
    // folds into the address.
    if (index->op == ir::Op::Add && index->args[1]->isConst() && index->args[1]->value >= 0 &&
        index->args[1]->value < size && index->args[1]->value == std::floor(index->args[1]->value)) {
      const auto k = static_cast<std::uint64_t>(index->args[1]->value);
      return b_.CreateAdd(element(index->args[0], size, true), llvm::ConstantInt::get(i32s, k), "", true, true);
    }
    return b_.CreateFPToSI(evalReal(*index), i32s);
  }
  llvm::Value *x = evalReal(*index);
  llvm::Value *inside = b_.CreateAnd(b_.CreateFCmpOGE(x, constant(0)), b_.CreateFCmpOLT(x, constant(size)));
  // Lanes with a bad index are remembered and reported once, when the body ends: no
  // branch here, so that neighbouring table lookups stay in one block.
  llvm::Value *outside = b_.CreateNot(inside);
  if (mask_ != nullptr) outside = b_.CreateAnd(definedOnLanes(mask_, outside), mask_);
  if (badIndex_ == nullptr) {
    badIndex_ = entry_.CreateAlloca(boolType(), nullptr, "bad.index");
    prologue_.CreateStore(llvm::Constant::getNullValue(boolType()), badIndex_);
  }
  b_.CreateStore(b_.CreateOr(b_.CreateLoad(boolType(), badIndex_), outside), badIndex_);
  // fptosi of an out-of-range value is poison, which the select never picks.
  return b_.CreateSelect(inside, b_.CreateFPToSI(x, i32s), llvm::ConstantInt::get(i32s, 0));
}

// The addresses of element `element` (i32, or one per lane) of a stored variable: one
// pointer with one lane, else a vector of pointers built by a single GEP.
llvm::Value *BodyEmitter::addresses(ir::VarId id, llvm::Value *element) {
  const ir::Variable &v = mc_.mech.variables[id];
  const VariableSlot &s = mc_.layout.variables[id];
  auto lanesOf = [&](llvm::Value *x) { return width_ > 1 && !x->getType()->isVectorTy() ? splat(x) : x; };
  switch (v.storage) {
  case ir::Storage::Field: {
    llvm::Value *rows = b_.CreateMul(lanesOf(element), lanesOf(hoistedCapacity()));
    return b_.CreateInBoundsGEP(t_.f64, fieldBase(s.slot), b_.CreateAdd(rows, instances()));
  }
  case ir::Storage::Node: return b_.CreateInBoundsGEP(t_.f64, nodeBase(s.quantity), indexVector(nodeIndexArray()));
  case ir::Storage::Ion:
    return b_.CreateInBoundsGEP(t_.f64, ionValues(s.slot), indexVector(ionIndexArray(s.ion)));
  // From the variable's first element (a pointer made once), so that the variables of
  // one array of slots share the lanes' element numbers (a TABLE's columns: one index
  // vector for all of them) and the slot becomes part of the address.
  case ir::Storage::Global:
  case ir::Storage::Table:
    return b_.CreateInBoundsGEP(t_.f64, entry_.CreateConstInBoundsGEP1_64(t_.f64, globalsBase(), static_cast<std::uint64_t>(s.slot)), element);
  case ir::Storage::Thread:
    return b_.CreateInBoundsGEP(t_.f64, entry_.CreateConstInBoundsGEP1_64(t_.f64, threadBase(), static_cast<std::uint64_t>(s.slot)), element);
  case ir::Storage::Builtin: return b_.CreateStructGEP(t_.instances, p_, builtinField(s.quantity));
  case ir::Storage::Pointer: return pointerTargets(s.slot);
  case ir::Storage::Local:
  case ir::Storage::Param: break;
  }
  throw std::logic_error("address of a local");
}

// The rv_instances member of a builtin (rv_builtin).
unsigned BodyEmitter::builtinField(std::int32_t quantity) {
  switch (quantity) {
  case RV_BUILTIN_T: return AbiTypes::T;
  case RV_BUILTIN_DT: return AbiTypes::Dt;
  case RV_BUILTIN_CELSIUS: return AbiTypes::Celsius;
  case RV_BUILTIN_SECONDORDER: return AbiTypes::SecondOrder;
  default: throw std::logic_error("unknown builtin quantity");
  }
}

// The address of element k of a global, table or builtin, computed in the entry block.
llvm::Value *BodyEmitter::uniformAddress(ir::VarId id, std::uint32_t k) {
  const ir::Variable &v = mc_.mech.variables[id];
  const VariableSlot &s = mc_.layout.variables[id];
  if (v.storage == ir::Storage::Builtin) return entry_.CreateStructGEP(t_.instances, p_, builtinField(s.quantity));
  return entry_.CreateConstInBoundsGEP1_64(t_.f64, globalsBase(), static_cast<std::uint64_t>(s.slot) + k);
}

// base + <0, 1, ..., width-1> (the instances of the lanes), made in the prologue.
llvm::Value *BodyEmitter::instances() {
  if (instances_ == nullptr) {
    if (width_ == 1) return instances_ = base_;
    std::vector<llvm::Constant *> steps;
    for (unsigned k = 0; k < width_; ++k) steps.push_back(prologue_.getInt32(k));
    instances_ = prologue_.CreateAdd(prologue_.CreateVectorSplat(width_, base_), llvm::ConstantVector::get(steps));
  }
  return instances_;
}

llvm::Value *BodyEmitter::hoistedCapacity() {
  if (auto it = hoisted_.find("capacity"); it != hoisted_.end()) return it->second;
  return hoisted_["capacity"] = entryLoad(t_.i32, entry_.CreateStructGEP(t_.instances, p_, AbiTypes::Capacity));
}

llvm::Value *BodyEmitter::globalsBase() {
  if (auto it = hoisted_.find("globals"); it != hoisted_.end()) return it->second;
  return hoisted_["globals"] = entryLoad(t_.ptr, entry_.CreateStructGEP(t_.instances, p_, AbiTypes::Globals));
}

llvm::Value *BodyEmitter::threadBase() {
  if (auto it = hoisted_.find("thread"); it != hoisted_.end()) return it->second;
  return hoisted_["thread"] = entryLoad(t_.ptr, entry_.CreateStructGEP(t_.instances, p_, AbiTypes::Thread));
}

llvm::Value *BodyEmitter::nodeIndexArray() {
  if (auto it = hoisted_.find("node_index"); it != hoisted_.end()) return it->second;
  return hoisted_["node_index"] = entryLoad(t_.ptr, entry_.CreateStructGEP(t_.instances, p_, AbiTypes::NodeIndex));
}

llvm::Value *BodyEmitter::ionIndexArray(std::int32_t ion) {
  const std::string key = "ion_index" + std::to_string(ion);
  if (auto it = hoisted_.find(key); it != hoisted_.end()) return it->second;
  llvm::Value *arrays = entryLoad(t_.ptr, entry_.CreateStructGEP(t_.instances, p_, AbiTypes::IonIndex));
  return hoisted_[key] = entryLoad(t_.ptr, entry_.CreateConstInBoundsGEP1_64(t_.ptr, arrays, ion));
}

}  // namespace ranvier::codegen
