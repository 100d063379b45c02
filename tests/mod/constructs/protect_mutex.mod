: Tests PROTECT assignments and MUTEXLOCK/MUTEXUNLOCK around updates of GLOBAL variables in a THREADSAFE mechanism.
NEURON {
    SUFFIX protmutex
    GLOBAL total, calls
    RANGE x
    THREADSAFE
}

ASSIGNED {
    total
    calls
    x
}

INITIAL {
    PROTECT total = 0
    PROTECT calls = 0
    x = 1
}

BREAKPOINT {
    PROTECT total = total + x
    MUTEXLOCK
    calls = calls + 1
    if (calls > 1e6) {
        calls = 0
    }
    MUTEXUNLOCK
}

PROCEDURE bump(dx) {
    MUTEXLOCK
    total = total + dx
    MUTEXUNLOCK
    PROTECT calls = calls + 1
}
