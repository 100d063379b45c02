// Hand-written lower bound for the Liu et al. 1998 25 x 25 sweep (examples/liu-sweep/sweep-tab.toml):
// 625 single-compartment cells, dt = 0.1 ms, 110000 steps, NEURON's fixed step (implicit Euler,
// secondorder = 0) with the tabulated mechanisms of mechanisms/liu-tab (TABLE ... FROM -100 TO 100
// WITH 2000, DEPEND dt), measures (spikes, v min/max) over t > 5500 ms.
//
// Structure of arrays, cells in blocks of B lanes; for each block the whole run (time loop
// outside, one fused `omp simd` loop over the block's cells inside), so a block's state stays
// in L1. Templated on the real type T (double or float; float: float tables and state).
//
// Per step and cell, as NEURON's nrn_fixed_step (and Ranvier's Simulation::step):
//   1. currents at v with the present gates, eca (nrn_cur, mechanisms in type order = alphabetical);
//      G analytic (or, with -DNUMG, NEURON's (i(v+0.001) - i(v))/0.001)
//   2. d = G + cm*1e-3/dt, v += -I/d
//   3. nrn_state in type order at the new v: ACurrent, CaPoolLiu (cai with this step's ica, then
//      eca = ktf log(caout/cai)), CaS, CaT, HCurrent, KCa (reads the NEW cai), Kd, NaV
//   4. measures when t > 5500 (t accumulated as t += dt/2 twice per step)
// Build: see run.sh.  Usage: liu_bound [ref.csv] [out.csv]
#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#ifndef REAL
#define REAL double
#endif
#ifndef BLOCK
#define BLOCK 32
#endif
#ifndef NOTAB
#define NOTAB 0
#endif
#ifndef NUMG
#define NUMG 0
#endif
#ifndef PAIRS  // float only: (value, difference) of a table point as one 64-bit element: one gather for both
#define PAIRS 0
#endif
// Engine features, one switch each (see README, "Where the engine loses"):
#ifndef SPLIT  // one loop per mechanism and phase over the block per step (the engine's kernels), state through memory
#define SPLIT 0
#endif
#ifndef COLS  // tables as one array per column holding t[i]: gathers t[i] and t[i+1], t[i] + theta*(t[i+1] - t[i])
#define COLS 0
#endif
#ifndef BLENDS  // the engine's end handling per column: xi <= 0 -> t[0], xi >= n -> t[n], NaN -> NaN (3 blends)
#define BLENDS 0
#endif
#ifndef SCRATCH  // SPLIT only: minf/mexp-like values stored to per-cell arrays (and read back) in the state loops
#define SCRATCH 0
#endif
#ifndef KERNELS  // SPLIT only: every loop a separate non-inlined function (for perf's per-kernel profile; the engine's calls)
#define KERNELS 0
#endif
#ifndef ENGCUR  // SPLIT only: the engine's current kernels' extra memory work: each stores its g and i fields, the
#define ENGCUR 0  // calcium currents also read-modify-write the ion's dica/dv
#endif
#ifndef NODES3  // the cell as 3 nodes (zero-area root, segment, zero-area 1-end): NEURON's tree solve, 5 divisions
#define NODES3 0
#endif

#if defined(__clang__)
#ifndef INTERLEAVE
#define INTERLEAVE 1
#endif
#define STR2(x) #x
#define STR(x) STR2(x)
#define SIMD _Pragma("omp simd") _Pragma(STR(clang loop vectorize(enable) interleave_count(INTERLEAVE)))
#else
#define SIMD _Pragma("omp simd")
#endif
#if defined(__clang__)
#define UNROLL _Pragma("unroll")
#else
#define UNROLL _Pragma("GCC unroll 64")
#endif
#define INLINE inline __attribute__((always_inline))

using T = REAL;
using I = std::conditional_t<sizeof(T) == 8, std::int64_t, std::int32_t>;  // same width as T
using U = std::conditional_t<sizeof(T) == 8, std::uint64_t, std::uint32_t>;
constexpr int B = BLOCK;
#ifndef ALIGNB  // arrays of a block padded to a multiple of 8 lanes (64 bytes), so that each starts 64-byte aligned
#define ALIGNB 0
#endif
#ifndef MISALIGN  // every array of a block starts 8 bytes past a 64-byte boundary (as the engine's node and ion arrays)
#define MISALIGN 0
#endif
#ifndef PADB  // extra lanes per array (unused): PADB=1 with BLOCK=216 gives 209's staggered misalignment
#define PADB 0
#endif
constexpr int P = (ALIGNB ? (B + 7) / 8 * 8 : B) + PADB;  // array length (lanes B..P-1 unused)
constexpr bool kF = sizeof(T) == 4;

// ---------------------------------------------------------------- model constants
constexpr double kDt = 0.1, kTstop = 11000, kTransient = 5500;
constexpr double kL = 100, kDiam = 199.89860852342056, kCm = 1, kVinit = -60;
constexpr double kCaTau = 200, kF_ = 1.496, kCain = 5e-5, kCa0 = 5e-5, kCaout = 3, kKtf = 12.246865;
// conductances (S/cm2) of the canonical cell; CaS and ACurrent are swept
constexpr double gCaT = 0.0023, gH = 0.00101, gKCa = 0.098, gKd = 0.061, gLeak = 9.9e-5, gNa = 0.1831;
constexpr double eK = -80, eH = -20, eLeak = -50, eNa = 30;
constexpr int kN = 2000, kCols = 22;  // 2001 points, 22 tabulated functions

// The 22 tabulated functions, in double from the .mod formulas (columns: see below).
static void rates_exact(double v, double dt, double *c) {
  double mtau, htau;
  // ACurrent
  c[0] = 1 / (1 + exp((v + 27.2) / -8.7));
  mtau = 11.6 - 10.4 / (1 + exp((v + 32.9) / -15.2));
  c[2] = 1 / (1 + exp((v + 56.9) / 4.9));
  htau = 38.6 - 29.2 / (1 + exp((v + 38.9) / -26.5));
  c[1] = 1 - exp(-dt / mtau);
  c[3] = 1 - exp(-dt / htau);
  // CaS
  c[4] = 1 / (1 + exp((v + 33) / -8.1));
  mtau = 1.4 + 7 / (exp((v + 27) / 10) + exp((v + 70) / -13));
  c[6] = 1 / (1 + exp((v + 60) / 6.2));
  htau = 60 + 150 / (exp((v + 55) / 9) + exp((v + 65) / -16));
  c[5] = 1 - exp(-dt / mtau);
  c[7] = 1 - exp(-dt / htau);
  // CaT
  c[8] = 1 / (1 + exp((v + 27.1) / -7.2));
  mtau = 21.7 - 21.3 / (1 + exp((v + 68.1) / -20.5));
  c[10] = 1 / (1 + exp((v + 32.1) / 5.5));
  htau = 105 - 89.8 / (1 + exp((v + 55) / -16.9));
  c[9] = 1 - exp(-dt / mtau);
  c[11] = 1 - exp(-dt / htau);
  // HCurrent
  c[12] = 1 / (1 + exp((v + 70) / 6));
  mtau = 272 + 1499 / (1 + exp((v + 42.2) / -8.73));
  c[13] = 1 - exp(-dt / mtau);
  // KCa (voltage factor of minf)
  c[14] = 1 / (1 + exp((v + 28.3) / -12.6));
  mtau = 90.3 - 75.1 / (1 + exp((v + 46) / -22.7));
  c[15] = 1 - exp(-dt / mtau);
  // Kd
  c[16] = 1 / (1 + exp((v + 12.3) / -11.8));
  mtau = 7.2 - 6.4 / (1 + exp((v + 28.3) / -19.2));
  c[17] = 1 - exp(-dt / mtau);
  // NaV
  c[18] = 1 / (1 + exp((v + 25.5) / -5.29));
  mtau = 1.32 - 1.26 / (1 + exp((v + 120) / -25));
  c[20] = 1 / (1 + exp((v + 48.9) / 5.18));
  htau = (0.67 / (1 + exp((v + 62.9) / -10))) * (1.5 + 1 / (1 + exp((v + 34.9) / 3.6)));
  c[19] = 1 - exp(-dt / mtau);
  c[21] = 1 - exp(-dt / htau);
}

// Table rows: row i (x = -100 + i*0.1 accumulated, as NEURON) holds, per column k, the value
// t_k[i] and the difference t_k[i+1] - t_k[i] (row 2000: difference 0, so that xi = 2000 gives
// the end value exactly and the lookup needs no branch). val + theta*diff is NEURON's
// t[i] + theta*(t[i+1] - t[i]) with the difference rounded the same way.
constexpr int kRow = 2 * kCols;  // elements per row
// COLS: column k holds t_k[0..kN] at k*kColStride (the engine's layout: columns back to back);
// without BLENDS one padding element t_k[kN] follows, so that xi = kN can read t[i+1].
constexpr int kColStride = kN + 1 + (BLENDS ? 0 : 1);
struct Tables {
  std::vector<T> rows;  // (kN + 1) * kRow, [i][k][val, diff]
  std::vector<T> cols;  // kCols * kColStride, [k][i]
  Tables() : rows((kN + 1) * kRow), cols(kCols * kColStride) {
    std::vector<double> t((kN + 1) * kCols);
    const double tmin = -100, tmax = 100, dx = (tmax - tmin) / kN;
    double x = tmin;
    for (int i = 0; i <= kN; x += dx, ++i) rates_exact(x, kDt, &t[i * kCols]);
    for (int i = 0; i <= kN; ++i)
      for (int k = 0; k < kCols; ++k) {
        const T a = T(t[i * kCols + k]);
        const T b = i < kN ? T(t[(i + 1) * kCols + k]) : a;
        rows[i * kRow + 2 * k] = a;
        rows[i * kRow + 2 * k + 1] = b - a;
      }
    for (int k = 0; k < kCols; ++k) {
      for (int i = 0; i <= kN; ++i) cols[k * kColStride + i] = T(t[i * kCols + k]);
      if (kColStride > kN + 1) cols[k * kColStride + kN + 1] = T(t[kN * kCols + k]);
    }
  }
};

// ---------------------------------------------------------------- inline math (vectorisable)
// min/max by value (std::min/max return references: g++ then keeps branches and does not vectorise)
template <class R> static INLINE R mn(R a, R b) { return b < a ? b : a; }
template <class R> static INLINE R mx(R a, R b) { return a < b ? b : a; }
// exp: Cody-Waite reduction, polynomial, 2^n by exponent bits. |x| clamped (no inf/NaN handling needed here).
template <class R>
static INLINE R vexp(R x) {
  if constexpr (sizeof(R) == 8) {
    x = mn(mx(x, -700.0), 700.0);
    const double n = std::nearbyint(x * 1.4426950408889634);
    const double r = std::fma(-n, 1.9082149292705877e-10, std::fma(-n, 0.6931471803691238, x));
    // e^r, |r| <= 0.347: Taylor to degree 12 (error < 2e-17)
    double p = 2.08767569878680989792e-09;
    p = std::fma(p, r, 2.50521083854417187751e-08);
    p = std::fma(p, r, 2.75573192239858906526e-07);
    p = std::fma(p, r, 2.75573192239858906526e-06);
    p = std::fma(p, r, 2.48015873015873015873e-05);
    p = std::fma(p, r, 1.98412698412698412698e-04);
    p = std::fma(p, r, 1.38888888888888888889e-03);
    p = std::fma(p, r, 8.33333333333333333333e-03);
    p = std::fma(p, r, 4.16666666666666666667e-02);
    p = std::fma(p, r, 1.66666666666666666667e-01);
    p = std::fma(p, r, 0.5);
    p = std::fma(p, r, 1.0);
    p = std::fma(p, r, 1.0);
    const std::int64_t e = (static_cast<std::int64_t>(n) + 1023) << 52;
    return p * std::bit_cast<double>(e);
  } else {
    x = mn(mx(x, -87.0f), 87.0f);
    const float n = std::nearbyint(x * 1.44269504f);
    const float r = std::fma(-n, -2.12194440e-4f, std::fma(-n, 0.693359375f, x));
    float p = 1.9875691500e-4f;
    p = std::fma(p, r, 1.3981999507e-3f);
    p = std::fma(p, r, 8.3334519073e-3f);
    p = std::fma(p, r, 4.1665795894e-2f);
    p = std::fma(p, r, 1.6666665459e-1f);
    p = std::fma(p, r, 5.0000001201e-1f);
    p = std::fma(p * r, r, r) + 1.0f;
    const std::int32_t e = (static_cast<std::int32_t>(n) + 127) << 23;
    return p * std::bit_cast<float>(e);
  }
}

// log for positive normal x.
template <class R>
static INLINE R vlog(R x) {
  if constexpr (sizeof(R) == 8) {
    // x = 2^k m, m in [sqrt(1/2), sqrt(2)); fdlibm: log(1+f) = f - f^2/2 + s (f^2/2 + R(s^2)), s = f/(2+f)
    const std::uint64_t bits = std::bit_cast<std::uint64_t>(x);
    // shift so that the mantissa boundary is at sqrt(2)/2 (0x3fe6a09e667f3bcd)
    const std::uint64_t u = bits - 0x3fe6a09e667f3bcdULL;
    const std::int64_t k = static_cast<std::int64_t>(u) >> 52;
    const double m = std::bit_cast<double>((u & 0x000fffffffffffffULL) + 0x3fe6a09e667f3bcdULL);
    const double f = m - 1.0;
    const double s = f / (2.0 + f);
    const double z = s * s, w = z * z;
    const double t1 = w * (3.999999999940941908e-01 + w * (2.222219843214978396e-01 + w * 1.531383769920937332e-01));
    const double t2 = z * (6.666666666666735130e-01 + w * (2.857142874366239149e-01 + w * (1.818357216161805012e-01 + w * 1.479819860511658591e-01)));
    const double Rs = t2 + t1;
    const double hfsq = 0.5 * f * f;
    const double dk = static_cast<double>(k);
    return dk * 6.93147180369123816490e-01 - ((hfsq - (s * (hfsq + Rs) + dk * 1.90821492927058770002e-10)) - f);
  } else {
    // cephes logf
    const std::uint32_t bits = std::bit_cast<std::uint32_t>(x);
    const std::uint32_t u = bits - 0x3f3504f3u;  // sqrt(1/2)
    const std::int32_t k = static_cast<std::int32_t>(u) >> 23;
    const float m = std::bit_cast<float>((u & 0x007fffffu) + 0x3f3504f3u);
    const float f = m - 1.0f;
    const float z = f * f;
    float y = 7.0376836292e-2f;
    y = std::fma(y, f, -1.1514610310e-1f);
    y = std::fma(y, f, 1.1676998740e-1f);
    y = std::fma(y, f, -1.2420140846e-1f);
    y = std::fma(y, f, 1.4249322787e-1f);
    y = std::fma(y, f, -1.6668057665e-1f);
    y = std::fma(y, f, 2.0000714765e-1f);
    y = std::fma(y, f, -2.4999993993e-1f);
    y = std::fma(y, f, 3.3333331174e-1f);
    y = y * f * z;
    const float fk = static_cast<float>(k);
    y = std::fma(fk, -2.12194440e-4f, y);
    y = std::fma(-0.5f, z, y);
    return std::fma(fk, 0.693359375f, f + y);
  }
}

// ---------------------------------------------------------------- state of one block
// NODEMIS: the engine's offsets for a chunk of 209 cells (node j of cell k at j*209 + k in
// 64-byte aligned node and ion arrays): root-level arrays aligned, segment-level node and ion
// arrays 8 bytes past a 64-byte boundary, 1-end arrays 16 bytes past; mechanism fields aligned.
// (Needs P a multiple of 8, e.g. BLOCK=216.)
#ifndef NODEMIS
#define NODEMIS 0
#endif
struct alignas(64) Block {
#if MISALIGN
  T misalign_;
#endif
#if NODEMIS
  alignas(64) T nodemis1_;
#endif
  T v[P], cai[P], eca[P];
#if SPLIT
  T rhs[P], d[P], ica[P];  // per node (the segment), as the engine's Nodes/ion arrays
#endif
#if ENGCUR
  T dica[P];  // the ion's dica/dv
#endif
#if NODES3
#if NODEMIS
  alignas(64) T nodemis2_[2];
#endif
  T v2[P];  // the 1-end node
#if SPLIT
  T rhs2[P], d2[P];
#endif
#if NODEMIS
  alignas(64) T v0[P];  // the zero-area root
#else
  T v0[P];
#endif
#if SPLIT
  T rhs0[P], d0[P];
#endif
#endif
#if NODEMIS
  alignas(64) T mA[P];
#else
  T mA[P];
#endif
  T hA[P], mCaS[P], hCaS[P], mCaT[P], hCaT[P], mH[P], mKCa[P], mKd[P], mNa[P], hNa[P];
  T gA[P], gCaS[P];  // swept conductances
  T vmin[P], vmax[P], vprev[P];
  I spikes[P];
#if ENGCUR
  T gm[8][P], im[8][P];  // per mechanism g and i fields
#endif
#if SCRATCH
  T sc[kCols][P];  // minf/mexp of the gates, as the engine's scratch fields
#endif
};

// Tabulated (or exact) rates at v: minf/mexp of the 13 gates (KCa: voltage factor).
struct Rates {
  T c[kCols];
};

// Columns K0 .. K0+NC-1 at v into c[K0 ..] (the SPLIT loops: each mechanism its own index),
// in the layout (rows / COLS) and end handling (clamped index / BLENDS) chosen.
template <int K0, int NC>
static INLINE void lookup_cols(const T *__restrict tab, T v, T *c) {
  const T xi = T(10) * (v - T(-100));
#if BLENDS
  // the engine: index and theta from xi where 0 < xi < n (else 0), the ends and NaN blended in per column
  const bool inside = (xi > T(0)) & (xi < T(kN));
  const T xz = inside ? xi : T(0);
  const T fl = std::floor(xz);
  const std::int32_t i = static_cast<std::int32_t>(fl);
  const T th = xz - fl;
#else
  const T xc = mn(mx(xi, T(0)), T(kN));
  const std::int32_t i = static_cast<std::int32_t>(xc);
  const T th = xc - static_cast<T>(i);
#endif
  UNROLL for (int k = K0; k < K0 + NC; ++k) {
#if COLS
    const T *col = tab + k * kColStride;
    const T a = col[i], b = col[i + 1];
    T val = a + th * (b - a);
#if BLENDS
    const T t0 = col[0], tn = col[kN];
#endif
#else
    T val = tab[i * kRow + 2 * k] + th * tab[i * kRow + 2 * k + 1];
#if BLENDS
    const T t0 = tab[2 * k], tn = tab[kN * kRow + 2 * k];
#endif
#endif
#if BLENDS
    val = xi >= T(kN) ? tn : val;
    val = xi <= T(0) ? t0 : val;
    val = xi != xi ? xi : val;
#endif
    c[k] = val;
  }
}

static INLINE void lookup(const T *__restrict tab, T v, T *c) {
#if NOTAB
  double cd[kCols];
  (void)tab;
  // exact rates with the inline exp (same formulas; in T)
  const T dt = T(kDt);
  T mtau, htau;
  auto sig = [](T x) { return T(1) / (T(1) + vexp(x)); };
  c[0] = sig((v + T(27.2)) * T(1 / -8.7));
  mtau = T(11.6) - T(10.4) * sig((v + T(32.9)) * T(1 / -15.2));
  c[2] = sig((v + T(56.9)) * T(1 / 4.9));
  htau = T(38.6) - T(29.2) * sig((v + T(38.9)) * T(1 / -26.5));
  c[1] = T(1) - vexp(-dt / mtau);
  c[3] = T(1) - vexp(-dt / htau);
  c[4] = sig((v + T(33)) * T(1 / -8.1));
  mtau = T(1.4) + T(7) / (vexp((v + T(27)) * T(1 / 10.)) + vexp((v + T(70)) * T(1 / -13.)));
  c[6] = sig((v + T(60)) * T(1 / 6.2));
  htau = T(60) + T(150) / (vexp((v + T(55)) * T(1 / 9.)) + vexp((v + T(65)) * T(1 / -16.)));
  c[5] = T(1) - vexp(-dt / mtau);
  c[7] = T(1) - vexp(-dt / htau);
  c[8] = sig((v + T(27.1)) * T(1 / -7.2));
  mtau = T(21.7) - T(21.3) * sig((v + T(68.1)) * T(1 / -20.5));
  c[10] = sig((v + T(32.1)) * T(1 / 5.5));
  htau = T(105) - T(89.8) * sig((v + T(55)) * T(1 / -16.9));
  c[9] = T(1) - vexp(-dt / mtau);
  c[11] = T(1) - vexp(-dt / htau);
  c[12] = sig((v + T(70)) * T(1 / 6.));
  mtau = T(272) + T(1499) * sig((v + T(42.2)) * T(1 / -8.73));
  c[13] = T(1) - vexp(-dt / mtau);
  c[14] = sig((v + T(28.3)) * T(1 / -12.6));
  mtau = T(90.3) - T(75.1) * sig((v + T(46)) * T(1 / -22.7));
  c[15] = T(1) - vexp(-dt / mtau);
  c[16] = sig((v + T(12.3)) * T(1 / -11.8));
  mtau = T(7.2) - T(6.4) * sig((v + T(28.3)) * T(1 / -19.2));
  c[17] = T(1) - vexp(-dt / mtau);
  c[18] = sig((v + T(25.5)) * T(1 / -5.29));
  mtau = T(1.32) - T(1.26) * sig((v + T(120)) * T(1 / -25.));
  c[20] = sig((v + T(48.9)) * T(1 / 5.18));
  htau = (T(0.67) * sig((v + T(62.9)) * T(1 / -10.))) * (T(1.5) + sig((v + T(34.9)) * T(1 / 3.6)));
  c[19] = T(1) - vexp(-dt / mtau);
  c[21] = T(1) - vexp(-dt / htau);
  (void)cd;
#else
#if COLS || BLENDS
  lookup_cols<0, kCols>(tab, v, c);
#else
  // NEURON: xi = mfac*(v - tmin); <= 0: point 0; >= 2000: point 2000; else interpolate.
  T xi = T(10) * (v - T(-100));
  xi = mn(mx(xi, T(0)), T(kN));
  const std::int32_t i = static_cast<std::int32_t>(xi);
  const T th = xi - static_cast<T>(i);
#if PAIRS
  static_assert(kF, "PAIRS is for float");
  const std::uint64_t *pairs = reinterpret_cast<const std::uint64_t *>(tab);
  const std::int32_t base = i * kCols;
  UNROLL for (int k = 0; k < kCols; ++k) {
    const std::uint64_t p = pairs[base + k];
    const T a = std::bit_cast<float>(static_cast<std::uint32_t>(p));
    const T d = std::bit_cast<float>(static_cast<std::uint32_t>(p >> 32));
    c[k] = a + th * d;
  }
#else
  // 32-bit indices into the table (dword-index gathers: 16 lanes per gather for float)
  const std::int32_t base = i * kRow;
  UNROLL for (int k = 0; k < kCols; ++k) c[k] = tab[base + 2 * k] + th * tab[base + 2 * k + 1];
#endif
#endif
#endif
}

struct Consts {
  T cfac;     // cm * 1e-3 / dt
  T kpool;    // -(1e-5)*f*area
  T decay;    // 1 - exp(-dt/tau)
  T cain, ktf, lcaout;
  // NODES3: NEURON's a, b of the segment (parent: root) and the 1-end (parent: segment), ab = a*b
  T a1, b1, ab1, a2, b2, ab2;
};

// NODES3: the engine's solveChains<3> (runtime/sim/tree_solver.cpp) for one cell, with the
// zero-area nodes' cm = 0: assemble (capacitance, axial terms), eliminate from the 1-end up,
// substitute down. In: d, rhs of the 3 nodes from the mechanisms; out: rhs = change of v.
static INLINE void solve3(T v0, T v1, T v2, T &r0, T &r1, T &r2, T &d0, T &d1, T &d2, const Consts &K) {
  d1 += K.cfac;  // cfac * cm (cm = 1 at the segment, 0 at the zero-area nodes)
  T dv = v0 - v1;
  r1 -= K.b1 * dv;
  r0 += K.a1 * dv;
  d1 -= K.b1;
  d0 -= K.a1;
  dv = v1 - v2;
  r2 -= K.b2 * dv;
  r1 += K.a2 * dv;
  d2 -= K.b2;
  d1 -= K.a2;
  const T inv2 = T(1) / d2;
  const T bd2 = K.b2 * inv2;
  d1 -= K.ab2 / d2;
  r1 -= K.a2 * inv2 * r2;
  const T inv1 = T(1) / d1;
  const T bd1 = K.b1 * inv1;
  d0 -= K.ab1 / d1;
  r0 -= K.a1 * inv1 * r1;
  const T inv0 = T(1) / d0;
  r0 *= inv0;
  r1 = r1 * inv1 - bd1 * r0;
  r2 = r2 * inv2 - bd2 * r1;
}

template <bool Measure>
static INLINE void step_lane(Block &__restrict s, int l, const T *__restrict tab, const Consts K) {
  const T v = s.v[l];
  const T eca = s.eca[l];
  // 1. currents at v (type order), ica
  T mA = s.mA[l], hA = s.hA[l], mS = s.mCaS[l], hS = s.hCaS[l], mT = s.mCaT[l], hT = s.hCaT[l];
  T mH = s.mH[l], mK = s.mKCa[l], mD = s.mKd[l], mN = s.mNa[l], hN = s.hNa[l];
  const T g1 = s.gA[l] * mA * mA * mA * hA;
  const T g2 = s.gCaS[l] * mS * mS * mS * hS;
  const T g3 = T(gCaT) * mT * mT * mT * hT;
  const T g4 = T(gH) * mH;
  const T g5 = T(gKCa) * mK * mK * mK * mK;
  const T g6 = T(gKd) * mD * mD * mD * mD;
  const T g7 = T(gLeak);
  const T g8 = T(gNa) * mN * mN * mN * hN;
  const T i2 = g2 * (v - eca), i3 = g3 * (v - eca);
  const T ica = i2 + i3;
  const T rhs = -(g1 * (v - T(eK))) - i2 - i3 - g4 * (v - T(eH)) - g5 * (v - T(eK)) - g6 * (v - T(eK)) - g7 * (v - T(eLeak)) - g8 * (v - T(eNa));
#if NUMG
  const T dv = v + T(0.001);
  const T G = ((g1 * (dv - T(eK)) - g1 * (v - T(eK))) + (g2 * (dv - eca) - i2) + (g3 * (dv - eca) - i3) + (g4 * (dv - T(eH)) - g4 * (v - T(eH))) +
               (g5 * (dv - T(eK)) - g5 * (v - T(eK))) + (g6 * (dv - T(eK)) - g6 * (v - T(eK))) + (g7 * (dv - T(eLeak)) - g7 * (v - T(eLeak))) +
               (g8 * (dv - T(eNa)) - g8 * (v - T(eNa)))) * T(1000);
#else
  const T G = g1 + g2 + g3 + g4 + g5 + g6 + g7 + g8;
#endif
  // 2. solve the one-node system
#if NODES3
  T r0 = 0, r1 = rhs, r2 = 0, d0 = 0, d1 = G, d2 = 0;
  const T v0 = s.v0[l], v2 = s.v2[l];
  solve3(v0, v, v2, r0, r1, r2, d0, d1, d2, K);
  const T vn = v + r1;
  s.v0[l] = v0 + r0;
  s.v2[l] = v2 + r2;
#else
  const T vn = v + rhs / (G + K.cfac);
#endif
  s.v[l] = vn;
  // 3. states at the new v, type order
  T c[kCols];
  lookup(tab, vn, c);
  mA += c[1] * (c[0] - mA);
  hA += c[3] * (c[2] - hA);
  // CaPoolLiu: cai with this step's ica; eca from the new cai
  T cai = s.cai[l];
  cai += K.decay * (K.kpool * ica + K.cain - cai);
  s.cai[l] = cai;
  s.eca[l] = K.ktf * (K.lcaout - vlog(cai));  // ktf*log(caout/cai) without the division
  mS += c[5] * (c[4] - mS);
  hS += c[7] * (c[6] - hS);
  mT += c[9] * (c[8] - mT);
  hT += c[11] * (c[10] - hT);
  mH += c[13] * (c[12] - mH);
  const T ca = T(1000) * cai;
  mK += c[15] * ((ca / (ca + T(3))) * c[14] - mK);
  mD += c[17] * (c[16] - mD);
  mN += c[19] * (c[18] - mN);
  hN += c[21] * (c[20] - hN);
  s.mA[l] = mA; s.hA[l] = hA; s.mCaS[l] = mS; s.hCaS[l] = hS; s.mCaT[l] = mT; s.hCaT[l] = hT;
  s.mH[l] = mH; s.mKCa[l] = mK; s.mKd[l] = mD; s.mNa[l] = mN; s.hNa[l] = hN;
  // 4. measures
  if constexpr (Measure) {
    s.spikes[l] += ((vn >= T(0)) & (s.vprev[l] < T(0))) ? I(1) : I(0);
    s.vprev[l] = vn;
    s.vmin[l] = mn(s.vmin[l], vn);
    s.vmax[l] = mx(s.vmax[l], vn);
  }
}

#if SPLIT
#if KERNELS
#define KBEGIN [](Block &__restrict s, const T *__restrict tab, const Consts K) __attribute__((noinline)) { (void)tab; (void)K;
#define KEND }(s, tab, K);
#else
#define KBEGIN {
#define KEND }
#endif
// ---------------------------------------------------------------- SPLIT: the engine's kernel structure
// Per step: clear rhs/d/ica; one current loop per mechanism (v and its gates from the block's
// arrays, rhs/d/ica read-modify-written in memory); the voltage update (NODES3: solve loop,
// then v += rhs for the 3 nodes); one state loop per mechanism (each its own table index);
// the measures loop.
template <int M>
static INLINE void add_current(Block &__restrict s, int l, T g, T e) {
  const T v = s.v[l];
  const T i = g * (v - e);
#if NUMG
  const T di = (g * ((v + T(0.001)) - e) - i) * T(1000);
#else
  const T di = g;
#endif
  s.d[l] += di;
  s.rhs[l] -= i;
#if ENGCUR
  s.gm[M][l] = g;
  s.im[M][l] = i;
#endif
}
template <int M>
static INLINE void add_ca_current(Block &__restrict s, int l, T g) {
  const T v = s.v[l], e = s.eca[l];
  const T i = g * (v - e);
#if NUMG
  const T di = (g * ((v + T(0.001)) - e) - i) * T(1000);
#else
  const T di = g;
#endif
  s.d[l] += di;
  s.rhs[l] -= i;
  s.ica[l] += i;
#if ENGCUR
  s.gm[M][l] = g;
  s.im[M][l] = i;
  s.dica[l] += di;
#endif
}
// m += mexp*(minf - m) with minf = c[kinf], mexp = c[kinf + 1] (SCRATCH: through the scratch arrays)
template <int Kinf>
static INLINE void gate(Block &__restrict s, int l, T &m, const T *c) {
#if SCRATCH
  s.sc[Kinf][l] = c[Kinf];
  s.sc[Kinf + 1][l] = c[Kinf + 1];
  m += s.sc[Kinf + 1][l] * (s.sc[Kinf][l] - m);
#else
  (void)s; (void)l;
  m += c[Kinf + 1] * (c[Kinf] - m);
#endif
}

template <bool Measure>
static INLINE void step_split(Block &__restrict s, const T *__restrict tab, const Consts K) {
  KBEGIN
  SIMD for (int l = 0; l < B; ++l) {
    s.rhs[l] = 0; s.d[l] = 0; s.ica[l] = 0;
#if ENGCUR
    s.dica[l] = 0;
#endif
#if NODES3
    s.rhs0[l] = 0; s.rhs2[l] = 0; s.d0[l] = 0; s.d2[l] = 0;
#endif
  }
  KEND
  // 1. currents, type order
  KBEGIN SIMD for (int l = 0; l < B; ++l) { const T m = s.mA[l]; add_current<0>(s, l, s.gA[l] * m * m * m * s.hA[l], T(eK)); } KEND
  KBEGIN SIMD for (int l = 0; l < B; ++l) { const T m = s.mCaS[l]; add_ca_current<1>(s, l, s.gCaS[l] * m * m * m * s.hCaS[l]); } KEND
  KBEGIN SIMD for (int l = 0; l < B; ++l) { const T m = s.mCaT[l]; add_ca_current<2>(s, l, T(gCaT) * m * m * m * s.hCaT[l]); } KEND
  KBEGIN SIMD for (int l = 0; l < B; ++l) add_current<3>(s, l, T(gH) * s.mH[l], T(eH)); KEND
  KBEGIN SIMD for (int l = 0; l < B; ++l) { const T m = s.mKCa[l]; add_current<4>(s, l, T(gKCa) * m * m * m * m, T(eK)); } KEND
  KBEGIN SIMD for (int l = 0; l < B; ++l) { const T m = s.mKd[l]; add_current<5>(s, l, T(gKd) * m * m * m * m, T(eK)); } KEND
  KBEGIN SIMD for (int l = 0; l < B; ++l) add_current<6>(s, l, T(gLeak), T(eLeak)); KEND
  KBEGIN SIMD for (int l = 0; l < B; ++l) { const T m = s.mNa[l]; add_current<7>(s, l, T(gNa) * m * m * m * s.hNa[l], T(eNa)); } KEND
  // 2. voltage
#if NODES3
  KBEGIN
  SIMD for (int l = 0; l < B; ++l) {
    T r0 = s.rhs0[l], r1 = s.rhs[l], r2 = s.rhs2[l], d0 = s.d0[l], d1 = s.d[l], d2 = s.d2[l];
    solve3(s.v0[l], s.v[l], s.v2[l], r0, r1, r2, d0, d1, d2, K);
    s.rhs0[l] = r0; s.rhs[l] = r1; s.rhs2[l] = r2; s.d0[l] = d0; s.d[l] = d1; s.d2[l] = d2;
  }
  KEND
  KBEGIN SIMD for (int l = 0; l < B; ++l) { s.v0[l] += s.rhs0[l]; s.v[l] += s.rhs[l]; s.v2[l] += s.rhs2[l]; } KEND
#else
  KBEGIN SIMD for (int l = 0; l < B; ++l) s.v[l] += s.rhs[l] / (s.d[l] + K.cfac); KEND
#endif
  // 3. states, type order
  KBEGIN
  SIMD for (int l = 0; l < B; ++l) {
    T c[kCols];
    lookup_cols<0, 4>(tab, s.v[l], c);
    gate<0>(s, l, s.mA[l], c);
    gate<2>(s, l, s.hA[l], c);
  }
  KEND
  KBEGIN
  SIMD for (int l = 0; l < B; ++l) {
    T cai = s.cai[l];
    cai += K.decay * (K.kpool * s.ica[l] + K.cain - cai);
    s.cai[l] = cai;
    s.eca[l] = K.ktf * (K.lcaout - vlog(cai));
  }
  KEND
  KBEGIN
  SIMD for (int l = 0; l < B; ++l) {
    T c[kCols];
    lookup_cols<4, 4>(tab, s.v[l], c);
    gate<4>(s, l, s.mCaS[l], c);
    gate<6>(s, l, s.hCaS[l], c);
  }
  KEND
  KBEGIN
  SIMD for (int l = 0; l < B; ++l) {
    T c[kCols];
    lookup_cols<8, 4>(tab, s.v[l], c);
    gate<8>(s, l, s.mCaT[l], c);
    gate<10>(s, l, s.hCaT[l], c);
  }
  KEND
  KBEGIN
  SIMD for (int l = 0; l < B; ++l) {
    T c[kCols];
    lookup_cols<12, 2>(tab, s.v[l], c);
    gate<12>(s, l, s.mH[l], c);
  }
  KEND
  KBEGIN
  SIMD for (int l = 0; l < B; ++l) {
    T c[kCols];
    lookup_cols<14, 2>(tab, s.v[l], c);
    const T ca = T(1000) * s.cai[l];
    c[14] = (ca / (ca + T(3))) * c[14];
    gate<14>(s, l, s.mKCa[l], c);
  }
  KEND
  KBEGIN
  SIMD for (int l = 0; l < B; ++l) {
    T c[kCols];
    lookup_cols<16, 2>(tab, s.v[l], c);
    gate<16>(s, l, s.mKd[l], c);
  }
  KEND
  KBEGIN
  SIMD for (int l = 0; l < B; ++l) {
    T c[kCols];
    lookup_cols<18, 4>(tab, s.v[l], c);
    gate<18>(s, l, s.mNa[l], c);
    gate<20>(s, l, s.hNa[l], c);
  }
  KEND
  // 4. measures
  if constexpr (Measure) {
    KBEGIN
    SIMD for (int l = 0; l < B; ++l) {
      const T vn = s.v[l];
      s.spikes[l] += ((vn >= T(0)) & (s.vprev[l] < T(0))) ? I(1) : I(0);
      s.vprev[l] = vn;
      s.vmin[l] = mn(s.vmin[l], vn);
      s.vmax[l] = mx(s.vmax[l], vn);
    }
    KEND
  }
}

__attribute__((noinline)) void run_steps_nomeasure(Block &__restrict s, const T *__restrict tab, const Consts K, long n) {
  for (long k = 0; k < n; ++k) step_split<false>(s, tab, K);
}
__attribute__((noinline)) void run_steps_measure(Block &__restrict s, const T *__restrict tab, const Consts K, long n) {
  for (long k = 0; k < n; ++k) step_split<true>(s, tab, K);
}
#else
__attribute__((noinline)) void run_steps_nomeasure(Block &__restrict s, const T *__restrict tab, const Consts K, long n) {
  for (long k = 0; k < n; ++k) {
    SIMD for (int l = 0; l < B; ++l) step_lane<false>(s, l, tab, K);
  }
}
__attribute__((noinline)) void run_steps_measure(Block &__restrict s, const T *__restrict tab, const Consts K, long n) {
  for (long k = 0; k < n; ++k) {
    SIMD for (int l = 0; l < B; ++l) step_lane<true>(s, l, tab, K);
  }
}
#endif
#if SPLIT && NOTAB
#error "SPLIT has no NOTAB variant"
#endif
#if (SCRATCH || ENGCUR || KERNELS) && !SPLIT
#error "SCRATCH, ENGCUR and KERNELS are for SPLIT"
#endif
#if PAIRS && (COLS || BLENDS || SPLIT)
#error "PAIRS is the fused row layout only"
#endif

// ---------------------------------------------------------------- driver
struct Ref {
  int spikes;
  double vmin, vmax;
};

static std::vector<Ref> read_ref(const char *path) {
  std::vector<Ref> out;
  std::ifstream in(path);
  if (!in) return out;
  std::string line;
  std::getline(in, line);
  // columns: run,CaS.gbar,ACurrent.gbar,class,spikes,...,v_min_mv,v_max_mv,reason
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string x;
    while (std::getline(ss, x, ',')) f.push_back(x);
    if (f.size() < 13) continue;
    out.push_back({std::atoi(f[4].c_str()), std::atof(f[11].c_str()), std::atof(f[12].c_str())});
  }
  return out;
}

int main(int argc, char **argv) {
  const int nsets = 625;
  const int nblocks = (nsets + B - 1) / B;
  const Tables tables;
  const T *tab = COLS ? tables.cols.data() : tables.rows.data();

  // steps: llround(tstop/dt); t accumulated as NEURON/Ranvier (t += dt/2, twice per step)
  const long nsteps = std::lround(kTstop / kDt);
  long first = nsteps;  // first step whose t (after the step) is > transient
  {
    double t = 0;
    for (long k = 1; k <= nsteps; ++k) {
      t += 0.5 * kDt;
      t += 0.5 * kDt;
      if (t > kTransient) { first = k; break; }
    }
  }

  Consts K;
  K.cfac = T(kCm * (0.001 / kDt));
  const double area = M_PI * kDiam * kL;  // um2
  K.kpool = T(-(1e-5) * kF_ * area);
  K.decay = T(1 - std::exp(-kDt / kCaTau));
  K.cain = T(kCain);
  K.ktf = T(kKtf);
  K.lcaout = T(std::log(kCaout));
  {
    // NEURON's connection coefficients (runtime/cell/discretisation.cpp): Ra 35.4 ohm cm, one
    // segment; resistance of half the section, in megohm; zero-area nodes count as area 100.
    const double Ra = 35.4, half = 1e-2 * Ra * (kL / 2) / (M_PI * kDiam * kDiam / 4.0), rinv = 1.0 / half;
    const double a1 = -1e2 * rinv / 100, b1 = -1e2 * rinv / area;  // segment, parent the root
    const double a2 = -1e2 * rinv / area, b2 = -1e2 * rinv / 100;  // 1-end, parent the segment
    K.a1 = T(a1); K.b1 = T(b1); K.ab1 = T(a1 * b1);
    K.a2 = T(a2); K.b2 = T(b2); K.ab2 = T(a2 * b2);
  }

  std::vector<Block> blocks(nblocks);
  // initial state: INITIAL blocks (type order) with table lookups at v_init
  double c0[kCols];
  {
    // table lookup at v_init in double (-60 is a table point: xi = 400 exactly)
    const double xi = 10.0 * (kVinit - -100.0);
    const int i = static_cast<int>(xi);
    const double th = xi - i;
    for (int k = 0; k < kCols; ++k) {
      const double a = tables.rows[i * kRow + 2 * k], d = tables.rows[i * kRow + 2 * k + 1];
      c0[k] = a + th * d;
    }
  }
  for (int b = 0; b < nblocks; ++b) {
    Block &s = blocks[b];
    for (int l = 0; l < B; ++l) {
      const int run = std::min(b * B + l, nsets - 1);  // padding lanes repeat the last set
      const int iCaS = run / 25, iA = run % 25;
      // Ranvier's linspace (first + k/(n-1)*(last-first), last exact) and uS/mm2 -> S/cm2
      auto lin = [](double a, double z, int k) { return k == 24 ? z : a + (static_cast<double>(k) / 24) * (z - a); };
      s.gCaS[l] = T(lin(0, 100, iCaS) / 1e4);
      s.gA[l] = T(lin(100, 300, iA) / 1e4);
      s.v[l] = T(kVinit);
#if NODES3
      s.v0[l] = T(kVinit); s.v2[l] = T(kVinit);
#endif
      s.cai[l] = T(kCa0);
      s.eca[l] = T(kKtf * std::log(kCaout / kCa0));
      s.mA[l] = T(c0[0]); s.hA[l] = T(c0[2]);
      s.mCaS[l] = T(c0[4]); s.hCaS[l] = T(c0[6]);
      s.mCaT[l] = T(c0[8]); s.hCaT[l] = T(c0[10]);
      s.mH[l] = T(c0[12]);
      const double ca = 1000 * kCa0;
      s.mKCa[l] = T((ca / (ca + 3)) * c0[14]);
      s.mKd[l] = T(c0[16]);
      s.mNa[l] = T(c0[18]); s.hNa[l] = T(c0[20]);
      s.vmin[l] = T(1e30); s.vmax[l] = T(-1e30); s.vprev[l] = T(1e30);
      s.spikes[l] = 0;
    }
  }

  const auto t0 = std::chrono::steady_clock::now();
  for (int b = 0; b < nblocks; ++b) {
    run_steps_nomeasure(blocks[b], tab, K, first - 1);
    run_steps_measure(blocks[b], tab, K, nsteps - first + 1);
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double cellsteps = double(nsets) * double(nsteps);
  std::printf("real=%s block=%d notab=%d numg=%d pairs=%d split=%d cols=%d blends=%d scratch=%d engcur=%d kernels=%d nodes3=%d alignb=%d misalign=%d nodemis=%d steps=%ld first_measured=%ld\n", kF ? "float" : "double", B,
              NOTAB, NUMG, PAIRS, SPLIT, COLS, BLENDS, SCRATCH, ENGCUR, KERNELS, NODES3, ALIGNB, MISALIGN, NODEMIS, nsteps, first);
  std::printf("time %.4f s  %.3f ns/cell-step (padded lanes: %d)  x-real-time(2 threads, ideal) %.1f\n", secs, secs / cellsteps * 1e9, nblocks * B,
              2.0 * nsets * (kTstop / 1000) / secs);

  if (argc > 2) {
    FILE *f = std::fopen(argv[2], "w");
    std::fprintf(f, "run,spikes,v_min_mv,v_max_mv\n");
    for (int r = 0; r < nsets; ++r) {
      const Block &s = blocks[r / B];
      const int l = r % B;
      std::fprintf(f, "%d,%lld,%.17g,%.17g\n", r, (long long)s.spikes[l], (double)s.vmin[l], (double)s.vmax[l]);
    }
    std::fclose(f);
  }
  if (argc > 1) {
    const std::vector<Ref> ref = read_ref(argv[1]);
    if (ref.size() == static_cast<std::size_t>(nsets)) {
      int diff = 0, maxd = 0, diffsilent = 0;
      double maxrmin = 0, maxrmax = 0;
      long tot = 0, totref = 0;
      for (int r = 0; r < nsets; ++r) {
        const Block &s = blocks[r / B];
        const int l = r % B;
        const int sp = static_cast<int>(s.spikes[l]);
        tot += sp;
        totref += ref[r].spikes;
        if (sp != ref[r].spikes) {
          ++diff;
          maxd = std::max(maxd, std::abs(sp - ref[r].spikes));
          if (sp == 0 || ref[r].spikes == 0) ++diffsilent;
        }
        maxrmin = std::max(maxrmin, std::abs(double(s.vmin[l]) - ref[r].vmin) / std::abs(ref[r].vmin));
        maxrmax = std::max(maxrmax, std::abs(double(s.vmax[l]) - ref[r].vmax) / std::abs(ref[r].vmax));
      }
      std::printf("vs ref: spike counts differ in %d/625 sets (max |diff| %d, silent<->spiking %d); total spikes %ld vs %ld; max rel diff v_min %.3g v_max %.3g\n", diff,
                  maxd, diffsilent, tot, totref, maxrmin, maxrmax);
    }
  }
  return 0;
}
