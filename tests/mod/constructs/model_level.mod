: Tests the legacy MODEL_LEVEL integer prefix before declaration blocks (nocmodl parses it).
NEURON {
    SUFFIX modellevel
    RANGE a, b
}

MODEL_LEVEL 1
PARAMETER {
    a = 1
}

MODEL_LEVEL 2
ASSIGNED {
    b
}

INITIAL {
    b = a
}
