"""Builds .mod files with Debian's NEURON 8.2.2 nrnivmodl in a temporary directory.

Debian's nrnivmodl cannot build custom mechanisms as installed: it looks for
nrnmech_makefile and libnrniv.so under /usr (they are in /usr/lib/nrn), and nrnconf.h
includes the unpackaged InterViews header ivstream.h. It works with a private NRNHOME made
of symlinks plus a two-line ivstream.h (see /work/shared/notes/neuron-8.2.2-on-debian.md).
"""

import os
import re
import shutil
import subprocess


def private_nrnhome(p):
    """Creates the private NRNHOME prefix in directory p (which must not exist)."""
    for d in ("bin", "lib", "include"):
        os.makedirs(os.path.join(p, d))
    os.symlink("/usr/lib/nrn/nrnmech_makefile", os.path.join(p, "bin", "nrnmech_makefile"))
    os.symlink("/usr/bin/nocmodl", os.path.join(p, "bin", "nocmodl"))
    os.symlink("/usr/lib/nrn/libnrniv.so", os.path.join(p, "lib", "libnrniv.so"))
    os.symlink("/usr/share", os.path.join(p, "share"))
    os.symlink("/usr/include/nrncvode", os.path.join(p, "include", "nrncvode"))
    with open(os.path.join(p, "include", "ivstream.h"), "w") as f:
        f.write("#include <iostream>\n#include <fstream>\n")


def rename_point_process(text, old, new):
    """The .mod text with `POINT_PROCESS old` (or SUFFIX old) declared as `new`."""
    out, n = re.subn(r"\b(POINT_PROCESS|SUFFIX|ARTIFICIAL_CELL)(\s+)%s\b" % re.escape(old),
                     r"\1\g<2>%s" % new, text)
    if n != 1:
        raise ValueError("could not rename %s to %s" % (old, new))
    return out


def build(tmp, mods, incflags=None):
    """Compiles mods, a list of (file name, text), with nrnivmodl in tmp/build
    (`nrnivmodl -incflags INCFLAGS` when given).

    Returns (path of libnrnmech.so, nrnivmodl's output). Raises RuntimeError on failure.
    """
    home = os.path.join(tmp, "nrnhome")
    private_nrnhome(home)
    build_dir = os.path.join(tmp, "build")
    os.makedirs(build_dir)
    for name, text in mods:
        with open(os.path.join(build_dir, name), "w") as f:
            f.write(text)
    if shutil.which("nrnivmodl") is None:
        raise RuntimeError("nrnivmodl not found (Debian package neuron-dev)")
    env = dict(os.environ, NRNHOME=home)
    command = ["nrnivmodl"] + (["-incflags", incflags] if incflags else [])
    r = subprocess.run(command, cwd=build_dir, env=env, stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lib = os.path.join(build_dir, "x86_64", ".libs", "libnrnmech.so")
    if r.returncode != 0 or not os.path.exists(lib):
        raise RuntimeError("nrnivmodl failed:\n" + r.stdout)
    return lib, r.stdout


def nocmodl_messages(tmp, name, text):
    """What nocmodl prints for one file (translated alone in its own directory)."""
    d = os.path.join(tmp, "nocmodl", os.path.splitext(name)[0])
    os.makedirs(d)
    with open(os.path.join(d, name), "w") as f:
        f.write(text)
    r = subprocess.run(["nocmodl", name], cwd=d, stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        raise RuntimeError("nocmodl failed on %s:\n%s" % (name, r.stdout))
    return r.stdout
