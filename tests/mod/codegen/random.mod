COMMENT
Codegen and interpreter stress: random draws. exprand, normrand, scop_random,
poisrand and set_seed in every kind of kernel (INITIAL, BREAKPOINT twice per current
evaluation, a cnexp DERIVATIVE, NET_RECEIVE, FUNCTIONs), in branches, in a WHILE
condition and in a recursive FUNCTION; a draw whose value is not used; and scopmath's
gauss, poisson and factorial (values, not draws).
Not a model of anything.
ENDCOMMENT

NEURON {
    POINT_PROCESS RandomDraws
    RANGE mean, sd, g, e, noise, count, dens, prob, fact, total
    NONSPECIFIC_CURRENT i
    THREADSAFE
}

PARAMETER {
    mean = 2
    sd = 0.5
    g = 0.001 (uS)
    e = 0 (mV)
}

ASSIGNED {
    v (mV)
    i (nA)
    noise
    count
    dens
    prob
    fact
    total
}

STATE {
    s
}

INITIAL {
    set_seed(mean * 10)
    s = exprand(mean)
    count = poisrand(mean)
    dens = gauss(sd, mean, 1.5)
    prob = poisson(count, mean)
    fact = factorial(count + 3)
}

BREAKPOINT {
    SOLVE drift METHOD cnexp
    noise = normrand(0, sd)
    i = g * (v - e) * (1 + 0.01 * noise)
}

DERIVATIVE drift {
    s' = (exprand(mean) - s) / 10
}

NET_RECEIVE (w) {
    LOCAL n
    n = 0
    WHILE (scop_random() < 0.7 && n < 20) {
        n = n + 1
    }
    count = n
    if (w > 0.5) {
        total = total + walk(floor(mean) + 1)
    } else {
        scop_random()
        total = total - scop_random()
    }
    fact = factorial(w * 25)
    net_send(exprand(1), 1)
}

FUNCTION walk(n) {
    if (n <= 0) {
        walk = 0
    } else {
        walk = normrand(0, 1) + walk(n - 1)
    }
}

FUNCTION draw(x) {
    draw = x * scop_random() + poisrand(x)
}
