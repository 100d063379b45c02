: Tests control flow and expressions: if/else if/else (also IF/ELSE), while/WHILE, FROM..TO..BY loops, nested blocks, all operators, unary minus, right-assoc ^, deep parentheses.
NEURON {
    SUFFIX ctrlflow
    RANGE x, y, n
}

PARAMETER {
    n = 6
}

ASSIGNED {
    x
    y
    arr[8]
}

INITIAL {
    LOCAL i, k, acc
    acc = 0
    FROM i = 0 TO 7 {
        arr[i] = i
    }
    FROM i = 0 TO n BY 2 {
        acc = acc + arr[i]
    }
    FROM i = 1 TO n*2 - 1 BY (1 + 1) {
        acc = acc + i
    }
    FROM i = 0 TO INT(n/2) {
        acc = acc + arr[i + 1]
    }
    k = 0
    while (k < 5) {
        k = k + 1
        if (k == 3) {
            acc = acc - 1
        }
    }
    WHILE (k > 0) {
        k = k - 2
    }
    if (acc > 100) {
        x = 1
    } else if (acc >= 50) {
        x = 2
    } else if (acc < -10 || acc <= -20) {
        x = 3
    } else {
        x = 4
    }
    IF (x != 4 && !(x == 1)) {
        y = 1
    } ELSE IF (x == 4) {
        y = 2
    } ELSE {
        y = 3
    }
    if (x) {
        {
            LOCAL z
            z = 1
            {
                y = y + z
            }
        }
    }
    if (!x || (y > 0 && y < 10) || !(!(y))) {
        y = -y
    }
}

BREAKPOINT {
    x = 2^3^2
    y = -2^2
    y = - -y
    y = -(-(y))
    x = ((((((x + 1)*2) - 3)/4) + (((y))))^(1/2))
    y = (x > y) + (x < y) + (x >= y) + (x <= y) + (x == y) + (x != y)
    y = (x && y) || (!x && !y) || 1 < 2 == 1
    x = 2^-1 + 2^(-1) + -x*-y - -1
    y = 1 - 2 - 3 + 4*5/6/7
    x = 1e0*(1 + (2*(3 + (4*(5 + (6*(7 + (8*(9 + 10)))))))))
}
