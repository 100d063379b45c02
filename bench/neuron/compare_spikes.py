"""NEURON's spike list against Ranvier's (both "time<TAB>gid", sorted): the same gids in
the same order, and the largest time difference, over the first 200 ms and the whole run.

    python3 bench/neuron/compare_spikes.py NEURON.spk RANVIER.spk
prints: first 200 ms: N spikes, G gid mismatches, max |dt| D ms; whole run: ...
"""
import sys


def read(path):
    out = []
    with open(path) as f:
        for line in f:
            t, g = line.split()
            out.append((float(t), int(g)))
    return out


def agree(neuron, ranvier, limit):
    a = [s for s in neuron if s[0] <= limit]
    b = [s for s in ranvier if s[0] <= limit]
    if len(a) != len(b):
        return "%d vs %d spikes" % (len(a), len(b))
    worst = max((abs(x[0] - y[0]) for x, y in zip(a, b) if x[1] == y[1]), default=0.0)
    gids = sum(1 for x, y in zip(a, b) if x[1] != y[1])
    return "%d spikes, %d gid mismatches, max |dt| %.2g ms" % (len(a), gids, worst)


def main():
    neuron, ranvier = read(sys.argv[1]), read(sys.argv[2])
    print("first 200 ms: %s; whole run: %s" % (agree(neuron, ranvier, 200.0), agree(neuron, ranvier, 1e30)))


if __name__ == "__main__":
    main()
