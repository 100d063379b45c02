: Combined: radial calcium diffusion in concentric shells with a buffer and a pump (arrays, DEFINE, COMPARTMENT with index, LONGITUDINAL_DIFFUSION, KINETIC, << and -> fluxes, f_flux, top-level LOCAL arrays).
TITLE Calcium diffusion in NANN shells with buffering and extrusion

DEFINE NANN 4

NEURON {
    SUFFIX cadifcomb
    USEION ca READ cao, cai, ica WRITE cai, ica
    RANGE ica_pmp, vrat
    GLOBAL DCa, k1buf, k2buf, TotalBuffer, kpmp
    THREADSAFE
}

UNITS {
    (mol) = (1)
    (molar) = (1/liter)
    (mM) = (millimolar)
    (um) = (micron)
    (mA) = (milliamp)
    (mV) = (millivolt)
    FARADAY = (faraday) (10000 coulomb)
    PI = (pi) (1)
}

PARAMETER {
    DCa = 0.6 (um2/ms)
    k1buf = 100 (/mM-ms)
    k2buf = 0.1 (/ms)
    TotalBuffer = 0.003 (mM)
    kpmp = 1e-3 (cm/s)
}

ASSIGNED {
    diam (um)
    ica (mA/cm2)
    ica_pmp (mA/cm2)
    cai (mM)
    cao (mM)
    vrat[NANN] (1)
    Kd (/mM)
    B0 (mM)
    lastica (mA/cm2)
}

STATE {
    ca[NANN] (mM) <1e-10>
    CaBuffer[NANN] (mM)
    Buffer[NANN] (mM)
}

LOCAL factors_done

INITIAL {
    LOCAL i
    if (factors_done == 0) {
        factors_done = 1
        factors()
    }
    Kd = k1buf/k2buf
    B0 = TotalBuffer/(1 + Kd*cai)
    FROM i = 0 TO NANN - 1 {
        ca[i] = cai
        Buffer[i] = B0
        CaBuffer[i] = TotalBuffer - B0
    }
    lastica = 0
}

BREAKPOINT {
    SOLVE state METHOD sparse
    ica = ica_pmp
    lastica = ica
}

LOCAL frat[NANN]

PROCEDURE factors() {
    LOCAL r, dr2, i
    r = 1/2
    dr2 = r/(NANN - 1)/2
    vrat[0] = 0
    frat[0] = 2*r
    FROM i = 0 TO NANN - 2 {
        vrat[i] = vrat[i] + PI*(r - dr2/2)*2*dr2
        r = r - dr2
        frat[i + 1] = 2*PI*r/(2*dr2)
        r = r - dr2
        vrat[i + 1] = PI*(r + dr2/2)*2*dr2
    }
}

KINETIC state {
    LOCAL i, dsq, dsqvol
    COMPARTMENT i, diam*diam*vrat[i] {ca CaBuffer Buffer}
    LONGITUDINAL_DIFFUSION i, DCa*diam*diam*vrat[i] {ca}
    ~ ca[0] << (-(ica - lastica)*PI*diam/(2*FARADAY))
    ~ ca[0] -> (kpmp*PI*diam*(1e4))
    ica_pmp = 2*FARADAY*f_flux/(PI*diam)*(1e-4)
    FROM i = 0 TO NANN - 2 {
        ~ ca[i] <-> ca[i + 1] (DCa*frat[i + 1], DCa*frat[i + 1])
    }
    dsq = diam*diam
    FROM i = 0 TO NANN - 1 {
        dsqvol = dsq*vrat[i]
        ~ ca[i] + Buffer[i] <-> CaBuffer[i] (k1buf*dsqvol, k2buf*dsqvol)
    }
    cai = ca[0]
}
