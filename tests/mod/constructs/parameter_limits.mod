: Tests PARAMETER declarations: units, <lo,hi> limits (scientific, fractional), arrays, negative values and number forms 1e-3, .5, 2., 1E+3.
NEURON {
    SUFFIX parlim
    RANGE gbar, tau, a, b, c, d, w
    GLOBAL vshift, k
}

UNITS {
    (mV) = (millivolt)
    (S) = (siemens)
}

PARAMETER {
    gbar = 1e-3 (S/cm2) <0, 1e9>
    tau = .5 (ms) <1e-6, 1E+3>
    vshift = -2.5 (mV)
    k = 2. (mV)
    a = 1E+3
    b = 1.5e2 (1/ms)
    c = -0.0
    cc = 0.0 <0, 1.e9>
    d = 6.02E23
    e1 = 12
    nolim (mV)
    bare
    w[4] (uS)
    wl[3] <0, 10>
    z = 0.01 (/ms) <1.5e-3, .5>
    celsius = 36 (degC)
}

ASSIGNED {
    v (mV)
    r
}

INITIAL {
    r = gbar*tau*vshift*k*a*b*c*cc*d*e1*nolim*bare*w[0]*wl[2]*z
    r = r + 1.25e-3 + .75 + 3. + 1E+2 + 2e0 + celsius
}
