TITLE CaPoolLiu (precomputed decay): intracellular calcium of the Liu et al. 1998 STG model neuron

COMMENT
Liu, Golowasch, Marder & Abbott (1998) J Neurosci 18:2309, as in
/work/shared/models/liu1998.md:
  tau dCa/dt = -f A i_Ca + Ca_in - Ca,   E_Ca = 12.246865 mV ln(Ca_out/Ca)
with tau = 200 ms, f = 1.496 uM/nA, Ca_in = 0.05 uM, Ca_out = 3000 uM, A the membrane area
of the compartment and i_Ca the total calcium current density (CaT + CaS; ica of the ca
ion, negative inward). 12.246865 mV is the spec's RT/2F at 11 degC, not NEURON's nernst.
Units: A is NEURON's segment area (ASSIGNED area, um2); ica mA/cm2; cai, cain, caout mM.
f A i_Ca in uM is f [uM/nA] * (1e-6 area [mm2]) * (1e4 ica [nA/mm2]), i.e.
1e-2 f area ica uM = 1e-5 f area ica mM.
Writes cai and eca: with WRITE eca, NEURON (nrn_promote) and Ranvier leave eca to this
mechanism; nothing recomputes it from Nernst. cai is integrated with cnexp (linear in cai,
ica held over the step); eca follows cai after every step (BREAKPOINT of a mechanism
without currents runs in the state update) and at INITIAL.
ktf is a CONSTANT, not a PARAMETER: NEURON 8.2.2's nocmodl writes PARAMETER defaults
with %g (6 digits, 12.246865 -> 12.2469); CONSTANTs and literals keep every digit.

This is the variant of mechanisms/liu-tab (the tabulated Liu mechanisms): the same
equation and parameters, but the factor 1 - exp(-dt/tau) of the exact update (cnexp's,
for ica held over the step) is computed once, at INITIAL, instead of at every step:
cai += decay (cain - 1e-5 f area ica - cai). Like NEURON's classic mechanisms that
precompute dt-dependent factors, it assumes that dt and tau do not change between
finitialize and the end of the run.
ENDCOMMENT

NEURON {
    SUFFIX CaPoolLiu
    USEION ca READ ica WRITE cai, eca
    RANGE tau, f, cain, ca0, caout
    THREADSAFE
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (mM) = (milli/liter)
    (uM) = (micro/liter)
    (nA) = (nanoamp)
    (um) = (micron)
}

CONSTANT {
    ktf = 12.246865 (mV) : RT/2F at 11 degC, the spec's constant
}

PARAMETER {
    tau = 200 (ms)
    f = 1.496 (uM/nA)
    cain = 5e-5 (mM)     : Ca_in = 0.05 uM
    ca0 = 5e-5 (mM)      : Ca(0) = 0.05 uM
    caout = 3 (mM)       : Ca_out = 3000 uM, for E_Ca only (the ca ion's cao is unused)
}

ASSIGNED {
    dt (ms)
    ica (mA/cm2)
    eca (mV)
    area (um2)
    decay
}

STATE { cai (mM) }

INITIAL {
    cai = ca0
    eca = ktf*log(caout/cai)
    decay = 1 - exp(-dt/tau)
}

BREAKPOINT {
    SOLVE pool
    eca = ktf*log(caout/cai)
}

UNITSOFF
PROCEDURE pool() {
    cai = cai + decay*(-(1e-5)*f*area*ica + cain - cai)
}
UNITSON
