// Compiled with -ffp-contract=off (runtime/CMakeLists.txt): a multiply and an add must
// stay two roundings in every variant, or vector and node-by-node runs would differ.
#include "sim/tree_solver.hpp"

#include <algorithm>

namespace ranvier::sim {

namespace {

// Variants for the host's vector width, chosen once at load time.
#define RANVIER_VECTOR_VARIANTS __attribute__((target_clones("default", "avx2", "avx512f")))

RANVIER_VECTOR_VARIANTS
void assembleRun(double *__restrict d, double *__restrict rhs, double *__restrict dp, double *__restrict rhsp, const double *__restrict v,
                 const double *__restrict vp, const double *__restrict a, const double *__restrict b, const double *__restrict cm, std::int32_t n,
                 double cfac) {
  for (std::int32_t k = 0; k < n; ++k) {
    d[k] += cfac * cm[k];
    const double dv = vp[k] - v[k];
    rhs[k] -= b[k] * dv;
    rhsp[k] += a[k] * dv;
    d[k] -= b[k];
    dp[k] -= a[k];
  }
}

RANVIER_VECTOR_VARIANTS
void eliminateRun(const double *__restrict d, const double *__restrict rhs, double *__restrict dp, double *__restrict rhsp, double *__restrict inv,
                  double *__restrict bd, const double *__restrict a, const double *__restrict b, const double *__restrict ab, std::int32_t n) {
  // Forward: each parent is touched once per run, so the order within a run is free.
  for (std::int32_t k = 0; k < n; ++k) {
    const double di = d[k];
    inv[k] = 1.0 / di;
    bd[k] = b[k] * inv[k];
    dp[k] -= ab[k] / di;
    rhsp[k] -= a[k] * inv[k] * rhs[k];
  }
}

RANVIER_VECTOR_VARIANTS
void substituteRun(double *__restrict rhs, const double *__restrict rhsp, const double *__restrict inv, const double *__restrict bd, std::int32_t n) {
  for (std::int32_t k = 0; k < n; ++k) rhs[k] = rhs[k] * inv[k] - bd[k] * rhsp[k];
}

// An unbranched stretch: node k's parent is k - 1. Its own terms and its parent's
// share are two vector passes; each location still sees its operations in node order
// (a node's own terms first, then its one child's).
RANVIER_VECTOR_VARIANTS
void assembleChain(double *__restrict d, double *__restrict rhs, const double *__restrict v, const double *__restrict vp, const double *__restrict b,
                   const double *__restrict cm, std::int32_t n, double cfac) {
  for (std::int32_t k = 0; k < n; ++k) {
    d[k] += cfac * cm[k];
    rhs[k] -= b[k] * (vp[k] - v[k]);
    d[k] -= b[k];
  }
}

RANVIER_VECTOR_VARIANTS
void assembleChainParents(double *__restrict dp, double *__restrict rhsp, const double *__restrict v, const double *__restrict vp,
                          const double *__restrict a, std::int32_t n) {
  for (std::int32_t k = 0; k < n; ++k) {
    rhsp[k] += a[k] * (vp[k] - v[k]);
    dp[k] -= a[k];
  }
}

// Cells that are short chains (single compartments: NEURON's root node, the segment and
// the 1-end): assemble, eliminate and substitute of the run loops above fused into one
// pass per cell. Each value sees the same operations in the same order as there (level
// by level; the elimination from the last level up), so the results are the same bits,
// without the scratch arrays and five passes over memory. Node (level j, cell k) is
// j * n + k.
template <int Levels>
RANVIER_VECTOR_VARIANTS void solveChains(double *__restrict d, double *__restrict rhs, const double *__restrict v, const double *__restrict cm,
                                         const double *__restrict a, const double *__restrict b, const double *__restrict ab, std::int32_t n,
                                         double cfac) {
  for (std::int32_t k = 0; k < n; ++k) {
    double dk[Levels], rk[Levels], inv[Levels], bd[Levels];
    for (int j = 0; j < Levels; ++j) {
      dk[j] = d[j * n + k];
      rk[j] = rhs[j * n + k];
    }
    dk[0] += cfac * cm[k];
    for (int j = 1; j < Levels; ++j) {
      const std::int32_t i = j * n + k;
      dk[j] += cfac * cm[i];
      const double dv = v[i - n] - v[i];
      rk[j] -= b[i] * dv;
      rk[j - 1] += a[i] * dv;
      dk[j] -= b[i];
      dk[j - 1] -= a[i];
    }
    for (int j = Levels - 1; j >= 1; --j) {
      const std::int32_t i = j * n + k;
      inv[j] = 1.0 / dk[j];
      bd[j] = b[i] * inv[j];
      dk[j - 1] -= ab[i] / dk[j];
      rk[j - 1] -= a[i] * inv[j] * rk[j];
    }
    inv[0] = 1.0 / dk[0];
    rk[0] *= inv[0];
    for (int j = 1; j < Levels; ++j) rk[j] = rk[j] * inv[j] - bd[j] * rk[j - 1];
    for (int j = 0; j < Levels; ++j) {
      d[j * n + k] = dk[j];
      rhs[j * n + k] = rk[j];
    }
  }
}

constexpr std::int32_t kShortestVectorRun = 4;
constexpr std::int32_t kLongestFusedChain = 4;
constexpr std::int32_t kShortestChain = 16;

}  // namespace

TreeSolver::TreeSolver(const Nodes &nodes) {
  const std::int32_t n = nodes.count;
  const std::int32_t *parent = nodes.parent.data();
  // depth blocks
  std::vector<std::int32_t> depth(static_cast<std::size_t>(n), 0);
  for (std::int32_t i = 0; i < n; ++i) depth[static_cast<std::size_t>(i)] = parent[i] < 0 ? 0 : depth[static_cast<std::size_t>(parent[i])] + 1;
  auto addScalar = [&](std::int32_t begin, std::int32_t end) {
    if (begin == end) return;
    if (!runs_.empty() && runs_.back().offset < 0 && runs_.back().end == begin) runs_.back().end = end;
    else runs_.push_back({begin, end, -1});
  };
  std::int32_t i = 0;
  while (i < n) {
    std::int32_t blockEnd = i;
    while (blockEnd < n && depth[static_cast<std::size_t>(blockEnd)] == depth[static_cast<std::size_t>(i)]) ++blockEnd;
    std::int32_t scalarFrom = i;
    std::int32_t k = i;
    while (k < blockEnd) {
      const std::int32_t offset = parent[k] < 0 ? 0 : k - parent[k];
      std::int32_t e = k + 1;
      while (e < blockEnd && (parent[e] < 0 ? 0 : e - parent[e]) == offset) ++e;
      if (e - k >= kShortestVectorRun || offset == 0) {
        addScalar(scalarFrom, k);
        runs_.push_back({k, e, offset});
        scalarFrom = e;
      }
      k = e;
    }
    addScalar(scalarFrom, blockEnd);
    i = blockEnd;
  }
  // Unbranched stretches inside the node-by-node runs become chain runs.
  std::vector<Run> split;
  for (const Run &r : runs_) {
    if (r.offset != -1) {
      split.push_back(r);
      continue;
    }
    std::int32_t from = r.begin, k = r.begin;
    while (k < r.end) {
      std::int32_t e = k;
      while (e < r.end && parent[e] == e - 1) ++e;
      if (e - k >= kShortestChain) {
        if (from < k) split.push_back({from, k, -1});
        split.push_back({k, e, kChain});
        from = e;
      }
      k = std::max(e, k + 1);
    }
    if (from < r.end) split.push_back({from, r.end, -1});
  }
  runs_ = std::move(split);
  // Chains: the first `cells` nodes are the roots and every other node's parent is the
  // node `cells` before it (whether or not the runs above are vector runs).
  std::int32_t cells = 0;
  while (cells < n && parent[cells] < 0) ++cells;
  const std::int32_t levels = cells > 0 && n % cells == 0 ? n / cells : 0;
  bool chains = levels >= 2 && levels <= kLongestFusedChain;
  for (std::int32_t node = cells; chains && node < n; ++node) chains = parent[node] == node - cells;
  if (chains) chainLevels_ = levels;
}

void TreeSolver::assembleAndSolve(Nodes &nodes, double cfac) const {
  double *rhs = nodes.rhs.data(), *d = nodes.d.data();
  const double *v = nodes.v.data(), *cm = nodes.cm.data(), *a = nodes.a.data(), *b = nodes.b.data(), *ab = nodes.ab.data();
  const std::int32_t cells = chainLevels_ > 0 ? nodes.count / chainLevels_ : 0;
  switch (chainLevels_) {
  case 2: solveChains<2>(d, rhs, v, cm, a, b, ab, cells, cfac); return;
  case 3: solveChains<3>(d, rhs, v, cm, a, b, ab, cells, cfac); return;
  case 4: solveChains<4>(d, rhs, v, cm, a, b, ab, cells, cfac); return;
  default:
    assemble(nodes, cfac);
    solve(nodes);
  }
}

void TreeSolver::assemble(Nodes &nodes, double cfac) const {
  double *v = nodes.v.data(), *rhs = nodes.rhs.data(), *d = nodes.d.data();
  const double *a = nodes.a.data(), *b = nodes.b.data(), *cm = nodes.cm.data();
  const std::int32_t *parent = nodes.parent.data();
  for (const Run &r : runs_) {
    if (r.offset > 0) {
      const std::int32_t s = r.begin, p = r.begin - r.offset;
      assembleRun(d + s, rhs + s, d + p, rhs + p, v + s, v + p, a + s, b + s, cm + s, r.end - r.begin, cfac);
    } else if (r.offset == 0) {
      for (std::int32_t k = r.begin; k < r.end; ++k) d[k] += cfac * cm[k];
    } else if (r.offset == kChain) {
      const std::int32_t s = r.begin, n = r.end - r.begin;
      assembleChain(d + s, rhs + s, v + s, v + s - 1, b + s, cm + s, n, cfac);
      assembleChainParents(d + s - 1, rhs + s - 1, v + s, v + s - 1, a + s, n);
    } else {
      for (std::int32_t k = r.begin; k < r.end; ++k) {
        d[k] += cfac * cm[k];
        const std::int32_t p = parent[k];
        if (p < 0) continue;
        const double dv = v[p] - v[k];
        rhs[k] -= b[k] * dv;
        rhs[p] += a[k] * dv;
        d[k] -= b[k];
        d[p] -= a[k];
      }
    }
  }
}

// Along an unbranched stretch both passes are chains from node to node, so each link is
// kept short: the elimination is one division and one subtraction per node
// (d[p] -= (a*b)/d; NEURON: a/d, then *b), and the back substitution one multiply and one
// subtraction (rhs/d - (b/d)*rhs[p], with 1/d and b/d computed off the chain; NEURON:
// (rhs - b*rhs[p])/d). Rounding differs from NEURON's in the last bits only (1e-11 mV on
// the examples).
void TreeSolver::eliminate(Nodes &nodes) const {
  double *rhs = nodes.rhs.data(), *d = nodes.d.data(), *inv = nodes.inverseD.data(), *bd = nodes.bOverD.data();
  const double *a = nodes.a.data(), *b = nodes.b.data(), *ab = nodes.ab.data();
  const std::int32_t *parent = nodes.parent.data();
  for (auto r = runs_.rbegin(); r != runs_.rend(); ++r) {
    if (r->offset > 0) {
      const std::int32_t s = r->begin, p = r->begin - r->offset;
      eliminateRun(d + s, rhs + s, d + p, rhs + p, inv + s, bd + s, a + s, b + s, ab + s, r->end - r->begin);
    } else if (r->offset == 0) {
      for (std::int32_t k = r->end - 1; k >= r->begin; --k) inv[k] = 1.0 / d[k];
    } else if (r->offset == kChain) {
      for (std::int32_t k = r->end - 1; k >= r->begin; --k) {
        const double dk = d[k];
        inv[k] = 1.0 / dk;
        bd[k] = b[k] * inv[k];
        d[k - 1] -= ab[k] / dk;
        rhs[k - 1] -= a[k] * inv[k] * rhs[k];
      }
    } else {
      for (std::int32_t k = r->end - 1; k >= r->begin; --k) {
        const std::int32_t p = parent[k];
        const double dk = d[k];
        inv[k] = 1.0 / dk;
        bd[k] = b[k] * inv[k];
        if (p < 0) continue;
        d[p] -= ab[k] / dk;
        rhs[p] -= a[k] * inv[k] * rhs[k];
      }
    }
  }
}

void TreeSolver::substitute(Nodes &nodes) const {
  double *rhs = nodes.rhs.data();
  const double *inv = nodes.inverseD.data(), *bd = nodes.bOverD.data();
  const std::int32_t *parent = nodes.parent.data();
  for (const Run &r : runs_) {
    if (r.offset > 0) {
      substituteRun(rhs + r.begin, rhs + r.begin - r.offset, inv + r.begin, bd + r.begin, r.end - r.begin);
    } else if (r.offset == 0) {
      for (std::int32_t k = r.begin; k < r.end; ++k) rhs[k] *= inv[k];
    } else if (r.offset == kChain) {
      for (std::int32_t k = r.begin; k < r.end; ++k) rhs[k] = rhs[k] * inv[k] - bd[k] * rhs[k - 1];
    } else {
      for (std::int32_t k = r.begin; k < r.end; ++k) {
        const std::int32_t p = parent[k];
        rhs[k] = p >= 0 ? rhs[k] * inv[k] - bd[k] * rhs[p] : rhs[k] * inv[k];
      }
    }
  }
}

}  // namespace ranvier::sim
