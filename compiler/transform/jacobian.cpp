#include "transform/jacobian.hpp"

#include <fmt/format.h>
#include <set>

#include "ir/derivative.hpp"

namespace ranvier::transform {
namespace {

using ir::ExprRef;

class ForwardMode {
public:
  ForwardMode(const std::vector<UnknownRef> &unknowns, const ir::Mechanism &m,
              const std::function<ir::VarId(const std::string &)> &newLocal)
      : unknowns_(unknowns), m_(m), newLocal_(newLocal) {}

  Differentiated run(const ir::Body &body) {
    // Which (variable, unknown) derivatives can be non-zero: a fixpoint over every
    // assignment, in any order (loops and branches make order irrelevant here).
    for (bool changed = true; changed && error_.empty();) {
      changed = false;
      scan(body, [&](const ir::Stmt &s) {
        for (std::size_t j = 0; j < unknowns_.size(); ++j) {
          if (nonzero_.contains({s.target, j})) continue;
          auto d = ir::differentiate(s.value, probe(j));
          if (d && *d) {
            nonzero_.insert({s.target, j});
            changed = true;
          }
        }
      });
    }
    Differentiated out;
    if (!error_.empty()) {
      out.error = error_;
      return out;
    }
    for (const auto &[var, j] : nonzero_) {
      if (!locals_.contains({var, j})) {
        locals_[{var, j}] = newLocal_(fmt::format("d_{}_d_{}", m_.variables[var].name, unknownName(j)));
      }
    }
    for (const auto &[key, local] : locals_) out.body.push_back(ir::assign(local, ir::constant(0)));
    rewrite(body, out.body);
    if (!error_.empty()) {
      out.error = error_;
      return out;
    }
    for (const auto &[key, local] : locals_) {
      auto &g = out.gradient[key.first];
      g.resize(unknowns_.size());
      g[key.second] = ir::var(local);
    }
    return out;
  }

private:
  std::string unknownName(std::size_t j) const {
    const UnknownRef &u = unknowns_[j];
    std::string name = m_.variables[u.var].name;
    if (u.index) name += fmt::format("{}", u.index->value);
    return name;
  }

  std::optional<std::size_t> unknownOf(ir::VarId id, const ExprRef &index) const {
    for (std::size_t j = 0; j < unknowns_.size(); ++j) {
      const UnknownRef &u = unknowns_[j];
      if (u.var != id) continue;
      if (!u.index && !index) return j;
      if (u.index && index && index->isConst() && index->value == u.index->value) return j;
    }
    return std::nullopt;
  }

  bool isUnknownArray(ir::VarId id) const {
    for (const UnknownRef &u : unknowns_) {
      if (u.var == id && u.index) return true;
    }
    return false;
  }

  // d(use)/d(unknown j) while finding the non-zero pattern: a placeholder 1.
  ir::VarDerivative probe(std::size_t j) {
    return [this, j](ir::VarId id, const ExprRef &index) -> std::optional<ExprRef> {
      if (auto k = unknownOf(id, index)) return *k == j ? ir::constant(1) : nullptr;
      if (index && isUnknownArray(id)) {
        error_ = fmt::format("'{}' is indexed by a value that is not constant; write the index as a "
                             "number or use FROM with constant bounds", m_.variables[id].name);
        return std::nullopt;
      }
      if (nonzero_.contains({id, j})) return ir::constant(1);
      return ExprRef{};
    };
  }

  ir::VarDerivative derivative(std::size_t j) {
    return [this, j](ir::VarId id, const ExprRef &index) -> std::optional<ExprRef> {
      if (auto k = unknownOf(id, index)) return *k == j ? ir::constant(1) : nullptr;
      if (auto it = locals_.find({id, j}); it != locals_.end()) return ir::var(it->second);
      return ExprRef{};
    };
  }

  void scan(const ir::Body &body, const std::function<void(const ir::Stmt &)> &f) {
    for (const ir::Stmt &s : body) {
      if (s.kind == ir::StmtKind::Assign) f(s);
      scan(s.body, f);
      scan(s.otherwise, f);
    }
  }

  void rewrite(const ir::Body &in, ir::Body &out) {
    for (const ir::Stmt &s : in) {
      if (s.kind == ir::StmtKind::If || s.kind == ir::StmtKind::While) {
        ir::Stmt copy = s;
        copy.body.clear();
        copy.otherwise.clear();
        rewrite(s.body, copy.body);
        rewrite(s.otherwise, copy.otherwise);
        out.push_back(std::move(copy));
        continue;
      }
      if (s.kind != ir::StmtKind::Assign) {
        out.push_back(s);
        continue;
      }
      if (unknownOf(s.target, s.index) || (s.index && isUnknownArray(s.target))) {
        error_ = fmt::format("the block assigns '{}', which it solves for", m_.variables[s.target].name);
        return;
      }
      // Derivatives first: they read the old value of the target.
      for (std::size_t j = 0; j < unknowns_.size(); ++j) {
        auto it = locals_.find({s.target, j});
        if (it == locals_.end()) continue;
        if (s.index) {
          error_ = fmt::format("the array '{}' depends on the unknowns; Ranvier cannot differentiate "
                               "array temporaries yet", m_.variables[s.target].name);
          return;
        }
        auto d = ir::differentiate(s.value, derivative(j));
        if (!d) {
          error_ = fmt::format("the value of '{}' cannot be differentiated (it calls a recursive function)",
                               m_.variables[s.target].name);
          return;
        }
        out.push_back(ir::assign(it->second, *d ? *d : ir::constant(0)));
      }
      out.push_back(s);
    }
  }

  const std::vector<UnknownRef> &unknowns_;
  const ir::Mechanism &m_;
  const std::function<ir::VarId(const std::string &)> &newLocal_;
  std::set<std::pair<ir::VarId, std::size_t>> nonzero_;
  std::map<std::pair<ir::VarId, std::size_t>, ir::VarId> locals_;
  std::string error_;
};

}  // namespace

Differentiated differentiateBody(const ir::Body &body, const std::vector<UnknownRef> &unknowns,
                                 const ir::Mechanism &mechanism,
                                 const std::function<ir::VarId(const std::string &)> &newLocal) {
  return ForwardMode(unknowns, mechanism, newLocal).run(body);
}

}  // namespace ranvier::transform
