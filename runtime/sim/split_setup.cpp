#include "sim/split_setup.hpp"

#include <algorithm>
#include <stdexcept>

namespace ranvier::sim {

std::vector<std::unique_ptr<SplitPart>> makeSplitParts(const std::vector<SplitCellLayout> &cells, std::size_t parts, double vInit,
                                                       const std::function<std::int32_t(std::size_t, std::int32_t)> &position) {
  std::vector<ReducedSystem> systems;
  std::vector<std::vector<SplitPart::Piece>> pieces(parts);
  std::vector<std::vector<SplitPart::Owned>> owned(parts);
  std::int32_t slots = 0;
  for (std::size_t c = 0; c < cells.size(); ++c) {
    const SplitCellLayout &layout = cells[c];
    const cell::Discretisation &dis = *layout.cell;
    const TreePartition &tp = layout.partition;
    std::vector<std::int32_t> indexOf(dis.size(), -1);  // node -> interface index
    for (std::size_t i = 0; i < tp.interfaces.size(); ++i) indexOf[static_cast<std::size_t>(tp.interfaces[i])] = static_cast<std::int32_t>(i);
    auto index = [&](std::int32_t node) { return node < 0 ? -1 : indexOf[static_cast<std::size_t>(node)]; };
    std::vector<std::int32_t> pieceSlot(tp.pieces.size());
    for (std::int32_t &s : pieceSlot) {
      s = slots;
      slots += kPieceSlots;
    }
    ReducedSystem sys;
    sys.vInit = vInit;
    sys.nodes.resize(tp.interfaces.size());
    for (std::size_t i = 0; i < tp.interfaces.size(); ++i) {
      ReducedSystem::Node &node = sys.nodes[i];
      node.ownSlot = slots;
      slots += kOwnSlots;
      const auto s = static_cast<std::size_t>(tp.interfaces[i]);
      const std::int32_t p = dis.parent[s];
      if (p < 0) continue;
      if (index(p) >= 0) {
        node.parent = index(p);
        node.a = dis.a[s];
        node.b = dis.b[s];
      } else {
        const std::int32_t piece = tp.pieceOf[static_cast<std::size_t>(p)];
        node.parent = index(tp.pieces[static_cast<std::size_t>(piece)].upper);
        if (node.parent >= 0) node.linkPiece = pieceSlot[static_cast<std::size_t>(piece)];
      }
    }
    for (std::size_t k = 0; k < tp.pieces.size(); ++k) {
      const TreePartition::Piece &piece = tp.pieces[k];
      if (piece.upper >= 0) {
        ReducedSystem::Node &u = sys.nodes[static_cast<std::size_t>(index(piece.upper))];
        u.pieceSlots.push_back(pieceSlot[k]);
        u.asUpper.push_back(1);
      }
      if (piece.lower >= 0) {
        ReducedSystem::Node &w = sys.nodes[static_cast<std::size_t>(index(piece.lower))];
        w.pieceSlots.push_back(pieceSlot[k]);
        w.asUpper.push_back(0);
      }
      const std::size_t part = layout.piecePart.at(k);
      auto local = [&](std::int32_t node) {
        const auto at = std::lower_bound(piece.nodes.begin(), piece.nodes.end(), node);
        if (at == piece.nodes.end() || *at != node) throw std::logic_error("makeSplitParts: a backbone node outside its piece");
        return position(part, layout.pieceFirst.at(k) + static_cast<std::int32_t>(at - piece.nodes.begin()));
      };
      SplitPart::Piece out;
      out.cell = static_cast<std::int32_t>(c);
      out.top = local(piece.top);
      out.upper = index(piece.upper);
      if (piece.upper >= 0) {
        out.aTop = dis.a[static_cast<std::size_t>(piece.top)];
        out.bTop = dis.b[static_cast<std::size_t>(piece.top)];
      }
      out.lower = index(piece.lower);
      if (piece.lower >= 0) {
        out.aLower = dis.a[static_cast<std::size_t>(piece.lower)];
        out.bLower = dis.b[static_cast<std::size_t>(piece.lower)];
        for (std::int32_t x : tp.backbone(piece, dis.parent)) out.backbone.push_back(local(x));
      }
      out.slot = pieceSlot[k];
      pieces.at(part).push_back(std::move(out));
    }
    for (std::size_t i = 0; i < tp.interfaces.size(); ++i) {
      const std::size_t part = layout.interfacePart.at(i);
      owned.at(part).push_back(SplitPart::Owned{static_cast<std::int32_t>(c), static_cast<std::int32_t>(i), position(part, layout.interfaceNode.at(i))});
    }
    systems.push_back(std::move(sys));
  }
  int threads = 0;
  for (std::size_t p = 0; p < parts; ++p) threads += !pieces[p].empty() || !owned[p].empty();
  std::vector<std::unique_ptr<SplitPart>> out(parts);
  if (threads == 0) return out;
  auto coupling = std::make_shared<SplitCoupling>(std::move(systems), slots, threads);
  for (std::size_t p = 0; p < parts; ++p) {
    if (!pieces[p].empty() || !owned[p].empty()) out[p] = std::make_unique<SplitPart>(coupling, std::move(pieces[p]), std::move(owned[p]));
  }
  return out;
}

}  // namespace ranvier::sim
