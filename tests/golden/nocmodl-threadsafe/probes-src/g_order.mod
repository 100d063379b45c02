: several GLOBALs assigned: reveals the order of the notices
NEURON { SUFFIX go GLOBAL zeta, alpha, Beta, abc, amp, Zed }
PARAMETER { zeta = 1 alpha = 1 Beta = 1 abc = 1 amp = 1 Zed = 1 }
INITIAL { zeta = 2 alpha = 2 Beta = 2 amp = 2 abc = 2 Zed = 2 }
