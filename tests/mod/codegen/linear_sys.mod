COMMENT
Codegen stress: LINEAR and NONLINEAR blocks solved in every instance (pivoting
differs per instance), and a GLOBAL carried from one instance to the next (so
the kernel that reads it must stay scalar).
ENDCOMMENT

NEURON {
    SUFFIX linsys
    RANGE p, q, r, s, c0
    GLOBAL carry
}

PARAMETER {
    c0 = 1
    c1 = 0.5
}

ASSIGNED {
    v (mV)
    carry
}

STATE { p q r s }

INITIAL {
    SOLVE eqs
    SOLVE roots
}

BREAKPOINT {
    SOLVE eqs
    carry = carry + p
    r = carry
}

LINEAR eqs {
    ~ v * p + q = c0
    ~ p - (v + 1) * q + r = 2
    ~ q + r * c0 = 3
}

NONLINEAR roots {
    ~ s * s = c0 + 1
}
