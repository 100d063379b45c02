: Tests SOLVE ... METHOD derivimplicit (and euler, runge in other SOLVEs) with coupled nonlinear DERIVATIVE equations.
NEURON {
    SUFFIX derivimp
    RANGE a, b, x, y
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
}

STATE {
    x
    y
    z
    w
}

INITIAL {
    x = -1.2
    y = -0.6
    z = 0
    w = 1
}

BREAKPOINT {
    SOLVE fhn METHOD derivimplicit
    SOLVE other METHOD euler
    SOLVE third METHOD runge
    i = gl*(v - x*(1 (mV)))
}

DERIVATIVE fhn {
    x' = (x - x*x*x/3 - y)/(1 (ms))  : x^3 here makes nocmodl 8.2 abort in its diffeq pass
    y' = (x + a - b*y)/tau
}

DERIVATIVE other {
    z' = -z/tau
}

DERIVATIVE third {
    w' = -w*w/tau
}
