: Tests LINEAR and NONLINEAR blocks with SOLVEFOR, '~' equations and '~+' equation addition, solved by SOLVE with and without METHOD.
NEURON {
    SUFFIX linnonlin
    RANGE a, b, c, x1, x2, x3, y1, y2
}

PARAMETER {
    a = 2
    b = 3
    c = 0.5
}

STATE {
    x1
    x2
    x3
    y1
    y2
}

INITIAL {
    y1 = 1
    y2 = 1
    SOLVE lin
    SOLVE nonlin
}

BREAKPOINT {
    SOLVE lin
    SOLVE nonlin METHOD newton
}

LINEAR lin SOLVEFOR x1, x2, x3 {
    ~ a*x1 + x2 = b
    ~ x1 - (a/b)*x2 + 2*x3 = 1
    ~ x3 = c
    ~+ x1 = 0.1*x3
}

NONLINEAR nonlin SOLVEFOR y1, y2 {
    ~ y1*y1 + y2 = a
    ~ y1 - y2^2 = c*exp(-y1)
    ~+ y2 = 0
}
