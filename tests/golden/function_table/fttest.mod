: Tests FUNCTION_TABLE lookups: f1 of one argument, f2 of two. Their values come from
: the model file ([[function_table]]; NEURON: hoc's table_f1_fttest(...)).
NEURON {
    SUFFIX fttest
    RANGE y1, y2
    THREADSAFE
}

ASSIGNED {
    v (mV)
    y1
    y2
}

FUNCTION_TABLE f1(x)
FUNCTION_TABLE f2(x, y)

BREAKPOINT {
    y1 = f1(v)
    y2 = f2(v, 0.5*v)
}
