: assignment to celsius: a translation error, not a notice
NEURON { SUFFIX ce }
PARAMETER { celsius }
INITIAL { celsius = 20 }
