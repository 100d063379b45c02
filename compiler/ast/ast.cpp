#include "ast/ast.hpp"

namespace ranvier::ast {

const char *to_string(NodeKind kind) {
  switch (kind) {
#define RANVIER_NAME(name)                                                                         \
  case NodeKind::name: return #name;
    RANVIER_AST_NODES(RANVIER_NAME)
#undef RANVIER_NAME
  }
  return "?";
}

const char *spelling(UnaryOp op) {
  switch (op) {
  case UnaryOp::Negate: return "-";
  case UnaryOp::Plus: return "+";
  case UnaryOp::Not: return "!";
  }
  return "?";
}

const char *spelling(BinaryOp op) {
  switch (op) {
  case BinaryOp::Pow: return "^";
  case BinaryOp::Mul: return "*";
  case BinaryOp::Div: return "/";
  case BinaryOp::Add: return "+";
  case BinaryOp::Sub: return "-";
  case BinaryOp::Lt: return "<";
  case BinaryOp::Gt: return ">";
  case BinaryOp::Le: return "<=";
  case BinaryOp::Ge: return ">=";
  case BinaryOp::Eq: return "==";
  case BinaryOp::Ne: return "!=";
  case BinaryOp::And: return "&&";
  case BinaryOp::Or: return "||";
  }
  return "?";
}

int precedence(BinaryOp op) {
  switch (op) {
  case BinaryOp::Or: return 1;
  case BinaryOp::And: return 2;
  case BinaryOp::Lt:
  case BinaryOp::Gt:
  case BinaryOp::Le:
  case BinaryOp::Ge:
  case BinaryOp::Eq:
  case BinaryOp::Ne: return 3;
  case BinaryOp::Add:
  case BinaryOp::Sub: return 4;
  case BinaryOp::Mul:
  case BinaryOp::Div: return 5;
  case BinaryOp::Pow: return 7;  // above the unary operators (kUnaryPrecedence)
  }
  return 0;
}

bool isRightAssociative(BinaryOp op) { return op == BinaryOp::Pow; }

const char *keyword(MechanismKind kind) {
  switch (kind) {
  case MechanismKind::Density: return "SUFFIX";
  case MechanismKind::PointProcess: return "POINT_PROCESS";
  case MechanismKind::ArtificialCell: return "ARTIFICIAL_CELL";
  }
  return "?";
}

const char *keyword(NameListKind kind) {
  switch (kind) {
  case NameListKind::Range: return "RANGE";
  case NameListKind::Global: return "GLOBAL";
  case NameListKind::Pointer: return "POINTER";
  case NameListKind::BbcorePointer: return "BBCOREPOINTER";
  case NameListKind::External: return "EXTERNAL";
  case NameListKind::NonspecificCurrent: return "NONSPECIFIC_CURRENT";
  case NameListKind::ElectrodeCurrent: return "ELECTRODE_CURRENT";
  }
  return "?";
}

const char *keyword(DeclKind kind) {
  switch (kind) {
  case DeclKind::Parameter: return "PARAMETER";
  case DeclKind::Assigned: return "ASSIGNED";
  case DeclKind::State: return "STATE";
  case DeclKind::Constant: return "CONSTANT";
  }
  return "?";
}

const char *keyword(BodyKind kind) {
  switch (kind) {
  case BodyKind::Initial: return "INITIAL";
  case BodyKind::Breakpoint: return "BREAKPOINT";
  case BodyKind::Constructor: return "CONSTRUCTOR";
  case BodyKind::Destructor: return "DESTRUCTOR";
  case BodyKind::Terminal: return "TERMINAL";
  }
  return "?";
}

const char *keyword(NamedKind kind) {
  switch (kind) {
  case NamedKind::Derivative: return "DERIVATIVE";
  case NamedKind::Linear: return "LINEAR";
  case NamedKind::Nonlinear: return "NONLINEAR";
  case NamedKind::Kinetic: return "KINETIC";
  case NamedKind::Discrete: return "DISCRETE";
  case NamedKind::Partial: return "PARTIAL";
  }
  return "?";
}

const char *keyword(CallableKind kind) {
  return kind == CallableKind::Function ? "FUNCTION" : "PROCEDURE";
}

const char *keyword(BeforeAfterWhen when) {
  return when == BeforeAfterWhen::Before ? "BEFORE" : "AFTER";
}

const char *keyword(BeforeAfterWhat what) {
  switch (what) {
  case BeforeAfterWhat::Breakpoint: return "BREAKPOINT";
  case BeforeAfterWhat::Solve: return "SOLVE";
  case BeforeAfterWhat::Initial: return "INITIAL";
  case BeforeAfterWhat::Step: return "STEP";
  }
  return "?";
}

}  // namespace ranvier::ast
