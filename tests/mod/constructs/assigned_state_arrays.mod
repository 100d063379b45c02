: Tests ASSIGNED/STATE declarations: arrays, FROM..TO ranges, START values, units and abstol <1e-4> tolerances.
NEURON {
    SUFFIX asarr
    RANGE a, s, tau
}

UNITS {
    (mV) = (millivolt)
    (mM) = (milli/liter)
}

PARAMETER {
    tau = 10 (ms)
}

ASSIGNED {
    v (mV)
    a[5] (mM)
    b FROM 0 TO 1
    c FROM -1 TO 1 (mV)
    d
    e[2]
}

STATE {
    s[3] (mM) <1e-4>
    m FROM 0 TO 1
    h FROM 0 TO 1 START 1
    n START 0.5 <1e-6>
    c1 (mM)
    c2 (mM) <1e-4>
    q[2] FROM 0 TO 1 (1)
}

INITIAL {
    FROM i = 0 TO 4 {
        a[i] = i*0.1
    }
    FROM i = 0 TO 2 {
        s[i] = a[i]
    }
    m = 0
    n = 0.5
    c1 = 0
    c2 = 1
    q[0] = 0
    q[1] = 1
    b = 0
    c = 0
    d = 0
    e[0] = 1
    e[1] = 2
}

BREAKPOINT {
    SOLVE states METHOD derivimplicit
}

DERIVATIVE states {
    FROM i = 0 TO 2 {
        s'[i] = (a[i] - s[i])/tau
    }
    m' = (1 - m)/tau
    h' = -h/tau
    n' = (0.5 - n)/tau
    c1' = (c2 - c1)/tau
    c2' = (c1 - c2)/tau
    q'[0] = q[1]/tau
    q'[1] = -q[1]/tau
}
