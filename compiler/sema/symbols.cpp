#include "sema/symbols.hpp"

namespace ranvier::sema {

const char *describe(SymbolKind kind) {
  switch (kind) {
  case SymbolKind::Parameter: return "PARAMETER";
  case SymbolKind::Assigned: return "ASSIGNED variable";
  case SymbolKind::State: return "STATE";
  case SymbolKind::Constant: return "CONSTANT";
  case SymbolKind::Independent: return "INDEPENDENT variable";
  case SymbolKind::Stepped: return "STEPPED variable";
  case SymbolKind::Define: return "DEFINEd constant";
  case SymbolKind::UnitConstant: return "UNITS constant";
  case SymbolKind::Builtin: return "simulator variable";
  case SymbolKind::Function: return "FUNCTION";
  case SymbolKind::Procedure: return "PROCEDURE";
  case SymbolKind::FunctionTable: return "FUNCTION_TABLE";
  case SymbolKind::BuiltinFunction: return "built-in function";
  }
  return "name";
}

Symbol *SymbolTable::find(const std::string &name) {
  auto it = symbols_.find(name);
  return it == symbols_.end() ? nullptr : &it->second;
}

const Symbol *SymbolTable::find(const std::string &name) const {
  auto it = symbols_.find(name);
  return it == symbols_.end() ? nullptr : &it->second;
}

std::pair<Symbol *, bool> SymbolTable::add(Symbol symbol) {
  auto [it, inserted] = symbols_.try_emplace(symbol.name, std::move(symbol));
  return {&it->second, inserted};
}

}  // namespace ranvier::sema
