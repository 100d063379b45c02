// One focused test per NMODL construct: it parses, and the AST says what the text says.

#include "NMODLLexer.h"
#include "NMODLParser.h"
#include "frontend/keywords.hpp"
#include "test_support.hpp"

namespace ranvier::test {
namespace {

using namespace ranvier::ast;

#define ASSERT_PARSES(parsed) ASSERT_TRUE((parsed)->ok()) << (parsed)->allMessages()

TEST(Construct, TitleTakesTheRestOfTheLine) {
  auto p = parseText("TITLE  hh.mod   squid sodium, potassium: and leak \n");
  ASSERT_PARSES(p);
  EXPECT_EQ(onlyItem<TitleItem>(*p).text, "hh.mod   squid sodium, potassium: and leak");
}

TEST(Construct, RawBlocksEndOnlyAtALineStartingWithTheEndWord) {
  // As nocmodl: ENDCOMMENT mid-line or as part of a longer word does not end the block;
  // the rest of the END line is ignored.
  auto p = parseText("COMMENT the word ENDCOMMENT mid-line\n x ENDCOMMENT\nENDCOMMENTS\n  ENDCOMMENT rest\n"
                     "VERBATIM\nint v; ENDVERBATIM\n\tENDVERBATIM: rest\nNEURON { SUFFIX x }\n");
  ASSERT_TRUE(p->ok()) << p->allMessages();
  ASSERT_EQ(p->program->items.size(), 2u);
  EXPECT_EQ(cast<VerbatimStmt>(*p->program->items[0]).text, "\nint v; ENDVERBATIM\n");
  EXPECT_FALSE(parseText("VERBATIM int x; ENDVERBATIM\n")->ok());
  // The rest of the keyword's own line counts as the block's first line.
  auto oneLine = parseText("COMMENT ENDCOMMENT ignored $$\nVERBATIM ENDVERBATIM\nNEURON { SUFFIX x }\n");
  ASSERT_TRUE(oneLine->ok()) << oneLine->allMessages();
  EXPECT_EQ(cast<VerbatimStmt>(*oneLine->program->items[0]).text, "");
}

TEST(Construct, CommentBlocksAndLineCommentsAreIgnored) {
  auto p = parseText("COMMENT\n  NEURON { broken µ ° \n ENDCOMMENT\n: a line comment\n? another\n"
                     "NEURON { SUFFIX x : trailing\n }\n");
  ASSERT_PARSES(p);
  EXPECT_EQ(onlyItem<NeuronBlock>(*p).statements.size(), 1u);
}

TEST(Construct, VerbatimKeepsRawTextAtTopLevelAndInBlocks) {
  auto p = parseText("VERBATIM\n#include <stdio.h> /* { */\nENDVERBATIM\n"
                     "FUNCTION f() { VERBATIM return 1.;\n  ENDVERBATIM trailing words, even a }\n}\n");
  ASSERT_PARSES(p);
  ASSERT_EQ(p->program->items.size(), 2u);
  EXPECT_EQ(cast<VerbatimStmt>(*p->program->items[0]).text, "\n#include <stdio.h> /* { */\n");
  const auto &f = cast<CallableBlock>(*p->program->items[1]);
  EXPECT_EQ(cast<VerbatimStmt>(*f.body->statements.at(0)).text, " return 1.;\n");
}

TEST(Construct, NeuronBlockStatements) {
  auto p = parseText(
      "NEURON {\n SUFFIX kd\n USEION k READ ek, ki WRITE ik VALENCE 1\n"
      " USEION ca WRITE ica VALENCE -2 REPRESENTS CHEBI:29108\n RANGE gbar, g\n GLOBAL tau\n"
      " NONSPECIFIC_CURRENT il\n POINTER p\n BBCOREPOINTER q\n EXTERNAL e\n THREADSAFE\n"
      " REPRESENTS NCIT:C17145\n}\n");
  ASSERT_PARSES(p);
  const auto &n = onlyItem<NeuronBlock>(*p);
  ASSERT_EQ(n.statements.size(), 11u);
  EXPECT_EQ(cast<SuffixStmt>(*n.statements[0]).name.name, "kd");
  const auto &k = cast<UseIonStmt>(*n.statements[1]);
  EXPECT_EQ(k.read.size(), 2u);
  EXPECT_EQ(k.write.at(0).name, "ik");
  const auto &ca = cast<UseIonStmt>(*n.statements[2]);
  EXPECT_EQ(ca.valence->value, -2.0);
  EXPECT_EQ(ca.represents->id, "CHEBI:29108");
  EXPECT_EQ(cast<NameListStmt>(*n.statements[3]).names.size(), 2u);
  EXPECT_EQ(cast<NameListStmt>(*n.statements[6]).list, NameListKind::Pointer);
  EXPECT_EQ(cast<NameListStmt>(*n.statements[7]).list, NameListKind::BbcorePointer);
  EXPECT_TRUE(isa<ThreadsafeStmt>(*n.statements[9]));
  EXPECT_EQ(cast<RepresentsStmt>(*n.statements[10]).ontology.id, "NCIT:C17145");
}

TEST(Construct, PointProcessArtificialCellAndElectrodeCurrent) {
  auto p = parseText("NEURON { POINT_PROCESS IClamp ELECTRODE_CURRENT i }\n"
                     "NEURON { ARTIFICIAL_CELL NetStim }\n");
  ASSERT_PARSES(p);
  const auto &a = cast<NeuronBlock>(*p->program->items[0]);
  EXPECT_EQ(cast<SuffixStmt>(*a.statements[0]).mechanism, MechanismKind::PointProcess);
  EXPECT_EQ(cast<NameListStmt>(*a.statements[1]).list, NameListKind::ElectrodeCurrent);
  const auto &b = cast<NeuronBlock>(*p->program->items[1]);
  EXPECT_EQ(cast<SuffixStmt>(*b.statements[0]).mechanism, MechanismKind::ArtificialCell);
}

TEST(Construct, ParameterUnitsLimitsArraysAndNumbers) {
  auto p = parseText("PARAMETER {\n gnabar = .12 (S/cm2) <0,1e9>\n ena = -50 (mV)\n"
                     " tau = 2. (ms) <-1e+3, 1E3>\n w[4] (uS)\n v (mV) celsius (degC)\n}\n");
  ASSERT_PARSES(p);
  const auto &b = onlyItem<DeclarationBlock>(*p);
  EXPECT_EQ(b.block, DeclKind::Parameter);
  ASSERT_EQ(b.declarations.size(), 6u);
  const VarDecl &g = b.declarations[0];
  EXPECT_EQ(g.value->spelling, ".12");
  EXPECT_DOUBLE_EQ(g.value->value, 0.12);
  EXPECT_EQ(g.unit->text, "S/cm2");
  EXPECT_EQ(g.high->value, 1e9);
  EXPECT_EQ(b.declarations[1].value->spelling, "-50");
  EXPECT_EQ(b.declarations[2].low->spelling, "-1e+3");
  EXPECT_EQ(b.declarations[3].size->spelling, "4");
  EXPECT_FALSE(b.declarations[4].value.has_value());
}

TEST(Construct, AssignedAndStateWithArraysRangesStartAndTolerance) {
  auto p = parseText("STATE {\n m FROM 0 TO 1\n ca[NANN] (mM) <1e-6>\n c START 0.5\n}\n"
                     "ASSIGNED { ina (mA/cm2) x[3] }\n");
  ASSERT_PARSES(p);
  const auto &s = cast<DeclarationBlock>(*p->program->items[0]);
  EXPECT_EQ(s.block, DeclKind::State);
  EXPECT_EQ(s.declarations[0].to->value, 1.0);
  EXPECT_EQ(s.declarations[1].size->spelling, "NANN");
  EXPECT_FALSE(s.declarations[1].size->isLiteral());
  EXPECT_EQ(s.declarations[1].tolerance->value, 1e-6);
  EXPECT_EQ(s.declarations[2].start->value, 0.5);
  EXPECT_EQ(cast<DeclarationBlock>(*p->program->items[1]).block, DeclKind::Assigned);
}

TEST(Construct, ConstantAndIndependentBlocks) {
  auto p = parseText("CONSTANT { F = 96485.3 (coul) }\nINDEPENDENT { t FROM 0 TO 1 WITH 1 (ms) }\n"
                     "INDEPENDENT { SWEEP x FROM -1 TO 1 WITH 10 START 0 }\n");
  ASSERT_PARSES(p);
  EXPECT_EQ(cast<DeclarationBlock>(*p->program->items[0]).declarations[0].value->value, 96485.3);
  const auto &t = cast<IndependentBlock>(*p->program->items[1]).declarations.at(0);
  EXPECT_EQ(t.with.spelling, "1");
  EXPECT_EQ(t.unit->text, "ms");
  EXPECT_TRUE(cast<IndependentBlock>(*p->program->items[2]).declarations.at(0).sweep);
}

TEST(Construct, UnitsBlockAllForms) {
  auto p = parseText("UNITS {\n (mA) = (milliamp)\n FARADAY = (faraday) (coulomb)\n"
                     " R = (k-mole) (joule/degC)\n e0 = 1.6e-19 (coulomb)\n f2i = (foot) -> (inch)\n}\n");
  ASSERT_PARSES(p);
  const auto &u = onlyItem<UnitsBlock>(*p);
  ASSERT_EQ(u.definitions.size(), 5u);
  EXPECT_EQ(u.definitions[0].form, UnitDef::Form::Alias);
  EXPECT_EQ(u.definitions[0].second->text, "milliamp");
  EXPECT_EQ(u.definitions[2].first.text, "k-mole");
  EXPECT_EQ(u.definitions[3].form, UnitDef::Form::FactorNumber);
  EXPECT_EQ(u.definitions[4].form, UnitDef::Form::FactorArrow);
}

TEST(Construct, DefineAndInclude) {
  auto p = parseText("DEFINE NANN 4\nINCLUDE \"inc/helpers.inc\"\n");
  ASSERT_PARSES(p);
  EXPECT_EQ(cast<DefineItem>(*p->program->items[0]).value.spelling, "4");
  EXPECT_EQ(cast<IncludeItem>(*p->program->items[1]).path, "inc/helpers.inc");
}

TEST(Construct, LocalAtTopLevelAndInBlocks) {
  auto p = parseText("LOCAL a, b[3]\nBREAKPOINT { LOCAL x, y x = 1 }\n");
  ASSERT_PARSES(p);
  EXPECT_EQ(cast<LocalStmt>(*p->program->items[0]).variables[1].size->spelling, "3");
}

TEST(Construct, SolveWithMethodSteadyStateAndDefault) {
  auto p = parseText("BREAKPOINT { SOLVE states METHOD cnexp SOLVE k STEADYSTATE sparse SOLVE d }\n");
  ASSERT_PARSES(p);
  const auto &s = statementsOf(*p);
  EXPECT_EQ(cast<SolveStmt>(*s[0]).method->name, "cnexp");
  EXPECT_EQ(cast<SolveStmt>(*s[1]).how, SolveHow::SteadyState);
  EXPECT_EQ(cast<SolveStmt>(*s[2]).how, SolveHow::Default);
}

TEST(Construct, DerivativeWithPrimes) {
  auto p = parseText("DERIVATIVE states { m' = (minf - m) / mtau  c'' = -c }\n");
  ASSERT_PARSES(p);
  const auto &d = onlyItem<NamedBlock>(*p);
  EXPECT_EQ(d.block, NamedKind::Derivative);
  const auto &m = cast<AssignStmt>(*d.body->statements[0]);
  EXPECT_EQ(m.target->name.name, "m");
  EXPECT_EQ(m.target->primes, 1u);
  EXPECT_EQ(cast<AssignStmt>(*d.body->statements[1]).target->primes, 2u);
}

TEST(Construct, KineticReactionsConserveCompartment) {
  auto p = parseText(
      "KINETIC kin {\n COMPARTMENT i, diam*diam*vrat[i] {ca CaBuffer}\n COMPARTMENT volo {cao}\n"
      " LONGITUDINAL_DIFFUSION i, DCa*frat[i] {ca}\n ~ ca[0] << (-ica*PI*diam/(2*FARADAY))\n"
      " ~ 2 A + B <-> C (kf, kb)\n ~ x -> (k3)\n CONSERVE C + O + I = 1\n}\n");
  ASSERT_PARSES(p);
  const auto &s = onlyItem<NamedBlock>(*p).body->statements;
  ASSERT_EQ(s.size(), 7u);
  const auto &c = cast<CompartmentStmt>(*s[0]);
  EXPECT_EQ(c.index->name, "i");
  EXPECT_EQ(c.species.size(), 2u);
  EXPECT_FALSE(cast<CompartmentStmt>(*s[1]).index.has_value());
  EXPECT_TRUE(cast<CompartmentStmt>(*s[2]).longitudinalDiffusion);
  EXPECT_EQ(cast<ReactionStmt>(*s[3]).op, ReactionOp::FluxIn);
  const auto &r = cast<ReactionStmt>(*s[4]);
  EXPECT_EQ(r.op, ReactionOp::Reversible);
  EXPECT_EQ(r.lhs.at(0).coefficient->spelling, "2");
  EXPECT_FALSE(r.lhs.at(1).coefficient.has_value());
  EXPECT_EQ(r.lhs.at(1).species->name.name, "B");
  EXPECT_EQ(cast<ReactionStmt>(*s[5]).op, ReactionOp::FluxOut);
  EXPECT_EQ(cast<ConserveStmt>(*s[6]).lhs.size(), 3u);
}

TEST(Construct, LinearAndNonlinearEquations) {
  auto p = parseText("LINEAR lin SOLVEFOR a, b { ~ a + b = 1  ~ a - 2*b = 0 }\n"
                     "NONLINEAR nl { ~ x*x = 4  ~+ y = 2 }\n");
  ASSERT_PARSES(p);
  const auto &lin = cast<NamedBlock>(*p->program->items[0]);
  EXPECT_EQ(lin.solveFor.size(), 2u);
  EXPECT_TRUE(isa<EquationStmt>(*lin.body->statements[0]));
  const auto &nl = cast<NamedBlock>(*p->program->items[1]);
  EXPECT_TRUE(cast<EquationStmt>(*nl.body->statements[1]).addition);
}

TEST(Construct, DiscreteWithLaggedValues) {
  auto p = parseText("DISCRETE d { x = x@1 + y@2[i] }\n");
  ASSERT_PARSES(p);
  const auto &a = cast<AssignStmt>(*onlyItem<NamedBlock>(*p).body->statements[0]);
  const auto &sum = cast<BinaryExpr>(*a.value);
  EXPECT_EQ(cast<VarRefExpr>(*sum.lhs).discreteLag->spelling, "1");
  EXPECT_NE(cast<VarRefExpr>(*sum.rhs).index, nullptr);
}

TEST(Construct, FunctionsAndProceduresWithUnits) {
  auto p = parseText("FUNCTION vtrap(x (mV), y (mV)) (mV) { vtrap = x / (exp(x/y) - 1) }\n"
                     "PROCEDURE rates(v (mV)) { TABLE minf DEPEND celsius FROM -100 TO 100 WITH 200\n"
                     " minf = 1 }\nFUNCTION_TABLE tau1(v (mV)) (ms)\n");
  ASSERT_PARSES(p);
  const auto &f = cast<CallableBlock>(*p->program->items[0]);
  EXPECT_EQ(f.callable, CallableKind::Function);
  EXPECT_EQ(f.params.at(1).unit->text, "mV");
  EXPECT_EQ(f.unit->text, "mV");
  const auto &r = cast<CallableBlock>(*p->program->items[1]);
  const auto &t = cast<TableStmt>(*r.body->statements[0]);
  EXPECT_EQ(t.names.at(0).name, "minf");
  EXPECT_EQ(t.depends.at(0).name, "celsius");
  EXPECT_EQ(t.with.spelling, "200");
  EXPECT_EQ(cast<FunctionTableBlock>(*p->program->items[2]).unit->text, "ms");
}

TEST(Construct, TableWithoutNames) {
  auto p = parseText("FUNCTION f(x) { TABLE DEPEND k FROM 0 TO 1 WITH 10 f = x }\n");
  ASSERT_PARSES(p);
  const auto &t = cast<TableStmt>(*onlyItem<CallableBlock>(*p).body->statements[0]);
  EXPECT_TRUE(t.names.empty());
  EXPECT_EQ(t.depends.size(), 1u);
}

TEST(Construct, CallsWithUnitAnnotatedNumbersAndStrings) {
  auto p = parseText("BREAKPOINT { rates(v + 5 (mV)) printf(\"t=%g\\n\", t) }\n");
  ASSERT_PARSES(p);
  const auto &s = statementsOf(*p);
  const auto &rates = *cast<CallStmt>(*s[0]).call;
  const auto &sum = cast<BinaryExpr>(*rates.arguments.at(0));
  EXPECT_EQ(cast<NumberExpr>(*sum.rhs).unit->text, "mV");
  const auto &printfCall = *cast<CallStmt>(*s[1]).call;
  EXPECT_EQ(cast<StringExpr>(*printfCall.arguments.at(0)).value, "t=%g\\n");
}

TEST(Construct, IfElseIfElseInBothCases) {
  auto p = parseText("BREAKPOINT { if (a > 1) { x = 1 } else if (a < -1) { x = 2 } else { x = 3 }\n"
                     " IF (b) { } ELSE { y = 1 } }\n");
  ASSERT_PARSES(p);
  const auto &first = cast<IfStmt>(*statementsOf(*p)[0]);
  const auto &elseIf = cast<IfStmt>(*first.otherwise);
  EXPECT_TRUE(isa<Block>(*elseIf.otherwise));
  EXPECT_TRUE(isa<Block>(*cast<IfStmt>(*statementsOf(*p)[1]).otherwise));
}

TEST(Construct, WhileAndFromLoops) {
  auto p = parseText("BREAKPOINT { while (i < 10) { i = i + 1 } FROM j = 0 TO N - 1 BY 2 { x[j] = j }\n"
                     " FROM k = 1 TO 3 { } }\n");
  ASSERT_PARSES(p);
  const auto &from = cast<FromStmt>(*statementsOf(*p)[1]);
  EXPECT_EQ(from.variable.name, "j");
  EXPECT_NE(from.by, nullptr);
  EXPECT_EQ(cast<FromStmt>(*statementsOf(*p)[2]).by, nullptr);
}

TEST(Construct, NetReceiveWithInitialWatchForNetconsAndEvents) {
  auto p = parseText(
      "NET_RECEIVE(w (uS), tsyn (ms)) {\n INITIAL { tsyn = t }\n"
      " if (flag == 0) { net_send(0, 1) } else { net_event(t) net_move(t + 1) }\n"
      " WATCH (v > thresh) 2, (v < -20) 3\n FOR_NETCONS(w1, ts) { ts = t }\n}\n");
  ASSERT_PARSES(p);
  const auto &n = onlyItem<NetReceiveBlock>(*p);
  EXPECT_EQ(n.params.size(), 2u);
  EXPECT_TRUE(isa<InitialStmt>(*n.body->statements[0]));
  const auto &watch = cast<WatchStmt>(*n.body->statements[2]);
  ASSERT_EQ(watch.items.size(), 2u);
  EXPECT_EQ(cast<BinaryExpr>(*watch.items[1].condition).op, BinaryOp::Lt);
  EXPECT_EQ(watch.items[1].flag.value, 3.0);
  EXPECT_EQ(cast<ForNetconsStmt>(*n.body->statements[3]).params.size(), 2u);
}

TEST(Construct, BeforeAfterConstructorDestructor) {
  auto p = parseText("BEFORE BREAKPOINT { x = 1 }\nAFTER SOLVE { }\nBEFORE INITIAL { }\nAFTER STEP { }\n"
                     "CONSTRUCTOR { VERBATIM /* c */\nENDVERBATIM\n}\nDESTRUCTOR { }\n");
  ASSERT_PARSES(p);
  const auto &b = cast<BeforeAfterBlock>(*p->program->items[0]);
  EXPECT_EQ(b.when, BeforeAfterWhen::Before);
  EXPECT_EQ(b.what, BeforeAfterWhat::Breakpoint);
  EXPECT_EQ(cast<BeforeAfterBlock>(*p->program->items[3]).what, BeforeAfterWhat::Step);
  EXPECT_EQ(cast<BodyBlock>(*p->program->items[4]).block, BodyKind::Constructor);
  EXPECT_EQ(cast<BodyBlock>(*p->program->items[5]).block, BodyKind::Destructor);
}

TEST(Construct, ProtectMutexUnitsToggleConductanceLag) {
  auto p = parseText("UNITSOFF\nBREAKPOINT { PROTECT n = n + 1 MUTEXLOCK MUTEXUNLOCK UNITSON\n"
                     " CONDUCTANCE gk USEION k LAG x BY tau }\nUNITSON\n");
  ASSERT_PARSES(p);
  ASSERT_EQ(p->program->items.size(), 3u);
  EXPECT_FALSE(cast<UnitsToggleStmt>(*p->program->items[0]).on);
  const auto &s = cast<BodyBlock>(*p->program->items[1]).body->statements;
  EXPECT_TRUE(cast<AssignStmt>(*s[0]).protect);
  EXPECT_TRUE(cast<MutexStmt>(*s[1]).lock);
  EXPECT_FALSE(cast<MutexStmt>(*s[2]).lock);
  EXPECT_TRUE(cast<UnitsToggleStmt>(*s[3]).on);
  EXPECT_EQ(cast<ConductanceStmt>(*s[4]).ion->name, "k");
  EXPECT_EQ(cast<LagStmt>(*s[5]).by.name, "tau");
}

TEST(Construct, NewlinesAreNotSignificant) {
  auto p = parseText("BREAKPOINT { a = 1 b = 2\n c\n =\n 3 }");
  ASSERT_PARSES(p);
  EXPECT_EQ(statementsOf(*p).size(), 3u);
}

TEST(Construct, SourceRangesPointAtTheText) {
  auto p = parseText("NEURON {\n  SUFFIX hh\n}\n");
  ASSERT_PARSES(p);
  const auto &s = cast<SuffixStmt>(*onlyItem<NeuronBlock>(*p).statements[0]);
  EXPECT_EQ(s.range.begin.line, 2u);
  EXPECT_EQ(s.range.begin.column, 3u);
  EXPECT_EQ(s.name.range.begin.column, 10u);
  EXPECT_EQ(s.name.range.end.column, 12u);
  EXPECT_EQ(p->file->slice(s.name.range), "hh");
}

}  // namespace
}  // namespace ranvier::test

namespace ranvier::test {
namespace {

// The keyword table (frontend/keywords.cpp) and the grammar's tokens{} block must
// list the same words, or a keyword silently becomes an identifier.
TEST(Keywords, EveryKeywordTokenOfTheGrammarIsReserved) {
  using P = grammar::NMODLParser;
  antlr4::ANTLRInputStream input("");
  grammar::NMODLLexer lexer(&input);
  antlr4::CommonTokenStream tokens(&lexer);
  P parser(&tokens);
  const antlr4::dfa::Vocabulary &vocabulary = parser.getVocabulary();
  std::size_t checked = 0;
  for (std::size_t type = P::ERROR_CHAR + 1; type <= vocabulary.getMaxTokenType(); ++type) {
    const std::string name = vocabulary.getSymbolicName(type);
    EXPECT_EQ(frontend::keywordTokenType(name), type) << name << " is not in the keyword table";
    ++checked;
  }
  EXPECT_GT(checked, 60u);
  for (const frontend::Keyword &k : frontend::keywords()) {
    EXPECT_GT(k.tokenType, static_cast<std::size_t>(P::ERROR_CHAR)) << k.text;
  }
}

}  // namespace
}  // namespace ranvier::test
