: Tests nocmodl's line-based block ends: ENDCOMMENT/ENDVERBATIM end a block only as the first word of a line, and the rest of that line is ignored.
NEURON {
    SUFFIX linerules
    RANGE a
}

COMMENT the word ENDCOMMENT in mid-line does not end the block
    PARAMETER { this is still comment text }
ENDCOMMENT the rest of this line is ignored by nocmodl

PARAMETER {
    a = 1
}

VERBATIM
/* mentioning ENDVERBATIM in mid-line keeps the block open */
static int linerules_dummy = 0;
ENDVERBATIM

INITIAL {
    a = 2
}
