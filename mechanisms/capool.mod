TITLE capool.mod   submembrane calcium pool with pump, leak and buffer

COMMENT
Free calcium cai in a submembrane shell of depth `depth` under the membrane.
It is not a NEURON built-in; it is written for Ranvier's runtime tests (with
cal.mod).

  cai' = drive - pump + leak - bind
  CaB' = bind

  drive = -ica*(1e4)/(2*FARADAY*depth)      influx (mM/ms), ica in mA/cm2,
                                            depth in um; inward ica (< 0)
                                            raises cai. (1e4 converts
                                            mA/cm2/um to the mM/ms of a shell
                                            whose volume/area is depth.)
  pump  = vmax*cai/(cai + km)               Michaelis-Menten extrusion
  leak  = vmax*cai0/(cai0 + km)             constant influx equal to the
                                            pump at rest, so that cai = cai0
                                            is a steady state when ica = 0
  bind  = kf*cai*(Btot - CaB) - kb*CaB      first-order buffer: free buffer
                                            Btot - CaB binds calcium with
                                            rate kf, CaB releases it with kb

The shell is thin compared with the diameter (no curvature correction), and
there is no diffusion to the core. The system is non-linear (pump and
binding), so it is integrated with METHOD derivimplicit (implicit Euler, a
Newton iteration per step). INITIAL starts at the steady state: cai = cai0
and the buffer at equilibrium, CaB = Btot*kf*cai0/(kf*cai0 + kb).

Defaults (cai0 equals NEURON's default cai0_ca_ion):
  depth = 0.1 um, cai0 = 5e-5 mM, vmax = 1e-3 mM/ms, km = 1e-3 mM,
  Btot = 0.03 mM, kf = 100 /mM-ms, kb = 0.1 /ms (buffer Kd = kb/kf = 1 uM;
  at rest the buffer binds about 28 of every 29 calcium ions entering).
ENDCOMMENT

NEURON {
    SUFFIX capool
    USEION ca READ ica WRITE cai
    RANGE depth, cai0, vmax, km, Btot, kf, kb
    THREADSAFE
}

UNITS {
    (mA) = (milliamp)
    (mM) = (milli/liter)
    (um) = (micron)
    FARADAY = (faraday) (coulomb)
}

PARAMETER {
    depth = 0.1   (um)     <1e-9,1e9>  : depth of the submembrane shell
    cai0  = 5e-5  (mM)     <0,1e9>     : resting (initial) free calcium
    vmax  = 1e-3  (mM/ms)  <0,1e9>     : maximal pump rate
    km    = 1e-3  (mM)     <1e-12,1e9> : pump half-saturation
    Btot  = 0.03  (mM)     <0,1e9>     : total buffer
    kf    = 100   (/mM-ms) <0,1e9>     : buffer binding rate
    kb    = 0.1   (/ms)    <0,1e9>     : buffer unbinding rate
}

ASSIGNED {
    ica (mA/cm2)
}

STATE {
    cai (mM)   : free calcium in the shell
    CaB (mM)   : calcium-bound buffer
}

INITIAL {
    cai = cai0
    CaB = Btot*kf*cai0/(kf*cai0 + kb)
}

BREAKPOINT {
    SOLVE pool METHOD derivimplicit
}

DERIVATIVE pool {
    LOCAL bind
    bind = kf*cai*(Btot - CaB) - kb*CaB
    cai' = -ica*(1e4)/(2*FARADAY*depth) - vmax*cai/(cai + km) + vmax*cai0/(cai0 + km) - bind
    CaB' = bind
}
