#pragma once
// The data of a FUNCTION_TABLE and its lookup, as NEURON's hoc_func_table computes it:
// per argument an axis of explicit, increasing points or of `size` uniform steps from
// `from` to `to`; arguments beyond an axis's ends read its end values; in between,
// linear interpolation (two arguments: along the second axis, then the first). Or one
// constant value for any arguments.

#include <cstddef>
#include <vector>

namespace ranvier::runtime {

struct TableAxis {
  std::vector<double> points;  // explicit; empty: uniform
  double from = 0, to = 0;     // uniform
  std::size_t size = 1;        // points on the axis

  static TableAxis explicitPoints(std::vector<double> points);
  static TableAxis uniform(double from, double to, std::size_t size);
};

class FunctionTableData {
public:
  // Throws std::invalid_argument when the values do not fill the axes (row-major: the
  // first axis outer), when explicit points do not increase, or when a uniform axis
  // runs backwards or has no length.
  FunctionTableData(std::vector<TableAxis> axes, std::vector<double> values);
  static FunctionTableData constant(double value, std::size_t arity);

  std::size_t arity() const { return axes_.size(); }
  // The value at args[0 .. arity()).
  double operator()(const double *args) const;

private:
  FunctionTableData() = default;
  std::vector<TableAxis> axes_;
  std::vector<double> values_;
  bool constant_ = false;
};

}  // namespace ranvier::runtime
