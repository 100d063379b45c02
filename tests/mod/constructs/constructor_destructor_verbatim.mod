: Tests CONSTRUCTOR/DESTRUCTOR with VERBATIM, top-level VERBATIM, and VERBATIM inside FUNCTION/PROCEDURE (incl. the _lname return idiom and a C return).
NEURON {
    POINT_PROCESS CtorDtor
    RANGE count
    POINTER buf
}

ASSIGNED {
    count
    buf
}

VERBATIM
#include <stdlib.h>
#include <string.h>
typedef struct {
    int n;
    double* data;   /* a { brace } inside C is fine */
} CtorBuf;
#define CTOR_BUF (*((CtorBuf**)(&(_p_buf))))
ENDVERBATIM

CONSTRUCTOR {
VERBATIM
    {
        CtorBuf* b = (CtorBuf*) calloc(1, sizeof(CtorBuf));
        b->n = 4;
        b->data = (double*) calloc(b->n, sizeof(double));
        CTOR_BUF = b;
    }
ENDVERBATIM
    count = 0
}

DESTRUCTOR {
VERBATIM
    {
        CtorBuf* b = CTOR_BUF;
        if (b) {
            free(b->data);
            free(b);
        }
        CTOR_BUF = (CtorBuf*) 0;
    }
ENDVERBATIM
}

FUNCTION bufsize() {
    bufsize = 0
VERBATIM
    if (CTOR_BUF) {
        _lbufsize = (double) CTOR_BUF->n;
    }
ENDVERBATIM
}

FUNCTION first() {
VERBATIM
    if (CTOR_BUF && CTOR_BUF->n > 0) {
        return CTOR_BUF->data[0];
    }
    return 0.0;
ENDVERBATIM
}

PROCEDURE setfirst(x) {
    VERBATIM
    if (CTOR_BUF && CTOR_BUF->n > 0) {
        CTOR_BUF->data[0] = _lx;
    }
    ENDVERBATIM
    count = count + 1
}

INITIAL {
    setfirst(1.5)
    count = bufsize() + first()
}
