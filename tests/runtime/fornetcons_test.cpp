// FOR_NETCONS against NEURON 8.2.2 (tests/golden/fornetcons, made by
// scripts/neuron/reference_fornetcons.py): the STDP example, whose NET_RECEIVE
// potentiates every NetCon's weight vector, and a counter that shows that a FOR_NETCONS
// loop and NET_RECEIVE's own arguments are one memory for the NetCon of the event.
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include <gtest/gtest.h>

#include "golden_differences.hpp"

namespace ranvier {
namespace {

std::map<std::string, double> differences(const model::Model &m, double tstop, const std::string &golden, int threads) {
  return test::worstDifferences(m, tstop, "tests/golden/fornetcons/" + golden, threads);
}

TEST(ForNetcons, StdpSynapseEqualsNeuron) {
  const model::Model m = model::loadModel(test::sourceDir() + "/examples/stdp/stdp.toml");
  for (int threads : {1, 2}) {
    const auto d = differences(m, 500, "stdp.csv", threads);
    ASSERT_EQ(d.size(), 3u);
    EXPECT_LT(d.at("v"), 1e-8) << threads;      // measured 6.3e-11 mV
    EXPECT_LT(d.at("g"), 1e-14) << threads;     // measured 7.6e-17 uS
    EXPECT_EQ(d.at("tpost"), 0) << threads;     // every postsynaptic spike in the same step
  }
}

TEST(ForNetcons, TheLoopAndNetReceiveArgumentsAreOneMemory) {
  const auto dir = std::filesystem::temp_directory_path() / ("ranvier-fornetcons-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "counter.toml") << "[simulation]\ntstop = 20\ndt = 0.025\n[mechanisms]\npaths = [\"" << test::sourceDir()
                                      << "/tests/golden/fornetcons\"]\n"
                                         "[cell.soma]\nsections = [{ name = \"soma\", L = 10, diam = 10 }]\n"
                                         "[population.cell]\ncell = \"soma\"\n"
                                         "[population.stims]\nmechanism = \"NetStim\"\ncount = 2\ninterval = \"2 + i\"\nstart = \"1 + 0.5 * i\"\nnumber = 1e9\nnoise = 0\n"
                                         "[[point]]\nname = \"counter\"\nmechanism = \"Counter\"\nat = \"cell[0].soma(0.5)\"\n"
                                         "[[netcon]]\nsource = \"stims[0]\"\ntarget = \"counter\"\nweight = [0.25, 0]\ndelay = 1\n"
                                         "[[netcon]]\nsource = \"stims[1]\"\ntarget = \"counter\"\nweight = [0.5, 0]\ndelay = 1\n"
                                         "[[record]]\nvariable = \"counter.seen\"\nlabel = \"seen\"\n"
                                         "[[record]]\nvariable = \"counter.total\"\nlabel = \"total\"\n";
  const model::Model m = model::loadModel(dir / "counter.toml");
  const auto d = differences(m, 20, "counter.csv", 1);
  std::filesystem::remove_all(dir);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d.at("seen"), 0);   // 15 events: the event's NetCon sees its own count go up
  EXPECT_EQ(d.at("total"), 0);
}

}  // namespace
}  // namespace ranvier
