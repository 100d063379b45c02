TITLE ftkdr: a delayed rectifier whose rates are FUNCTION_TABLEs

COMMENT
hh's potassium current, n^4 gating, with n's steady state and time constant read from
FUNCTION_TABLEs (filled from the model file; NEURON: table_ninf_ftkdr(yvec, vvec)), as
ModelDB's channels fitted to measured rate tables do.
ENDCOMMENT

NEURON {
    SUFFIX ftkdr
    USEION k READ ek WRITE ik
    RANGE gkbar, ik
    THREADSAFE
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (S) = (siemens)
}

PARAMETER {
    gkbar = 0.036 (S/cm2)
}

ASSIGNED {
    v (mV)
    ek (mV)
    ik (mA/cm2)
}

STATE { n }

FUNCTION_TABLE ninf(v (mV))
FUNCTION_TABLE ntau(v (mV)) (ms)

INITIAL {
    n = ninf(v)
}

BREAKPOINT {
    SOLVE states METHOD cnexp
    ik = gkbar*n*n*n*n*(v - ek)
}

DERIVATIVE states {
    n' = (ninf(v) - n)/ntau(v)
}
