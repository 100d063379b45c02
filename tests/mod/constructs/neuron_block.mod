: Tests NEURON block statements: SUFFIX, USEION READ/WRITE/VALENCE (incl. negative), REPRESENTS, RANGE, GLOBAL, NONSPECIFIC_CURRENT, THREADSAFE.
NEURON {
    THREADSAFE
    SUFFIX neuronblk
    REPRESENTS NCIT:C17145
    USEION na READ ena WRITE ina
    USEION k READ ek, ki, ko WRITE ik REPRESENTS CHEBI:29103
    USEION ca READ cai, cao WRITE ica VALENCE 2
    USEION cl READ ecl WRITE icl VALENCE -1
    USEION mg READ mgo VALENCE 2
    USEION x WRITE xi VALENCE 1 REPRESENTS [CHEBI:24636]
    USEION ps READ psi
    RANGE gna, gk, gca
    RANGE gcl, il
    GLOBAL q10, tadj
    NONSPECIFIC_CURRENT il, il2
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (mM) = (milli/liter)
}

PARAMETER {
    gna = 0.1 (S/cm2)
    gk = 0.03 (S/cm2)
    gca = 0.001 (S/cm2)
    gcl = 0.0001 (S/cm2)
    gl = 0.0003 (S/cm2)
    el = -54.3 (mV)
    q10 = 3
}

ASSIGNED {
    v (mV)
    celsius (degC)
    ena (mV)
    ek (mV)
    ecl (mV)
    ki (mM)
    ko (mM)
    cai (mM)
    cao (mM)
    psi (mM)
    mgo (mM)
    ina (mA/cm2)
    ik (mA/cm2)
    ica (mA/cm2)
    icl (mA/cm2)
    il (mA/cm2)
    il2 (mA/cm2)
    xi (mM)
    tadj
}

INITIAL {
    tadj = q10^((celsius - 6.3)/10)
    xi = 0
}

BREAKPOINT {
    ina = gna*tadj*(v - ena)
    ik = gk*(v - ek)*ki/(ki + ko)
    ica = gca*(v - 120)*cao/(cai + cao + psi)
    icl = gcl*(v - ecl)
    il = gl*(v - el)*mgo/(1 (mM))
    il2 = 0
}
