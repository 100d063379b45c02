#pragma once
// The symbol table of one mechanism: every name a .mod file declares or may use,
// what kind of thing it is, what the NEURON block says about it, and where it is
// read and written. Thread-safety analysis and code generation read this table.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ast/ast.hpp"

namespace ranvier::sema {

enum class SymbolKind {
  Parameter, Assigned, State, Constant, Independent, Stepped,  // declared variables
  Define,        // DEFINE N 4
  UnitConstant,  // FARADAY = (faraday) (coulomb)
  Builtin,       // v, t, dt: provided by the simulator
  Function, Procedure, FunctionTable,
  BuiltinFunction,  // exp, net_send, ...
};
const char *describe(SymbolKind kind);

// Where a variable is used: the access and the top-level block it occurs in.
struct Access {
  SourceRange where;
  const ast::Node *block = nullptr;  // the top-level item (BREAKPOINT, a FUNCTION, ...)
  bool isProtected = false;          // PROTECT x = ... (a write under NEURON's mutex)
};

struct Symbol {
  std::string name;
  SymbolKind kind = SymbolKind::Assigned;
  SourceRange declared;           // invalid for builtins
  std::optional<ast::Unit> unit;  // as declared
  bool array = false;

  // From the NEURON block.
  bool range = false;
  bool global = false;
  bool pointer = false;
  bool bbcorePointer = false;
  bool external = false;
  bool nonspecificCurrent = false;
  bool electrodeCurrent = false;
  std::string ion;  // the ion of a USEION READ/WRITE name, e.g. "na" for ena
  bool ionRead = false;
  bool ionWrite = false;

  int arity = -1;  // parameters of FUNCTION / PROCEDURE / FUNCTION_TABLE

  std::vector<Access> reads;
  std::vector<Access> writes;

  bool isVariable() const {
    return kind == SymbolKind::Parameter || kind == SymbolKind::Assigned ||
           kind == SymbolKind::State || kind == SymbolKind::Constant ||
           kind == SymbolKind::Independent || kind == SymbolKind::Stepped ||
           kind == SymbolKind::Builtin;
  }
  bool isCallable() const {
    return kind == SymbolKind::Function || kind == SymbolKind::Procedure ||
           kind == SymbolKind::FunctionTable || kind == SymbolKind::BuiltinFunction;
  }
  bool isCurrent() const { return nonspecificCurrent || electrodeCurrent || (ionWrite && name.starts_with("i")); }
};

class SymbolTable {
public:
  Symbol *find(const std::string &name);
  const Symbol *find(const std::string &name) const;
  // Adds a symbol; returns the existing one instead when the name is taken.
  std::pair<Symbol *, bool> add(Symbol symbol);
  const std::map<std::string, Symbol> &all() const { return symbols_; }

private:
  std::map<std::string, Symbol> symbols_;
};

}  // namespace ranvier::sema
