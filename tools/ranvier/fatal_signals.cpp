#include "fatal_signals.hpp"

#include <csignal>
#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <unistd.h>

namespace ranvier::tool {

namespace {

char prefix[64];  // "[rank 3 of 8] ", made before any signal can arrive

void writeText(const char *text) {
  const ssize_t ignored = ::write(STDERR_FILENO, text, std::strlen(text));
  (void)ignored;
}

extern "C" void onFatalSignal(int signal) {
  // Only async-signal-safe calls here.
  writeText(prefix);
  writeText("ranvier: stopped by signal ");
  switch (signal) {
  case SIGSEGV: writeText("SIGSEGV (invalid memory access)"); break;
  case SIGBUS: writeText("SIGBUS (bus error)"); break;
  case SIGFPE: writeText("SIGFPE (arithmetic exception)"); break;
  case SIGILL: writeText("SIGILL (illegal instruction: a build for another processor?)"); break;
  case SIGABRT: writeText("SIGABRT (aborted)"); break;
  default: writeText("(unknown)"); break;
  }
  writeText("\n");
  std::signal(signal, SIG_DFL);
  std::raise(signal);
}

}  // namespace

void reportFatalSignals(int rank, int size) {
  std::snprintf(prefix, sizeof prefix, "[rank %d of %d] ", rank, size);
  for (int s : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) std::signal(s, onFatalSignal);
}

}  // namespace ranvier::tool
