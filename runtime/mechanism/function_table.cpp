#include "mechanism/function_table.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace ranvier::runtime {

namespace {

// Where x falls on an axis: the entry at or below it and the fraction of the way to the
// next one (0 at and beyond the ends, so that the end value is read as it is).
struct Position {
  std::size_t index = 0;
  double fraction = 0;
};

Position locate(const TableAxis &axis, double x) {
  const std::size_t last = axis.size - 1;
  if (!axis.points.empty()) {
    const std::vector<double> &p = axis.points;
    if (x <= p.front()) return {0, 0};
    if (x >= p.back()) return {last, 0};
    if (std::isnan(x)) return {0, 0};  // NEURON's search would stop at the first point too
    std::size_t low = 0, high = last;  // p[low] <= x < p[high]
    while (low + 1 < high) {
      const std::size_t middle = (low + high) / 2;
      (p[middle] <= x ? low : high) = middle;
    }
    return {low, (x - p[low]) / (p[low + 1] - p[low])};
  }
  if (x <= axis.from) return {0, 0};
  if (x >= axis.to) return {last, 0};
  if (std::isnan(x)) return {0, 0};  // NEURON converts NaN to an int: undefined in C++
  const double step = (axis.to - axis.from) / static_cast<double>(last);
  const double at = (x - axis.from) / step;
  const auto index = static_cast<std::size_t>(at);
  return {index, at - static_cast<double>(index)};
}

double between(double fraction, double a, double b) { return fraction > 0 ? (1 - fraction) * a + fraction * b : a; }

}  // namespace

TableAxis TableAxis::explicitPoints(std::vector<double> points) {
  TableAxis axis;
  axis.size = points.size();
  axis.points = std::move(points);
  return axis;
}

TableAxis TableAxis::uniform(double from, double to, std::size_t size) {
  TableAxis axis;
  axis.from = from;
  axis.to = to;
  axis.size = size;
  return axis;
}

FunctionTableData::FunctionTableData(std::vector<TableAxis> axes, std::vector<double> values) : axes_(std::move(axes)), values_(std::move(values)) {
  if (axes_.empty() || axes_.size() > 2) throw std::invalid_argument("a table has one or two axes");
  std::size_t cells = 1;
  for (const TableAxis &a : axes_) {
    if (a.size < 1) throw std::invalid_argument("an axis without points");
    if (a.points.empty()) {
      if (!(a.from < a.to) && !(a.size == 1 && a.from == a.to)) throw std::invalid_argument("a uniform axis must run from a smaller value to a larger one");
    } else {
      for (std::size_t i = 0; i < a.points.size(); ++i) {
        if (!std::isfinite(a.points[i])) throw std::invalid_argument("an axis point that is not a finite number");
        if (i > 0 && !(a.points[i - 1] < a.points[i])) {
          throw std::invalid_argument("axis points must increase (point " + std::to_string(i) + " does not)");
        }
      }
    }
    cells *= a.size;
  }
  if (values_.size() != cells) {
    throw std::invalid_argument("the axes have " + std::to_string(cells) + " points, but there are " + std::to_string(values_.size()) + " values");
  }
}

FunctionTableData FunctionTableData::constant(double value, std::size_t arity) {
  FunctionTableData t;
  t.axes_.assign(arity, TableAxis{});
  t.values_ = {value};
  t.constant_ = true;
  return t;
}

double FunctionTableData::operator()(const double *args) const {
  if (constant_) return values_.front();
  const Position x = locate(axes_[0], args[0]);
  if (axes_.size() == 1) return between(x.fraction, values_[x.index], x.fraction > 0 ? values_[x.index + 1] : 0);
  const std::size_t columns = axes_[1].size;
  const Position y = locate(axes_[1], args[1]);
  const std::size_t at = x.index * columns + y.index;
  auto row = [&](std::size_t start) { return between(y.fraction, values_[start], y.fraction > 0 ? values_[start + 1] : 0); };
  const double first = row(at);
  return x.fraction != 0 ? between(x.fraction, first, row(at + columns)) : first;
}

}  // namespace ranvier::runtime
