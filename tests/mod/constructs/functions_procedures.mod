: Tests FUNCTION/PROCEDURE: unit-annotated arguments and return units, no-arg forms, recursion, nested calls, unit-annotated number arguments and string arguments.
NEURON {
    SUFFIX funcproc
    RANGE r, s
}

UNITS {
    (mV) = (millivolt)
}

ASSIGNED {
    v (mV)
    r
    s (ms)
}

FUNCTION alpha(v (mV), k (mV)) (/ms) {
    alpha = 0.1*exp(v/k)/(1 (ms))
}

FUNCTION tauof(v (mV)) (ms) {
    tauof = 1/alpha(v, 10 (mV))
}

FUNCTION fact(n) {
    if (n <= 1) {
        fact = 1
    } else {
        fact = n*fact(n - 1)
    }
}

FUNCTION fib(n) {
    if (n < 2) {
        fib = n
    } else {
        fib = fib(n - 1) + fib(n - 2)
    }
}

FUNCTION noargs() {
    noargs = 42
}

FUNCTION sq(x) {
    sq = x*x
}

PROCEDURE report(x, y (ms)) {
    printf("x = %g, y = %g\n", x, y)
}

PROCEDURE setall(v (mV)) {
    r = fact(4) + fib(6) + noargs() + sq(sq(2))
    s = tauof(v)
}

PROCEDURE nothing() {
}

PROCEDURE withunits() (mV) {
    r = r + 0
}

INITIAL {
    setall(-65 (mV))
    r = r + alpha(2 (mV), 5 (mV))*(1 (ms))
    report(r, s)
    nothing()
    withunits()
    printf("plain string\n")
    printf("two args %g %g\n", fact(3), fib(5))
}

BREAKPOINT {
    s = tauof(v) + tauof(-20 (mV)) + tauof(1e-3 (mV))
    r = sqrt(fabs(sin(r))) + cos(0) + log(2.718) + log10(100) + tanh(0.5) + floor(1.5) + ceil(0.2) + pow(2, 3) + atan2(1, 1)
}
