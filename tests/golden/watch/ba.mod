TITLE BEFORE/AFTER block probe (Ranvier reference data, tests/golden/watch)

COMMENT
Every block counts its calls (n_*), and records the t and v it sees (t_*, v_*), the
value of the state s it sees (s_*), and its position in a per-instance call sequence
(o_* = seq after incrementing). s' = 1 integrates time, so s tells whether the
state update of the current step has happened. The BREAKPOINT block computes a zero
current so that it runs in nrn_cur (twice per call: at v + 0.001 and at v).
ENDCOMMENT

NEURON {
    SUFFIX ba
    NONSPECIFIC_CURRENT i
    RANGE seq
    RANGE n_bi, t_bi, v_bi, s_bi, o_bi
    RANGE n_in, t_in, v_in, s_in, o_in
    RANGE n_ai, t_ai, v_ai, s_ai, o_ai
    RANGE n_bb, t_bb, v_bb, s_bb, o_bb
    RANGE n_cu, t_cu, v_cu, s_cu, o_cu
    RANGE n_as, t_as, v_as, s_as, o_as
    RANGE n_bs, t_bs, v_bs, s_bs, o_bs
}

UNITS {
    (mV) = (millivolt)
    (mA) = (milliamp)
}

ASSIGNED {
    v (mV)
    i (mA/cm2)
    seq
    n_bi t_bi (ms) v_bi (mV) s_bi (ms) o_bi
    n_in t_in (ms) v_in (mV) s_in (ms) o_in
    n_ai t_ai (ms) v_ai (mV) s_ai (ms) o_ai
    n_bb t_bb (ms) v_bb (mV) s_bb (ms) o_bb
    n_cu t_cu (ms) v_cu (mV) s_cu (ms) o_cu
    n_as t_as (ms) v_as (mV) s_as (ms) o_as
    n_bs t_bs (ms) v_bs (mV) s_bs (ms) o_bs
}

STATE {
    s (ms)
}

BEFORE INITIAL {
    seq = seq + 1
    n_bi = n_bi + 1
    t_bi = t
    v_bi = v
    s_bi = s
    o_bi = seq
}

INITIAL {
    seq = seq + 1
    n_in = n_in + 1
    t_in = t
    v_in = v
    s_in = s
    o_in = seq
    s = 0
}

AFTER INITIAL {
    seq = seq + 1
    n_ai = n_ai + 1
    t_ai = t
    v_ai = v
    s_ai = s
    o_ai = seq
}

BEFORE BREAKPOINT {
    seq = seq + 1
    n_bb = n_bb + 1
    t_bb = t
    v_bb = v
    s_bb = s
    o_bb = seq
}

BREAKPOINT {
    SOLVE ticks METHOD cnexp
    seq = seq + 1
    n_cu = n_cu + 1
    t_cu = t
    v_cu = v
    s_cu = s
    o_cu = seq
    i = 0
}

DERIVATIVE ticks {
    s' = 1
}

AFTER SOLVE {
    seq = seq + 1
    n_as = n_as + 1
    t_as = t
    v_as = v
    s_as = s
    o_as = seq
}

BEFORE STEP {
    seq = seq + 1
    n_bs = n_bs + 1
    t_bs = t
    v_bs = v
    s_bs = s
    o_bs = seq
}
