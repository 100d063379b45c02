#include "model/units.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <map>

namespace ranvier::model {

namespace {

// Exponents of metre, second, volt, ampere, mole, kelvin; and the factor to SI.
struct Unit {
  std::array<int, 6> dim{};
  double scale = 1;
  bool ok = true;
};

const std::map<std::string, Unit, std::less<>> &bases() {
  static const std::map<std::string, Unit, std::less<>> table{
      {"m", {{1, 0, 0, 0, 0, 0}, 1}},        {"s", {{0, 1, 0, 0, 0, 0}, 1}},     {"sec", {{0, 1, 0, 0, 0, 0}, 1}},
      {"V", {{0, 0, 1, 0, 0, 0}, 1}},        {"A", {{0, 0, 0, 1, 0, 0}, 1}},     {"amp", {{0, 0, 0, 1, 0, 0}, 1}},
      {"S", {{0, 0, -1, 1, 0, 0}, 1}},       {"mho", {{0, 0, -1, 1, 0, 0}, 1}},  {"ohm", {{0, 0, 1, -1, 0, 0}, 1}},
      {"F", {{0, 1, -1, 1, 0, 0}, 1}},       {"M", {{-3, 0, 0, 0, 1, 0}, 1e3}},  {"mol", {{0, 0, 0, 0, 1, 0}, 1}},
      {"L", {{3, 0, 0, 0, 0, 0}, 1e-3}},     {"liter", {{3, 0, 0, 0, 0, 0}, 1e-3}}, {"Hz", {{0, -1, 0, 0, 0, 0}, 1}},
      {"degC", {{0, 0, 0, 0, 0, 1}, 1}},     {"K", {{0, 0, 0, 0, 0, 1}, 1}},     {"micron", {{1, 0, 0, 0, 0, 0}, 1e-6}},
      {"coulomb", {{0, 1, 0, 1, 0, 0}, 1}},  {"C", {{0, 1, 0, 1, 0, 0}, 1}},
  };
  return table;
}

const std::map<std::string, double, std::less<>> &prefixes() {
  static const std::map<std::string, double, std::less<>> table{
      {"p", 1e-12}, {"n", 1e-9}, {"u", 1e-6}, {"\xC2\xB5", 1e-6}, {"m", 1e-3}, {"c", 1e-2}, {"k", 1e3}, {"M", 1e6}, {"G", 1e9}};
  return table;
}

Unit factor(std::string_view token) {
  int power = 1;
  while (!token.empty() && std::isdigit(static_cast<unsigned char>(token.back()))) {
    power = token.back() - '0';
    token.remove_suffix(1);
  }
  Unit u;
  if (auto it = bases().find(token); it != bases().end()) {
    u = it->second;
  } else {
    bool found = false;
    for (const auto &[p, scale] : prefixes()) {
      if (token.size() > p.size() && token.substr(0, p.size()) == p) {
        if (auto b = bases().find(token.substr(p.size())); b != bases().end()) {
          u = b->second;
          u.scale *= scale;
          found = true;
          break;
        }
      }
    }
    if (!found) return Unit{{}, 1, false};
  }
  Unit out;
  for (std::size_t k = 0; k < 6; ++k) out.dim[k] = u.dim[k] * power;
  out.scale = std::pow(u.scale, power);
  return out;
}

// "S/cm2", "ohm cm", "/ms", "mA/cm2", "1": products of factors, '/' dividing the rest.
Unit parseUnit(std::string_view text) {
  Unit u;
  int sign = 1;
  std::string token;
  auto apply = [&]() {
    if (token.empty() || token == "1") {
      token.clear();
      return;
    }
    const Unit f = factor(token);
    if (!f.ok) u.ok = false;
    for (std::size_t k = 0; k < 6; ++k) u.dim[k] += sign * f.dim[k];
    u.scale *= sign > 0 ? f.scale : 1.0 / f.scale;
    token.clear();
  };
  for (char c : text) {
    if (c == '/') {
      apply();
      sign = -1;
    } else if (c == ' ' || c == '*' || c == '-' || c == '(' || c == ')') {
      apply();
    } else {
      token += c;
    }
  }
  apply();
  return u;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool splitNumber(std::string_view text, double &number, std::string_view &unit) {
  text = trim(text);
  const char *end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, number);
  if (ec != std::errc{} || ptr == text.data()) return false;
  unit = trim(std::string_view(ptr, static_cast<std::size_t>(end - ptr)));
  return true;
}

}  // namespace

bool looksLikeQuantity(std::string_view text) {
  double number = 0;
  std::string_view unit;
  return splitNumber(text, number, unit) && !unit.empty() && parseUnit(unit).ok;
}

Conversion convertQuantity(std::string_view text, std::string_view target) {
  double number = 0;
  std::string_view unit;
  if (!splitNumber(text, number, unit)) return {std::nullopt, "'" + std::string(text) + "' is not a number with a unit"};
  const Unit from = parseUnit(unit), to = parseUnit(target);
  if (!from.ok) return {std::nullopt, "unknown unit '" + std::string(unit) + "'"};
  if (!to.ok) return {std::nullopt, "the value is stored in '" + std::string(target) + "', which is not a unit Ranvier can convert to"};
  if (from.dim != to.dim) {
    const std::string want = target.empty() ? std::string("no unit") : "'" + std::string(target) + "'";
    return {std::nullopt, "'" + std::string(unit) + "' does not convert to " + want};
  }
  const bool celsius = from.dim[5] != 0;
  if (celsius && std::string_view(unit) != target) {
    return {std::nullopt, "temperatures are given in degC"};
  }
  return {number * from.scale / to.scale, {}};
}

}  // namespace ranvier::model
