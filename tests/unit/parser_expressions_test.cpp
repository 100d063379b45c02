// Expressions: precedence and associativity as nocmodl has them, numbers, and the
// printer's parentheses.

#include "ast/printer.hpp"
#include "test_support.hpp"

namespace ranvier::test {
namespace {

using namespace ranvier::ast;

// Parses `x = <text>` and returns the right-hand side.
const Expr &rhsOf(const Parsed &parsed) {
  return *cast<AssignStmt>(*statementsOf(parsed).at(0)).value;
}

// Fully parenthesised form, to make the tree's shape visible.
std::string shape(const Expr &e) {
  if (const auto *b = dyn_cast<BinaryExpr>(&e)) {
    return "(" + shape(*b->lhs) + spelling(b->op) + shape(*b->rhs) + ")";
  }
  if (const auto *u = dyn_cast<UnaryExpr>(&e)) return std::string("(") + spelling(u->op) + shape(*u->operand) + ")";
  return print(e);
}

std::string shapeOf(const std::string &expression) {
  auto p = parseText("BREAKPOINT { x = " + expression + " }");
  EXPECT_TRUE(p->ok()) << p->allMessages();
  return p->ok() ? shape(rhsOf(*p)) : "<error>";
}

TEST(Expressions, ArithmeticPrecedenceAndLeftAssociativity) {
  EXPECT_EQ(shapeOf("a + b * c"), "(a+(b*c))");
  EXPECT_EQ(shapeOf("a - b - c"), "((a-b)-c)");
  EXPECT_EQ(shapeOf("a / b / c"), "((a/b)/c)");
  EXPECT_EQ(shapeOf("a * b + c * d"), "((a*b)+(c*d))");
}

TEST(Expressions, PowerIsRightAssociativeAndBindsTighterThanUnaryMinus) {
  EXPECT_EQ(shapeOf("a ^ b ^ c"), "(a^(b^c))");
  EXPECT_EQ(shapeOf("-x^2"), "(-(x^2))");
  EXPECT_EQ(shapeOf("2^-x"), "(2^(-x))");
  EXPECT_EQ(shapeOf("-a * b"), "((-a)*b)");
}

TEST(Expressions, RelationalAndLogicalOperators) {
  EXPECT_EQ(shapeOf("a < b && c >= d || !e"), "(((a<b)&&(c>=d))||(!e))");
  EXPECT_EQ(shapeOf("a + 1 == b"), "((a+1)==b)");
  EXPECT_EQ(shapeOf("a != b <= c"), "((a!=b)<=c)");  // one relational level, as in nocmodl
}

TEST(Expressions, NumbersKeepTheirSpelling) {
  for (const char *n : {"1", ".5", "2.", "1e-3", "1E+3", "6.02e23", "0.000"}) {
    auto p = parseText(std::string("BREAKPOINT { x = ") + n + " }");
    ASSERT_TRUE(p->ok()) << n << "\n" << p->allMessages();
    EXPECT_EQ(cast<NumberExpr>(rhsOf(*p)).number.spelling, n);
  }
}

TEST(Expressions, IndexedVariablesAndCalls) {
  EXPECT_EQ(shapeOf("a[i + 1] * f(g(2), h())"), "(a[i + 1]*f(g(2), h()))");
}

TEST(Expressions, PrinterAddsOnlyNeededParentheses) {
  for (const char *text : {"(a + b) * c", "a - (b - c)", "(a ^ b) ^ c", "(-a) ^ 2", "-(a * b)",
                           "a / (b * c)", "(a || b) && c", "!(a < b)", "a - -b"}) {
    auto p = parseText(std::string("BREAKPOINT { x = ") + text + " }");
    ASSERT_TRUE(p->ok()) << text;
    const std::string printed = print(rhsOf(*p));
    auto again = parseText("BREAKPOINT { x = " + printed + " }");
    ASSERT_TRUE(again->ok()) << printed;
    EXPECT_EQ(shape(rhsOf(*again)), shape(rhsOf(*p))) << text << " printed as " << printed;
  }
  auto p = parseText("BREAKPOINT { x = ((a)) + (b * c) }");
  EXPECT_EQ(print(rhsOf(*p)), "a + b * c");
}

TEST(Expressions, LongFlatSumsAreBuiltWithoutRecursion) {
  std::string sum = "a";
  for (int i = 0; i < 5000; ++i) sum += " + a";
  auto p = parseText("BREAKPOINT { x = " + sum + " }");
  ASSERT_TRUE(p->ok()) << p->allMessages();
  const Expr *e = &rhsOf(*p);
  int depth = 0;
  while (const auto *b = dyn_cast<BinaryExpr>(e)) e = b->lhs.get(), ++depth;
  EXPECT_EQ(depth, 5000);
}

}  // namespace
}  // namespace ranvier::test
