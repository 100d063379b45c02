COMMENT
A test of FOR_NETCONS aliasing (scripts/neuron/reference_fornetcons.py, tests/runtime/
fornetcons_test.cpp): every event adds 1 to the count n of every NetCon onto the
instance, and then reads its own NetCon's n into `seen`. NEURON's NET_RECEIVE arguments
and FOR_NETCONS's are the same memory for the NetCon of the event, so `seen` counts the
events delivered so far; and `total` sums w1 + n1 over the NetCons.
ENDCOMMENT
NEURON {
    POINT_PROCESS Counter
    RANGE seen, total
    THREADSAFE
}
ASSIGNED { seen total }
INITIAL { seen = 0 total = 0 }
NET_RECEIVE(w, n) {
    INITIAL { n = 0 }
    total = 0
    FOR_NETCONS(w1, n1) {
        n1 = n1 + 1
        total = total + w1 + n1
    }
    seen = n
}
