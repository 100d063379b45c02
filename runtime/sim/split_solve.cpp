#include "sim/split_solve.hpp"

#include <algorithm>
#include <stdexcept>

namespace ranvier::sim {

namespace {
using Clock = std::chrono::steady_clock;
}

SplitCoupling::SplitCoupling(std::vector<ReducedSystem> cells, std::int32_t slots, int threads)
    : cells_(std::move(cells)), slotCount_(slots), slots_(2 * static_cast<std::size_t>(std::max(slots, 1)), 0.0), barrier_(threads) {
  if (threads < 1) throw std::invalid_argument("a split cell needs a thread");
}

SplitPart::SplitPart(std::shared_ptr<SplitCoupling> coupling, std::vector<Piece> pieces, std::vector<Owned> owned)
    : coupling_(std::move(coupling)), pieces_(std::move(pieces)), owned_(std::move(owned)) {
  cellSlot_.assign(coupling_->cells().size(), -1);
  auto takePart = [&](std::int32_t cell) {
    std::int32_t &slot = cellSlot_.at(static_cast<std::size_t>(cell));
    if (slot >= 0) return;
    slot = static_cast<std::int32_t>(cells_.size());
    cells_.push_back(cell);
    const std::size_t n = coupling_->cells()[static_cast<std::size_t>(cell)].nodes.size();
    for (auto *values : {&v_, &x_, &d_, &rhs_}) values->emplace_back(n, 0.0);
  };
  for (const Piece &p : pieces_) takePart(p.cell);
  for (const Owned &o : owned_) takePart(o.cell);
  for (const Piece &p : pieces_) f_.emplace_back(p.backbone.size(), 0.0);
}

void SplitPart::initialize() {
  for (std::size_t k = 0; k < cells_.size(); ++k) std::fill(v_[k].begin(), v_[k].end(), coupling_->cells()[static_cast<std::size_t>(cells_[k])].vInit);
  parity_ = 0;
  wait_ = 0;
  coupling_->barrier().reset();
}

void SplitPart::assemble(Nodes &nodes) {
  double *v = nodes.v.data(), *rhs = nodes.rhs.data(), *d = nodes.d.data();
  double *s = coupling_->slots(parity_);
  for (const Piece &p : pieces_) {
    const std::vector<double> &vi = v_[static_cast<std::size_t>(cellSlot_[static_cast<std::size_t>(p.cell)])];
    double *slot = s + p.slot;
    if (p.upper >= 0) {  // the link top - upper: top's row here, upper's into the slots
      const double dv = vi[static_cast<std::size_t>(p.upper)] - v[p.top];
      rhs[p.top] -= p.bTop * dv;
      d[p.top] -= p.bTop;
      slot[kUpperRhs] = p.aTop * dv;
      slot[kUpperD] = -p.aTop;
    }
    if (p.lower >= 0) {  // the link lower - q (lower's parent): q's row here, lower's into the slots
      const std::int32_t q = p.backbone.front();
      const double dv = v[q] - vi[static_cast<std::size_t>(p.lower)];
      rhs[q] += p.aLower * dv;
      d[q] -= p.aLower;
      slot[kLowerRhs] = -p.bLower * dv;
      slot[kLowerD] = -p.bLower;
    }
  }
}

bool SplitPart::join(const Nodes &nodes) {
  const double *rhs = nodes.rhs.data(), *d = nodes.d.data(), *a = nodes.a.data(), *b = nodes.b.data();
  double *s = coupling_->slots(parity_);
  for (std::size_t i = 0; i < pieces_.size(); ++i) {
    const Piece &p = pieces_[i];
    double *slot = s + p.slot;
    if (p.lower >= 0) {
      // Row x holds f * v_lower, row `lower` holds g * v_x: eliminating x moves both to
      // x's parent (f: -a f / d, g: -g b / d) and adds -g f / d, -g rhs / d to lower's row.
      double f = p.aLower, g = p.bLower;
      for (std::size_t k = 0; k < p.backbone.size(); ++k) {
        const std::int32_t x = p.backbone[k];
        const double dx = d[x];
        slot[kLowerD] -= g * f / dx;
        slot[kLowerRhs] -= g * rhs[x] / dx;
        f_[i][k] = f;
        if (x != p.top) {
          f = -a[x] * f / dx;
          g = -g * b[x] / dx;
        } else if (p.upper >= 0) {
          slot[kUpperLower] = -p.aTop * f / dx;
          slot[kLowerUpper] = -g * p.bTop / dx;
        }
      }
    }
    if (p.upper >= 0) {  // the top eliminated into upper, as into a parent
      slot[kUpperD] -= p.aTop * p.bTop / d[p.top];
      slot[kUpperRhs] -= p.aTop * rhs[p.top] / d[p.top];
    }
  }
  for (const Owned &o : owned_) {
    double *slot = s + coupling_->cells()[static_cast<std::size_t>(o.cell)].nodes[static_cast<std::size_t>(o.index)].ownSlot;
    slot[kOwnD] = d[o.node];
    slot[kOwnRhs] = rhs[o.node];
  }
  const auto arrived = Clock::now();
  const bool intact = coupling_->barrier().arriveAndWait();
  wait_ += std::chrono::duration<double>(Clock::now() - arrived).count();
  if (!intact) return false;
  for (std::size_t k = 0; k < cells_.size(); ++k) solveReduced(k, s);
  parity_ ^= 1;
  return true;
}

// The reduced system: every contribution in a fixed order, then Hines on its tree.
void SplitPart::solveReduced(std::size_t k, const double *s) {
  const ReducedSystem &sys = coupling_->cells()[static_cast<std::size_t>(cells_[k])];
  const std::size_t n = sys.nodes.size();
  std::vector<double> &D = d_[k], &R = rhs_[k], &x = x_[k];
  const std::vector<double> &v = v_[k];
  for (std::size_t i = 0; i < n; ++i) {
    const ReducedSystem::Node &node = sys.nodes[i];
    double di = s[node.ownSlot + kOwnD], ri = s[node.ownSlot + kOwnRhs];
    for (std::size_t j = 0; j < node.pieceSlots.size(); ++j) {
      const double *slot = s + node.pieceSlots[j];
      di += node.asUpper[j] ? slot[kUpperD] : slot[kLowerD];
      ri += node.asUpper[j] ? slot[kUpperRhs] : slot[kLowerRhs];
    }
    D[i] = di;
    R[i] = ri;
  }
  for (std::size_t i = 0; i < n; ++i) {  // direct links between interface nodes
    const ReducedSystem::Node &node = sys.nodes[i];
    if (node.parent < 0 || node.linkPiece >= 0) continue;
    const auto u = static_cast<std::size_t>(node.parent);
    const double dv = v[u] - v[i];
    R[i] -= node.b * dv;
    D[i] -= node.b;
    R[u] += node.a * dv;
    D[u] -= node.a;
  }
  auto below = [&](std::size_t i) { return sys.nodes[i].linkPiece >= 0 ? s[sys.nodes[i].linkPiece + kLowerUpper] : sys.nodes[i].b; };  // A[i][parent]
  auto above = [&](std::size_t i) { return sys.nodes[i].linkPiece >= 0 ? s[sys.nodes[i].linkPiece + kUpperLower] : sys.nodes[i].a; };  // A[parent][i]
  for (std::size_t i = n; i-- > 0;) {
    const std::int32_t u = sys.nodes[i].parent;
    if (u < 0) continue;
    const double up = above(i);
    D[static_cast<std::size_t>(u)] -= up * below(i) / D[i];
    R[static_cast<std::size_t>(u)] -= up * R[i] / D[i];
  }
  for (std::size_t i = 0; i < n; ++i) {
    const std::int32_t u = sys.nodes[i].parent;
    x[i] = (u < 0 ? R[i] : R[i] - below(i) * x[static_cast<std::size_t>(u)]) / D[i];
  }
}

void SplitPart::substituteInterfaces(Nodes &nodes) const {
  double *rhs = nodes.rhs.data();
  for (std::size_t i = 0; i < pieces_.size(); ++i) {
    const Piece &p = pieces_[i];
    const std::vector<double> &x = x_[static_cast<std::size_t>(cellSlot_[static_cast<std::size_t>(p.cell)])];
    if (p.upper >= 0) rhs[p.top] -= p.bTop * x[static_cast<std::size_t>(p.upper)];
    if (p.lower >= 0) {
      const double xl = x[static_cast<std::size_t>(p.lower)];
      for (std::size_t k = 0; k < p.backbone.size(); ++k) rhs[p.backbone[k]] -= f_[i][k] * xl;
    }
  }
}

void SplitPart::finish(Nodes &nodes) const {
  double *rhs = nodes.rhs.data();
  for (const Owned &o : owned_) rhs[o.node] = x_[static_cast<std::size_t>(cellSlot_[static_cast<std::size_t>(o.cell)])][static_cast<std::size_t>(o.index)];
}

void SplitPart::updateVoltages(double factor) {
  for (std::size_t k = 0; k < cells_.size(); ++k) {
    for (std::size_t i = 0; i < v_[k].size(); ++i) v_[k][i] += factor * x_[k][i];
  }
}

}  // namespace ranvier::sim
