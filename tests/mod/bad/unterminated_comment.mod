: expect error at 13:0 (COMMENT never closed; the grammar lexes it to EOF with no syntax error, so the AST builder must report it)
NEURON {
    SUFFIX badcomment
    RANGE a
}

PARAMETER {
    a = 1
}

INITIAL { }

COMMENT
This comment is never closed, so it runs to the end of the file.
BREAKPOINT { }
