: Tests the legacy FORALL statement (implicit loop over the dimension of the arrays used inside).
NEURON {
    SUFFIX foralltest
    RANGE total
}

ASSIGNED {
    a[5]
    b[5]
    total
}

INITIAL {
    total = 0
    FORALL i {
        a[i] = i
        b[i] = 2*a[i]
    }
    FROM i = 0 TO 4 {
        total = total + b[i]
    }
}
