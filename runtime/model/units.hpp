#pragma once
// Quantities written with units in model files ("0.1 nA", "2 mS/cm2", "35.4 ohm cm"),
// converted to the unit the value is stored in (NMODL's unit strings).
#include <optional>
#include <string>
#include <string_view>

namespace ranvier::model {

struct Conversion {
  std::optional<double> value;  // set on success
  std::string error;            // otherwise: why not ("nA is a current, mV is a voltage")
};

// Whether `text` looks like "<number> <unit>".
bool looksLikeQuantity(std::string_view text);

// Converts "<number> <unit>" to `target` ("" or "1": dimensionless).
Conversion convertQuantity(std::string_view text, std::string_view target);

}  // namespace ranvier::model
