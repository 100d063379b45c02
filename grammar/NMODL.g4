// NMODL, the language of NEURON mechanisms, as NEURON 8.2's nocmodl accepts it.
//
// Written for Ranvier from the language definition (NEURON's documentation and the
// behaviour of nocmodl); where this grammar is more permissive than nocmodl
// (unary '+', LOCAL anywhere in a block, signed limits), the semantic checks
// decide. Newlines are not significant in NMODL, exactly as in nocmodl.
//
// Keywords are reserved words. The lexer reads every word as an ID and the
// frontend turns reserved words into their keyword token (frontend/keywords.cpp):
// one small ID rule instead of a path per keyword keeps the lexer's automaton,
// its start-up cost and its per-character work small. The keyword tokens:

grammar NMODL;

tokens {
    AFTER,
    ARTIFICIAL_CELL,
    ASSIGNED,
    BBCOREPOINTER,
    BEFORE,
    BREAKPOINT,
    BY,
    CHARGE,
    COMPARTMENT,
    CONDUCTANCE,
    CONSERVE,
    CONSTANT,
    CONSTRUCTOR,
    DEFINE,
    DEL,
    DEPEND,
    DERIVATIVE,
    DESTRUCTOR,
    DISCRETE,
    ELECTRODE_CURRENT,
    ELSE,
    EXTERNAL,
    FORALL,
    FOR_NETCONS,
    FROM,
    FUNCTION,
    FUNCTION_TABLE,
    GETQ,
    GLOBAL,
    IF,
    IFERROR,
    INCLUDE,
    INDEPENDENT,
    INITIAL,
    KINETIC,
    LAG,
    LINEAR,
    LOCAL,
    LONGITUDINAL_DIFFUSION,
    MATCH,
    METHOD,
    MODEL_LEVEL,
    MUTEXLOCK,
    MUTEXUNLOCK,
    NET_RECEIVE,
    NEURON,
    NONLINEAR,
    NONSPECIFIC_CURRENT,
    PARAMETER,
    PARTIAL,
    PLOT,
    POINTER,
    POINT_PROCESS,
    PROCEDURE,
    PROTECT,
    PUTQ,
    RANGE,
    READ,
    RESET,
    SENS,
    SOLVE,
    SOLVEFOR,
    START,
    STATE,
    STEADYSTATE,
    STEP,
    STEPPED,
    SUFFIX,
    SWEEP,
    TABLE,
    TERMINAL,
    THREADSAFE,
    TO,
    UNITS,
    UNITSOFF,
    UNITSON,
    USEION,
    VALENCE,
    VS,
    WATCH,
    WHILE,
    WITH,
    WRITE
}

// ───────────────────────────────── top level ─────────────────────────────────

program : topItem* EOF ;

topItem
    : TITLE                                                   # titleItem
    | DEFINE ID INTEGER                                     # defineItem
    | INCLUDE STRING                                        # includeItem
    | VERBATIM                                                # verbatimTop
    | unitsToggle                                             # unitsToggleTop
    | localStmt                                               # localTop
    | neuronBlock                                             # neuronTop
    | unitsBlock                                              # unitsTop
    | declarationBlock                                        # declarationTop
    | independentBlock                                        # independentTop
    | bodyBlock                                               # bodyTop
    | namedBlock                                              # namedTop
    | callableBlock                                           # callableTop
    | functionTableBlock                                      # functionTableTop
    | netReceiveBlock                                         # netReceiveTop
    | beforeAfterBlock                                        # beforeAfterTop
    | steppedBlock                                            # steppedTop
    | MODEL_LEVEL INTEGER                                     # modelLevelItem
    | PLOT varRef (',' varRef)* VS varRef                     # plotItem
    ;

// ───────────────────────────────── NEURON block ─────────────────────────────────

neuronBlock : NEURON '{' neuronStmt* '}' ;

neuronStmt
    : kind=(SUFFIX | POINT_PROCESS | ARTIFICIAL_CELL) ID               # suffixStmt
    | USEION ion=ID (READ read=nameList)? (WRITE write=nameList)?
      ((VALENCE | CHARGE) signedNumber)? represents?                                   # useIonStmt
    | kind=(RANGE | GLOBAL | POINTER | BBCOREPOINTER | EXTERNAL
           | NONSPECIFIC_CURRENT | ELECTRODE_CURRENT) nameList            # nameListStmt
    | THREADSAFE nameList?                                                  # threadsafeStmt
    | represents                                                              # representsStmt
    ;

represents : REPRESENTS ;

nameList : ID (',' ID)* ;

// ───────────────────────────────── declarations ─────────────────────────────────

unitsBlock : UNITS '{' unitDef* '}' ;

unitDef
    : unit '=' unit                                           # unitAlias
    | ID '=' signedNumber unit                                # unitFactorNumber
    | ID '=' unit unit                                        # unitFactorUnits
    | ID '=' unit '-' '>' unit                                # unitFactorArrow
    ;

declarationBlock
    : kind=(PARAMETER | ASSIGNED | STATE | CONSTANT) '{' varDecl* '}'
    ;

// One shape for every declaration; which parts a block allows is checked when the
// AST is built (PARAMETER: value and limits; ASSIGNED/STATE: FROM/TO, START, abstol).
varDecl
    : name ('[' size=integerRef ']')?
      ('=' value=signedNumber)?
      (FROM from=signedNumber TO to=signedNumber)?
      (START start=signedNumber)?
      unit?
      limits?
    ;

limits
    : '<' lo=signedNumber ',' hi=signedNumber '>'             # rangeLimits
    | '<' tol=signedNumber '>'                                # toleranceLimit
    ;

independentBlock : INDEPENDENT '{' independentDecl* '}' ;

independentDecl
    : sweep=SWEEP? ID FROM from=signedNumber TO to=signedNumber
      WITH with=integerRef (START start=signedNumber)? unit?
    ;

// ───────────────────────────────── procedural blocks ─────────────────────────────────

bodyBlock : kind=(INITIAL | BREAKPOINT | CONSTRUCTOR | DESTRUCTOR | TERMINAL) block ;

// STEPPED { amp = -0.1, 0, 0.2 (mA) }: a legacy SCoP block nocmodl still accepts.
steppedBlock : STEPPED '{' steppedDecl* '}' ;
steppedDecl  : ID '=' signedNumber (',' signedNumber)* unit? ;

namedBlock
    : kind=(DERIVATIVE | LINEAR | NONLINEAR | KINETIC | DISCRETE | PARTIAL)
      ID solveFor? block
    ;

solveFor : SOLVEFOR ID (',' ID)* ;

callableBlock : kind=(FUNCTION | PROCEDURE) ID '(' parameters? ')' unit? block ;

functionTableBlock : FUNCTION_TABLE ID '(' parameters? ')' unit? ;

netReceiveBlock : NET_RECEIVE '(' parameters? ')' block ;

beforeAfterBlock
    : when=(BEFORE | AFTER) what=(BREAKPOINT | SOLVE | INITIAL | STEP) block
    ;

parameters : parameter (',' parameter)* ;
parameter  : name unit? ;

// ───────────────────────────────── statements ─────────────────────────────────

block : '{' statement* '}' ;

statement
    : localStmt                                                               # localStatement
    | protect=PROTECT? varRef '=' expr                                      # assignStatement
    | call                                                                    # callStatement
    | '~' reactants
      ( op='<->' reactants '(' expr ',' expr ')'
      | op='<' '<' '(' expr ')'
      | op='-' '>' '(' expr ')'
      )                                                                       # reactionStatement
    | '~' plus='+'? del=DEL? lhs=expr '=' rhs=expr                            # equationStatement
    | CONSERVE reactants '=' expr                                           # conserveStatement
    | kind=(COMPARTMENT | LONGITUDINAL_DIFFUSION) (index=ID ',')? expr
      '{' species+=ID* '}'                                                    # compartmentStatement
    | ifStmt                                                                  # ifStatement
    | WHILE '(' expr ')' block                                  # whileStatement
    | FROM ID '=' from=expr TO to=expr (BY by=expr)? block              # fromStatement
    | block                                                                   # blockStatement
    | SOLVE ID (how=(METHOD | STEADYSTATE) method=ID)? (IFERROR block)? # solveStatement
    | TABLE names=nameList? (DEPEND depends=nameList)?
      FROM from=expr TO to=expr WITH with=integerRef                    # tableStatement
    | CONDUCTANCE var=ID (USEION ion=ID)?                                 # conductanceStatement
    | LAG name BY ID                                                      # lagStatement
    | INITIAL block                                                         # initialStatement
    | WATCH watch (',' watch)*                                              # watchStatement
    | FOR_NETCONS '(' parameters? ')' block                                 # forNetconsStatement
    | kind=(MUTEXLOCK | MUTEXUNLOCK)                                      # mutexStatement
    | unitsToggle                                                             # unitsToggleStatement
    | FORALL ID block                                                         # forallStatement
    | SENS nameList                                                           # sensStatement
    | kind=(PUTQ | GETQ) ID                                                   # queueStatement
    | RESET                                                                   # resetStatement
    | MATCH '{' matchItem* '}'                                                # matchStatement
    | VERBATIM                                                                # verbatimStatement
    ;

localStmt : LOCAL localVar (',' localVar)* ;
localVar  : ID ('[' integerRef ']')? ;

ifStmt : IF '(' expr ')' block (ELSE (ifStmt | block))? ;

reactants : reactant ('+' reactant)* ;
reactant  : coefficient=integerRef? varRef ;   // 2 A, or N A with DEFINE N 2

// MATCH { x0  u(10) = 1 }: boundary conditions of a legacy boundary-value problem.
matchItem : varRef ('(' at=expr ')' '=' value=expr)? ;

watch : '(' expr ')' signedNumber ;

unitsToggle : kind=(UNITSON | UNITSOFF) ;

// ───────────────────────────────── expressions ─────────────────────────────────
// Precedence (loosest first) as in nocmodl: || ; && ; relational ; + - ; * / ;
// unary - and ! ; ^ (right associative).

expr
    : primary                                                 # primaryExpr
    | <assoc=right> lhs=expr op='^' rhs=expr                  # binaryExpr
    | op=('-' | '+' | '!') expr                               # unaryExpr
    | lhs=expr op=('*' | '/') rhs=expr                        # binaryExpr
    | lhs=expr op=('+' | '-') rhs=expr                        # binaryExpr
    | lhs=expr op=('<' | '>' | '<=' | '>=' | '==' | '!=') rhs=expr  # binaryExpr
    | lhs=expr op='&&' rhs=expr                               # binaryExpr
    | lhs=expr op='||' rhs=expr                               # binaryExpr
    ;

primary
    : number unit?                                            # numberPrimary
    | call                                                    # callPrimary
    | varRef                                                  # varPrimary
    | '(' expr ')'                                            # parenPrimary
    ;

call     : ID '(' (argument (',' argument)*)? ')' ;
argument : expr | STRING ;

varRef
    : name ('[' index=expr ']')?                              # plainVar
    | ID '@' integerRef ('[' index=expr ']')?                 # discreteVar
    ;

name : ID | PRIME ;

// A unit is the text between parentheses; nocmodl reads it raw up to ')' on the
// same line. These are the tokens such text is made of.
unit : '(' unitPart* ')' ;
// '(' too: nocmodl's text runs to the first ')', so (j/(K.molar) is the unit "j/(K.molar".
unitPart : ID | INTEGER | REAL | '/' | '-' | '+' | '*' | '^' | '.' | '\'' | '%' | '#' | '(' ;

number       : INTEGER | REAL ;
signedNumber : '-'? number ;
integerRef   : INTEGER | ID ;     // a literal or a DEFINEd name

// ───────────────────────────────── lexer ─────────────────────────────────

// Text that runs to the end of the line: the title, and ':' or '?' comments. Only
// the start is matched here; the frontend's lexer takes the rest of the line
// (frontend/raw_blocks.cpp), which keeps arbitrary comment text out of the
// lexer's automaton. 'TITLE' alone is the keyword; TITLEs stays an identifier.
TITLE        : 'TITLE' ;
LINE_COMMENT : [:?] -> channel(HIDDEN) ;

// Raw blocks. Only the keyword is matched here; the frontend's lexer then reads
// the block's text the way nocmodl does, line by line, up to the first line whose
// first word is ENDVERBATIM / ENDCOMMENT (frontend/raw_blocks.cpp). Defined before
// ID so that the bare word wins; VERBATIMx stays an identifier.
VERBATIM      : 'VERBATIM' ;
COMMENT_BLOCK : 'COMMENT' -> channel(HIDDEN) ;

// REPRESENTS is followed on the same line by an ontology id such as NCIT:C17145
// (or [NCIT:C17145]), whose ':' would otherwise start a comment; the keyword and
// its id are one token.
REPRESENTS : 'REPRESENTS' [ \t]+ ('[' CURIE ']' | CURIE) ;

PRIME   : LETTER (LETTER | DIGIT)* '\''+ ;
ID      : LETTER (LETTER | DIGIT)* ;

REAL
    : DIGIT+ '.' DIGIT* EXPONENT?
    | '.' DIGIT+ EXPONENT?
    | DIGIT+ EXPONENT
    ;
INTEGER : DIGIT+ ;
// Numbers nocmodl would split into pieces; one token gives one clear error.
MALFORMED_NUMBER
    : (DIGIT+ ('.' DIGIT*)? | '.' DIGIT+) [eE] [+-]?
    | DIGIT+ '.' DIGIT* '.' (DIGIT | '.')*
    ;

STRING : '"' ~["]* '"' ;
UNTERMINATED_STRING : '"' ~["\r\n]* ;

NEWLINE      : ('\r' '\n'? | '\n') -> channel(HIDDEN) ;
// U+001A: the end-of-file mark of DOS editors, which some ModelDB files still end with
// (nocmodl reads past it).
BLANK        : [ \t\f\u001A]+ -> channel(HIDDEN) ;

// Anything else is handed to the parser, which reports it where it stands.
ERROR_CHAR : . ;

fragment LETTER   : [a-zA-Z_] ;
fragment DIGIT    : [0-9] ;
fragment EXPONENT : [eE] [+-]? DIGIT+ ;

fragment CURIE    : [a-zA-Z] [a-zA-Z0-9_]* ':' [a-zA-Z0-9_]* ;
