TITLE cal.mod   high-voltage-activated calcium channel

COMMENT
A simple high-voltage-activated (L-type like) calcium current with two
activation gates and one inactivation gate, Hodgkin-Huxley style. It is not
a NEURON built-in; it is written for Ranvier's runtime tests (with capool).

  ica = gcabar * m^2 * h * (v - eca)

The rates are those of the HVA channel of Reuveni et al. (1993,
J. Neurosci. 13:4609-4621) as used in Mainen & Sejnowski (1996, Nature
382:363-366, ca.mod), in 1/ms with v in mV:

  m:  alpha = 0.055 * (-27 - v)/(exp((-27 - v)/3.8) - 1)
      beta  = 0.94 * exp((-75 - v)/17)
  h:  alpha = 0.000457 * exp((-13 - v)/50)
      beta  = 0.0065/(exp((-v - 15)/28) + 1)

xinf = alpha/(alpha + beta), xtau = 1/(tadj*(alpha + beta)) with
tadj = q10^((celsius - temp)/10), q10 = 2.3, temp = 23 degC (at the hh
temperature 6.3 degC the gates are 4 times slower than at 23 degC). The
removable singularity of the m alpha at v = -27 mV is handled by vtrap(),
as in hh.mod. No TABLE. Gates are integrated with cnexp.

Defaults: gcabar = 0.0003 S/cm2, q10 = 2.3, temp = 23 degC. eca comes from
the ca ion: with a mechanism that writes cai (capool) it is the Nernst
potential of cai/cao, otherwise NEURON's default eca.
ENDCOMMENT

NEURON {
    SUFFIX cal
    USEION ca READ eca WRITE ica
    RANGE gcabar, gca, minf, hinf, mtau, htau
    GLOBAL q10, temp
    THREADSAFE
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (S)  = (siemens)
}

PARAMETER {
    gcabar = 0.0003 (S/cm2) <0,1e9>  : peak calcium conductance
    q10    = 2.3                     : temperature factor per 10 degC
    temp   = 23     (degC)           : temperature at which the rates hold
}

STATE {
    m   : activation (dimensionless)
    h   : inactivation (dimensionless)
}

ASSIGNED {
    v       (mV)
    celsius (degC)
    eca     (mV)
    ica     (mA/cm2)
    gca     (S/cm2)
    minf
    hinf
    mtau    (ms)
    htau    (ms)
}

BREAKPOINT {
    SOLVE states METHOD cnexp
    gca = gcabar*m*m*h
    ica = gca*(v - eca)
}

INITIAL {
    rates(v)
    m = minf
    h = hinf
}

DERIVATIVE states {
    rates(v)
    m' = (minf - m)/mtau
    h' = (hinf - h)/htau
}

PROCEDURE rates(v (mV)) {
    LOCAL alpha, beta, sum, tadj

UNITSOFF
    tadj = q10^((celsius - temp)/10)

    : activation, m
    alpha = 0.055*vtrap(-27 - v, 3.8)
    beta = 0.94*exp((-75 - v)/17)
    sum = alpha + beta
    mtau = 1/(tadj*sum)
    minf = alpha/sum

    : inactivation, h
    alpha = 0.000457*exp((-13 - v)/50)
    beta = 0.0065/(exp((-v - 15)/28) + 1)
    sum = alpha + beta
    htau = 1/(tadj*sum)
    hinf = alpha/sum
}

: x/(exp(x/y) - 1), replaced near x = 0 by its first-order expansion
FUNCTION vtrap(x, y) {
    if (fabs(x/y) < 1e-6) {
        vtrap = y*(1 - x/y/2)
    } else {
        vtrap = x/(exp(x/y) - 1)
    }
}
UNITSON
