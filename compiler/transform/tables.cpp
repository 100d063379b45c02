// TABLE ... DEPEND ... FROM ... TO ... WITH n, as NEURON builds and reads it: the
// function is evaluated at n+1 points (x accumulated by dx, as NEURON does), values
// in between are interpolated linearly, values beyond the ends take the end values,
// NaN passes through, and the table is rebuilt when a DEPEND value changes.
// `usetable` (usetable_<suffix> to the user) switches tables off.

#include <fmt/format.h>

#include "transform/lowerer.hpp"

namespace ranvier::transform {

using namespace ranvier::ast;

void Lowerer::declareTables() {
  std::optional<ir::VarId> usetable;
  for (const auto &[name, callable] : callables_) {
    const TableStmt *table = nullptr;
    for (const StmtPtr &s : callable->body->statements) {
      if (const auto *t = dyn_cast<TableStmt>(s.get())) table = t;
    }
    if (table == nullptr) continue;
    if (callable->params.size() != 1) {
      error(table->range, fmt::format("a TABLE needs a function of one argument; '{}' has {}", name,
                                      callable->params.size()));
      continue;
    }
    if (callable->callable == CallableKind::Function && !table->names.empty()) {
      error(table->range, "a TABLE in a FUNCTION tabulates the function's value: name no variables");
      continue;
    }
    if (callable->callable == CallableKind::Procedure && table->names.empty()) {
      error(table->range, "a TABLE in a PROCEDURE names the variables it tabulates");
      continue;
    }
    TableInfo info{.table = table, .callable = callable};
    const double with = integer(table->with, 1);
    if (!(with >= 1 && with <= 1e6)) {
      error(table->with.range, "a TABLE needs between 1 and 1000000 intervals (WITH n)");
      continue;
    }
    info.intervals = static_cast<std::uint32_t>(with);
    if (callable->callable == CallableKind::Function) {
      info.outputs.push_back(name);
    } else {
      for (const Identifier &id : table->names) {
        auto b = globals_.find(id.name);
        if (b == globals_.end() || !b->second.var) {
          error(id.range, fmt::format("TABLE names '{}', which is not a variable of the mechanism", id.name));
          continue;
        }
        info.outputs.push_back(id.name);
      }
    }
    // An array output (`inf[4]`) gets a table per element, one after the other, as
    // nocmodl's _t_inf[4][n + 1].
    for (const std::string &out : info.outputs) {
      std::uint32_t elements = 0;
      if (callable->callable == CallableKind::Procedure) {
        const ir::Variable &v = m_.variables[*globals_.at(out).var];
        const sema::Symbol *declared = sema_.symbols.find(out);
        if (v.size > 1 || (declared != nullptr && declared->array)) elements = v.size;
      }
      if (static_cast<double>(info.intervals + 1) * std::max<std::uint32_t>(elements, 1) > 1e8) {
        error(table->range, fmt::format("TABLE {} would hold more than 10^8 values ({} elements of {} points)", out, elements, info.intervals + 1));
        elements = 0;
      }
      info.elements.push_back(elements);
      info.columns.push_back(m_.add(ir::Variable{.name = "table_" + out, .storage = ir::Storage::Table,
                                                 .size = (info.intervals + 1) * std::max<std::uint32_t>(elements, 1)}));
    }
    info.tmin = m_.add(ir::Variable{.name = "table_" + name + "_min", .storage = ir::Storage::Table});
    info.mfac = m_.add(ir::Variable{.name = "table_" + name + "_scale", .storage = ir::Storage::Table});
    info.made = m_.add(ir::Variable{.name = "table_" + name + "_made", .storage = ir::Storage::Table});
    for (const Identifier &dep : table->depends) {
      auto b = globals_.find(dep.name);
      if (b == globals_.end()) {
        error(dep.range, fmt::format("DEPEND names '{}', which is not declared", dep.name));
        continue;
      }
      if (b->second.var) {
        const ir::Storage storage = m_.variables[*b->second.var].storage;
        if (storage == ir::Storage::Field) {
          diags_->warning(dep.range, fmt::format("a TABLE is shared by all instances, but DEPEND names '{}', "
                                                 "which has a value per instance: the table follows the first "
                                                 "instance's value, as in NEURON", dep.name))
              .withHint("make it a GLOBAL");
        }
      }
      ir::ExprRef value = b->second.value ? b->second.value : ir::var(*b->second.var);
      const ir::VarId saved = m_.add(ir::Variable{.name = "table_" + name + "_" + dep.name, .storage = ir::Storage::Table});
      info.saved.emplace_back(saved, value);
    }
    if (!usetable) {
      usetable = m_.add(ir::Variable{.name = "usetable", .storage = ir::Storage::Global,
                                     .role = ir::Role::Parameter, .initial = 1});
      globals_["usetable"] = Binding{.var = usetable};
    }
    tables_.emplace(name, std::move(info));
  }
}

void Lowerer::buildTableCheck() {
  if (tables_.empty()) return;
  // Run on the first instance, as NEURON does: per-instance values a table reads
  // are that instance's.
  beginKernel("check_tables", ir::KernelKind::TableCheck);
  kernel_->perInstance = false;
  const ir::VarId usetable = *globals_.at("usetable").var;
  ir::Body tables = collect([&] {
    for (const auto &entry : tables_) {
      const TableInfo &t = entry.second;  // (a plain reference: lambdas below capture it)
      ir::ExprRef stale = ir::binary(ir::Op::Eq, ir::var(t.made), ir::constant(0));
      for (const auto &[saved, value] : t.saved) {
        stale = ir::binary(ir::Op::Or, stale, ir::binary(ir::Op::Ne, ir::var(saved), value));
      }
      ir::Body build = collect([&] {
        emit(ir::assign(t.made, ir::constant(1)));
        emit(ir::assign(t.tmin, expr(*t.table->from)));
        const ir::VarId dx = newLocal("dx");
        emit(ir::assign(dx, ir::div(ir::sub(expr(*t.table->to), ir::var(t.tmin)), ir::constant(t.intervals))));
        emit(ir::assign(t.mfac, ir::div(ir::constant(1), ir::var(dx))));
        const ir::VarId i = newLocal("i");
        const ir::VarId x = newLocal("x");
        emit(ir::assign(i, ir::constant(0)));
        emit(ir::assign(x, ir::var(t.tmin)));
        ir::Body fill = collect([&] {
          tableBuild_ = true;
          ir::ExprRef value = inlineBody(*t.callable, {ir::var(x)});
          for (std::size_t k = 0; k < t.outputs.size(); ++k) {
            if (t.elements[k] > 0) {  // element e's table starts at e (n + 1)
              const ir::VarId array = *lookup(t.outputs[k])->var;
              for (std::uint32_t e = 0; e < t.elements[k]; ++e) {
                emit(ir::assign(t.columns[k], ir::var(array, ir::constant(e)), ir::add(ir::var(i), ir::constant(e * (t.intervals + 1.0)))));
              }
              continue;
            }
            ir::ExprRef out = value;
            if (t.callable->callable == CallableKind::Procedure) {
              Binding b = *lookup(t.outputs[k]);
              out = b.value ? b.value : ir::var(*b.var);
            }
            emit(ir::assign(t.columns[k], out, ir::var(i)));
          }
          tableBuild_ = false;
          emit(ir::assign(x, ir::add(ir::var(x), ir::var(dx))));
          emit(ir::assign(i, ir::add(ir::var(i), ir::constant(1))));
        });
        emit(ir::whileLoop(ir::binary(ir::Op::Le, ir::var(i), ir::constant(t.intervals)), std::move(fill)));
        for (const auto &[saved, value] : t.saved) emit(ir::assign(saved, value));
      });
      emit(ir::ifThen(stale, std::move(build)));
    }
  });
  emit(ir::ifThen(ir::binary(ir::Op::Ne, ir::var(usetable), ir::constant(0)), std::move(tables)));
  endKernel();
}

ir::ExprRef Lowerer::tableLookup(const TableInfo &t, const ast::CallableBlock &callable, ir::ExprRef argument) {
  const ir::VarId usetable = *globals_.at("usetable").var;
  const bool function = callable.callable == CallableKind::Function;
  std::vector<ir::VarId> targets;
  std::optional<ir::VarId> result;
  if (function) {
    result = newLocal(callable.name.name);
    targets.push_back(*result);
  } else {
    for (const std::string &out : t.outputs) targets.push_back(*globals_.at(out).var);
  }
  const ir::VarId xi = newLocal("xi");
  // value(k, offset): output k's value from its table starting at `offset`.
  auto each = [&](const std::function<ir::ExprRef(std::size_t, double)> &value) {
    ir::Body body;
    for (std::size_t k = 0; k < targets.size(); ++k) {
      const std::uint32_t elements = function ? 0 : t.elements[k];
      if (elements == 0) {
        body.push_back(ir::assign(targets[k], value(k, 0)));
        continue;
      }
      for (std::uint32_t e = 0; e < elements; ++e) body.push_back(ir::assign(targets[k], value(k, e * (t.intervals + 1.0)), ir::constant(e)));
    }
    return body;
  };
  // Branch-free, so that vector kernels need no masks, with NEURON's results: NaN
  // passes through, the end values beyond the ends, else linear interpolation between
  // point floor(xi) and the next. The interpolation is computed at a valid position
  // whatever xi is (0 when xi is outside (0, n) or NaN) and then not chosen.
  const double n = t.intervals;
  ir::Body lookup = collect([&] {
    emit(ir::assign(xi, ir::mul(ir::var(t.mfac), ir::sub(argument, ir::var(t.tmin)))));
    const ir::VarId at = newLocal("xc");
    const ir::VarId i = newLocal("i");
    const ir::VarId theta = newLocal("theta");
    ir::ExprRef inside = ir::binary(ir::Op::And, ir::binary(ir::Op::Gt, ir::var(xi), ir::constant(0)),
                                    ir::binary(ir::Op::Lt, ir::var(xi), ir::constant(n)));
    emit(ir::assign(at, ir::select(inside, ir::var(xi), ir::constant(0))));
    emit(ir::assign(i, ir::math(ir::MathFn::Floor, {ir::var(at)})));
    emit(ir::assign(theta, ir::sub(ir::var(at), ir::var(i))));
    for (ir::Stmt &s : each([&](std::size_t k, double offset) {
           // 0 <= i < n: the lookups need no index check.
           ir::ExprRef start = ir::add(ir::var(i), ir::constant(offset));
           ir::ExprRef lo = ir::varInRange(t.columns[k], start);
           ir::ExprRef hi = ir::varInRange(t.columns[k], ir::add(start, ir::constant(1)));
           ir::ExprRef between = ir::add(lo, ir::mul(ir::var(theta), ir::sub(hi, lo)));
           ir::ExprRef above = ir::select(ir::binary(ir::Op::Ge, ir::var(xi), ir::constant(n)), ir::var(t.columns[k], ir::constant(offset + n)), between);
           ir::ExprRef below = ir::select(ir::binary(ir::Op::Le, ir::var(xi), ir::constant(0)), ir::var(t.columns[k], ir::constant(offset)), above);
           return ir::select(ir::binary(ir::Op::Ne, ir::var(xi), ir::var(xi)), ir::var(xi), below);
         })) {
      emit(std::move(s));
    }
  });
  ir::Body direct = collect([&] {
    ir::ExprRef value = inlineBody(callable, {argument});
    if (function) emit(ir::assign(*result, value));
  });
  ir::Stmt choice = ir::ifThen(ir::binary(ir::Op::Ne, ir::var(usetable), ir::constant(0)), std::move(lookup), std::move(direct));
  choice.likely = true;  // tables are on unless the user turns them off
  emit(std::move(choice));
  return result ? ir::var(*result) : nullptr;
}

}  // namespace ranvier::transform
