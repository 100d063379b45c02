: A 12-state Markov channel (six closed states in a chain, open, five inactivated states
: in a chain back to the first closed one), METHOD sparse and STEADYSTATE sparse: its
: linear systems have 12 unknowns, more than codegen unrolls, so the compiled kernels
: solve them with loops over the matrix (body_emitter_linear.cpp). The differential
: tests compare them with the interpreter, bit for bit in scalar code.
NEURON {
    SUFFIX markov12
    USEION na READ ena WRITE ina
    RANGE gbar, g
    THREADSAFE
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (S) = (siemens)
}

PARAMETER {
    gbar = 0.1 (S/cm2)
    a0 = 2 (/ms)
    b0 = 0.3 (/ms)
    ka = 10 (mV)
    kb = 18 (mV)
    kin = 0.8 (/ms)
    kout = 0.002 (/ms)
    kdeep = 0.05 (/ms)
    kback = 0.01 (/ms)
    rec = 0.02 (/ms)
}

ASSIGNED {
    v (mV)
    ena (mV)
    ina (mA/cm2)
    g (S/cm2)
    a (/ms)
    b (/ms)
}

STATE { c1 c2 c3 c4 c5 c6 o i1 i2 i3 i4 i5 }

BREAKPOINT {
    SOLVE scheme METHOD sparse
    g = gbar*o
    ina = g*(v - ena)
}

INITIAL {
    SOLVE scheme STEADYSTATE sparse
}

KINETIC scheme {
    a = a0*exp((v + 40)/ka)
    b = b0*exp(-(v + 40)/kb)
    ~ c1 <-> c2 (5*a, b)
    ~ c2 <-> c3 (4*a, 2*b)
    ~ c3 <-> c4 (3*a, 3*b)
    ~ c4 <-> c5 (2*a, 4*b)
    ~ c5 <-> c6 (a, 5*b)
    ~ c6 <-> o (2*a, b)
    ~ o <-> i1 (kin, kout)
    ~ i1 <-> i2 (kdeep, kback)
    ~ i2 <-> i3 (kdeep, kback)
    ~ i3 <-> i4 (kdeep, kback)
    ~ i4 <-> i5 (kdeep, kback)
    ~ i5 <-> c1 (rec, rec*b/a)
    CONSERVE c1 + c2 + c3 + c4 + c5 + c6 + o + i1 + i2 + i3 + i4 + i5 = 1
}
