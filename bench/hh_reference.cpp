// Compiled with -O3 -march=native (see bench/CMakeLists.txt); nothing else.
#include "hh_reference.hpp"

#include <cmath>

#include <dlfcn.h>
#include <immintrin.h>

namespace ranvier::bench {

namespace {

// hh.mod's FUNCTION vtrap: x/(exp(x/y) - 1), its first-order expansion near x = 0.
inline double vtrap(double x, double y) {
  if (std::fabs(x / y) < 1e-6) return y * (1 - x / y / 2);
  return x / (std::exp(x / y) - 1);
}

struct Rates {
  double minf, mtau, hinf, htau, ninf, ntau;
};

// hh.mod's PROCEDURE rates(v), q10 computed once per call by the caller.
inline Rates rates(double v, double q10) {
  Rates r;
  double alpha = 0.1 * vtrap(-(v + 40), 10);
  double beta = 4 * std::exp(-(v + 65) / 18);
  double sum = alpha + beta;
  r.mtau = 1 / (q10 * sum);
  r.minf = alpha / sum;

  alpha = 0.07 * std::exp(-(v + 65) / 20);
  beta = 1 / (std::exp(-(v + 35) / 10) + 1);
  sum = alpha + beta;
  r.htau = 1 / (q10 * sum);
  r.hinf = alpha / sum;

  alpha = 0.01 * vtrap(-(v + 55), 10);
  beta = 0.125 * std::exp(-(v + 65) / 80);
  sum = alpha + beta;
  r.ntau = 1 / (q10 * sum);
  r.ninf = alpha / sum;
  return r;
}

// cnexp's exact step for x' = (xinf - x)/xtau with v frozen, in nocmodl's form.
inline double cnexp(double x, double xinf, double xtau, double dt) {
  return x + (1 - std::exp(dt * (-1 / xtau))) * (-(xinf / xtau) / (-1 / xtau) - x);
}

double q10Of(double celsius) { return std::pow(3.0, (celsius - 6.3) / 10); }

}  // namespace

void hhState(const HhArrays &a, double dt, double celsius, std::int32_t begin, std::int32_t end) {
  const double q10 = q10Of(celsius);
  for (std::int32_t i = begin; i < end; ++i) {
    const double v = a.v[a.node_index[i]];
    const Rates r = rates(v, q10);
    a.minf[i] = r.minf;
    a.mtau[i] = r.mtau;
    a.hinf[i] = r.hinf;
    a.htau[i] = r.htau;
    a.ninf[i] = r.ninf;
    a.ntau[i] = r.ntau;
    a.m[i] = cnexp(a.m[i], r.minf, r.mtau, dt);
    a.h[i] = cnexp(a.h[i], r.hinf, r.htau, dt);
    a.n[i] = cnexp(a.n[i], r.ninf, r.ntau, dt);
  }
}

void hhStateLean(const HhArrays &a, double dt, double celsius, std::int32_t begin, std::int32_t end) {
  const double q10 = q10Of(celsius);
  for (std::int32_t i = begin; i < end; ++i) {
    const double v = a.v[a.node_index[i]];
    // x += (1 - exp(-dt/xtau))*(xinf - x), with 1/xtau = q10*(alpha + beta)
    double alpha = 0.1 * vtrap(-(v + 40), 10);
    double sum = alpha + 4 * std::exp(-(v + 65) / 18);
    a.m[i] += (1 - std::exp(-dt * q10 * sum)) * (alpha / sum - a.m[i]);

    alpha = 0.07 * std::exp(-(v + 65) / 20);
    sum = alpha + 1 / (std::exp(-(v + 35) / 10) + 1);
    a.h[i] += (1 - std::exp(-dt * q10 * sum)) * (alpha / sum - a.h[i]);

    alpha = 0.01 * vtrap(-(v + 55), 10);
    sum = alpha + 0.125 * std::exp(-(v + 65) / 80);
    a.n[i] += (1 - std::exp(-dt * q10 * sum)) * (alpha / sum - a.n[i]);
  }
}

void hhCurrent(const HhArrays &a, std::int32_t begin, std::int32_t end) {
  for (std::int32_t i = begin; i < end; ++i) {
    const std::int32_t node = a.node_index[i], na = a.na_index[i], k = a.k_index[i];
    const double vnode = a.v[node], ena = a.ena[na], ek = a.ek[k];
    const double gna = a.gnabar[i] * a.m[i] * a.m[i] * a.m[i] * a.h[i];
    const double gk = a.gkbar[i] * a.n[i] * a.n[i] * a.n[i] * a.n[i];
    const double gl = a.gl[i], el = a.el[i];

    // NEURON's conductance: the currents at v + 0.001 and at v.
    double v = vnode + 0.001;
    const double dina = gna * (v - ena);
    const double dik = gk * (v - ek);
    double g = dina + dik + gl * (v - el);
    v = vnode;
    const double ina = gna * (v - ena);
    const double ik = gk * (v - ek);
    const double il = gl * (v - el);
    const double rhs = ina + ik + il;
    g = (g - rhs) / 0.001;

    a.gna[i] = gna;
    a.gk[i] = gk;
    a.ina[i] = ina;
    a.ik[i] = ik;
    a.il[i] = il;
    a.ion_dinadv[na] += (dina - ina) / 0.001;
    a.ion_ina[na] += ina;
    a.ion_dikdv[k] += (dik - ik) / 0.001;
    a.ion_ik[k] += ik;
    a.rhs[node] -= rhs;
    a.d[node] += g;
  }
}

// --- machine limits ------------------------------------------------------------

namespace {
inline void clobber() { asm volatile("" ::: "memory"); }
}  // namespace

void expScalar(const double *x, double *y, std::int64_t count, int passes) {
  for (int p = 0; p < passes; ++p) {
    for (std::int64_t i = 0; i < count; ++i) y[i] = std::exp(x[i]);
    clobber();
  }
}

bool expVector(const double *x, double *y, std::int64_t count, int passes) {
#if defined(__AVX512F__)
  using VectorExp = __m512d (*)(__m512d);
  static const VectorExp exp8 = []() -> VectorExp {
    void *library = dlopen("libmvec.so.1", RTLD_NOW | RTLD_GLOBAL);
    return library != nullptr ? reinterpret_cast<VectorExp>(dlsym(library, "_ZGVeN8v_exp")) : nullptr;
  }();
  if (exp8 == nullptr) return false;
  for (int p = 0; p < passes; ++p) {
    for (std::int64_t i = 0; i + 8 <= count; i += 8) _mm512_storeu_pd(y + i, exp8(_mm512_loadu_pd(x + i)));
    clobber();
  }
  return true;
#else
  (void)x, (void)y, (void)count, (void)passes;
  return false;
#endif
}

__attribute__((optimize("no-tree-vectorize"))) void divideScalar(const double *x, double *y, std::int64_t count,
                                                                 int passes) {
  for (int p = 0; p < passes; ++p) {
    for (std::int64_t i = 0; i < count; ++i) y[i] = 1 / x[i];
    clobber();
  }
}

void divideVector(const double *x, double *y, std::int64_t count, int passes) {
  for (int p = 0; p < passes; ++p) {
    for (std::int64_t i = 0; i < count; ++i) y[i] = 1 / x[i];
    clobber();
  }
}

bool tableLookup(const double *table, const std::int32_t *index, const double *theta, double *y, std::int64_t count, int passes) {
#if defined(__AVX512F__)
  for (int p = 0; p < passes; ++p) {
    for (std::int64_t i = 0; i + 8 <= count; i += 8) {
      const __m256i k = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(index + i));
      const __m512d low = _mm512_mask_i32gather_pd(_mm512_setzero_pd(), 0xFF, k, table, 8);
      const __m512d high = _mm512_mask_i32gather_pd(_mm512_setzero_pd(), 0xFF, k, table + 1, 8);
      _mm512_storeu_pd(y + i, _mm512_add_pd(low, _mm512_mul_pd(_mm512_loadu_pd(theta + i), _mm512_sub_pd(high, low))));
    }
    clobber();
  }
  return true;
#else
  (void)table, (void)index, (void)theta, (void)y, (void)count, (void)passes;
  return false;
#endif
}

// 12 independent FMA chains (more than latency x ports on any x86 core), `count` rounds
// a pass: the FMA throughput of the vector width. Returns false without AVX-512.
namespace {
template <class Vector, class Fma, class Set>
void fmaChains(double *out, std::int64_t count, int passes, Fma fma, Set set) {
  Vector acc[12];
  for (int i = 0; i < 12; ++i) acc[i] = set(1.0 + 1e-9 * i);
  const Vector m = set(0.999999999), c = set(1e-9);
  for (int p = 0; p < passes; ++p) {
    for (std::int64_t r = 0; r < count; ++r) {
#pragma GCC unroll 12  // (else the accumulators live on the stack: loads and stores, not FMAs, are timed)
      for (int i = 0; i < 12; ++i) acc[i] = fma(acc[i], m, c);
      asm volatile("" : "+v"(acc[0]), "+v"(acc[1]), "+v"(acc[2]), "+v"(acc[3]), "+v"(acc[4]), "+v"(acc[5]), "+v"(acc[6]), "+v"(acc[7]),
                   "+v"(acc[8]), "+v"(acc[9]), "+v"(acc[10]), "+v"(acc[11]));
    }
  }
  double sum = 0;
  for (auto &a : acc) sum += reinterpret_cast<const double *>(&a)[0];
  *out = sum;
}
}  // namespace

bool fmaThroughput(int width, double *out, std::int64_t count, int passes) {
#if defined(__AVX512F__)
  if (width == 8) {
    fmaChains<__m512d>(out, count, passes, [](__m512d a, __m512d b, __m512d c) { return _mm512_fmadd_pd(a, b, c); },
                       [](double x) { return _mm512_set1_pd(x); });
  } else {
    fmaChains<__m256d>(out, count, passes, [](__m256d a, __m256d b, __m256d c) { return _mm256_fmadd_pd(a, b, c); },
                       [](double x) { return _mm256_set1_pd(x); });
  }
  return true;
#else
  (void)width, (void)out, (void)count, (void)passes;
  return false;
#endif
}

void triad(double *a, const double *b, const double *c, double s, std::int64_t count, int passes) {
  for (int p = 0; p < passes; ++p) {
    for (std::int64_t i = 0; i < count; ++i) a[i] = b[i] + s * c[i];
    clobber();
  }
}

}  // namespace ranvier::bench
