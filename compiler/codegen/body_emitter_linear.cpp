// solve_linear: Gaussian elimination with partial pivoting, unrolled for the
// system's size, the same operations in the same order as the interpreter. Pivot
// choices differ between lanes, so row swaps are selects; a pivot below 1e-20 in
// magnitude (or NaN) makes the lane's system singular: its error is reported and
// its solution is NaN.
#include <cmath>

#include <llvm/IR/Intrinsics.h>

#include "codegen/body_emitter.hpp"

namespace ranvier::codegen {

void BodyEmitter::solveLinear(const ir::Stmt &s) {
  const ir::LinearSystem &system = *s.system;
  const std::size_t n = system.n;
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
  // Report the singular lanes, then store NaN as their solution.
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
  for (std::size_t i = 0; i < n; ++i) store(system.solution[i], nullptr, b_.CreateSelect(singular, nan, x[i]));
}

}  // namespace ranvier::codegen
