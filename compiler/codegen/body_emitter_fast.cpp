// Fast kernels (KernelMath::Fast): division, exp and log in AVX-512 vector kernels without
// the divider and without a call, branch-free. Exact kernels never come here.
//
// Division a/b: a reciprocal estimate r0 of b (vrcp14pd, 14 bits), one Newton step
// (28 bits), the quotient q = a r and one correction step q + r (a - b q), with FMAs:
// within about an ulp of the correctly rounded quotient (measured: correctly rounded on
// 300 random operand pairs over 2^+-100). Lanes where b is 0, infinite, NaN or
// subnormal, or a is 0 or infinite, take a * r0 instead, which is IEEE's answer there
// (inf, signed 0 or NaN); a quotient that overflows is inf. Not IEEE: |b| > 2^1021 (the
// quotient, below 2^-1021 in size for finite a, may come out 0 or imprecise instead of
// subnormal), and quotients within an ulp of overflowing.
//
// exp(x) = 2^n e^r with n = rint(x/ln2), r = x - n ln2 (ln2 in two parts, with FMAs),
// e^r from a degree-11 polynomial fitted on [-ln2/2, ln2/2] (relative error 1.7e-17
// with its coefficients rounded to double, below an ulp; the evaluation adds about an
// ulp), times 2^n by vscalefpd, which overflows to inf and underflows through the
// subnormals to 0 as exp does. x is first clamped to [-746, 710] (NaN stays NaN), so
// +-inf give inf and 0.
//
// log(x) = k ln2 + log(1 + f) with x = 2^k (1 + f), 1 + f in [3/4, 3/2) (vgetexppd and
// vgetmantpd, which also take subnormal x apart exactly); f is exact. fdlibm's form
// log(1 + f) = f - f^2/2 + s (f^2/2 + R) with s = f/(2 + f) and R = 2 atanh(s)/s - 2,
// a series in z = s^2 (|s| <= 0.2): its first ten terms leave out 2e-17 relative. The
// quotient s is a reciprocal estimate with a Newton step and a correction (2 + f lies in
// [1.75, 2.5]: no special divisors). 0 and -0 give -inf, x < 0 NaN, inf inf, NaN NaN.
#include <cstdint>
#include <iterator>
#include <limits>

#include <llvm/IR/IntrinsicsX86.h>

#include "codegen/body_emitter.hpp"

namespace ranvier::codegen {

namespace {
// Chebyshev fit of e^r on [-ln2/2, ln2/2], degree 11 (mpmath.chebyfit at 40 digits),
// lowest degree first.
constexpr double kExpPoly[] = {
    0x1.0000000000000p+0,  0x1.0000000000000p+0,  0x1.0000000000011p-1,  0x1.555555555555ap-3,
    0x1.555555554f0cfp-5,  0x1.111111110f225p-7,  0x1.6c16c187fbe02p-10, 0x1.a01a01b14378fp-13,
    0x1.a01991ac8730ap-16, 0x1.71ddf5749d126p-19, 0x1.28b4057f44145p-22, 0x1.af631d0059becp-26,
};
constexpr double kLog2e = 0x1.71547652b82fep+0;
constexpr double kLn2Hi = 0x1.62e42fefa39efp-1;  // ln 2 rounded to double
constexpr double kLn2Lo = 0x1.abc9e3b39803fp-56;  // ln 2 - kLn2Hi
// R(z) = 2 atanh(s)/s - 2 = sum 2 z^k/(2k + 1), k = 1..10 (z = s^2 <= 0.04).
constexpr int kLogTerms = 10;
}  // namespace

bool BodyEmitter::fastVectorMath() const { return mc_.fast() && width_ == 8 && mc_.target.name == "avx512"; }

llvm::Value *BodyEmitter::fma(llvm::Value *a, llvm::Value *b, llvm::Value *c) {
  return b_.CreateIntrinsic(llvm::Intrinsic::fma, {realType()}, {a, b, c});
}

llvm::Value *BodyEmitter::divide(llvm::Value *a, llvm::Value *b) {
  // Exact: a true division. Fast, by a constant: the builder's arcp flag lets LLVM
  // multiply by the reciprocal instead. Fast, by a vector: below.
  if (!fastVectorMath() || llvm::isa<llvm::Constant>(b)) return b_.CreateFDiv(a, b);
  llvm::Value *estimate = b_.CreateIntrinsic(llvm::Intrinsic::x86_avx512_rcp14_pd_512, {},
                                             {b, llvm::PoisonValue::get(realType()), b_.getInt8(0xff)});
  llvm::Value *minusB = b_.CreateFNeg(b);
  llvm::Value *r = fma(estimate, fma(minusB, estimate, constant(1)), estimate);  // r0 (1 + (1 - b r0))
  llvm::Value *q = b_.CreateFMul(a, r);
  // fpclass: 0x01 QNaN, 0x02 +0, 0x04 -0, 0x08 +inf, 0x10 -inf, 0x20 subnormal, 0x80 SNaN.
  // b zero, infinite, NaN or subnormal, or a zero or infinite: a * r0 is IEEE's answer
  // (and keeps the sign of a zero quotient).
  auto is = [&](llvm::Value *x, int classes) {
    return b_.CreateIntrinsic(llvm::Intrinsic::x86_avx512_fpclass_pd_512, {}, {x, b_.getInt32(classes)});
  };
  llvm::Value *special = b_.CreateOr(is(b, 0xbf), is(a, 0x1e));
  // A quotient that overflows: q = a r is already inf (the correction would make NaN).
  llvm::Value *overflow = is(q, 0x18);
  q = fma(r, fma(minusB, q, a), q);  // q + r (a - b q)
  return b_.CreateSelect(special, b_.CreateFMul(a, estimate), b_.CreateSelect(overflow, b_.CreateFMul(a, r), q));
}

llvm::Value *BodyEmitter::exponential(llvm::Value *x) {
  if (!fastVectorMath()) return libraryMath(ir::MathFn::Exp, {x});
  // x86's min and max return their second operand when either is NaN: NaN stays NaN.
  llvm::Value *current = b_.getInt32(4);  // _MM_FROUND_CUR_DIRECTION
  x = b_.CreateIntrinsic(llvm::Intrinsic::x86_avx512_min_pd_512, {}, {constant(710), x, current});
  x = b_.CreateIntrinsic(llvm::Intrinsic::x86_avx512_max_pd_512, {}, {constant(-746), x, current});
  llvm::Value *n = b_.CreateIntrinsic(llvm::Intrinsic::rint, {realType()}, {b_.CreateFMul(x, constant(kLog2e))});
  llvm::Value *r = fma(n, constant(-kLn2Hi), x);
  r = fma(n, constant(-kLn2Lo), r);
  // p(r) = even(r^2) + r odd(r^2), each by Horner: half the latency of one Horner chain.
  llvm::Value *s = b_.CreateFMul(r, r);
  constexpr std::size_t degree = std::size(kExpPoly) - 1;
  llvm::Value *even = constant(kExpPoly[degree - 1]), *odd = constant(kExpPoly[degree]);
  for (std::size_t i = degree - 1; i >= 2; i -= 2) {
    even = fma(even, s, constant(kExpPoly[i - 2]));
    odd = fma(odd, s, constant(kExpPoly[i - 1]));
  }
  llvm::Value *p = fma(odd, r, even);
  return b_.CreateIntrinsic(llvm::Intrinsic::x86_avx512_mask_scalef_pd_512, {},
                            {p, n, llvm::PoisonValue::get(realType()), b_.getInt8(0xff), current});
}

llvm::Value *BodyEmitter::logarithm(llvm::Value *x) {
  if (!fastVectorMath()) return libraryMath(ir::MathFn::Log, {x});
  llvm::Value *current = b_.getInt32(4);  // _MM_FROUND_CUR_DIRECTION
  llvm::Value *all = b_.getInt8(static_cast<std::uint8_t>(0xff));
  llvm::Value *poison = llvm::PoisonValue::get(realType());
  // x = 2^k m, m in [3/4, 3/2) (getmant's interval 3, the sign of x kept); getexp gives
  // floor(log2 x), one less than k where m came out below 1.
  llvm::Value *m = b_.CreateIntrinsic(llvm::Intrinsic::x86_avx512_mask_getmant_pd_512, {}, {x, b_.getInt32(3), poison, all, current});
  llvm::Value *k = b_.CreateIntrinsic(llvm::Intrinsic::x86_avx512_mask_getexp_pd_512, {}, {x, poison, all, current});
  k = b_.CreateSelect(b_.CreateFCmpOLT(m, constant(1)), b_.CreateFAdd(k, constant(1)), k);
  llvm::Value *f = b_.CreateFSub(m, constant(1));
  // s = f / (2 + f): estimate, one Newton step, the quotient and its correction
  llvm::Value *d = b_.CreateFAdd(f, constant(2));
  llvm::Value *minusD = b_.CreateFNeg(d);
  llvm::Value *r = b_.CreateIntrinsic(llvm::Intrinsic::x86_avx512_rcp14_pd_512, {}, {d, poison, all});
  r = fma(r, fma(minusD, r, constant(1)), r);
  llvm::Value *s = b_.CreateFMul(f, r);
  s = fma(r, fma(minusD, s, f), s);
  llvm::Value *z = b_.CreateFMul(s, s);
  llvm::Value *series = constant(2.0 / (2 * kLogTerms + 1));
  for (int term = kLogTerms - 1; term >= 1; --term) series = fma(series, z, constant(2.0 / (2 * term + 1)));
  llvm::Value *bigR = b_.CreateFMul(series, z);
  llvm::Value *halfF2 = b_.CreateFMul(b_.CreateFMul(constant(0.5), f), f);
  // k ln2_hi - ((f^2/2 - (s (f^2/2 + R) + k ln2_lo)) - f)
  llvm::Value *inner = fma(s, b_.CreateFAdd(halfF2, bigR), b_.CreateFMul(k, constant(kLn2Lo)));
  llvm::Value *result = fma(k, constant(kLn2Hi), b_.CreateFNeg(b_.CreateFSub(b_.CreateFSub(halfF2, inner), f)));
  // fpclass: 0x01 QNaN, 0x02 +0, 0x04 -0, 0x08 +inf, 0x10 -inf, 0x40 negative finite, 0x80 SNaN.
  auto is = [&](int classes) {
    return b_.CreateIntrinsic(llvm::Intrinsic::x86_avx512_fpclass_pd_512, {}, {x, b_.getInt32(classes)});
  };
  const double inf = std::numeric_limits<double>::infinity();
  result = b_.CreateSelect(is(0x08), constant(inf), result);
  result = b_.CreateSelect(is(0x50), constant(std::numeric_limits<double>::quiet_NaN()), result);
  result = b_.CreateSelect(is(0x06), constant(-inf), result);
  return b_.CreateSelect(is(0x81), b_.CreateFAdd(x, x), result);
}

}  // namespace ranvier::codegen
