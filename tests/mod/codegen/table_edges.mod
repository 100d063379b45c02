COMMENT
TABLE lookups at and beyond their ends: the differential tests draw v from -90 to 40 mV,
so f's and rates' tables (-50 to 10 mV) are read below, inside and above their range,
and g's argument log(v + 60) is NaN (v < -60), -inf (v = -60), below, inside and above
its table. Compiled lookups skip the index check (the index is inside by construction)
and must still give the interpreter's values: NaN through, the end values beyond the
ends, linear interpolation inside.
ENDCOMMENT

NEURON {
  SUFFIX tabedges
  RANGE a, b, c, d
}

ASSIGNED { v (mV) a b c d }

BREAKPOINT {
  a = f(v)
  b = g(log(v + 60))
  rates(v)
}

FUNCTION f(x) {
  TABLE FROM -50 TO 10 WITH 24
  f = x*x*x/1000 + x
}

FUNCTION g(x) {
  TABLE FROM 0 TO 5 WITH 10
  g = x*x - 3*x
}

PROCEDURE rates(x (mV)) {
  TABLE c, d FROM -50 TO 10 WITH 7
  c = x/10 + 1
  d = x*x
}
