: Tests a PARTIAL block (nocmodl accepts it): ~ V' = F*DEL2(V) + G with DEL (Neumann) and plain (Dirichlet) boundary conditions at FIRST/LAST, solved by SOLVE without METHOD.
DEFINE NX 10

NEURON {
    SUFFIX partialtest
}

STATE {
    c[NX]
}

ASSIGNED {
    dc[NX]
    src[NX]
}

INITIAL {
    FROM i = 0 TO NX - 1 {
        c[i] = 0
        dc[i] = 0.1
        src[i] = 0
    }
}

BREAKPOINT {
    SOLVE diffuse
}

PARTIAL diffuse {
    ~ c' = dc*DEL2(c) + src
    ~ DEL c[FIRST] = 0
    ~ c[LAST] = 1
}
