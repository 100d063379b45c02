: Tests KINETIC with METHOD sparse: <-> reactions, stoichiometry (2A), << and -> fluxes, CONSERVE, COMPARTMENT with/without index, LONGITUDINAL_DIFFUSION, f_flux/b_flux.
DEFINE NB 3

NEURON {
    SUFFIX kinsparse
    USEION ca READ cai, ica WRITE cai
    RANGE kf, kb, flux, src, kdeg, dimer
}

UNITS {
    (mA) = (milliamp)
    (mM) = (milli/liter)
    (um) = (micron)
    FARADAY = (faraday) (coulomb)
}

PARAMETER {
    kf = 0.5 (/mM-ms)
    kb = 0.1 (/ms)
    kd = 0.05 (/ms)
    kdeg = 0.01 (/ms)
    src = 1e-5 (mM/ms)
    D = 0.6 (um2/ms)
    total = 1 (mM)
}

ASSIGNED {
    diam (um)
    ica (mA/cm2)
    flux (mM/ms)
    dimer (mM/ms)
    vol[NB] (um2)
}

STATE {
    cai (mM)
    A (mM)
    B (mM)
    A2 (mM)
    AB (mM)
    cab (mM)
    C (mM)
    O (mM)
    buf[NB] (mM)
}

INITIAL {
    LOCAL k
    FROM k = 0 TO NB - 1 {
        vol[k] = diam*diam/NB
        buf[k] = 0
    }
    A = 0.1
    B = 0.2
    A2 = 0
    AB = 0
    cab = 0
    C = 1
    O = 0
    SOLVE scheme STEADYSTATE sparse
}

BREAKPOINT {
    SOLVE scheme METHOD sparse
}

KINETIC scheme {
    LOCAL k
    COMPARTMENT diam*diam {cai A B A2 AB cab}
    COMPARTMENT k, vol[k] {buf}
    COMPARTMENT 1 {C O}
    LONGITUDINAL_DIFFUSION D {cai}
    LONGITUDINAL_DIFFUSION k, D*vol[k] {buf}

    ~ A + B <-> AB (kf, kb)
    flux = f_flux - b_flux
    ~ 2A <-> A2 (kf, kb)
    dimer = f_flux
    ~ C <-> O (kd, kd*2)
    ~ cai << (-ica*diam/(2*FARADAY))
    ~ B << (src)
    ~ A2 -> (kdeg)
    FROM k = 0 TO NB - 2 {
        ~ buf[k] <-> buf[k + 1] (kb, kb)
    }
    ~ cai + buf[0] <-> cab (kf, kb)
    CONSERVE C + O = total
}
