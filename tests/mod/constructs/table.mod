: Tests TABLE: in a PROCEDURE with named outputs and a DEPEND list, in FUNCTIONs with DEPEND only and with neither, expression bounds.
NEURON {
    SUFFIX tabletest
    USEION na READ ena WRITE ina
    RANGE gbar
    GLOBAL minf, mtau, vhalf, slope
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (S) = (siemens)
}

PARAMETER {
    gbar = 0.01 (S/cm2)
    vhalf = -30 (mV)
    slope = 6 (mV)
    vmin = -100 (mV)
    celsius (degC)
}

ASSIGNED {
    v (mV)
    ena (mV)
    ina (mA/cm2)
    minf
    mtau (ms)
}

STATE {
    m
}

INITIAL {
    rates(v)
    m = minf
}

BREAKPOINT {
    SOLVE states METHOD cnexp
    ina = gbar*m*m*m*(v - ena)*qfac(v)
}

DERIVATIVE states {
    rates(v)
    m' = (minf - m)/mtau
}

PROCEDURE rates(v (mV)) {
    TABLE minf, mtau DEPEND vhalf, slope, celsius FROM vmin TO -vmin + 0.5*(50 (mV)) WITH 200
    minf = 1/(1 + exp(-(v - vhalf)/slope))
    mtau = 0.5 (ms) + 2 (ms)/(1 + exp((v + 40 (mV))/10 (mV)))
}

FUNCTION qfac(v (mV)) {
    TABLE DEPEND celsius FROM -100 TO 100 WITH 401
    qfac = 3^((celsius - 22)/10)*(1 + 0*v)
}

FUNCTION efun(x) {
    TABLE FROM -50 TO 50 WITH 1001
    if (fabs(x) < 1e-4) {
        efun = 1 - x/2
    } else {
        efun = x/(exp(x) - 1)
    }
}
