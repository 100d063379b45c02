#pragma once
// A rank that dies of a signal it can catch (a crash: SIGSEGV, SIGBUS, SIGFPE, SIGILL,
// SIGABRT) says which rank it was and why before it goes, so mpiexec's report of a bad
// termination (which names only a pid) can be read. SIGKILL (the kernel's out-of-memory
// killer, or kill -9) cannot be caught: for that, rank 0 lists the ranks' pids at start.
namespace ranvier::tool {

// Installs the handlers; `rank` and `size` go into the message.
void reportFatalSignals(int rank, int size);

}  // namespace ranvier::tool
