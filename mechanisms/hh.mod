TITLE hh.mod   squid giant axon sodium, potassium and leak channels

COMMENT
Hodgkin-Huxley membrane of the squid giant axon (Hodgkin & Huxley 1952,
J. Physiol. 117:500-544), in the parameterisation built into NEURON as the
density mechanism "hh". Membrane potential follows the modern convention
(rest near -65 mV, depolarisation positive).

  ina = gnabar * m^3 * h * (v - ena)
  ik  = gkbar  * n^4     * (v - ek)
  il  = gl               * (v - el)

Each gate x in {m, h, n} relaxes to xinf with time constant xtau, where
xinf = alpha/(alpha + beta) and xtau = 1/(q10*(alpha + beta)). The rates
(1/ms, v in mV) are

  m:  alpha = 0.1 * (v+40)/(1 - exp(-(v+40)/10))   beta = 4 * exp(-(v+65)/18)
  h:  alpha = 0.07 * exp(-(v+65)/20)               beta = 1/(1 + exp(-(v+35)/10))
  n:  alpha = 0.01 * (v+55)/(1 - exp(-(v+55)/10))  beta = 0.125 * exp(-(v+65)/80)

and q10 = 3^((celsius - 6.3)/10). The removable singularities of the two
x/(exp(x/y) - 1) forms are handled by vtrap(). As in NEURON, the rate
quantities are tabulated in v from -100 to 100 mV (200 intervals) and
linearly interpolated while usetable_hh is nonzero; the table is rebuilt
when celsius changes. Gates are integrated with cnexp (exact exponential
step for gates with frozen v).
ENDCOMMENT

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (S)  = (siemens)
}

NEURON {
    SUFFIX hh
    USEION na READ ena WRITE ina
    USEION k READ ek WRITE ik
    NONSPECIFIC_CURRENT il
    RANGE gnabar, gkbar, gl, el, gna, gk
    GLOBAL minf, hinf, ninf, mtau, htau, ntau
    THREADSAFE : the assigned GLOBALs are kept per thread
}

PARAMETER {
    gnabar = 0.12   (S/cm2) <0,1e9>   : peak sodium conductance
    gkbar  = 0.036  (S/cm2) <0,1e9>   : peak potassium conductance
    gl     = 0.0003 (S/cm2) <0,1e9>   : leak conductance
    el     = -54.3  (mV)              : leak reversal potential
}

STATE {
    m   : Na activation (dimensionless)
    h   : Na inactivation (dimensionless)
    n   : K activation (dimensionless)
}

ASSIGNED {
    v       (mV)
    celsius (degC)
    ena     (mV)
    ek      (mV)
    gna     (S/cm2)
    gk      (S/cm2)
    ina     (mA/cm2)
    ik      (mA/cm2)
    il      (mA/cm2)
    minf    : steady-state values (dimensionless)
    hinf
    ninf
    mtau    (ms)
    htau    (ms)
    ntau    (ms)
}

BREAKPOINT {
    SOLVE states METHOD cnexp
    gna = gnabar*m*m*m*h
    ina = gna*(v - ena)
    gk = gkbar*n*n*n*n
    ik = gk*(v - ek)
    il = gl*(v - el)
}

INITIAL {
    rates(v)
    m = minf
    h = hinf
    n = ninf
}

DERIVATIVE states {
    rates(v)
    m' = (minf - m)/mtau
    h' = (hinf - h)/htau
    n' = (ninf - n)/ntau
}

PROCEDURE rates(v (mV)) {
    LOCAL alpha, beta, sum, q10
    TABLE minf, mtau, hinf, htau, ninf, ntau DEPEND celsius FROM -100 TO 100 WITH 200

UNITSOFF
    q10 = 3^((celsius - 6.3)/10)

    : sodium activation, m
    alpha = 0.1*vtrap(-(v + 40), 10)
    beta = 4*exp(-(v + 65)/18)
    sum = alpha + beta
    mtau = 1/(q10*sum)
    minf = alpha/sum

    : sodium inactivation, h
    alpha = 0.07*exp(-(v + 65)/20)
    beta = 1/(exp(-(v + 35)/10) + 1)
    sum = alpha + beta
    htau = 1/(q10*sum)
    hinf = alpha/sum

    : potassium activation, n
    alpha = 0.01*vtrap(-(v + 55), 10)
    beta = 0.125*exp(-(v + 65)/80)
    sum = alpha + beta
    ntau = 1/(q10*sum)
    ninf = alpha/sum
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
