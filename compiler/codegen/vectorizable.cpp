#include "codegen/vectorizable.hpp"

#include <set>

namespace ranvier::codegen {

namespace {

class Check {
public:
  Check(const ir::Mechanism &m) : m_(m) {}

  VectorVerdict run(const ir::Kernel &k) {
    body(k.body);
    // Point processes share nodes: a node or ion value they write may be read only
    // by the accumulation itself (x = x + e), never on its own.
    if (m_.kind != ir::MechanismKind::Density) {
      for (ir::VarId id : sharedWrites_) {
        if (sharedReads_.contains(id)) fail("it reads '" + m_.variables[id].name + "', which instances sharing a node also write");
      }
    }
    return verdict_;
  }

private:
  void fail(std::string reason) {
    if (verdict_.ok) verdict_ = {false, std::move(reason)};
  }

  bool shared(ir::Storage s) const { return s == ir::Storage::Node || s == ir::Storage::Ion; }

  void expr(const ir::Expr &e) {
    if (e.op == ir::Op::Call) fail("it calls a recursive function");
    if (e.op == ir::Op::TableCall) fail("it reads a FUNCTION_TABLE");
    if (e.op == ir::Op::Var) {
      const ir::Variable &v = m_.variables[e.var];
      if (v.storage == ir::Storage::Thread) fail("'" + v.name + "' carries a value from one instance to the next");
      if (shared(v.storage)) sharedReads_.insert(e.var);
    }
    for (const ir::ExprRef &a : e.args) expr(*a);
  }

  void body(const ir::Body &b) {
    for (const ir::Stmt &s : b) stmt(s);
  }

  void stmt(const ir::Stmt &s) {
    switch (s.kind) {
    case ir::StmtKind::Assign: {
      const ir::Variable &v = m_.variables[s.target];
      switch (v.storage) {
      case ir::Storage::Global:
      case ir::Storage::Table:
      case ir::Storage::Builtin:
      case ir::Storage::Thread: fail("it writes '" + v.name + "', which all instances share"); break;
      // Two instances may point at one value, and another may read it: NEURON's order,
      // one instance after the other, keeps what each sees.
      case ir::Storage::Pointer: fail("it writes through the POINTER '" + v.name + "'"); break;
      default: break;
      }
      if (s.index) expr(*s.index);
      if (shared(v.storage)) {
        sharedWrites_.insert(s.target);
        const ir::Expr &e = *s.value;
        const bool accumulation = !s.index && (e.op == ir::Op::Add || e.op == ir::Op::Sub) &&
                                  e.args[0]->op == ir::Op::Var && e.args[0]->var == s.target &&
                                  e.args[0]->args.empty() && !ir::uses(*e.args[1], s.target);
        if (accumulation) {
          expr(*e.args[1]);
          return;
        }
        if (m_.kind != ir::MechanismKind::Density) fail("it sets '" + v.name + "', which instances sharing a node also set");
      }
      expr(*s.value);
      return;
    }
    case ir::StmtKind::If:
    case ir::StmtKind::While:
      expr(*s.value);
      body(s.body);
      body(s.otherwise);
      return;
    case ir::StmtKind::Call: fail("it calls a recursive procedure"); return;
    case ir::StmtKind::SolveLinear:
      for (const ir::ExprRef &e : s.system->matrix) {
        if (e) expr(*e);
      }
      for (const ir::ExprRef &e : s.system->rhs) expr(*e);
      return;
    case ir::StmtKind::NetSend:
    case ir::StmtKind::NetEvent:
    case ir::StmtKind::ForNetCons: fail("it loops over the NetCons of one instance"); return;
    case ir::StmtKind::NetMove:
    case ir::StmtKind::Watch: fail("it sends events, whose order must be the instances' order"); return;
    case ir::StmtKind::Fail: return;
    case ir::StmtKind::Random:
      for (const ir::ExprRef &a : s.args) expr(*a);
      fail("it draws random numbers: each instance's stream must be drawn in program order, one instance at a time");
      return;
    }
  }

  const ir::Mechanism &m_;
  VectorVerdict verdict_;
  std::set<ir::VarId> sharedWrites_, sharedReads_;
};

}  // namespace

VectorVerdict vectorizable(const ir::Mechanism &mechanism, const ir::Kernel &kernel) {
  return Check(mechanism).run(kernel);
}

}  // namespace ranvier::codegen
