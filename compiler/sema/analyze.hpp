#pragma once
// Semantic analysis of one mechanism: builds the symbol table and checks what the
// grammar cannot: undefined and duplicate names, calls with the wrong number of
// arguments, writes to what must not be written, currents that are computed but
// not declared, STATEs nothing integrates, DERIVATIVE blocks nothing solves.

#include <memory>

#include "ast/ast.hpp"
#include "sema/symbols.hpp"
#include "support/diagnostics.hpp"

namespace ranvier::sema {

struct Mechanism {
  const ast::Program *program = nullptr;
  SymbolTable symbols;
  std::string name;  // SUFFIX / POINT_PROCESS / ARTIFICIAL_CELL name, "" if none
  ast::MechanismKind kind = ast::MechanismKind::Density;
  bool threadsafe = false;  // THREADSAFE in the NEURON block
  bool hasVerbatim = false;
};

// Never throws on a well-formed AST; every problem goes to `diagnostics`.
std::unique_ptr<Mechanism> analyze(const ast::Program &program, DiagnosticEngine &diagnostics);

}  // namespace ranvier::sema
