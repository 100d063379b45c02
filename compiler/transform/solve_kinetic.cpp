// KINETIC blocks as NEURON's `sparse` method solves them: implicit Euler on
//   vol_i * dx_i/dt = sum of the fluxes of the reactions x_i takes part in,
// by Newton's method with NEURON's matrix: the derivatives of the mass-action
// products, rates held constant, plus vol_i/dt on the diagonal. A CONSERVE statement
// replaces one state's equation by the volume-weighted total. Schemes with at most
// one state molecule on each side of every reaction take exactly one Newton step
// (NEURON's linflag); others iterate until the sum of |changes| <= 1e-6, setting
// states that go negative to zero. STEADYSTATE takes steps of dt = 1e9 ms.

#include <fmt/format.h>

#include "transform/lowerer.hpp"

namespace ranvier::transform {

using namespace ranvier::ast;

namespace {

ir::ExprRef plus(const ir::ExprRef &a, const ir::ExprRef &b) { return a ? ir::add(a, b) : b; }
ir::ExprRef minus(const ir::ExprRef &a, const ir::ExprRef &b) { return a ? ir::sub(a, b) : ir::neg(b); }

}  // namespace

void Lowerer::solveKinetic(const ast::NamedBlock &nb, bool steadyState, SourceRange where) {
  auto coefficient = [&](const Reactant &r) -> double {
    return r.coefficient ? integer(*r.coefficient) : 1.0;
  };

  // Discovery: the unknowns (STATE species, array elements unrolled), whether any
  // reaction makes the scheme non-linear, and whether there are reactions at all.
  std::vector<Unknown> unknowns;
  bool linear = true;
  int reactions = 0;
  {
    auto saved = intercept_;
    intercept_ = [&](const ast::Stmt &s) {
      auto note = [&](const std::vector<Reactant> &side) {
        double molecules = 0;
        for (const Reactant &r : side) {
          if (auto u = unknownOf(*r.species, false)) {
            if (!position(unknowns, *u)) unknowns.push_back(*u);
            molecules += coefficient(r);
          }
        }
        if (molecules > 1) linear = false;
      };
      if (const auto *r = dyn_cast<ReactionStmt>(&s)) {
        ++reactions;
        note(r->lhs);
        note(r->rhs);
        return true;
      }
      if (const auto *c = dyn_cast<ConserveStmt>(&s)) {
        const bool before = linear;  // a conservation sum is not a reaction
        note(c->lhs);
        linear = before;
        return true;
      }
      return isa<CompartmentStmt>(s);
    };
    const bool savedUnroll = unroll_;
    unroll_ = true;
    dryRun([&] { block(*nb.body); });
    unroll_ = savedUnroll;
    intercept_ = saved;
  }
  if (reactions == 0) {
    error(nb.name.range, fmt::format("KINETIC block '{}' has no reactions", nb.name.name),
          "write reactions as `~ A <-> B (kf, kb)`");
    return;
  }
  if (unknowns.empty()) {
    error(nb.name.range, fmt::format("the reactions of KINETIC block '{}' involve no STATE", nb.name.name));
    return;
  }
  const std::size_t n = unknowns.size();
  const ir::ExprRef dt = steadyState ? ir::constant(options_.solver.steadyStateDt) : ir::var(*globals_.at("dt").var);
  std::vector<ir::VarId> old;
  for (const Unknown &u : unknowns) {
    old.push_back(newLocal(u.name + "_old"));
    emit(ir::assign(old.back(), ir::var(u.var, u.index)));
  }

  auto iteration = [&]() -> LinearStep {
    std::vector<ir::ExprRef> flux(n), matrix(n * n), volume(n);
    struct Conserve {
      std::vector<std::pair<std::size_t, double>> terms;
      ir::ExprRef total;
      SourceRange range;
    };
    std::vector<Conserve> conserves;
    int reaction = 0;
    auto capture = [&](const std::string &name, ir::ExprRef value) {
      if (value->isConst() || (value->op == ir::Op::Var && value->args.empty())) return value;
      const ir::VarId local = newLocal(name);
      emit(ir::assign(local, value));
      return ir::var(local);
    };
    // The species of one side: (row or none, coefficient, value).
    struct Species {
      std::optional<std::size_t> row;
      double coefficient;
      ir::ExprRef value;
    };
    auto sideOf = [&](const std::vector<Reactant> &side) {
      std::vector<Species> out;
      for (const Reactant &r : side) {
        // Species that are not STATEs (an ion concentration, a PARAMETER) are
        // constants of the scheme, as in NEURON.
        std::optional<std::size_t> row;
        if (auto u = unknownOf(*r.species, false)) {
          row = position(unknowns, *u);
        } else if (auto b = lookup(r.species->name.name);
                   b && b->var && m_.variables[*b->var].role == ir::Role::State) {
          unknownOf(*r.species, true);  // a STATE array element with a computed index: say so
        }
        out.push_back(Species{row, coefficient(r), varRef(*r.species, false)});
      }
      return out;
    };
    // rate * prod(species^coefficient), and its derivative with respect to species k.
    auto product = [](const ir::ExprRef &rate, const std::vector<Species> &side, std::optional<std::size_t> without) {
      ir::ExprRef p = rate;
      for (std::size_t k = 0; k < side.size(); ++k) {
        double power = side[k].coefficient;
        if (without && *without == k) {
          p = ir::mul(p, ir::constant(power));
          power -= 1;
        }
        if (power == 0) continue;
        p = ir::mul(p, power == 1 ? side[k].value : ir::pow(side[k].value, ir::constant(power)));
      }
      return p;
    };
    // `term` is d(flux)/d(column): it enters rows of one side with `sign`.
    auto addTerm = [&](const std::vector<Species> &rows, double sign, std::size_t column, const ir::ExprRef &term) {
      for (const Species &r : rows) {
        if (!r.row) continue;
        ir::ExprRef &m = matrix[*r.row * n + column];
        ir::ExprRef t = ir::mul(ir::constant(sign * r.coefficient), term);
        m = plus(m, t);
      }
    };

    auto saved = intercept_;
    intercept_ = [&](const ast::Stmt &s) {
      if (const auto *r = dyn_cast<ReactionStmt>(&s)) {
        ++reaction;
        const std::vector<Species> lhs = sideOf(r->lhs);
        const std::vector<Species> rhs = sideOf(r->rhs);
        ir::ExprRef forward, backward;
        const std::string tag = fmt::format("reaction{}", reaction);
        if (r->op == ReactionOp::FluxIn) {
          // ~ x << (F): F enters x's equation as it is
          ir::ExprRef in = capture(tag + "_flux", expr(*r->forwardRate));
          for (const Species &x : lhs) {
            if (x.row) flux[*x.row] = plus(flux[*x.row], ir::mul(ir::constant(x.coefficient), in));
          }
          forward = ir::constant(0);
          backward = in;
        } else {
          const ir::ExprRef kf = capture(tag + "_kf", expr(*r->forwardRate));
          const ir::ExprRef kb = r->op == ReactionOp::Reversible ? capture(tag + "_kb", expr(*r->backwardRate))
                                                                 : ir::constant(0);
          forward = capture(tag + "_forward", product(kf, lhs, std::nullopt));
          backward = r->op == ReactionOp::Reversible ? capture(tag + "_backward", product(kb, rhs, std::nullopt))
                                                     : ir::constant(0);
          const ir::ExprRef net = ir::sub(forward, backward);
          for (const Species &x : lhs) {
            if (x.row) flux[*x.row] = minus(flux[*x.row], ir::mul(ir::constant(x.coefficient), net));
          }
          for (const Species &y : rhs) {
            if (y.row) flux[*y.row] = plus(flux[*y.row], ir::mul(ir::constant(y.coefficient), net));
          }
          for (std::size_t k = 0; k < lhs.size(); ++k) {
            if (!lhs[k].row) continue;
            const ir::ExprRef term = product(kf, lhs, k);
            addTerm(lhs, +1, *lhs[k].row, term);
            addTerm(rhs, -1, *lhs[k].row, term);
          }
          for (std::size_t k = 0; k < rhs.size() && r->op == ReactionOp::Reversible; ++k) {
            if (!rhs[k].row) continue;
            const ir::ExprRef term = product(kb, rhs, k);
            addTerm(lhs, -1, *rhs[k].row, term);
            addTerm(rhs, +1, *rhs[k].row, term);
          }
        }
        forwardFlux_ = forward;
        backwardFlux_ = backward;
        return true;
      }
      if (const auto *c = dyn_cast<CompartmentStmt>(&s)) {
        if (c->longitudinalDiffusion) {
          // not part of the step's matrix: the runtime diffuses along the cell afterwards
          if (std::find_if(longDiffusions_.begin(), longDiffusions_.end(), [&](const auto &d) { return d.first == c; }) == longDiffusions_.end()) {
            longDiffusions_.emplace_back(c, &nb);
          }
          return true;
        }
        for (const Identifier &species : c->species) {
          std::optional<Binding> b = lookup(species.name);
          if (!b) continue;  // not declared: sema warned, and it is ignored as nocmodl does
          if (!b->var || m_.variables[*b->var].role != ir::Role::State) {
            // nocmodl 8.2.2 ignores it too (a ModelDB IP3 pool names its constant ip3i0)
            diags_->warning(species.range, fmt::format("COMPARTMENT names '{}', which is not a STATE: ignored, as nocmodl does", species.name))
                .withHint(fmt::format("remove '{}' from the COMPARTMENT statement", species.name));
            continue;
          }
          // copies: capture() adds variables, which may move the table
          const std::string name = m_.variables[*b->var].name;
          const std::uint32_t size = m_.variables[*b->var].size;
          for (std::uint32_t k = 0; k < size; ++k) {
            ir::ExprRef index = size > 1 ? ir::constant(k) : nullptr;
            scopes_.emplace_back();
            if (c->index) bind(c->index->name, Binding{.value = ir::constant(k)});
            ir::ExprRef vol = capture(fmt::format("volume_{}{}", name, size > 1 ? std::to_string(k) : ""),
                                      expr(*c->amount));
            scopes_.pop_back();
            if (auto row = position(unknowns, Unknown{*b->var, index, name})) volume[*row] = vol;
          }
        }
        return true;
      }
      if (const auto *c = dyn_cast<ConserveStmt>(&s)) {
        Conserve conserve{.range = c->range};
        for (const Species &x : sideOf(c->lhs)) {
          if (x.row) conserve.terms.emplace_back(*x.row, x.coefficient);
        }
        conserve.total = capture(fmt::format("total{}", conserves.size()), expr(*c->total));
        conserves.push_back(std::move(conserve));
        return true;
      }
      return false;
    };
    const bool savedUnroll = unroll_;
    unroll_ = true;
    scopes_.emplace_back();
    block(*nb.body);
    scopes_.pop_back();
    unroll_ = savedUnroll;
    intercept_ = saved;
    forwardFlux_ = backwardFlux_ = nullptr;

    // Which equation each CONSERVE replaces: NEURON gives the last CONSERVE the first
    // pick, and picks the last-written state of it that is free (not an array element).
    std::vector<const Conserve *> replacedBy(n, nullptr);
    for (auto c = conserves.rbegin(); c != conserves.rend(); ++c) {
      bool placed = false;
      for (auto t = c->terms.rbegin(); t != c->terms.rend() && !placed; ++t) {
        if (replacedBy[t->first] == nullptr && !unknowns[t->first].index) {
          replacedBy[t->first] = &*c;
          placed = true;
        }
      }
      if (!placed) error(c->range, "this CONSERVE has no STATE left whose equation it could replace");
    }
    LinearStep step{std::vector<ir::ExprRef>(n * n), std::vector<ir::ExprRef>(n)};
    for (std::size_t i = 0; i < n; ++i) {
      const ir::ExprRef x = ir::var(unknowns[i].var, unknowns[i].index);
      auto scaledBy = [&](std::size_t j, ir::ExprRef e) { return volume[j] ? ir::mul(e, volume[j]) : e; };
      if (const Conserve *c = replacedBy[i]) {
        ir::ExprRef sum = ir::constant(0);
        for (const auto &[j, coef] : c->terms) {
          const ir::ExprRef cv = scaledBy(j, ir::constant(coef));
          sum = ir::add(sum, ir::mul(cv, ir::var(unknowns[j].var, unknowns[j].index)));
          step.matrix[i * n + j] = plus(step.matrix[i * n + j], cv);
        }
        step.rhs[i] = ir::sub(c->total, sum);
        continue;
      }
      const ir::ExprRef inertia = scaledBy(i, ir::div(ir::constant(1), dt));
      ir::ExprRef r = ir::neg(ir::mul(inertia, ir::sub(x, ir::var(old[i]))));
      step.rhs[i] = flux[i] ? ir::add(r, flux[i]) : r;
      for (std::size_t j = 0; j < n; ++j) step.matrix[i * n + j] = matrix[i * n + j];
      step.matrix[i * n + i] = plus(step.matrix[i * n + i], inertia);
    }
    return step;
  };

  const std::string what = fmt::format("{}KINETIC block '{}'", steadyState ? "the steady state of " : "", nb.name.name);
  const NewtonPolicy iterate{.kind = NewtonPolicy::Kind::SumOfChanges, .maxIterations = options_.solver.sparseMaxIterations,
                             .tolerance = options_.solver.sparseTolerance, .clampNegative = true};
  if (steadyState && !linear) {
    // NEURON's _ss_sparse_thread: up to seven single steps (no clamping), each followed
    // by check_state (states below -1e-6 set to 0; it passes when there were none); once
    // one passes, the full iteration from there (x_old the state it starts from).
    constexpr int kTries = 7;
    const ir::VarId tries = newLocal("tries"), passed = newLocal("passed");
    emit(ir::assign(tries, ir::constant(0)));
    emit(ir::assign(passed, ir::constant(0)));
    auto x = [&](std::size_t i) { return ir::var(unknowns[i].var, unknowns[i].index); };
    ir::Body attempt = collect([&] {
      for (std::size_t i = 0; i < n; ++i) emit(ir::assign(old[i], x(i)));
      newtonLoop(unknowns, iteration, NewtonPolicy{.kind = NewtonPolicy::Kind::OneStep, .maxIterations = 1}, what, where);
      ir::ExprRef allAbove = ir::boolean(true);
      for (std::size_t i = 0; i < n; ++i) allAbove = ir::binary(ir::Op::And, allAbove, ir::binary(ir::Op::Ge, x(i), ir::constant(-1e-6)));
      emit(ir::assign(passed, ir::asReal(allAbove)));
      for (std::size_t i = 0; i < n; ++i) {
        emit(ir::assign(unknowns[i].var, ir::select(ir::binary(ir::Op::Lt, x(i), ir::constant(-1e-6)), ir::constant(0), x(i)), unknowns[i].index));
      }
      emit(ir::assign(tries, ir::add(ir::var(tries), ir::constant(1))));
    });
    emit(ir::whileLoop(ir::binary(ir::Op::And, ir::binary(ir::Op::Eq, ir::var(passed), ir::constant(0)),
                                  ir::binary(ir::Op::Lt, ir::var(tries), ir::constant(kTries))),
                       std::move(attempt)));
    ir::Stmt fail;
    fail.kind = ir::StmtKind::Fail;
    fail.index2 = addError(fmt::format("{}: a state stayed below -1e-6 after {} single steps (NEURON's test)", what, kTries), where);
    ir::Body full = collect([&] {
      for (std::size_t i = 0; i < n; ++i) emit(ir::assign(old[i], x(i)));
      newtonLoop(unknowns, iteration, iterate, what, where);
    });
    emit(ir::ifThen(ir::binary(ir::Op::Ne, ir::var(passed), ir::constant(0)), std::move(full), {std::move(fail)}));
  } else if (linear && !steadyState) {
    newtonLoop(unknowns, iteration, NewtonPolicy{.kind = NewtonPolicy::Kind::OneStep, .maxIterations = 1}, what, where);
  } else {
    newtonLoop(unknowns, iteration, iterate, what, where);
  }
  // Crank-Nicolson: x += dt * (x - x_old) / step, sparse's slope (second_order.cpp); for
  // a non-linear steady state x_old is where the full iteration started, as in NEURON.
  std::vector<ir::ExprRef> slopes;
  for (std::size_t i = 0; i < n; ++i) slopes.push_back(ir::div(ir::sub(ir::var(unknowns[i].var, unknowns[i].index), ir::var(old[i])), dt));
  extrapolateUnderSecondOrder(unknowns, slopes, ir::var(*globals_.at("dt").var), where);
  if (!steadyState) halvesDt_ = true;
}

}  // namespace ranvier::transform
