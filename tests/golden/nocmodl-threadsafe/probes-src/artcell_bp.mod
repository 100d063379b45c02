: ARTIFICIAL_CELL with a BREAKPOINT (prints the ARTIFICIAL_CELL synonym notice on stdout, not extracted)
NEURON { ARTIFICIAL_CELL abp RANGE x }
ASSIGNED { x }
BREAKPOINT { x = 1 }
