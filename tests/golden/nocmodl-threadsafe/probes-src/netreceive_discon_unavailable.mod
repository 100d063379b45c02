: STATE assigned in NET_RECEIVE when CVODE is not allowed (KINETIC euler): a notice that is not extracted
NEURON { POINT_PROCESS nda }
STATE { a b }
BREAKPOINT { SOLVE k METHOD euler }
KINETIC k { ~ a <-> b (1, 1) }
NET_RECEIVE(w) { a = a + w }
