: two VERBATIM blocks (top level and in a block): one notice
NEURON { SUFFIX vtw }
VERBATIM
static int x;
ENDVERBATIM
INITIAL {
VERBATIM
 x = 1;
ENDVERBATIM
}
