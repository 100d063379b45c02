COMMENT
Codegen stress: lanes that diverge. Each instance runs a different number of WHILE
iterations, takes different if/else branches, indexes arrays with values that
differ per instance, calls a recursive FUNCTION (in INITIAL, which therefore runs one instance at a
time), and uses the math functions.
Not a model of anything.
ENDCOMMENT

NEURON {
    SUFFIX lanes
    RANGE a, b, k, out, steps, acc
    THREADSAFE
}

PARAMETER {
    a = 2
    b = 0.5
    k = 3
}

ASSIGNED {
    v (mV)
    out
    steps
    acc
    hist[4]
    x[4]
}



INITIAL {
    FROM i = 0 TO 3 {
        x[i] = a * (i + 1)
        hist[i] = 0
    }
    out = fact(floor(k)) + fib(floor(k) + 2)
}

BREAKPOINT {
    LOCAL n, j, w[3]
    n = 0
    acc = a
    WHILE (acc > b && n < 40) {
        acc = acc * 0.5 + 0.01 * n
        n = n + 1
    }
    steps = n
    j = fmod(floor(fabs(v)), 4)
    hist[j] = hist[j] + 1
    w[0] = x[j]
    w[1] = x[3 - j]
    w[2] = w[0] - w[1]
    if (v > 0) {
        out = exp(-v / 30) + log(a) + log10(k) + sqrt(b)
    } else if (v > -50) {
        out = sin(v) + cos(v) + tan(v / 100) + asin(b / 2) + acos(b / 3) + atan(v)
    } else {
        out = atan2(v, a) + sinh(b) + cosh(b) + tanh(v / 50) + erf(b) + pow(a, b)
    }
    out = out + w[2] + ceil(b)
}

FUNCTION fact(n) {
    if (n <= 1) {
        fact = 1
    } else {
        fact = n * fact(n - 1)
    }
}

FUNCTION fib(n) {
    if (n < 2) {
        fib = n
    } else {
        fib = fib(n - 1) + fib(n - 2)
    }
}
