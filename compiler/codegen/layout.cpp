#include "codegen/layout.hpp"

#include <stdexcept>

#include "ranvier/mechanism_abi.h"

namespace ranvier::codegen {

namespace {
std::int32_t ionQuantity(ir::IonQuantity q) {
  switch (q) {
  case ir::IonQuantity::Reversal: return RV_ION_REVERSAL;
  case ir::IonQuantity::Inside: return RV_ION_INSIDE;
  case ir::IonQuantity::Outside: return RV_ION_OUTSIDE;
  case ir::IonQuantity::Current: return RV_ION_CURRENT;
  case ir::IonQuantity::Conductance: return RV_ION_CONDUCTANCE;
  }
  return 0;
}

std::int32_t nodeQuantity(ir::NodeQuantity q) {
  switch (q) {
  case ir::NodeQuantity::Voltage: return RV_NODE_V;
  case ir::NodeQuantity::Rhs: return RV_NODE_RHS;
  case ir::NodeQuantity::Diagonal: return RV_NODE_D;
  case ir::NodeQuantity::Area: return RV_NODE_AREA;
  case ir::NodeQuantity::Diam: return RV_NODE_DIAM;
  }
  return 0;
}
}  // namespace

Layout layoutOf(const ir::Mechanism &m) {
  Layout layout;
  layout.variables.resize(m.variables.size());
  for (std::size_t id = 0; id < m.variables.size(); ++id) {
    const ir::Variable &v = m.variables[id];
    VariableSlot &s = layout.variables[id];
    s.stored = true;
    switch (v.storage) {
    case ir::Storage::Field: s.slot = layout.fieldSlots++; break;
    case ir::Storage::Pointer: s.slot = layout.pointerSlots++; break;
    case ir::Storage::Global:
    case ir::Storage::Table:
      s.slot = layout.globalSlots;
      layout.globalSlots += static_cast<std::int32_t>(v.size);
      break;
    case ir::Storage::Thread:
      s.slot = layout.threadSlots;
      layout.threadSlots += static_cast<std::int32_t>(v.size);
      break;
    case ir::Storage::Ion: {
      for (std::size_t i = 0; i < m.ions.size(); ++i) {
        if (m.ions[i].name == v.ion) s.ion = static_cast<std::int32_t>(i);
      }
      if (s.ion < 0) throw std::runtime_error("variable " + v.name + " uses undeclared ion " + v.ion);
      s.quantity = ionQuantity(v.ionQuantity);
      s.slot = s.ion * RV_ION_QUANTITIES + s.quantity;
      break;
    }
    case ir::Storage::Node: s.slot = s.quantity = nodeQuantity(v.nodeQuantity); break;
    case ir::Storage::Builtin:
      if (v.name == "t") s.quantity = RV_BUILTIN_T;
      else if (v.name == "dt") s.quantity = RV_BUILTIN_DT;
      else if (v.name == "celsius") s.quantity = RV_BUILTIN_CELSIUS;
      else if (v.name == "secondorder") s.quantity = RV_BUILTIN_SECONDORDER;
      else throw std::runtime_error("unknown builtin " + v.name);
      s.slot = s.quantity;
      break;
    case ir::Storage::Local:
    case ir::Storage::Param: s.stored = false; break;
    }
  }
  return layout;
}

}  // namespace ranvier::codegen
