#include "frontend/ast_builder.hpp"

#include "frontend/raw_blocks.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

namespace ranvier::frontend {

using P = grammar::NMODLParser;
using antlr4::Token;
using antlr4::tree::TerminalNode;

SourceRange rangeOf(const SourceFile &file, const Token *token) {
  if (token == nullptr) return {};
  const std::size_t start = token->getStartIndex();
  const std::size_t stop = token->getStopIndex();
  SourceRange range{&file, file.locationOfCharacter(start), {}};
  range.end = (stop == INVALID_INDEX || stop + 1 < start) ? range.begin
                                                          : file.locationOfCharacter(stop + 1);
  return range;
}

SourceRange rangeOf(const SourceFile &file, antlr4::ParserRuleContext *context) {
  if (context == nullptr) return {};
  SourceRange range = rangeOf(file, context->getStart());
  const Token *stop = context->getStop();
  if (stop != nullptr && stop->getStopIndex() != INVALID_INDEX &&
      stop->getStopIndex() + 1 >= context->getStart()->getStartIndex()) {
    range.end = rangeOf(file, stop).end;
  }
  return range;
}

namespace {

class Builder {
public:
  Builder(const SourceFile &file, DiagnosticEngine &diagnostics, const BuildLimits &limits)
      : file_(file), diags_(diagnostics), limits_(limits) {}

  std::unique_ptr<ast::Program> program(P::ProgramContext &tree) {
    auto program = std::make_unique<ast::Program>();
    program->file = &file_;
    for (P::TopItemContext *item : tree.topItem()) {
      if (ast::NodePtr node = topItem(item)) program->items.push_back(std::move(node));
    }
    return program;
  }

private:
  const SourceFile &file_;
  DiagnosticEngine &diags_;
  BuildLimits limits_;
  bool reportedTooDeep_ = false;

  SourceRange range(const Token *token) const { return rangeOf(file_, token); }
  SourceRange range(antlr4::ParserRuleContext *context) const {
    return rangeOf(file_, context);
  }
  SourceRange range(TerminalNode *node) const {
    return rangeOf(file_, node != nullptr ? node->getSymbol() : nullptr);
  }

  template <class T> std::unique_ptr<T> make(SourceRange where) {
    return std::make_unique<T>(where);
  }

  ast::Identifier identifier(const Token *token) const {
    return token == nullptr ? ast::Identifier{} : ast::Identifier{token->getText(), range(token)};
  }
  ast::Identifier identifier(TerminalNode *node) const {
    return identifier(node != nullptr ? node->getSymbol() : nullptr);
  }

  // name : ID | PRIME  — the identifier without its primes, and how many there are.
  std::pair<ast::Identifier, unsigned> name(P::NameContext *ctx) const {
    if (ctx == nullptr) return {};
    TerminalNode *node = ctx->ID() != nullptr ? ctx->ID() : ctx->PRIME();
    ast::Identifier id = identifier(node);
    const auto firstPrime = id.name.find('\'');
    unsigned primes = 0;
    if (firstPrime != std::string::npos) {
      primes = static_cast<unsigned>(id.name.size() - firstPrime);
      id.name.resize(firstPrime);
    }
    return {id, primes};
  }

  std::vector<ast::Identifier> names(P::NameListContext *ctx) const {
    std::vector<ast::Identifier> result;
    if (ctx != nullptr) {
      for (TerminalNode *id : ctx->ID()) result.push_back(identifier(id));
    }
    return result;
  }

  ast::Number number(P::NumberContext *ctx, bool negative = false) {
    ast::Number n;
    if (ctx == nullptr) return n;
    n.spelling = (negative ? "-" : "") + ctx->getText();
    n.range = range(ctx);
    errno = 0;
    n.value = std::strtod(n.spelling.c_str(), nullptr);
    if (errno == ERANGE && std::isinf(n.value)) {
      diags_.error(n.range, fmt::format("number '{}' is too large for a double", n.spelling));
    }
    return n;
  }

  ast::Number signedNumber(P::SignedNumberContext *ctx) {
    if (ctx == nullptr) return {};
    const bool negative = ctx->getStart() != nullptr && ctx->getStart()->getText() == "-";
    ast::Number n = number(ctx->number(), negative);
    n.range = range(ctx);
    return n;
  }
  std::optional<ast::Number> optionalNumber(P::SignedNumberContext *ctx) {
    if (ctx == nullptr) return std::nullopt;
    return signedNumber(ctx);
  }

  ast::IntegerRef integerRef(P::IntegerRefContext *ctx) const {
    if (ctx == nullptr) return {};
    return ast::IntegerRef{ctx->getText(), range(ctx)};
  }

  // The text between the parentheses, with runs of blanks collapsed to one.
  std::optional<ast::Unit> unit(P::UnitContext *ctx) const {
    if (ctx == nullptr) return std::nullopt;
    SourceRange whole = range(ctx);
    std::string_view inside = file_.slice(whole);
    if (inside.size() >= 2) inside = inside.substr(1, inside.size() - 2);
    std::string text;
    for (char c : inside) {
      const bool blank = c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f';
      if (blank) {
        if (!text.empty() && text.back() != ' ') text.push_back(' ');
      } else {
        text.push_back(c);
      }
    }
    if (!text.empty() && text.back() == ' ') text.pop_back();
    if (whole.begin.line != whole.end.line) {
      diags_.error(whole, "units must be written on one line")
          .withHint("nocmodl reads units up to ')' on the same line; is a ')' missing?");
    }
    return ast::Unit{text, whole};
  }

  std::vector<ast::Param> params(P::ParametersContext *ctx) {
    std::vector<ast::Param> result;
    if (ctx == nullptr) return result;
    for (P::ParameterContext *p : ctx->parameter()) {
      auto [id, primes] = name(p->name());
      result.push_back(ast::Param{id, primes, unit(p->unit())});
    }
    return result;
  }

  // ───────────────────────────── top level ─────────────────────────────

  ast::NodePtr topItem(P::TopItemContext *ctx) {
    if (auto *c = dynamic_cast<P::TitleItemContext *>(ctx)) {
      auto node = make<ast::TitleItem>(range(c));
      std::string text = c->TITLE()->getText().substr(5);
      const auto first = text.find_first_not_of(" \t");
      const auto last = text.find_last_not_of(" \t\r");
      node->text = first == std::string::npos ? "" : text.substr(first, last - first + 1);
      return node;
    }
    if (auto *c = dynamic_cast<P::DefineItemContext *>(ctx)) {
      auto node = make<ast::DefineItem>(range(c));
      node->name = identifier(c->ID());
      node->value = ast::IntegerRef{c->INTEGER()->getText(), range(c->INTEGER())};
      return node;
    }
    if (auto *c = dynamic_cast<P::IncludeItemContext *>(ctx)) {
      auto node = make<ast::IncludeItem>(range(c));
      std::string quoted = c->STRING()->getText();
      node->path = quoted.size() >= 2 ? quoted.substr(1, quoted.size() - 2) : quoted;
      if (node->path.empty()) diags_.error(range(c->STRING()), "INCLUDE needs a file name");
      return node;
    }
    if (auto *c = dynamic_cast<P::VerbatimTopContext *>(ctx)) return verbatim(c->VERBATIM());
    if (auto *c = dynamic_cast<P::UnitsToggleTopContext *>(ctx)) return unitsToggle(c->unitsToggle());
    if (auto *c = dynamic_cast<P::LocalTopContext *>(ctx)) return local(c->localStmt());
    if (auto *c = dynamic_cast<P::NeuronTopContext *>(ctx)) return neuronBlock(c->neuronBlock());
    if (auto *c = dynamic_cast<P::UnitsTopContext *>(ctx)) return unitsBlock(c->unitsBlock());
    if (auto *c = dynamic_cast<P::DeclarationTopContext *>(ctx)) return declarations(c->declarationBlock());
    if (auto *c = dynamic_cast<P::IndependentTopContext *>(ctx)) return independent(c->independentBlock());
    if (auto *c = dynamic_cast<P::BodyTopContext *>(ctx)) return bodyBlock(c->bodyBlock());
    if (auto *c = dynamic_cast<P::NamedTopContext *>(ctx)) return namedBlock(c->namedBlock());
    if (auto *c = dynamic_cast<P::CallableTopContext *>(ctx)) return callable(c->callableBlock());
    if (auto *c = dynamic_cast<P::FunctionTableTopContext *>(ctx)) return functionTable(c->functionTableBlock());
    if (auto *c = dynamic_cast<P::NetReceiveTopContext *>(ctx)) return netReceive(c->netReceiveBlock());
    if (auto *c = dynamic_cast<P::BeforeAfterTopContext *>(ctx)) return beforeAfter(c->beforeAfterBlock());
    if (auto *c = dynamic_cast<P::SteppedTopContext *>(ctx)) return stepped(c->steppedBlock());
    if (auto *c = dynamic_cast<P::ModelLevelItemContext *>(ctx)) {
      auto node = make<ast::ModelLevelItem>(range(c));
      node->level = ast::IntegerRef{c->INTEGER()->getText(), range(c->INTEGER())};
      return node;
    }
    if (auto *c = dynamic_cast<P::PlotItemContext *>(ctx)) {
      auto node = make<ast::PlotItem>(range(c));
      auto refs = c->varRef();
      for (std::size_t i = 0; i + 1 < refs.size(); ++i) node->ys.push_back(varRef(refs[i], 0));
      node->x = varRef(refs.back(), 0);
      return node;
    }
    return nullptr;
  }

  std::unique_ptr<ast::VerbatimStmt> verbatim(TerminalNode *token) {
    auto node = make<ast::VerbatimStmt>(range(token));
    // The text between the keyword and the END line, line break included, so that
    // printing "VERBATIM" + text + "ENDVERBATIM" gives the same block back.
    std::string text = token->getText();
    const std::size_t end = rawBlockBodyEnd(text, "VERBATIM", "ENDVERBATIM").value_or(text.size());
    node->text = text.substr(std::string_view("VERBATIM").size(),
                             end - std::string_view("VERBATIM").size());
    return node;
  }

  std::unique_ptr<ast::UnitsToggleStmt> unitsToggle(P::UnitsToggleContext *ctx) {
    auto node = make<ast::UnitsToggleStmt>(range(ctx));
    node->on = ctx->kind->getText() == "UNITSON";
    return node;
  }

  std::unique_ptr<ast::LocalStmt> local(P::LocalStmtContext *ctx) {
    auto node = make<ast::LocalStmt>(range(ctx));
    for (P::LocalVarContext *var : ctx->localVar()) {
      ast::LocalVar local{identifier(var->ID()), std::nullopt};
      if (var->integerRef() != nullptr) local.size = integerRef(var->integerRef());
      node->variables.push_back(std::move(local));
    }
    return node;
  }

  ast::NodePtr neuronBlock(P::NeuronBlockContext *ctx) {
    auto block = make<ast::NeuronBlock>(range(ctx));
    for (P::NeuronStmtContext *stmt : ctx->neuronStmt()) {
      if (ast::NodePtr node = neuronStmt(stmt)) block->statements.push_back(std::move(node));
    }
    return block;
  }

  ast::Ontology ontology(P::RepresentsContext *ctx) const {
    std::string text = ctx->REPRESENTS()->getText();
    text.erase(0, std::string_view("REPRESENTS").size());
    text.erase(0, text.find_first_not_of(" \t"));
    return ast::Ontology{text, range(ctx)};
  }

  ast::NodePtr neuronStmt(P::NeuronStmtContext *ctx) {
    if (auto *c = dynamic_cast<P::SuffixStmtContext *>(ctx)) {
      auto node = make<ast::SuffixStmt>(range(c));
      const std::string kind = c->kind->getText();
      node->mechanism = kind == "SUFFIX"          ? ast::MechanismKind::Density
                        : kind == "POINT_PROCESS" ? ast::MechanismKind::PointProcess
                                                  : ast::MechanismKind::ArtificialCell;
      node->name = identifier(c->ID());
      return node;
    }
    if (auto *c = dynamic_cast<P::UseIonStmtContext *>(ctx)) {
      auto node = make<ast::UseIonStmt>(range(c));
      node->ion = identifier(c->ion);
      node->read = names(c->read);
      node->write = names(c->write);
      node->valence = optionalNumber(c->signedNumber());
      if (c->represents() != nullptr) node->represents = ontology(c->represents());
      if (c->read == nullptr && c->write == nullptr) {
        diags_.error(node->range, fmt::format("USEION {} needs READ or WRITE", node->ion.name))
            .withHint(fmt::format("for example: USEION {0} READ e{0} WRITE i{0}", node->ion.name));
      }
      return node;
    }
    if (auto *c = dynamic_cast<P::NameListStmtContext *>(ctx)) {
      auto node = make<ast::NameListStmt>(range(c));
      const std::string kind = c->kind->getText();
      using K = ast::NameListKind;
      node->list = kind == "RANGE"           ? K::Range
                   : kind == "GLOBAL"        ? K::Global
                   : kind == "POINTER"       ? K::Pointer
                   : kind == "BBCOREPOINTER" ? K::BbcorePointer
                   : kind == "EXTERNAL"      ? K::External
                   : kind == "NONSPECIFIC_CURRENT" ? K::NonspecificCurrent
                                                   : K::ElectrodeCurrent;
      node->names = names(c->nameList());
      return node;
    }
    if (auto *c = dynamic_cast<P::ThreadsafeStmtContext *>(ctx)) {
      auto node = make<ast::ThreadsafeStmt>(range(c));
      node->names = names(c->nameList());
      return node;
    }
    if (auto *c = dynamic_cast<P::RepresentsStmtContext *>(ctx)) {
      auto node = make<ast::RepresentsStmt>(range(c));
      node->ontology = ontology(c->represents());
      return node;
    }
    return nullptr;
  }

  ast::NodePtr unitsBlock(P::UnitsBlockContext *ctx) {
    auto block = make<ast::UnitsBlock>(range(ctx));
    using Form = ast::UnitDef::Form;
    for (P::UnitDefContext *def : ctx->unitDef()) {
      ast::UnitDef d;
      d.range = range(def);
      if (auto *alias = dynamic_cast<P::UnitAliasContext *>(def)) {
        d.form = Form::Alias;
        d.first = *unit(alias->unit(0));
        d.second = unit(alias->unit(1));
      } else if (auto *byNumber = dynamic_cast<P::UnitFactorNumberContext *>(def)) {
        d.form = Form::FactorNumber;
        d.name = identifier(byNumber->ID());
        d.value = signedNumber(byNumber->signedNumber());
        d.first = *unit(byNumber->unit());
      } else if (auto *byUnits = dynamic_cast<P::UnitFactorUnitsContext *>(def)) {
        d.form = Form::FactorUnits;
        d.name = identifier(byUnits->ID());
        d.first = *unit(byUnits->unit(0));
        d.second = unit(byUnits->unit(1));
      } else if (auto *arrow = dynamic_cast<P::UnitFactorArrowContext *>(def)) {
        d.form = Form::FactorArrow;
        d.name = identifier(arrow->ID());
        d.first = *unit(arrow->unit(0));
        d.second = unit(arrow->unit(1));
      }
      block->definitions.push_back(std::move(d));
    }
    return block;
  }

  ast::NodePtr declarations(P::DeclarationBlockContext *ctx) {
    auto block = make<ast::DeclarationBlock>(range(ctx));
    const std::string kind = ctx->kind->getText();
    block->block = kind == "PARAMETER"  ? ast::DeclKind::Parameter
                   : kind == "ASSIGNED" ? ast::DeclKind::Assigned
                   : kind == "STATE"    ? ast::DeclKind::State
                                        : ast::DeclKind::Constant;
    for (P::VarDeclContext *c : ctx->varDecl()) {
      ast::VarDecl d;
      d.range = range(c);
      std::tie(d.name, d.primes) = name(c->name());
      if (c->size != nullptr) d.size = integerRef(c->size);
      d.value = optionalNumber(c->value);
      d.from = optionalNumber(c->from);
      d.to = optionalNumber(c->to);
      d.start = optionalNumber(c->start);
      d.unit = unit(c->unit());
      if (auto *bounds = dynamic_cast<P::RangeLimitsContext *>(c->limits())) {
        d.low = signedNumber(bounds->lo);
        d.high = signedNumber(bounds->hi);
      } else if (auto *tol = dynamic_cast<P::ToleranceLimitContext *>(c->limits())) {
        d.tolerance = signedNumber(tol->tol);
      }
      checkDeclaration(block->block, d, c);
      block->declarations.push_back(std::move(d));
    }
    return block;
  }

  // nocmodl's rules for what each declaration block accepts.
  void checkDeclaration(ast::DeclKind block, const ast::VarDecl &d, P::VarDeclContext *c) {
    using K = ast::DeclKind;
    const char *where = ast::keyword(block);
    auto reject = [&](antlr4::ParserRuleContext *part, std::string_view what, std::string hint) {
      diags_.error(range(part), fmt::format("{} is not allowed in {} {} declaration", what,
                                            block == K::Assigned ? "an" : "a", where))
          .withHint(std::move(hint));
    };
    const bool parameter = block == K::Parameter;
    const bool constant = block == K::Constant;
    if (d.primes != 0 && (parameter || constant)) {
      diags_.error(d.name.range, fmt::format("a derivative ({}') cannot be declared in {}",
                                             d.name.name, where));
    }
    if (d.value && !parameter && !constant) {
      reject(c->value, "'= value'",
             "ASSIGNED and STATE variables get their values in INITIAL; declare constants in "
             "PARAMETER");
    }
    if (constant && !d.value) {
      diags_.error(d.range, fmt::format("CONSTANT {} needs a value", d.name.name))
          .withHint(fmt::format("write: {} = <number>", d.name.name));
    }
    if (constant && d.size) {
      reject(c->size, "an array size", "CONSTANTs are scalars");
    }
    if (d.value && d.size) {
      reject(c->value, "'= value' on an array", "array elements start at 0");
    }
    if ((parameter || constant) && d.from) {
      reject(c->from, "FROM ... TO", "only ASSIGNED and STATE variables take FROM ... TO");
    }
    if ((parameter || constant) && d.start) {
      reject(c->start, "START", "only ASSIGNED and STATE variables take START");
    }
    if (!parameter && d.low) {
      reject(c->limits(), "a '<low, high>' range", "only PARAMETERs take value ranges");
    }
    if ((parameter || constant) && d.tolerance) {
      reject(c->limits(), "an absolute tolerance '<tol>'",
             "PARAMETER ranges need two numbers: <low, high>");
    }
    if (d.size && d.size->isLiteral()) {
      const long n = std::strtol(d.size->spelling.c_str(), nullptr, 10);
      if (n < 1) diags_.error(d.size->range, "array size must be at least 1");
    }
  }

  ast::NodePtr independent(P::IndependentBlockContext *ctx) {
    auto block = make<ast::IndependentBlock>(range(ctx));
    for (P::IndependentDeclContext *c : ctx->independentDecl()) {
      ast::IndependentDecl d;
      d.range = range(c);
      d.sweep = c->sweep != nullptr;
      d.name = identifier(c->ID());
      d.from = signedNumber(c->from);
      d.to = signedNumber(c->to);
      d.with = integerRef(c->with);
      d.start = optionalNumber(c->start);
      d.unit = unit(c->unit());
      block->declarations.push_back(std::move(d));
    }
    return block;
  }

  ast::NodePtr stepped(P::SteppedBlockContext *ctx) {
    auto block = make<ast::SteppedBlock>(range(ctx));
    for (P::SteppedDeclContext *c : ctx->steppedDecl()) {
      ast::SteppedDecl d;
      d.range = range(c);
      d.name = identifier(c->ID());
      for (P::SignedNumberContext *n : c->signedNumber()) d.values.push_back(signedNumber(n));
      d.unit = unit(c->unit());
      block->declarations.push_back(std::move(d));
    }
    return block;
  }

  ast::NodePtr bodyBlock(P::BodyBlockContext *ctx) {
    auto node = make<ast::BodyBlock>(range(ctx));
    const std::string kind = ctx->kind->getText();
    node->block = kind == "INITIAL"      ? ast::BodyKind::Initial
                  : kind == "BREAKPOINT" ? ast::BodyKind::Breakpoint
                  : kind == "CONSTRUCTOR" ? ast::BodyKind::Constructor
                  : kind == "DESTRUCTOR" ? ast::BodyKind::Destructor
                                         : ast::BodyKind::Terminal;
    node->body = block(ctx->block());
    return node;
  }

  ast::NodePtr namedBlock(P::NamedBlockContext *ctx) {
    auto node = make<ast::NamedBlock>(range(ctx));
    const std::string kind = ctx->kind->getText();
    using K = ast::NamedKind;
    node->block = kind == "DERIVATIVE" ? K::Derivative
                  : kind == "LINEAR"   ? K::Linear
                  : kind == "NONLINEAR" ? K::Nonlinear
                  : kind == "KINETIC"  ? K::Kinetic
                  : kind == "DISCRETE" ? K::Discrete
                                       : K::Partial;
    node->name = identifier(ctx->ID());
    if (ctx->solveFor() != nullptr) {
      for (TerminalNode *id : ctx->solveFor()->ID()) node->solveFor.push_back(identifier(id));
      if (node->block == K::Derivative || node->block == K::Discrete || node->block == K::Partial) {
        diags_.error(range(ctx->solveFor()),
                     fmt::format("SOLVEFOR is not allowed on a {} block", kind))
            .withHint("SOLVEFOR belongs to KINETIC, LINEAR and NONLINEAR blocks");
      }
    }
    node->body = block(ctx->block());
    return node;
  }

  ast::NodePtr callable(P::CallableBlockContext *ctx) {
    auto node = make<ast::CallableBlock>(range(ctx));
    node->callable = ctx->kind->getText() == "FUNCTION" ? ast::CallableKind::Function
                                                        : ast::CallableKind::Procedure;
    node->name = identifier(ctx->ID());
    node->params = params(ctx->parameters());
    node->unit = unit(ctx->unit());
    node->body = block(ctx->block());
    return node;
  }

  ast::NodePtr functionTable(P::FunctionTableBlockContext *ctx) {
    auto node = make<ast::FunctionTableBlock>(range(ctx));
    node->name = identifier(ctx->ID());
    node->params = params(ctx->parameters());
    node->unit = unit(ctx->unit());
    return node;
  }

  ast::NodePtr netReceive(P::NetReceiveBlockContext *ctx) {
    auto node = make<ast::NetReceiveBlock>(range(ctx));
    node->params = params(ctx->parameters());
    node->body = block(ctx->block());
    return node;
  }

  ast::NodePtr beforeAfter(P::BeforeAfterBlockContext *ctx) {
    auto node = make<ast::BeforeAfterBlock>(range(ctx));
    node->when = ctx->when->getText() == "BEFORE" ? ast::BeforeAfterWhen::Before
                                                  : ast::BeforeAfterWhen::After;
    const std::string what = ctx->what->getText();
    using W = ast::BeforeAfterWhat;
    node->what = what == "BREAKPOINT" ? W::Breakpoint
                 : what == "SOLVE"    ? W::Solve
                 : what == "INITIAL"  ? W::Initial
                                      : W::Step;
    node->body = block(ctx->block());
    return node;
  }

  // ───────────────────────────── statements ─────────────────────────────

  ast::BlockPtr block(P::BlockContext *ctx) {
    auto node = make<ast::Block>(range(ctx));
    if (ctx == nullptr) return node;
    for (P::StatementContext *stmt : ctx->statement()) {
      if (ast::StmtPtr s = statement(stmt)) node->statements.push_back(std::move(s));
    }
    return node;
  }

  std::vector<ast::Reactant> reactants(P::ReactantsContext *ctx) {
    std::vector<ast::Reactant> result;
    for (P::ReactantContext *r : ctx->reactant()) {
      ast::Reactant reactant;
      reactant.range = range(r);
      if (r->coefficient != nullptr) {
        reactant.coefficient = integerRef(r->coefficient);
        const std::string &text = reactant.coefficient->spelling;
        if (reactant.coefficient->isLiteral() &&
            (text.size() > 7 || std::strtoul(text.c_str(), nullptr, 10) == 0)) {
          diags_.error(reactant.coefficient->range,
                       fmt::format("stoichiometric coefficient {} is out of range (1 to 9999999)", text));
        }
      }
      reactant.species = varRef(r->varRef(), 0);
      result.push_back(std::move(reactant));
    }
    return result;
  }

  ast::StmtPtr statement(P::StatementContext *ctx) {
    const SourceRange where = range(ctx);
    if (auto *c = dynamic_cast<P::LocalStatementContext *>(ctx)) return local(c->localStmt());
    if (auto *c = dynamic_cast<P::AssignStatementContext *>(ctx)) {
      auto node = make<ast::AssignStmt>(where);
      node->protect = c->protect != nullptr;
      node->target = varRef(c->varRef(), 0);
      node->value = expr(c->expr(), 0);
      return node;
    }
    if (auto *c = dynamic_cast<P::CallStatementContext *>(ctx)) {
      auto node = make<ast::CallStmt>(where);
      node->call = call(c->call(), 0);
      return node;
    }
    if (auto *c = dynamic_cast<P::ReactionStatementContext *>(ctx)) {
      auto node = make<ast::ReactionStmt>(where);
      auto sides = c->reactants();
      node->lhs = reactants(sides.at(0));
      const std::string op = c->op->getText();
      auto rates = c->expr();
      if (op == "<->") {
        node->op = ast::ReactionOp::Reversible;
        node->rhs = reactants(sides.at(1));
        node->forwardRate = expr(rates.at(0), 0);
        node->backwardRate = expr(rates.at(1), 0);
      } else {
        node->op = op == "<" ? ast::ReactionOp::FluxIn : ast::ReactionOp::FluxOut;
        node->forwardRate = expr(rates.at(0), 0);
      }
      return node;
    }
    if (auto *c = dynamic_cast<P::EquationStatementContext *>(ctx)) {
      auto node = make<ast::EquationStmt>(where);
      node->addition = c->plus != nullptr;
      node->boundaryFlux = c->del != nullptr;
      node->lhs = expr(c->lhs, 0);
      node->rhs = expr(c->rhs, 0);
      return node;
    }
    if (auto *c = dynamic_cast<P::ConserveStatementContext *>(ctx)) {
      auto node = make<ast::ConserveStmt>(where);
      node->lhs = reactants(c->reactants());
      node->total = expr(c->expr(), 0);
      return node;
    }
    if (auto *c = dynamic_cast<P::CompartmentStatementContext *>(ctx)) {
      auto node = make<ast::CompartmentStmt>(where);
      node->longitudinalDiffusion = c->kind->getText() == "LONGITUDINAL_DIFFUSION";
      if (c->index != nullptr) node->index = identifier(c->index);
      node->amount = expr(c->expr(), 0);
      for (Token *species : c->species) node->species.push_back(identifier(species));
      return node;
    }
    if (auto *c = dynamic_cast<P::IfStatementContext *>(ctx)) return ifStmt(c->ifStmt());
    if (auto *c = dynamic_cast<P::WhileStatementContext *>(ctx)) {
      auto node = make<ast::WhileStmt>(where);
      node->condition = expr(c->expr(), 0);
      node->body = block(c->block());
      return node;
    }
    if (auto *c = dynamic_cast<P::FromStatementContext *>(ctx)) {
      auto node = make<ast::FromStmt>(where);
      node->variable = identifier(c->ID());
      node->from = expr(c->from, 0);
      node->to = expr(c->to, 0);
      if (c->by != nullptr) node->by = expr(c->by, 0);
      node->body = block(c->block());
      return node;
    }
    if (auto *c = dynamic_cast<P::BlockStatementContext *>(ctx)) return block(c->block());
    if (auto *c = dynamic_cast<P::SolveStatementContext *>(ctx)) {
      auto node = make<ast::SolveStmt>(where);
      node->block = identifier(c->ID(0));
      if (c->how != nullptr) {
        node->how = c->how->getText() == "METHOD" ? ast::SolveHow::Method
                                                  : ast::SolveHow::SteadyState;
        node->method = identifier(c->method);
      }
      if (c->block() != nullptr) node->ifError = block(c->block());
      return node;
    }
    if (auto *c = dynamic_cast<P::TableStatementContext *>(ctx)) {
      auto node = make<ast::TableStmt>(where);
      node->names = names(c->names);
      node->depends = names(c->depends);
      node->from = expr(c->from, 0);
      node->to = expr(c->to, 0);
      node->with = integerRef(c->with);
      return node;
    }
    if (auto *c = dynamic_cast<P::ConductanceStatementContext *>(ctx)) {
      auto node = make<ast::ConductanceStmt>(where);
      node->variable = identifier(c->var);
      if (c->ion != nullptr) node->ion = identifier(c->ion);
      return node;
    }
    if (auto *c = dynamic_cast<P::LagStatementContext *>(ctx)) {
      auto node = make<ast::LagStmt>(where);
      std::tie(node->variable, node->primes) = name(c->name());
      node->by = identifier(c->ID());
      return node;
    }
    if (auto *c = dynamic_cast<P::InitialStatementContext *>(ctx)) {
      auto node = make<ast::InitialStmt>(where);
      node->body = block(c->block());
      return node;
    }
    if (auto *c = dynamic_cast<P::WatchStatementContext *>(ctx)) {
      auto node = make<ast::WatchStmt>(where);
      for (P::WatchContext *w : c->watch()) {
        ast::WatchItem item;
        item.range = range(w);
        item.condition = expr(w->expr(), 0);
        item.flag = signedNumber(w->signedNumber());
        auto *cond = dynamic_cast<ast::BinaryExpr *>(item.condition.get());
        if (cond == nullptr || (cond->op != ast::BinaryOp::Gt && cond->op != ast::BinaryOp::Lt)) {
          diags_.error(range(w->expr()), "a WATCH condition must compare with '>' or '<'")
              .withHint("for example: WATCH (v > thresh) 2");
        }
        node->items.push_back(std::move(item));
      }
      return node;
    }
    if (auto *c = dynamic_cast<P::ForNetconsStatementContext *>(ctx)) {
      auto node = make<ast::ForNetconsStmt>(where);
      node->params = params(c->parameters());
      node->body = block(c->block());
      return node;
    }
    if (auto *c = dynamic_cast<P::MutexStatementContext *>(ctx)) {
      auto node = make<ast::MutexStmt>(where);
      node->lock = c->kind->getText() == "MUTEXLOCK";
      return node;
    }
    if (auto *c = dynamic_cast<P::UnitsToggleStatementContext *>(ctx)) {
      return unitsToggle(c->unitsToggle());
    }
    if (auto *c = dynamic_cast<P::VerbatimStatementContext *>(ctx)) return verbatim(c->VERBATIM());
    if (auto *c = dynamic_cast<P::ForallStatementContext *>(ctx)) {
      auto node = make<ast::ForallStmt>(where);
      node->variable = identifier(c->ID());
      node->body = block(c->block());
      return node;
    }
    if (auto *c = dynamic_cast<P::SensStatementContext *>(ctx)) {
      auto node = make<ast::SensStmt>(where);
      node->names = names(c->nameList());
      return node;
    }
    if (auto *c = dynamic_cast<P::QueueStatementContext *>(ctx)) {
      auto node = make<ast::QueueStmt>(where);
      node->put = c->kind->getText() == "PUTQ";
      node->variable = identifier(c->ID());
      return node;
    }
    if (dynamic_cast<P::ResetStatementContext *>(ctx) != nullptr) return make<ast::ResetStmt>(where);
    if (auto *c = dynamic_cast<P::MatchStatementContext *>(ctx)) {
      auto node = make<ast::MatchStmt>(where);
      for (P::MatchItemContext *m : c->matchItem()) {
        ast::MatchItem item;
        item.range = range(m);
        item.variable = varRef(m->varRef(), 0);
        if (m->at != nullptr) {
          item.at = expr(m->at, 0);
          item.value = expr(m->value, 0);
        }
        node->items.push_back(std::move(item));
      }
      return node;
    }
    return nullptr;
  }

  std::unique_ptr<ast::IfStmt> ifStmt(P::IfStmtContext *ctx) {
    auto node = make<ast::IfStmt>(range(ctx));
    node->condition = expr(ctx->expr(), 0);
    auto blocks = ctx->block();
    node->then = block(blocks.at(0));
    if (ctx->ifStmt() != nullptr) {
      node->otherwise = ifStmt(ctx->ifStmt());
    } else if (blocks.size() > 1) {
      node->otherwise = block(blocks.at(1));
    }
    return node;
  }

  // ───────────────────────────── expressions ─────────────────────────────

  // An expression too deep for the stages after the parser becomes a 0 and one error.
  bool tooDeep(unsigned depth, const SourceRange &where) {
    if (depth <= limits_.maxExpressionDepth) return false;
    if (!reportedTooDeep_) {
      diags_.error(where, fmt::format("expression is nested more than {} levels deep",
                                      limits_.maxExpressionDepth))
          .withHint("split it into several assignments to LOCAL variables");
      reportedTooDeep_ = true;
    }
    return true;
  }

  ast::ExprPtr zero(SourceRange where) {
    auto n = make<ast::NumberExpr>(where);
    n->number = ast::Number{"0", 0.0, where};
    return n;
  }

  ast::ExprPtr expr(P::ExprContext *ctx, unsigned depth) {
    if (ctx == nullptr) return zero({});
    if (tooDeep(depth, range(ctx))) return zero(range(ctx));
    if (auto *c = dynamic_cast<P::PrimaryExprContext *>(ctx)) return primary(c->primary(), depth);
    if (auto *c = dynamic_cast<P::UnaryExprContext *>(ctx)) {
      auto node = make<ast::UnaryExpr>(range(c));
      const std::string op = c->op->getText();
      node->op = op == "-" ? ast::UnaryOp::Negate : op == "+" ? ast::UnaryOp::Plus : ast::UnaryOp::Not;
      node->operand = expr(c->expr(), depth + 1);
      return node;
    }
    if (auto *c = dynamic_cast<P::BinaryExprContext *>(ctx)) return binaryChain(c, depth);
    return zero(range(ctx));
  }

  static ast::BinaryOp binaryOp(const std::string &op) {
    using B = ast::BinaryOp;
    if (op == "^") return B::Pow;
    if (op == "*") return B::Mul;
    if (op == "/") return B::Div;
    if (op == "+") return B::Add;
    if (op == "-") return B::Sub;
    if (op == "<") return B::Lt;
    if (op == ">") return B::Gt;
    if (op == "<=") return B::Le;
    if (op == ">=") return B::Ge;
    if (op == "==") return B::Eq;
    if (op == "!=") return B::Ne;
    if (op == "&&") return B::And;
    return B::Or;
  }

  // Left-associative chains (a + b + c + ...) nest to the left in the parse tree;
  // walk them with a loop so a long sum costs no stack.
  ast::ExprPtr binaryChain(P::BinaryExprContext *top, unsigned depth) {
    std::vector<P::BinaryExprContext *> chain{top};
    while (auto *inner = dynamic_cast<P::BinaryExprContext *>(chain.back()->lhs)) {
      chain.push_back(inner);
    }
    const unsigned innermostDepth = depth + static_cast<unsigned>(chain.size());
    if (tooDeep(innermostDepth, range(top))) return zero(range(top));
    ast::ExprPtr result = expr(chain.back()->lhs, innermostDepth);
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
      auto node = make<ast::BinaryExpr>(range(*it));
      node->op = binaryOp((*it)->op->getText());
      node->lhs = std::move(result);
      const unsigned level = depth + static_cast<unsigned>(chain.rend() - it);
      node->rhs = expr((*it)->rhs, level);
      result = std::move(node);
    }
    return result;
  }

  ast::ExprPtr primary(P::PrimaryContext *ctx, unsigned depth) {
    if (auto *c = dynamic_cast<P::NumberPrimaryContext *>(ctx)) {
      auto node = make<ast::NumberExpr>(range(c));
      node->number = number(c->number());
      node->unit = unit(c->unit());
      return node;
    }
    if (auto *c = dynamic_cast<P::CallPrimaryContext *>(ctx)) return call(c->call(), depth);
    if (auto *c = dynamic_cast<P::VarPrimaryContext *>(ctx)) return varRef(c->varRef(), depth);
    if (auto *c = dynamic_cast<P::ParenPrimaryContext *>(ctx)) return expr(c->expr(), depth + 1);
    return zero(range(ctx));
  }

  std::unique_ptr<ast::CallExpr> call(P::CallContext *ctx, unsigned depth) {
    auto node = make<ast::CallExpr>(range(ctx));
    node->callee = identifier(ctx->ID());
    for (P::ArgumentContext *arg : ctx->argument()) {
      if (TerminalNode *s = arg->STRING()) {
        auto str = make<ast::StringExpr>(range(s));
        const std::string quoted = s->getText();
        str->value = quoted.size() >= 2 ? quoted.substr(1, quoted.size() - 2) : quoted;
        node->arguments.push_back(std::move(str));
      } else {
        node->arguments.push_back(expr(arg->expr(), depth + 1));
      }
    }
    return node;
  }

  std::unique_ptr<ast::VarRefExpr> varRef(P::VarRefContext *ctx, unsigned depth) {
    auto node = make<ast::VarRefExpr>(range(ctx));
    if (auto *plain = dynamic_cast<P::PlainVarContext *>(ctx)) {
      std::tie(node->name, node->primes) = name(plain->name());
      if (plain->index != nullptr) node->index = expr(plain->index, depth + 1);
    } else if (auto *lagged = dynamic_cast<P::DiscreteVarContext *>(ctx)) {
      node->name = identifier(lagged->ID());
      node->discreteLag = integerRef(lagged->integerRef());
      if (lagged->index != nullptr) node->index = expr(lagged->index, depth + 1);
    }
    return node;
  }
};

}  // namespace

std::unique_ptr<ast::Program> buildAst(P::ProgramContext &tree, const SourceFile &file,
                                       DiagnosticEngine &diagnostics, const BuildLimits &limits) {
  return Builder(file, diagnostics, limits).program(tree);
}

}  // namespace ranvier::frontend
