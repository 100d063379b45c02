: same as g_order, PARAMETER block lists names in another order
NEURON { SUFFIX god GLOBAL amp, abc, alpha, zeta, Beta, Zed }
PARAMETER { amp = 1 abc = 1 alpha = 1 Zed = 1 zeta = 1 Beta = 1 }
INITIAL { zeta = 2 alpha = 2 Beta = 2 amp = 2 abc = 2 Zed = 2 }
