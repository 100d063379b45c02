"""Pieces shared by the NEURON reference generators (reference_runtime.py,
reference_watch.py, reference_liu.py, reference_network.py) and the NEURON sides of the
benchmarks (bench/neuron/): starting a job in a fresh
NEURON process, file checksums and the common lines of the provenance files, CSV output
with %.17g, loading NEURON with a mechanism library, the fixed-step run, recording
vectors, the hh soma of case (a) and the hh cable of case (b) (also the NEURON side of
bench/run-cable-bench.sh).

Only the system Python (/usr/bin/python3) can import `neuron`; these functions import it
lazily, inside the job processes.
"""

import hashlib
import os
import subprocess

DT = 0.025
CELSIUS = 6.3
V_INIT = -65.0


def sha256(path):
    """The file's SHA-256, for the provenance files next to golden data."""
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def run_job_process(script, job, lib, out, jobdir, *extra):
    """Runs `script --job JOB --lib LIB --out OUT EXTRA...` in a fresh NEURON process
    (the system Python) started in jobdir, an empty directory, so that NEURON loads no
    x86_64/ by accident. Returns the CompletedProcess (output and errors in stdout)."""
    return subprocess.run(["/usr/bin/python3", os.path.abspath(script), "--job", job, "--lib", lib,
                           "--out", out, *extra], cwd=jobdir, stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def provenance_header(title, jobdir):
    """The first lines of a provenance file: its title, NEURON's version and the
    checksums of the nocmodl and libnrniv that made the data, then an empty line."""
    version = subprocess.run(["/usr/bin/python3", "-c", "from neuron import h; print(h.nrnversion())"],
                             cwd=jobdir, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True).stdout.strip()
    return [title, "nrnversion: " + version, "nocmodl sha256: " + sha256("/usr/bin/nocmodl"),
            "libnrniv sha256: " + sha256("/usr/lib/nrn/libnrniv.so"), ""]


def nocmodl_lines(messages):
    """One provenance line per file from {file name: nocmodl's messages}."""
    return ["nocmodl %s: %s" % (name, " | ".join(msg.strip().splitlines())) for name, msg in messages.items()]


def g17(x):
    return "%.17g" % x


def write_csv(path, header, rows):
    with open(path, "w") as f:
        f.write(",".join(header) + "\n")
        for row in rows:
            f.write(",".join(c if isinstance(c, str) else str(c) if isinstance(c, int) else g17(c)
                             for c in row) + "\n")


def neuron_h(lib):
    from neuron import h
    if lib:
        h.nrn_load_dll(lib)
    h.load_file("stdlib.hoc")
    return h


def fixed_step(h, tstop=None, secondorder=0):
    """NEURON's settings for the reference runs and benchmarks: fixed step (CVode off),
    secondorder, dt and celsius; with tstop also stdrun's tstop and steps_per_ms (which
    its run() would otherwise reset dt by; stdrun.hoc must be loaded then)."""
    h.CVode().active(0)
    h.secondorder = secondorder
    h.dt = DT
    h.celsius = CELSIUS
    if tstop is not None:
        h.steps_per_ms = 1 / DT
        h.tstop = tstop


def run_fixed(h, tstop, v_init=V_INIT, secondorder=0):
    """finitialize(v_init), then fadvance() until t = tstop (round(tstop/dt) steps)."""
    fixed_step(h, secondorder=secondorder)
    h.finitialize(v_init)
    n = int(round(tstop / DT))
    for _ in range(n):
        h.fadvance()
    return n


def recorder(h, cols):
    """cols: [(name, pointer)]; returns (header, vectors), t first."""
    header, vecs = ["t"], [h.Vector()]
    vecs[0].record(h._ref_t)
    for name, ref in cols:
        v = h.Vector()
        v.record(ref)
        header.append(name)
        vecs.append(v)
    return header, vecs


def dump(path, header, vecs):
    n = len(vecs[0])
    assert all(len(v) == n for v in vecs), [len(v) for v in vecs]
    cols = [v.to_python() for v in vecs]
    write_csv(path, header, list(zip(*cols)))
    return n


def hh_soma(h):
    """One compartment, L = diam = 10 um, Ra 35.4, cm 1, hh with NEURON's defaults."""
    soma = h.Section(name="soma")
    soma.L = 10
    soma.diam = 10
    soma.nseg = 1
    soma.Ra = 35.4
    soma.cm = 1
    soma.insert("hh")
    return soma


def hh_cable(h):
    """Case (b): one section, L 10 000 um, diam 1, nseg 1000, Ra 35.4, cm 1, hh, and an
    IClamp at x = 0 with 0.5 nA from 1 ms on."""
    cable = h.Section(name="cable")
    cable.L = 10000
    cable.diam = 1
    cable.nseg = 1000
    cable.Ra = 35.4
    cable.cm = 1
    cable.insert("hh")
    stim = h.IClamp(cable(0))
    stim.delay = 1
    stim.dur = 1e9
    stim.amp = 0.5
    return cable, stim


# d_lambda rule, as NEURON's fixnseg.hoc (the NEURON Book, ch. 5): lambda_f from the 3-D
# points, nseg = int((L/(d_lambda lambda_f(f)) + 0.9)/2)*2 + 1 for every section.
D_LAMBDA_HOC = """
func ranvier_lambda_f() { local i, x1, x2, d1, d2, lam
    if (n3d() < 2) {
        return 1e5*sqrt(diam/(4*PI*$1*Ra*cm))
    }
    x1 = arc3d(0)
    d1 = diam3d(0)
    lam = 0
    for i=1, n3d()-1 {
        x2 = arc3d(i)
        d2 = diam3d(i)
        lam += (x2 - x1)/sqrt(d1 + d2)
        x1 = x2   d1 = d2
    }
    lam *= sqrt(2) * 1e-5*sqrt(4*PI*$1*Ra*cm)
    return L/lam
}
proc ranvier_geom_nseg() { // $1 freq (Hz), $2 d_lambda
    forall { nseg = int((L/($2*ranvier_lambda_f($1))+.9)/2)*2 + 1 }
}
"""


def d_lambda_nseg(h, frequency, d_lambda):
    """Sets every section's nseg by the d_lambda rule (D_LAMBDA_HOC), as fixnseg.hoc does."""
    if not hasattr(h, "ranvier_geom_nseg"):
        h(D_LAMBDA_HOC)
    h.ranvier_geom_nseg(frequency, d_lambda)


# What every NEURON job prints without a display; anything else a job prints is shown.
NO_DISPLAY = ("Warning: no DISPLAY environment variable.", "--No graphics will be displayed.")


def run_requested_job(doc, jobs):
    """`SCRIPT --job NAME --lib LIBNRNMECH --out DIR`: runs jobs[NAME](h, DIR) in this
    process and returns True; without --job returns False (the script makes its data)."""
    import argparse
    ap = argparse.ArgumentParser(description=doc.split("\n")[0])
    ap.add_argument("--job")
    ap.add_argument("--lib")
    ap.add_argument("--out")
    args = ap.parse_args()
    if not args.job:
        return False
    jobs[args.job](neuron_h(args.lib), args.out)
    return True


def make_golden(script, golden, mod_paths, job_names, finish, incflags=None):
    """Builds mod_paths with nrnivmodl (nrnbuild.build; `-incflags` when given), runs
    each job in a fresh NEURON process started in an empty directory (`script --job
    NAME`; what a job prints besides the no-display warning is shown), then
    finish(out_dir) returns (output file names, extra provenance lines). Copies the
    outputs into golden and writes golden/provenance.txt: NEURON's versions, each .mod
    file's sha256, each output's line count, the extra lines and nocmodl's messages."""
    import shutil
    import sys
    import tempfile
    import nrnbuild
    mods = []
    for path in mod_paths:
        with open(path) as f:
            mods.append((os.path.basename(path), f.read()))
    tmp = tempfile.mkdtemp(prefix="ranvier-golden-")
    try:
        lib, _ = nrnbuild.build(tmp, mods, incflags)
        nocmodl = {name: nrnbuild.nocmodl_messages(tmp, name, text) for name, text in mods}
        jobdir, out = os.path.join(tmp, "job"), os.path.join(tmp, "out")
        os.makedirs(jobdir)
        os.makedirs(out)
        for job in job_names:
            r = run_job_process(script, job, lib, out, jobdir)
            if r.returncode != 0:
                sys.exit("the NEURON job %s failed:\n%s" % (job, r.stdout))
            said = [line for line in r.stdout.splitlines() if line.strip() and line not in NO_DISPLAY]
            if said:
                print("NEURON job %s printed:\n%s" % (job, "\n".join(said)))
        outputs, extra = finish(out)
        os.makedirs(golden, exist_ok=True)
        for name in outputs:
            shutil.copy(os.path.join(out, name), os.path.join(golden, name))
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(script))))
        lines = provenance_header("%s: made by %s" % (os.path.relpath(golden, root), os.path.relpath(os.path.abspath(script), root)), jobdir)
        lines += ["%s sha256: %s" % (os.path.basename(path), sha256(path)) for path in mod_paths]
        for name in outputs:
            with open(os.path.join(golden, name)) as f:
                lines.append("%s: %d lines" % (name, sum(1 for _ in f)))
        if incflags:
            lines.append("nrnivmodl -incflags " + incflags)
        lines += list(extra)
        lines += nocmodl_lines(nocmodl)
        with open(os.path.join(golden, "provenance.txt"), "w") as f:
            f.write("\n".join(lines) + "\n")
    finally:
        shutil.rmtree(tmp)
