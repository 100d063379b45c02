// solve_linear: Gaussian elimination with partial pivoting, the same operations in the
// same order as the interpreter. Pivot choices differ between lanes, so row swaps are
// selects; a pivot below 1e-20 in magnitude (or NaN) makes the lane's system singular:
// its error is reported and its solution is NaN. Up to kLargestUnrolled unknowns the
// elimination is unrolled for the system's size; larger systems (KINETIC schemes of 20
// and more states, as ModelDB's Markov sodium channels) run it as loops over the matrix
// in memory, whose code grows with n^2 instead of n^3 (an unrolled 30-state scheme was
// 46 MB of IR that LLVM did not compile in 5 minutes). Both do the same arithmetic in
// the same order: the same bits.
#include <cmath>
#include <functional>

#include <llvm/IR/Intrinsics.h>

#include "codegen/body_emitter.hpp"

namespace ranvier::codegen {

namespace {
constexpr std::size_t kLargestUnrolled = 8;
}

void BodyEmitter::solveLinear(const ir::Stmt &s) {
  const ir::LinearSystem &system = *s.system;
  const std::size_t n = system.n;
  if (n > kLargestUnrolled) {
    solveLinearLoops(s);
    return;
  }
  std::vector<llvm::Value *> a(n * n), rhs(n);
  for (std::size_t i = 0; i < n * n; ++i) a[i] = system.matrix[i] ? evalReal(*system.matrix[i]) : constant(0);
  for (std::size_t i = 0; i < n; ++i) rhs[i] = evalReal(*system.rhs[i]);
  auto fabs = [&](llvm::Value *x) { return b_.CreateIntrinsic(llvm::Intrinsic::fabs, {realType()}, {x}); };
  llvm::Type *i32s = width_ == 1 ? t_.i32 : static_cast<llvm::Type *>(llvm::FixedVectorType::get(t_.i32, width_));
  llvm::Value *singular = llvm::ConstantInt::getFalse(boolType());

  for (std::size_t col = 0; col < n; ++col) {
    llvm::Value *pivot = llvm::ConstantInt::get(i32s, col);
    llvm::Value *best = fabs(a[col * n + col]);
    for (std::size_t r = col + 1; r < n; ++r) {
      llvm::Value *candidate = fabs(a[r * n + col]);
      llvm::Value *larger = b_.CreateFCmpOGT(candidate, best);
      pivot = b_.CreateSelect(larger, llvm::ConstantInt::get(i32s, r), pivot);
      best = b_.CreateSelect(larger, candidate, best);
    }
    singular = b_.CreateOr(singular, b_.CreateNot(b_.CreateFCmpOGE(best, constant(1e-20))));
    // Swap row `col` with row `pivot` (in the lanes where they differ).
    std::vector<llvm::Value *> top(a.begin() + static_cast<std::ptrdiff_t>(col * n),
                                   a.begin() + static_cast<std::ptrdiff_t>((col + 1) * n));
    llvm::Value *topRhs = rhs[col];
    for (std::size_t r = col + 1; r < n; ++r) {
      llvm::Value *swap = b_.CreateICmpEQ(pivot, llvm::ConstantInt::get(i32s, r));
      for (std::size_t c = 0; c < n; ++c) {
        top[c] = b_.CreateSelect(swap, a[r * n + c], top[c]);
        a[r * n + c] = b_.CreateSelect(swap, a[col * n + c], a[r * n + c]);
      }
      topRhs = b_.CreateSelect(swap, rhs[r], topRhs);
      rhs[r] = b_.CreateSelect(swap, rhs[col], rhs[r]);
    }
    for (std::size_t c = 0; c < n; ++c) a[col * n + c] = top[c];
    rhs[col] = topRhs;
    // Eliminate below the pivot; a zero factor leaves the row as it is.
    for (std::size_t r = col + 1; r < n; ++r) {
      llvm::Value *factor = b_.CreateFDiv(a[r * n + col], a[col * n + col]);
      llvm::Value *zero = b_.CreateFCmpOEQ(factor, constant(0));
      for (std::size_t c = col; c < n; ++c) {
        llvm::Value *reduced = b_.CreateFSub(a[r * n + c], b_.CreateFMul(factor, a[col * n + c]));
        a[r * n + c] = b_.CreateSelect(zero, a[r * n + c], reduced);
      }
      rhs[r] = b_.CreateSelect(zero, rhs[r], b_.CreateFSub(rhs[r], b_.CreateFMul(factor, rhs[col])));
    }
  }
  std::vector<llvm::Value *> x(n);
  for (std::size_t i = n; i-- > 0;) {
    llvm::Value *sum = rhs[i];
    for (std::size_t c = i + 1; c < n; ++c) sum = b_.CreateFSub(sum, b_.CreateFMul(a[i * n + c], x[c]));
    x[i] = b_.CreateFDiv(sum, a[i * n + i]);
  }
  storeSolution(s, singular, [&](std::uint32_t i) { return x[i]; });
}

// Reports the singular lanes, then stores the solution, NaN in those lanes.
void BodyEmitter::storeSolution(const ir::Stmt &s, llvm::Value *singular, const std::function<llvm::Value *(std::uint32_t)> &x) {
  llvm::Value *outer = mask_;
  llvm::Value *failed = outer ? b_.CreateAnd(outer, definedOnLanes(outer, singular)) : singular;
  auto *bad = llvm::BasicBlock::Create(b_.getContext(), "singular", &fn_);
  auto *done = llvm::BasicBlock::Create(b_.getContext(), "singular.end", &fn_);
  b_.CreateCondBr(any(failed), bad, done);
  b_.SetInsertPoint(bad);
  reportError(width_ == 1 ? nullptr : failed, static_cast<int>(s.index2));
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
  llvm::Value *nan = constant(std::nan(""));
  for (std::uint32_t i = 0; i < s.system->n; ++i) store(s.system->solution[i], nullptr, b_.CreateSelect(singular, nan, x(i)));
}

// for (i = begin; i < end; ++i) body(i), with i an i32 (begin and end may vary).
void BodyEmitter::countedLoop(llvm::Value *begin, llvm::Value *end, const std::function<void(llvm::Value *)> &body) {
  auto &c = b_.getContext();
  llvm::AllocaInst *counter = entry_.CreateAlloca(t_.i32, nullptr, "i");
  b_.CreateStore(begin, counter);
  auto *header = llvm::BasicBlock::Create(c, "loop", &fn_);
  auto *inside = llvm::BasicBlock::Create(c, "loop.body", &fn_);
  auto *exit = llvm::BasicBlock::Create(c, "loop.end", &fn_);
  b_.CreateBr(header);
  b_.SetInsertPoint(header);
  llvm::Value *i = b_.CreateLoad(t_.i32, counter);
  b_.CreateCondBr(b_.CreateICmpSLT(i, end), inside, exit);
  b_.SetInsertPoint(inside);
  body(i);
  b_.CreateStore(b_.CreateAdd(b_.CreateLoad(t_.i32, counter), b_.getInt32(1)), counter);
  b_.CreateBr(header);
  b_.SetInsertPoint(exit);
}

void BodyEmitter::solveLinearLoops(const ir::Stmt &s) {
  const ir::LinearSystem &system = *s.system;
  const auto n = static_cast<std::uint32_t>(system.n);
  llvm::Type *real = realType();
  llvm::AllocaInst *a = entry_.CreateAlloca(real, b_.getInt32(n * n), "matrix");
  llvm::AllocaInst *rhs = entry_.CreateAlloca(real, b_.getInt32(n), "rhs");
  llvm::AllocaInst *x = entry_.CreateAlloca(real, b_.getInt32(n), "x");
  llvm::AllocaInst *singularSlot = entry_.CreateAlloca(boolType(), nullptr, "singular");
  auto at = [&](llvm::Value *base, llvm::Value *index) { return b_.CreateInBoundsGEP(real, base, index); };
  auto cell = [&](llvm::Value *row, llvm::Value *col) { return at(a, b_.CreateAdd(b_.CreateMul(row, b_.getInt32(n)), col)); };
  auto load = [&](llvm::Value *address) { return b_.CreateLoad(real, address); };
  for (std::uint32_t i = 0; i < n * n; ++i) b_.CreateStore(system.matrix[i] ? evalReal(*system.matrix[i]) : constant(0), at(a, b_.getInt32(i)));
  for (std::uint32_t i = 0; i < n; ++i) b_.CreateStore(evalReal(*system.rhs[i]), at(rhs, b_.getInt32(i)));
  b_.CreateStore(llvm::ConstantInt::getFalse(boolType()), singularSlot);
  auto fabs = [&](llvm::Value *v) { return b_.CreateIntrinsic(llvm::Intrinsic::fabs, {real}, {v}); };
  llvm::Type *i32s = width_ == 1 ? t_.i32 : static_cast<llvm::Type *>(llvm::FixedVectorType::get(t_.i32, width_));
  auto lanes = [&](llvm::Value *i) { return width_ == 1 ? i : b_.CreateVectorSplat(width_, i); };
  llvm::AllocaInst *pivotSlot = entry_.CreateAlloca(i32s, nullptr, "pivot");
  llvm::AllocaInst *bestSlot = entry_.CreateAlloca(real, nullptr, "best");
  llvm::Value *count = b_.getInt32(n);

  countedLoop(b_.getInt32(0), count, [&](llvm::Value *col) {
    llvm::Value *next = b_.CreateAdd(col, b_.getInt32(1));
    b_.CreateStore(lanes(col), pivotSlot);
    b_.CreateStore(fabs(load(cell(col, col))), bestSlot);
    countedLoop(next, count, [&](llvm::Value *r) {
      llvm::Value *candidate = fabs(load(cell(r, col)));
      llvm::Value *best = b_.CreateLoad(real, bestSlot);
      llvm::Value *larger = b_.CreateFCmpOGT(candidate, best);
      b_.CreateStore(b_.CreateSelect(larger, lanes(r), b_.CreateLoad(i32s, pivotSlot)), pivotSlot);
      b_.CreateStore(b_.CreateSelect(larger, candidate, best), bestSlot);
    });
    llvm::Value *best = b_.CreateLoad(real, bestSlot);
    b_.CreateStore(b_.CreateOr(b_.CreateLoad(boolType(), singularSlot), b_.CreateNot(b_.CreateFCmpOGE(best, constant(1e-20)))), singularSlot);
    // Swap row `col` with row `pivot` (in the lanes where they differ).
    countedLoop(next, count, [&](llvm::Value *r) {
      llvm::Value *swap = b_.CreateICmpEQ(b_.CreateLoad(i32s, pivotSlot), lanes(r));
      countedLoop(b_.getInt32(0), count, [&](llvm::Value *c) {
        llvm::Value *top = load(cell(col, c)), *other = load(cell(r, c));
        b_.CreateStore(b_.CreateSelect(swap, other, top), cell(col, c));
        b_.CreateStore(b_.CreateSelect(swap, top, other), cell(r, c));
      });
      llvm::Value *top = load(at(rhs, col)), *other = load(at(rhs, r));
      b_.CreateStore(b_.CreateSelect(swap, other, top), at(rhs, col));
      b_.CreateStore(b_.CreateSelect(swap, top, other), at(rhs, r));
    });
    // Eliminate below the pivot; a zero factor leaves the row as it is.
    countedLoop(next, count, [&](llvm::Value *r) {
      llvm::Value *factor = b_.CreateFDiv(load(cell(r, col)), load(cell(col, col)));
      llvm::Value *zero = b_.CreateFCmpOEQ(factor, constant(0));
      countedLoop(col, count, [&](llvm::Value *c) {
        llvm::Value *old = load(cell(r, c));
        llvm::Value *reduced = b_.CreateFSub(old, b_.CreateFMul(factor, load(cell(col, c))));
        b_.CreateStore(b_.CreateSelect(zero, old, reduced), cell(r, c));
      });
      llvm::Value *old = load(at(rhs, r));
      b_.CreateStore(b_.CreateSelect(zero, old, b_.CreateFSub(old, b_.CreateFMul(factor, load(at(rhs, col))))), at(rhs, r));
    });
  });
  // Back substitution, from the last unknown: i = n - 1 - k.
  countedLoop(b_.getInt32(0), count, [&](llvm::Value *k) {
    llvm::Value *i = b_.CreateSub(b_.getInt32(n - 1), k);
    llvm::AllocaInst *sum = entry_.CreateAlloca(real, nullptr, "sum");
    b_.CreateStore(load(at(rhs, i)), sum);
    countedLoop(b_.CreateAdd(i, b_.getInt32(1)), count, [&](llvm::Value *c) {
      b_.CreateStore(b_.CreateFSub(b_.CreateLoad(real, sum), b_.CreateFMul(load(cell(i, c)), load(at(x, c)))), sum);
    });
    b_.CreateStore(b_.CreateFDiv(b_.CreateLoad(real, sum), load(cell(i, i))), at(x, i));
  });
  storeSolution(s, b_.CreateLoad(boolType(), singularSlot), [&](std::uint32_t i) { return load(at(x, b_.getInt32(i))); });
}

}  // namespace ranvier::codegen
