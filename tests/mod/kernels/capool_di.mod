: Calcium pool with a non-linear (Michaelis-Menten) pump, integrated with METHOD derivimplicit.
: The pump term makes the ODE non-linear in cai, so NEURON's Newton iteration really iterates.
: Golden data: tests/golden/neuron-kernels/ (scripts/gen-neuron-kernels-golden.py).
NEURON {
    SUFFIX capool_di
    USEION ca READ ica WRITE cai
    RANGE depth, taur, cainf, vmax, kd, cai0
    THREADSAFE
}

UNITS {
    (mA) = (milliamp)
    (mM) = (milli/liter)
    (um) = (micron)
    FARADAY = (faraday) (coulomb)
}

PARAMETER {
    depth = 0.1 (um)
    taur = 20 (ms)
    cainf = 50e-6 (mM)
    vmax = 1e-4 (mM/ms)
    kd = 1e-3 (mM)
    cai0 = 5e-3 (mM)
}

ASSIGNED {
    ica (mA/cm2)
}

STATE {
    cai (mM)
}

INITIAL {
    cai = cai0
}

BREAKPOINT {
    SOLVE state METHOD derivimplicit
}

DERIVATIVE state {
    cai' = -ica*(1e4)/(2*FARADAY*depth) - vmax*cai/(cai + kd) - (cai - cainf)/taur
}
