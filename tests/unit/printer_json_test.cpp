// The NMODL printer's normalised form, and the JSON dump's shape and locations.

#include "ast/json.hpp"
#include "ast/printer.hpp"
#include "test_support.hpp"

namespace ranvier::test {
namespace {

TEST(Printer, NormalisedLayout) {
  auto p = parseText(
      "TITLE  demo\nNEURON{SUFFIX d USEION na READ ena WRITE ina RANGE g,i}\n"
      "UNITS{(mV)=(millivolt) F=(faraday)(coulomb)}\nPARAMETER{g=.1(S/cm2)<0,1e9>}\n"
      "STATE{m FROM 0 TO 1}\nBREAKPOINT{SOLVE s METHOD cnexp ina=g*m^3*(v-ena)}\n"
      "DERIVATIVE s{LOCAL a if(v>0){a=1}else{a=2} m'=(a-m)/1(ms)}\n"
      "KINETIC k{~ 2 A<->B(1,2) CONSERVE A+B=1}\nNET_RECEIVE(w){WATCH(v>1)2}\n");
  ASSERT_TRUE(p->ok()) << p->allMessages();
  EXPECT_EQ(ast::print(*p->program),
            "TITLE demo\n"
            "\n"
            "NEURON {\n"
            "    SUFFIX d\n"
            "    USEION na READ ena WRITE ina\n"
            "    RANGE g, i\n"
            "}\n"
            "\n"
            "UNITS {\n"
            "    (mV) = (millivolt)\n"
            "    F = (faraday) (coulomb)\n"
            "}\n"
            "\n"
            "PARAMETER {\n"
            "    g = .1 (S/cm2) <0, 1e9>\n"
            "}\n"
            "\n"
            "STATE {\n"
            "    m FROM 0 TO 1\n"
            "}\n"
            "\n"
            "BREAKPOINT {\n"
            "    SOLVE s METHOD cnexp\n"
            "    ina = g * m^3 * (v - ena)\n"
            "}\n"
            "\n"
            "DERIVATIVE s {\n"
            "    LOCAL a\n"
            "    if (v > 0) {\n"
            "        a = 1\n"
            "    } else {\n"
            "        a = 2\n"
            "    }\n"
            "    m' = (a - m) / 1 (ms)\n"
            "}\n"
            "\n"
            "KINETIC k {\n"
            "    ~ 2 A <-> B (1, 2)\n"
            "    CONSERVE A + B = 1\n"
            "}\n"
            "\n"
            "NET_RECEIVE (w) {\n"
            "    WATCH (v > 1) 2\n"
            "}\n");
}

TEST(Json, NodesCarryKindsFieldsAndRanges) {
  auto p = parseText("NEURON {\n  SUFFIX hh\n}\n");
  ASSERT_TRUE(p->ok());
  const nlohmann::json j = ast::toJson(*p->program);
  EXPECT_EQ(j["file"], "test.mod");
  const auto &suffix = j["items"][0]["statements"][0];
  EXPECT_EQ(suffix["kind"], "SuffixStmt");
  EXPECT_EQ(suffix["mechanism"], "SUFFIX");
  EXPECT_EQ(suffix["name"]["value"], "hh");
  EXPECT_EQ(suffix["range"]["begin"]["line"], 2);
  EXPECT_EQ(suffix["range"]["begin"]["column"], 3);
  EXPECT_EQ(suffix["range"]["begin"]["offset"], 11);
  EXPECT_EQ(suffix["range"]["end"]["offset"], 20);
}

TEST(Json, WithoutLocationsTextThatDiffersOnlyInLayoutIsEqual) {
  auto a = parseText("PARAMETER { g = .1 (S/cm2) }");
  auto b = parseText("PARAMETER {\n\n    g   =   .1   ( S/cm2 )\n}\n");
  ASSERT_TRUE(a->ok() && b->ok());
  EXPECT_EQ(ast::toJson(*a->program, {.locations = false}), ast::toJson(*b->program, {.locations = false}));
  EXPECT_NE(ast::toJson(*a->program), ast::toJson(*b->program));
}

}  // namespace
}  // namespace ranvier::test
