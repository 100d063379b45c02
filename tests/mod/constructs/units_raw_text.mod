: Tests unit text nocmodl reads raw up to ')': symbols such as % and # in declaration units.
NEURON {
    SUFFIX unitsraw
    RANGE frac, density
}

PARAMETER {
    frac = 50 (%)
    density = 10 (#/um2)
}

ASSIGNED {
    w
}

INITIAL {
    w = frac*density
}
