: Tests DEFINE constants, ASSIGNED/STATE/LOCAL arrays sized by a DEFINEd name, and INCLUDE "inc/define_include.inc".
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
    s[NSEG]
}

INCLUDE "inc/define_include.inc"

INITIAL {
    LOCAL j, scratch[NSEG]
    fillarr(0.5)
    total = sumarr()
    FROM j = 0 TO NPAIR - 1 {
        pair[j] = j
    }
    FROM j = 0 TO NSEG - 1 {
        scratch[j] = arr[j]
        s[j] = scratch[j]
    }
}

BREAKPOINT {
    SOLVE relax METHOD sparse
}

KINETIC relax {
    LOCAL j
    FROM j = 0 TO NSEG - 2 {
        ~ s[j] <-> s[j + 1] (1, 1)
    }
}
