#pragma once
// A hand-written C++ reference of mechanisms/hh.mod's `state` and `current` kernels,
// the baseline kernel_bench compares the JIT with. Plain structure-of-arrays C++ as a
// competent engineer would write it without intrinsics, compiled with
// `-O3 -march=native` and nothing else (no -ffast-math, no -fveclib: so g++ does not
// vectorise the loops that call exp).
//
// It computes the very equations the JIT's kernels compute (mechc --emit-kernels):
// the rates with the vtrap form and q10 = 3^((celsius - 6.3)/10), the cnexp update in
// nocmodl's form, and NEURON's current (evaluated at v + 0.001 and v, di/dv by
// difference, accumulated into the ion and node arrays), without tables. Like the
// JIT, it stores every field the mechanism declares (minf..ntau, gna, gk, ina, ik,
// il), so both sides move the same bytes. node_index and the ion indices are followed
// for every read and write of shared data.
//
// The `lean` variants are what one would write for speed with the same arithmetic
// precision: rates in registers (no minf..ntau stores) and the cnexp step simplified
// to x += (1 - exp(-dt/xtau))*(xinf - x). They differ from the mechanism's values by
// rounding only and are reported as an extra row.
//
// The machine-limit loops (exp throughput, division throughput, STREAM-like triad)
// live here as well: they need the same -march=native code generation.

#include <cstdint>

namespace ranvier::bench {

// Everything the two kernels read and write, as SoA arrays of `count` instances
// (node and ion arrays are indexed through node_index / na_index / k_index).
struct HhArrays {
  // fields, one entry per instance
  double *gnabar, *gkbar, *gl, *el;
  double *m, *h, *n;
  double *minf, *hinf, *ninf, *mtau, *htau, *ntau;
  double *gna, *gk, *ina, *ik, *il;
  // nodes
  const std::int32_t *node_index;
  double *v, *rhs, *d;
  // ions
  const std::int32_t *na_index, *k_index;
  double *ena, *ion_ina, *ion_dinadv;
  double *ek, *ion_ik, *ion_dikdv;
};

void hhState(const HhArrays &a, double dt, double celsius, std::int32_t begin, std::int32_t end);
void hhCurrent(const HhArrays &a, std::int32_t begin, std::int32_t end);
void hhStateLean(const HhArrays &a, double dt, double celsius, std::int32_t begin, std::int32_t end);

// --- machine limits ------------------------------------------------------------

// y[i] = exp(x[i]) for `count` values, `passes` times: scalar glibc exp.
void expScalar(const double *x, double *y, std::int64_t count, int passes);
// The same with AVX-512 libmvec _ZGVeN8v_exp, 8 lanes a call (count a multiple of 8).
// Returns false (and does nothing) when this machine or glibc has no AVX-512 libmvec.
bool expVector(const double *x, double *y, std::int64_t count, int passes);
// y[i] = 1/x[i]: division throughput. divideScalar is kept scalar (divsd);
// divideVector is vectorised by g++ -O3 -march=native (vdivpd).
void divideScalar(const double *x, double *y, std::int64_t count, int passes);
void divideVector(const double *x, double *y, std::int64_t count, int passes);
// y[i] = table[k] + theta[i]*(table[k + 1] - table[k]) with k = index[i]: a TABLE
// lookup as the kernels do it (two gathers of 8 doubles per 8 lanes with AVX-512),
// from a table in L1. Returns false (and does nothing) without AVX-512.
bool tableLookup(const double *table, const std::int32_t *index, const double *theta, double *y, std::int64_t count, int passes);
// `passes` x `count` rounds of 12 independent FMAs of `width` doubles (8: 512-bit, 4:
// 256-bit): FMA instructions per second. Some AVX-512 cores have two 512-bit FMA units,
// some one (then 256-bit FMAs give as many flops). false without AVX-512.
bool fmaThroughput(int width, double *out, std::int64_t count, int passes);
// a[i] = b[i] + s*c[i], `passes` times (STREAM triad).
void triad(double *a, const double *b, const double *c, double s, std::int64_t count, int passes);

}  // namespace ranvier::bench
