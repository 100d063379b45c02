// ranvier: simulate a model file. `ranvier run model.toml` compiles the mechanisms the
// model uses (JIT, cached), simulates with NEURON's fixed-step method and writes the
// recorded traces (CSV) and spikes.
#include <CLI/CLI.hpp>

#include "run.hpp"
#include "sweep_command.hpp"

int main(int argc, char **argv) {
  CLI::App app{"ranvier: simulate NEURON-style models of neurons described in a TOML model file"};
  app.set_version_flag("--version", std::string("ranvier ") + RANVIER_VERSION);
  app.require_subcommand(1);
  ranvier::tool::RunOptions run;
  CLI::App *runCommand = app.add_subcommand("run", "simulate a model file and write its recordings");
  runCommand->add_option("model", run.model, "the model file (TOML; see docs/model-files.md)")->required()->check(CLI::ExistingFile);
  runCommand->add_option("--output-dir,-o", run.outputDir, "where trace and spike files go (default: the current directory)");
  runCommand->add_option("--tstop", run.tstop, "simulated time in ms (overrides the model file)")->check(CLI::NonNegativeNumber);
  runCommand->add_option("--threads", run.threads, "threads to simulate with (overrides the model file; default: its threads, or one per core)")
      ->check(CLI::Range(1, 4096));
  runCommand->add_option("--spikes", run.spikes, "where to write the spikes (time<TAB>gid; overrides the model file)");
  runCommand->add_option("--kernels", run.kernels, "kernel arithmetic: exact (NEURON's results to round-off) or fast (overrides the model file; see docs/kernels.md)")
      ->check(CLI::IsMember({"exact", "fast"}));
  runCommand->add_flag("--dry-run", run.dryRun, "check the model and compile its mechanisms, but do not simulate");
  runCommand->add_flag("--quiet,-q", run.quiet, "no progress line or summary");
  bool noCache = false;
  runCommand->add_flag("--no-cache", noCache, "compile mechanisms without the on-disk cache");
  runCommand->add_option("--cache-dir", run.cacheDir, "the mechanism cache directory");
  ranvier::tool::SweepOptions sweep;
  CLI::App *sweepCommand = app.add_subcommand("sweep", "simulate every parameter set of a sweep file; one CSV row of measures per set");
  sweepCommand->add_option("spec", sweep.spec, "the sweep file (TOML; see docs/sweeps.md)")->required()->check(CLI::ExistingFile);
  sweepCommand->add_option("--out,-o", sweep.out, "the CSV of results (default: sweep.csv)");
  sweepCommand->add_option("--threads", sweep.threads, "threads (overrides the sweep file; default: one per core)")->check(CLI::Range(1, 4096));
  sweepCommand->add_option("--chunk", sweep.chunk, "parameter sets simulated together (default: 256 per thread)")->check(CLI::Range(1, 1 << 20));
  sweepCommand->add_option("--kernels", sweep.kernels, "kernel arithmetic: exact or fast (overrides the sweep and model files; see docs/kernels.md)")
      ->check(CLI::IsMember({"exact", "fast"}));
  sweepCommand->add_option("--trace", sweep.trace, "also write run N's v and calcium traces, to <stem of --out>.runN.csv (repeatable)");
  sweepCommand->add_flag("--resume", sweep.resume, "keep the runs already in the output and do the rest");
  sweepCommand->add_flag("--quiet,-q", sweep.quiet, "no progress line or summary");
  bool sweepNoCache = false;
  sweepCommand->add_flag("--no-cache", sweepNoCache, "compile mechanisms without the on-disk cache");
  sweepCommand->add_option("--cache-dir", sweep.cacheDir, "the mechanism cache directory");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError &e) {
    return app.exit(e);
  }
  if (sweepCommand->parsed()) {
    sweep.cache = !sweepNoCache;
    return ranvier::tool::runSweep(sweep);
  }
  run.cache = !noCache;
  return ranvier::tool::runModel(run);
}
