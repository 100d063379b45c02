#pragma once
// The middle end's entry point: a checked mechanism becomes kernels.
//
// Lowering inlines FUNCTION and PROCEDURE calls (a call that could recurse stays a
// call), gives every LOCAL its own variable, folds constants (CONSTANT, DEFINE,
// UNITS factors), solves the SOLVE statements (cnexp, derivimplicit, KINETIC/sparse,
// LINEAR, NONLINEAR, STEADYSTATE), builds TABLEs, and writes the current kernel
// that NEURON's nrn_cur computes (i(v+0.001) - i(v) for di/dv).

#include <optional>

#include "ir/ir.hpp"
#include "sema/analyze.hpp"
#include "support/diagnostics.hpp"

namespace ranvier::transform {

// NEURON's constants for the iterative solvers (see docs/neuron-numerics.md).
struct SolverSettings {
  double newtonTolerance = 1e-6;   // derivimplicit / NONLINEAR: sum of relative changes
  int newtonMaxIterations = 50;
  double sparseTolerance = 1e-6;   // KINETIC: sum of absolute changes
  int sparseMaxIterations = 21;
  double steadyStateDt = 1e9;      // STEADYSTATE sparse: implicit Euler with a huge step
};

struct LowerOptions {
  SolverSettings solver;
};

// Returns nothing when an error was reported; warnings do not stop lowering.
std::optional<ir::Mechanism> lower(const sema::Mechanism &mechanism, DiagnosticEngine &diagnostics,
                                   const LowerOptions &options = {});

}  // namespace ranvier::transform
