: Tests DEFINE constants, arrays sized by a DEFINEd name, and INCLUDE "inc/define_include.inc".
DEFINE NSEG 4
DEFINE NPAIR 2

NEURON {
    SUFFIX definc
    RANGE total, arr, pair
}

ASSIGNED {
    arr[NSEG]
    pair[NPAIR] (1)
    total
}

STATE {
    y[NSEG]
}

INCLUDE "inc/define_include.inc"

INITIAL {
    LOCAL j
    fillarr(0.5)
    total = sumarr()
    FROM j = 0 TO NPAIR - 1 {
        pair[j] = j
    }
    FROM j = 0 TO NSEG - 1 {
        y[j] = arr[j]
    }
}

BREAKPOINT {
    SOLVE relax METHOD derivimplicit
}

DERIVATIVE relax {
    LOCAL j
    FROM j = 0 TO NSEG - 1 {
        y'[j] = -y[j]
    }
}
