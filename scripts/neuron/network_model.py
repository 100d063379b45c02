"""The two spiking networks of tests/golden/network/, built in NEURON 8.2.2 with
ParallelContext gids. Shared by scripts/neuron/reference_network.py (the reference spike
lists) and bench/neuron/network_bench.py (the NEURON side of the network benchmark); the
same models in Ranvier's format are examples/ring/ring.toml and examples/network/net.toml.

Not a script: import it (with /usr/bin/python3, the only Python here that can import
`neuron`), then

    pc = h.ParallelContext()
    model = build_ring(pc)                  # or build_net(pc)
    tvec, idvec = record_spikes(pc)
    run(pc, tstop, nthread=1)               # pc.nthread, set_maxstep(10), finitialize, psolve
    spikes = sorted_spikes(tvec, idvec)     # [(t, gid)] sorted by time then gid

Keep the returned model object alive until the run is over: it owns every section, point
process and NetCon.

Both models: celsius 6.3, dt 0.025 ms, fixed step (CVode off, secondorder 0), hh with its
default parameters and TABLEs (usetable_hh = 1), Ra 100 ohm cm, cm 1 uF/cm2, spike source
soma(0.5) with threshold 10 mV.

build_ring: NEURON's ball-and-stick ring tutorial. 5 cells (gids 0..4): soma L = diam =
12.6157 um, nseg 1, hh; dend L 200 um, diam 1 um, nseg 101, pas (g 0.001 S/cm2, e -65 mV),
dend(0) on soma(1); ExpSyn "syn" at dend(0.5), tau 2 ms, e 0. Cell i drives cell
(i+1) mod 5 (weight 0.01 uS, delay 5 ms). A NetStim (gid 5; number 1, start 9 ms,
interval 10, noise 0) drives cell 0's syn (weight 0.004 uS, delay 1 ms).

build_net: 1000 ball-and-stick cells (dend nseg 11), "exc" gids 0..799 then "inh" gids
800..999. On every cell: "esyn" ExpSyn at dend(0.5) (tau 2, e 0), "isyn" ExpSyn at
soma(0.5) (tau 6, e -80), "drive" IClamp at soma(0.5) (del 0, dur 1e9,
amp = A0 + A1 * gid / 999 nA). Connections by the fixed in-degree rule below (no autapses):
exc -> esyn of all 1000 cells, K = 80, seed 1, weight WE, delay uniform [1, 3] ms;
inh -> isyn of all 1000 cells, K = 20, seed 2, weight WI, delay uniform [1, 3] ms.
100 000 NetCons, created target by target in the order the rule chooses them. Under MPI
(h.nrnmpi_init(), several ranks) each rank builds only the cells it owns, gid % nhost ==
pc.id(), and the NetCons ending on them (bench/neuron/network_mpi_bench.py).
"""

from neuron import h

DT = 0.025
CELSIUS = 6.3
V_INIT = -65.0
MAXSTEP = 10.0           # pc.set_maxstep: the largest interval between spike exchanges

SOMA_L = SOMA_DIAM = 12.6157
DEND_L = 200.0
DEND_DIAM = 1.0
RA = 100.0
CM = 1.0
PAS_G = 0.001
PAS_E = -65.0
THRESHOLD = 10.0

# --- ring -------------------------------------------------------------------------------
RING_N = 5
RING_NSEG = 101
RING_W, RING_DELAY = 0.01, 5.0
STIM_GID = RING_N
STIM_W, STIM_DELAY = 0.004, 1.0
STIM_START, STIM_NUMBER, STIM_INTERVAL = 9.0, 1, 10.0

# --- 1000-cell network ------------------------------------------------------------------
NET_NSEG = 11
N_EXC, N_INH = 800, 200
N_CELLS = N_EXC + N_INH
ESYN_TAU, ESYN_E = 2.0, 0.0
ISYN_TAU, ISYN_E = 6.0, -80.0
K_E, SEED_E = 80, 1
K_I, SEED_I = 20, 2
DELAY_LO, DELAY_HI = 1.0, 3.0
# Tuned (see tests/golden/network/README.md): drive amp = A0 + A1 * gid / 999 nA
A0 = 0.07
A1 = 0.05
WE = 0.0008              # uS, every exc -> esyn NetCon
WI = 0.002               # uS, every inh -> isyn NetCon

# --- the fixed in-degree rule (Ranvier implements the same) -----------------------------
MASK = 2 ** 64 - 1


def mix(z):
    """splitmix64's finaliser."""
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


class Stream:
    """The random stream of the j-th target of a connection rule."""

    def __init__(self, seed, j):
        self.state = mix(seed ^ (((j + 1) * 0xD1B54A32D192ED03) & MASK))

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        return mix(self.state)

    def uniform01(self):
        return (self.next() >> 11) * 2.0 ** -53


def draw(spec, stream):
    """spec: a number (a constant: draws nothing) or ("uniform", lo, hi)."""
    if isinstance(spec, tuple):
        kind, lo, hi = spec
        assert kind == "uniform"
        return lo + (hi - lo) * stream.uniform01()
    return float(spec)


def fixed_indegree(source_gids, target_gids, k, seed, weight, delay, autapses=False):
    """[(target index j, source gid, weight, delay)], target by target, in chosen order."""
    n = len(source_gids)
    out = []
    for j, tgid in enumerate(target_gids):
        st = Stream(seed, j)
        chosen = []
        while len(chosen) < k:
            s = st.next() % n
            if s in chosen or (not autapses and source_gids[s] == tgid):
                continue
            chosen.append(s)
        for s in chosen:
            w = draw(weight, st)
            d = draw(delay, st)
            out.append((j, source_gids[s], w, d))
    return out


# --- cells ------------------------------------------------------------------------------

class BallStick:
    """soma (hh) + dend (pas), dend(0) on soma(1); spike detector on soma(0.5)."""

    def __init__(self, gid, dend_nseg):
        self.gid = gid
        self.soma = h.Section(name="soma", cell=self)
        self.dend = h.Section(name="dend", cell=self)
        self.dend.connect(self.soma(1), 0)
        self.soma.L = SOMA_L
        self.soma.diam = SOMA_DIAM
        self.soma.nseg = 1
        self.dend.L = DEND_L
        self.dend.diam = DEND_DIAM
        self.dend.nseg = dend_nseg
        for sec in (self.soma, self.dend):
            sec.Ra = RA
            sec.cm = CM
        self.soma.insert("hh")
        self.dend.insert("pas")
        for seg in self.dend:
            seg.pas.g = PAS_G
            seg.pas.e = PAS_E

    def __repr__(self):
        return "cell%d" % self.gid

    def register(self, pc):
        pc.set_gid2node(self.gid, pc.id())
        nc = h.NetCon(self.soma(0.5)._ref_v, None, sec=self.soma)
        nc.threshold = THRESHOLD
        pc.cell(self.gid, nc)


def exp_syn(seg, tau, e):
    s = h.ExpSyn(seg)
    s.tau = tau
    s.e = e
    return s


def connect(pc, src_gid, target, weight, delay):
    nc = pc.gid_connect(src_gid, target)
    nc.weight[0] = weight
    nc.delay = delay
    return nc


class Model:
    pass


def build_ring(pc):
    m = Model()
    m.cells = []
    m.syns = []
    for gid in range(RING_N):
        c = BallStick(gid, RING_NSEG)
        c.register(pc)
        m.cells.append(c)
        m.syns.append(exp_syn(c.dend(0.5), 2.0, 0.0))
    m.stim = h.NetStim()
    m.stim.number = STIM_NUMBER
    m.stim.start = STIM_START
    m.stim.interval = STIM_INTERVAL
    m.stim.noise = 0
    pc.set_gid2node(STIM_GID, pc.id())
    pc.cell(STIM_GID, h.NetCon(m.stim, None))
    m.netcons = [connect(pc, i, m.syns[(i + 1) % RING_N], RING_W, RING_DELAY)
                 for i in range(RING_N)]
    m.netcons.append(connect(pc, STIM_GID, m.syns[0], STIM_W, STIM_DELAY))
    return m


def drive_amp(gid, a0=A0, a1=A1):
    return a0 + a1 * gid / 999          # = a0 + ((a1 * gid) / 999)


def net_edges(we=WE, wi=WI):
    """(E edges, I edges): lists of (target gid, source gid, weight, delay)."""
    targets = list(range(N_CELLS))
    e = fixed_indegree(list(range(N_EXC)), targets, K_E, SEED_E, we,
                       ("uniform", DELAY_LO, DELAY_HI))
    i = fixed_indegree(list(range(N_EXC, N_CELLS)), targets, K_I, SEED_I, wi,
                       ("uniform", DELAY_LO, DELAY_HI))
    return e, i


def build_net(pc, a0=A0, a1=A1, we=WE, wi=WI, amp_scale=1.0):
    """The 1000-cell network. amp_scale multiplies every IClamp amp (robustness checks).

    Each process builds and registers only the cells it owns, round-robin (gid % pc.nhost()
    == pc.id(), the usual NEURON distribution), and the NetCons that end on them; a single
    process (pc.nhost() == 1, also without MPI) owns every cell. m.gids lists the owned gids
    in increasing order; m.cells, m.esyn, m.isyn and m.drive are parallel to it (indexed by
    gid in a single process). m.edges_e and m.edges_i are always the whole network's edges,
    the same on every process; m.netcons are this process's NetCons, in edge order.
    """
    nhost, rank = int(pc.nhost()), int(pc.id())
    m = Model()
    m.gids = [gid for gid in range(N_CELLS) if gid % nhost == rank]
    m.cells, m.esyn, m.isyn, m.drive = [], [], [], []
    for gid in m.gids:
        c = BallStick(gid, NET_NSEG)
        c.register(pc)
        m.cells.append(c)
        m.esyn.append(exp_syn(c.dend(0.5), ESYN_TAU, ESYN_E))
        m.isyn.append(exp_syn(c.soma(0.5), ISYN_TAU, ISYN_E))
        ic = h.IClamp(c.soma(0.5))
        ic.delay = 0
        ic.dur = 1e9
        ic.amp = drive_amp(gid, a0, a1) * amp_scale
        m.drive.append(ic)
    m.edges_e, m.edges_i = net_edges(we, wi)
    local = {gid: k for k, gid in enumerate(m.gids)}    # the target index j is its gid
    m.netcons = []
    for j, src, w, d in m.edges_e:
        if j in local:
            m.netcons.append(connect(pc, src, m.esyn[local[j]], w, d))
    for j, src, w, d in m.edges_i:
        if j in local:
            m.netcons.append(connect(pc, src, m.isyn[local[j]], w, d))
    return m


# --- running ----------------------------------------------------------------------------

def record_spikes(pc):
    tvec, idvec = h.Vector(), h.Vector()
    pc.spike_record(-1, tvec, idvec)
    return tvec, idvec


def setup_run(pc, nthread=1, cache_efficient=0):
    h.CVode().active(0)
    h.secondorder = 0
    h.dt = DT
    h.celsius = CELSIUS
    pc.nthread(nthread)
    h.CVode().cache_efficient(cache_efficient)
    pc.set_maxstep(MAXSTEP)


def run(pc, tstop, nthread=1, v_init=V_INIT, cache_efficient=0):
    setup_run(pc, nthread, cache_efficient)
    h.finitialize(v_init)
    pc.psolve(tstop)


def sorted_spikes(tvec, idvec):
    return sorted(zip(tvec.to_python(), [int(g) for g in idvec.to_python()]))


def format_spikes(spikes):
    return "".join("%.17g\t%d\n" % (t, g) for t, g in spikes)
