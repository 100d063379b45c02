: Tests LOCAL: top-level LOCAL variables (incl. arrays), LOCAL at the start of blocks, nested-block LOCALs and LOCAL arrays.
NEURON {
    SUFFIX localtest
    RANGE y
}

LOCAL gscratch, gbuf[3]

ASSIGNED {
    y
}

INITIAL {
    LOCAL a, b
    a = 1
    b = 2
    gscratch = a + b
    gbuf[0] = gscratch
    y = gbuf[0]
}

BREAKPOINT {
    LOCAL tmp[4], k
    FROM k = 0 TO 3 {
        tmp[k] = k
    }
    if (tmp[3] > 2) {
        LOCAL inner
        inner = tmp[3]*2
        y = inner + gbuf[0]
    }
    {
        LOCAL z
        z = 5
        y = y + z
    }
}

FUNCTION f(x) {
    LOCAL s
    s = x*x
    f = s
}

PROCEDURE p() {
    LOCAL u, w
    u = f(2)
    w = u
    gscratch = w
}
