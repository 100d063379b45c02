: Tests SOLVE ... METHOD derivimplicit with coupled nonlinear equations in a single DERIVATIVE block (FitzHugh-Nagumo), and reading a derivative x'.
NEURON {
    SUFFIX derivimp
    RANGE a, b, x, r, dxdt
    NONSPECIFIC_CURRENT i
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
}

PARAMETER {
    a = 0.7
    b = 0.8
    tau = 12.5 (ms)
    gl = 1e-4 (/ohm-cm2) : S/cm2
}

ASSIGNED {
    v (mV)
    i (mA/cm2)
    dxdt (/ms)
}

STATE {
    x
    r
}

INITIAL {
    x = -1.2
    r = -0.6
}

BREAKPOINT {
    SOLVE fhn METHOD derivimplicit
    i = gl*(v - x*(1 (mV)))
}

DERIVATIVE fhn {
    LOCAL cube
    cube = x*x*x
    x' = (x - cube/3 - r)/(1 (ms))
    r' = (x + a - b*r)/tau
    dxdt = x'
}
