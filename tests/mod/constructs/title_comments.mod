: Tests TITLE, COMMENT ... ENDCOMMENT blocks (top level and inside a block, non-ASCII text) and ':' / '?' line comments.
TITLE Comment and title test - leak with uA/cm2 at 37 degC
COMMENT
This block holds arbitrary text: µ (micro), ° (degree), Ω, ±, “quotes”.
Even keywords like NEURON { SUFFIX x } and unbalanced { braces are ignored here.
: a colon line inside a comment block
ENDCOMMENT

? a question-mark line comment
NEURON {   : trailing colon comment
    SUFFIX titlecomments   ? trailing question-mark comment
    RANGE g
    NONSPECIFIC_CURRENT i
}

COMMENT this text on the COMMENT line is part of the comment
    ENDCOMMENT

UNITS {
    (mA) = (milliamp)   : milliamp per um2
    (mV) = (millivolt)
}

PARAMETER {
    g = 0.001 (S/cm2)   : 1 mS/cm2 at 6.3 degC
    e = -70 (mV)
}

ASSIGNED {
    v (mV)
    i (mA/cm2)
}

COMMENT
Multi-line comment between blocks,
with a tab	and trailing spaces   
ENDCOMMENT

BREAKPOINT {
    : comment inside a block
    COMMENT
    a COMMENT block inside a statement list
    ENDCOMMENT
    i = g*(v - e)   ? and another
}
