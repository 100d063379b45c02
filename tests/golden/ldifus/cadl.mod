TITLE cadl: calcium in two radial shells diffusing along the cell (LONGITUDINAL_DIFFUSION)

COMMENT
A test mechanism for LONGITUDINAL_DIFFUSION: calcium in an outer shell ca[0] and a core
ca[1] exchange radially, both diffuse along the sections with coefficient D, calcium
enters the outer shell at `influx` (a RANGE value set per segment) and is pumped back
towards cai0 with time constant tau. cai follows the outer shell.
ENDCOMMENT

NEURON {
    SUFFIX cadl
    USEION ca WRITE cai
    RANGE influx
    GLOBAL D, Dr, tau, cai0
    THREADSAFE
}

UNITS {
    (mM) = (milli/liter)
    (um) = (micron)
}

PARAMETER {
    D = 0.6 (um2/ms)
    Dr = 0.2 (um2/ms)
    tau = 50 (ms)
    cai0 = 5e-5 (mM)
    influx = 0 (mM/ms)
}

ASSIGNED {
    diam (um)
    cai (mM)
    vol[2]
}

STATE { ca[2] (mM) }

INITIAL {
    vol[0] = 0.75
    vol[1] = 0.25
    ca[0] = cai0
    ca[1] = cai0
    cai = ca[0]
}

BREAKPOINT {
    SOLVE state METHOD sparse
}

UNITSOFF
KINETIC state {
    COMPARTMENT i, diam*diam*vol[i] {ca}
    LONGITUDINAL_DIFFUSION i, D*diam*diam*vol[i] {ca}
    ~ ca[0] <-> ca[1] (Dr*4, Dr*4)
    ~ ca[0] << (influx*diam*diam*vol[0] - (ca[0] - cai0)*diam*diam*vol[0]/tau)
    cai = ca[0]
}
UNITSON
