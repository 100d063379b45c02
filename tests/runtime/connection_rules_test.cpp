// The connection rules (model/connection_rules.hpp) on their own: which edges each rule
// makes, the weights and delays it draws, and its errors. Every draw comes from the
// splitmix64 stream of (seed, target index), so the tests can recompute values by hand.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <memory>
#include <set>
#include <thread>
#include <utility>

#include <gtest/gtest.h>
#include <unistd.h>

#include "model/connection_rules.hpp"

namespace ranvier::model {
namespace {

// ---- an independent splitmix64, as docs/model-files.md and network_model.py give it ----

std::uint64_t referenceMix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

struct ReferenceStream {
  ReferenceStream(std::uint64_t seed, std::uint64_t target) : state(referenceMix(seed ^ ((target + 1) * 0xD1B54A32D192ED03ull))) {}
  std::uint64_t next() {
    state += 0x9E3779B97F4A7C15ull;
    return referenceMix(state);
  }
  double uniform01() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  std::uint64_t state;
};

const SourceLocation kAt{"net.toml", 17, 1};

NetConSpec spec(ConnectionRule rule, std::uint64_t seed = 1) {
  NetConSpec s;
  s.rule = rule;
  s.ruleGiven = true;
  s.seed = seed;
  s.at = kAt;
  return s;
}

// Sources and targets of one population: source i and target i are the same cell.
RuleInput samePopulation(std::int32_t n, double weight = 0.5, double delay = 2) {
  RuleInput in;
  in.sources = in.targets = n;
  in.sourceCell = [](std::int32_t s) { return static_cast<std::int64_t>(s); };
  in.targetCell = [](std::int32_t t) { return static_cast<std::int64_t>(t); };
  in.weight = weight;
  in.delay = delay;
  return in;
}

// Sources and targets on different cells.
RuleInput twoPopulations(std::int32_t sources, std::int32_t targets, double weight = 0.5, double delay = 2) {
  RuleInput in;
  in.sources = sources;
  in.targets = targets;
  in.sourceCell = [](std::int32_t s) { return static_cast<std::int64_t>(s); };
  in.targetCell = [sources](std::int32_t t) { return static_cast<std::int64_t>(sources) + t; };
  in.weight = weight;
  in.delay = delay;
  return in;
}

using Pairs = std::vector<std::pair<std::int32_t, std::int32_t>>;

Pairs pairs(const std::vector<Edge> &edges) {
  Pairs out;
  for (const Edge &e : edges) out.emplace_back(e.source, e.target);
  return out;
}

ModelError expectModelError(const NetConSpec &s, const RuleInput &in) {
  try {
    expandRule(s, in);
  } catch (const ModelError &e) {
    return e;
  }
  ADD_FAILURE() << "no ModelError";
  return ModelError({}, "");
}

// ---- RandomStream --------------------------------------------------------------------

TEST(ConnectionRandomStream, MatchesSplitmix64ComputedIndependently) {
  // Values computed with Python from the documented algorithm.
  RandomStream a(1, 0);
  EXPECT_EQ(a.next(), 0x077ca23776407269ull);
  EXPECT_EQ(a.next(), 0x5bde7a3c07235958ull);
  EXPECT_EQ(a.next(), 0x80e8bd0a571f8ecaull);
  RandomStream b(2147483647, 999);
  EXPECT_EQ(b.next(), 0x34167a0da9a6df66ull);
  EXPECT_EQ(b.next(), 0x2f20e98ef2f86f70ull);
  EXPECT_EQ(b.next(), 0xa0ed6fb0ede77d6full);
  RandomStream c(42, 3);
  EXPECT_EQ(c.uniform01(), 0.3693016734673009);
  EXPECT_EQ(c.next(), 0xac20fcb8fa446dffull);
  // And against the reimplementation here, over many seeds and targets.
  for (std::uint64_t seed : {0ull, 1ull, 7ull, 123456789ull, 0xFFFFFFFFFFFFFFFFull}) {
    for (std::uint64_t target : {0ull, 1ull, 2ull, 1000ull}) {
      RandomStream ours(seed, target);
      ReferenceStream reference(seed, target);
      for (int k = 0; k < 20; ++k) ASSERT_EQ(ours.next(), reference.next()) << seed << " " << target << " " << k;
      for (int k = 0; k < 20; ++k) {
        const double u = ours.uniform01();
        ASSERT_EQ(u, reference.uniform01());
        ASSERT_GE(u, 0.0);
        ASSERT_LT(u, 1.0);
      }
    }
  }
}

// ---- one_to_one ----------------------------------------------------------------------

TEST(ConnectionRules, OneToOneEqualSizes) {
  const auto edges = expandRule(spec(ConnectionRule::OneToOne), twoPopulations(4, 4, 0.25, 3));
  EXPECT_EQ(pairs(edges), (Pairs{{0, 0}, {1, 1}, {2, 2}, {3, 3}}));
  for (const Edge &e : edges) {
    EXPECT_EQ(e.weight, 0.25);
    EXPECT_EQ(e.delay, 3);
    EXPECT_EQ(e.at.file, kAt.file);
    EXPECT_EQ(e.at.line, kAt.line);
  }
}

TEST(ConnectionRules, OneToOneBroadcasts) {
  EXPECT_EQ(pairs(expandRule(spec(ConnectionRule::OneToOne), twoPopulations(1, 3))), (Pairs{{0, 0}, {0, 1}, {0, 2}}));
  EXPECT_EQ(pairs(expandRule(spec(ConnectionRule::OneToOne), twoPopulations(3, 1))), (Pairs{{0, 0}, {1, 0}, {2, 0}}));
  EXPECT_EQ(pairs(expandRule(spec(ConnectionRule::OneToOne), twoPopulations(1, 1))), (Pairs{{0, 0}}));
}

TEST(ConnectionRules, OneToOneSizeMismatch) {
  const ModelError e = expectModelError(spec(ConnectionRule::OneToOne), twoPopulations(3, 4));
  EXPECT_EQ(e.where().line, kAt.line);
  EXPECT_EQ(e.where().file, kAt.file);
  EXPECT_NE(e.message().find("one_to_one"), std::string::npos) << e.message();
  EXPECT_NE(e.message().find("3 source(s), 4 target(s)"), std::string::npos) << e.message();
}

// "A cell does not connect to itself unless autapses = true" holds for one_to_one too
// (it once did not).
TEST(ConnectionRules, OneToOneRespectsAutapses) {
  NetConSpec s = spec(ConnectionRule::OneToOne);
  EXPECT_EQ(pairs(expandRule(s, samePopulation(3))), Pairs{});
  // One source broadcast to the cells of its own population: not to itself.
  RuleInput broadcast = samePopulation(3);
  broadcast.sources = 1;
  EXPECT_EQ(pairs(expandRule(s, broadcast)), (Pairs{{0, 1}, {0, 2}}));
  s.autapses = true;
  EXPECT_EQ(pairs(expandRule(s, samePopulation(3))), (Pairs{{0, 0}, {1, 1}, {2, 2}}));
}

// ---- all_to_all ----------------------------------------------------------------------

TEST(ConnectionRules, AllToAllWithoutAutapses) {
  // Target by target, sources in order; a cell does not connect to itself.
  EXPECT_EQ(pairs(expandRule(spec(ConnectionRule::AllToAll), samePopulation(3))), (Pairs{{1, 0}, {2, 0}, {0, 1}, {2, 1}, {0, 2}, {1, 2}}));
  // Different cells: everything.
  EXPECT_EQ(expandRule(spec(ConnectionRule::AllToAll), twoPopulations(3, 4)).size(), 12u);
  // Sources or targets on no cell (-1) are never autapses.
  RuleInput none = samePopulation(3);
  none.sourceCell = [](std::int32_t) { return std::int64_t{-1}; };
  none.targetCell = [](std::int32_t) { return std::int64_t{-1}; };
  EXPECT_EQ(expandRule(spec(ConnectionRule::AllToAll), none).size(), 9u);
}

TEST(ConnectionRules, AllToAllWithAutapses) {
  NetConSpec s = spec(ConnectionRule::AllToAll);
  s.autapses = true;
  EXPECT_EQ(pairs(expandRule(s, samePopulation(3))), (Pairs{{0, 0}, {1, 0}, {2, 0}, {0, 1}, {1, 1}, {2, 1}, {0, 2}, {1, 2}, {2, 2}}));
}

// ---- ring ----------------------------------------------------------------------------

TEST(ConnectionRules, RingConnectsEachCellToTheNext) {
  // i -> i+1 mod n, listed by target.
  EXPECT_EQ(pairs(expandRule(spec(ConnectionRule::Ring), samePopulation(5))), (Pairs{{4, 0}, {0, 1}, {1, 2}, {2, 3}, {3, 4}}));
  EXPECT_EQ(pairs(expandRule(spec(ConnectionRule::Ring), samePopulation(2))), (Pairs{{1, 0}, {0, 1}}));
}

TEST(ConnectionRules, RingSizeMismatch) {
  const ModelError e = expectModelError(spec(ConnectionRule::Ring), twoPopulations(5, 4));
  EXPECT_EQ(e.where().line, kAt.line);
  EXPECT_NE(e.message().find("rule = \"ring\""), std::string::npos) << e.message();
  EXPECT_NE(e.message().find("5 source(s), 4 target(s)"), std::string::npos) << e.message();
}

// ---- fixed_indegree ------------------------------------------------------------------

std::map<std::int32_t, std::vector<std::int32_t>> sourcesByTarget(const std::vector<Edge> &edges) {
  std::map<std::int32_t, std::vector<std::int32_t>> out;
  for (const Edge &e : edges) out[e.target].push_back(e.source);
  return out;
}

TEST(ConnectionRules, FixedIndegreeGivesEveryTargetKDistinctOtherSources) {
  NetConSpec s = spec(ConnectionRule::FixedIndegree, 7);
  s.indegree = 10;
  const auto edges = expandRule(s, samePopulation(50));
  ASSERT_EQ(edges.size(), 500u);
  const auto byTarget = sourcesByTarget(edges);
  ASSERT_EQ(byTarget.size(), 50u);
  for (const auto &[target, sources] : byTarget) {
    EXPECT_EQ(sources.size(), 10u) << target;
    EXPECT_EQ(std::set<std::int32_t>(sources.begin(), sources.end()).size(), 10u) << "repeated source for target " << target;
    EXPECT_EQ(std::count(sources.begin(), sources.end(), target), 0) << "autapse on " << target;
    for (std::int32_t src : sources) EXPECT_TRUE(src >= 0 && src < 50);
  }
  // Edges come target by target.
  for (std::size_t k = 1; k < edges.size(); ++k) EXPECT_LE(edges[k - 1].target, edges[k].target);
}

TEST(ConnectionRules, FixedIndegreeFollowsTheDocumentedAlgorithm) {
  // network_model.py's fixed_indegree: draw next() % n until k distinct non-self
  // sources, then weight and delay per chosen source from the same stream.
  NetConSpec s = spec(ConnectionRule::FixedIndegree, 3);
  s.indegree = 4;
  s.delay.kind = Draw::Kind::Uniform;
  s.delay.low = 1;
  s.delay.high = 3;
  const auto edges = expandRule(s, samePopulation(9));
  std::size_t k = 0;
  for (std::int32_t t = 0; t < 9; ++t) {
    ReferenceStream stream(3, static_cast<std::uint64_t>(t));
    std::vector<std::int32_t> chosen;
    while (chosen.size() < 4) {
      const auto src = static_cast<std::int32_t>(stream.next() % 9);
      if (src == t || std::find(chosen.begin(), chosen.end(), src) != chosen.end()) continue;
      chosen.push_back(src);
    }
    for (std::int32_t src : chosen) {
      ASSERT_LT(k, edges.size());
      EXPECT_EQ(edges[k].target, t);
      EXPECT_EQ(edges[k].source, src);
      EXPECT_EQ(edges[k].weight, 0.5);  // constant: nothing drawn
      EXPECT_EQ(edges[k].delay, 1 + 2 * stream.uniform01());
      ++k;
    }
  }
  EXPECT_EQ(k, edges.size());
}

TEST(ConnectionRules, FixedIndegreeSeeds) {
  NetConSpec s = spec(ConnectionRule::FixedIndegree, 11);
  s.indegree = 5;
  const auto first = pairs(expandRule(s, samePopulation(40)));
  EXPECT_EQ(pairs(expandRule(s, samePopulation(40))), first);
  s.seed = 12;
  EXPECT_NE(pairs(expandRule(s, samePopulation(40))), first);
}

TEST(ConnectionRules, FixedIndegreeTooLarge) {
  NetConSpec s = spec(ConnectionRule::FixedIndegree);
  s.indegree = 10;  // a target of 10 cells of the same population has only 9 others
  ModelError e = expectModelError(s, samePopulation(10));
  EXPECT_EQ(e.where().line, kAt.line);
  EXPECT_NE(e.message().find("indegree = 10"), std::string::npos) << e.message();
  EXPECT_NE(e.message().find("only 9 source(s)"), std::string::npos) << e.message();
  EXPECT_NE(e.hint().find("autapses"), std::string::npos) << e.hint();
  s.autapses = true;  // then all 10 are allowed, each exactly once
  const auto byTarget = sourcesByTarget(expandRule(s, samePopulation(10)));
  for (const auto &[target, sources] : byTarget) EXPECT_EQ(std::set<std::int32_t>(sources.begin(), sources.end()).size(), 10u) << target;
  s.indegree = 11;
  e = expectModelError(s, samePopulation(10));
  EXPECT_NE(e.message().find("only 10 source(s)"), std::string::npos) << e.message();
  s.autapses = false;
  s.indegree = 3;
  e = expectModelError(s, twoPopulations(2, 5));
  EXPECT_NE(e.message().find("only 2 source(s)"), std::string::npos) << e.message();
}

// Two sources on the target's own cell (source = ["ring", "ring[0]"], or two detectors
// on one cell) leave fewer eligible sources than sources minus one. The eligible count
// used to stop at the first such source (`s < ns && eligible == ns`), so the in-degree
// check passed and the drawing loop never finished: build() hung instead of throwing.
// Fixed in runtime/model/connection_rules.cpp by 6157138; the rule runs on a thread here
// so that a regression fails after a timeout instead of hanging the test binary.
TEST(ConnectionRules, FixedIndegreeWithTwoSourcesOnTheTargetCellIsAnErrorNotAHang) {
  struct Shared {
    NetConSpec spec;
    RuleInput input;
  };
  auto shared = std::make_shared<Shared>();
  shared->spec = spec(ConnectionRule::FixedIndegree);
  shared->spec.indegree = 2;
  // Sources: cells 0, 0, 1 (cell 0 twice); one target on cell 0: only source 2 is eligible.
  shared->input.sources = 3;
  shared->input.targets = 1;
  shared->input.sourceCell = [](std::int32_t s) { return static_cast<std::int64_t>(s == 2 ? 1 : 0); };
  shared->input.targetCell = [](std::int32_t) { return std::int64_t{0}; };
  auto outcome = std::make_shared<std::promise<std::string>>();
  std::future<std::string> result = outcome->get_future();
  std::thread([shared, outcome] {
    try {
      expandRule(shared->spec, shared->input);
      outcome->set_value("no error");
    } catch (const ModelError &e) {
      outcome->set_value(std::string("ModelError: ") + e.message());
    } catch (...) {
      outcome->set_value("another exception");
    }
  }).detach();  // left spinning when the rule hangs (the process ends it)
  ASSERT_EQ(result.wait_for(std::chrono::seconds(2)), std::future_status::ready)
      << "fixed_indegree hangs when two sources sit on the target's cell (runtime/model/connection_rules.cpp, the eligible count)";
  const std::string what = result.get();
  EXPECT_NE(what.find("ModelError"), std::string::npos) << what;
  EXPECT_NE(what.find("only 1 source(s)"), std::string::npos) << what;
}

// ---- fixed_probability ---------------------------------------------------------------

TEST(ConnectionRules, FixedProbabilityZeroAndOne) {
  NetConSpec s = spec(ConnectionRule::FixedProbability);
  s.probability = 0;
  EXPECT_TRUE(expandRule(s, samePopulation(30)).empty());
  s.probability = 1;
  const auto all = expandRule(s, samePopulation(30));
  EXPECT_EQ(all.size(), 30u * 29u);
  for (const Edge &e : all) EXPECT_NE(e.source, e.target);
  s.autapses = true;
  EXPECT_EQ(expandRule(s, samePopulation(30)).size(), 900u);
}

TEST(ConnectionRules, FixedProbabilityFraction) {
  NetConSpec s = spec(ConnectionRule::FixedProbability, 5);
  s.probability = 0.3;
  const auto edges = expandRule(s, twoPopulations(200, 200));
  const double n = 200.0 * 200.0, mean = 0.3 * n, sigma = std::sqrt(n * 0.3 * 0.7);  // 12000 +- 92
  EXPECT_LT(std::abs(static_cast<double>(edges.size()) - mean), 5 * sigma) << edges.size();
  // No repeated pair; sources ascend within a target.
  for (std::size_t k = 1; k < edges.size(); ++k) {
    if (edges[k].target == edges[k - 1].target) EXPECT_LT(edges[k - 1].source, edges[k].source);
    else EXPECT_LT(edges[k - 1].target, edges[k].target);
  }
  EXPECT_EQ(pairs(expandRule(s, twoPopulations(200, 200))), pairs(edges));
  // Every target's stream decides its sources: uniform01 < p per source, in order.
  ReferenceStream stream(5, 0);
  std::vector<std::int32_t> expected;
  for (std::int32_t src = 0; src < 200; ++src) {
    if (stream.uniform01() < 0.3) expected.push_back(src);
  }
  EXPECT_EQ(sourcesByTarget(edges)[0], expected);
}

// ---- drawn weights and delays --------------------------------------------------------

TEST(ConnectionRules, UniformDelaysAreWithinBoundsAndDeterministic) {
  NetConSpec s = spec(ConnectionRule::AllToAll, 9);
  s.delay.kind = Draw::Kind::Uniform;
  s.delay.low = 1;
  s.delay.high = 3;
  const auto edges = expandRule(s, twoPopulations(20, 20));
  ASSERT_EQ(edges.size(), 400u);
  double sum = 0;
  for (const Edge &e : edges) {
    EXPECT_GE(e.delay, 1);
    EXPECT_LT(e.delay, 3);
    EXPECT_EQ(e.weight, 0.5);
    sum += e.delay;
  }
  EXPECT_NEAR(sum / 400, 2, 0.15);  // sd of the mean: 0.029
  const auto again = expandRule(s, twoPopulations(20, 20));
  for (std::size_t k = 0; k < edges.size(); ++k) EXPECT_EQ(again[k].delay, edges[k].delay);
  // Target 1's stream: one delay per source, in order.
  ReferenceStream stream(9, 1);
  for (std::size_t k = 20; k < 40; ++k) EXPECT_EQ(edges[k].delay, 1 + 2 * stream.uniform01()) << k;
}

TEST(ConnectionRules, WeightIsDrawnBeforeDelay) {
  NetConSpec s = spec(ConnectionRule::OneToOne, 4);
  s.weight.kind = Draw::Kind::Uniform;
  s.weight.low = 0.1;
  s.weight.high = 0.2;
  s.delay.kind = Draw::Kind::Uniform;
  s.delay.low = 5;
  s.delay.high = 6;
  const auto edges = expandRule(s, twoPopulations(3, 3));
  ASSERT_EQ(edges.size(), 3u);
  for (std::int32_t t = 0; t < 3; ++t) {
    ReferenceStream stream(4, static_cast<std::uint64_t>(t));
    const double w = 0.1 + (0.2 - 0.1) * stream.uniform01();
    const double d = 5 + (6 - 5) * stream.uniform01();
    EXPECT_EQ(edges[static_cast<std::size_t>(t)].weight, w);
    EXPECT_EQ(edges[static_cast<std::size_t>(t)].delay, d);
  }
}

TEST(ConnectionRules, NormalDelaysStayWithinMinAndMax) {
  NetConSpec s = spec(ConnectionRule::AllToAll, 21);
  s.delay.kind = Draw::Kind::Normal;
  s.delay.mean = 5;
  s.delay.sd = 2;
  s.delay.minimum = 4;
  s.delay.maximum = 6.5;
  const auto edges = expandRule(s, twoPopulations(30, 30));
  ASSERT_EQ(edges.size(), 900u);
  double sum = 0, lowest = 1e9, highest = -1e9;
  for (const Edge &e : edges) {
    EXPECT_GE(e.delay, 4);
    EXPECT_LE(e.delay, 6.5);
    sum += e.delay;
    lowest = std::min(lowest, e.delay);
    highest = std::max(highest, e.delay);
  }
  // A normal truncated to [mean - sd/2, mean + 3 sd/4]: the range is used and the mean
  // is 5.219 for these bounds (sd 0.70, so 0.023 for the mean of 900).
  EXPECT_LT(lowest, 4.05);
  EXPECT_GT(highest, 6.45);
  EXPECT_NEAR(sum / 900, 5.219, 0.1);
  const auto again = expandRule(s, twoPopulations(30, 30));
  for (std::size_t k = 0; k < edges.size(); ++k) EXPECT_EQ(again[k].delay, edges[k].delay);
  // Unbounded: about mean and sd.
  s.delay.minimum = -1e300;
  s.delay.maximum = 1e300;
  double s1 = 0, s2 = 0;
  const auto free = expandRule(s, twoPopulations(60, 60));
  for (const Edge &e : free) {
    s1 += e.delay;
    s2 += e.delay * e.delay;
  }
  const double n = static_cast<double>(free.size()), m = s1 / n;
  EXPECT_NEAR(m, 5, 0.1);
  EXPECT_NEAR(std::sqrt(s2 / n - m * m), 2, 0.1);
}

TEST(ConnectionRules, DrawOfAConstantIsTheConstant) {
  Draw d;
  RandomStream stream(1, 0);
  EXPECT_EQ(draw(d, 0.75, stream), 0.75);
  RandomStream untouched(1, 0);
  EXPECT_EQ(stream.next(), untouched.next()) << "a constant draws nothing from the stream";
}

// ---- file ----------------------------------------------------------------------------

class ConnectionEdgeLists : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("ranvier-edges-" + std::to_string(::getpid()) + "-" +
                                                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  NetConSpec fileSpec(const std::string &text) {
    NetConSpec s = spec(ConnectionRule::File);
    s.file = dir_ / "edges.csv";
    std::ofstream(s.file) << text;
    return s;
  }
  void expectRowError(const std::string &text, int line, const std::string &message) {
    const NetConSpec s = fileSpec(text);
    const ModelError e = expectModelError(s, twoPopulations(3, 4));
    EXPECT_EQ(e.where().file, s.file.string()) << e.formatted();
    EXPECT_EQ(e.where().line, line) << e.formatted();
    EXPECT_NE(e.message().find(message), std::string::npos) << e.formatted();
    EXPECT_EQ(e.formatted().rfind(s.file.string() + ":" + std::to_string(line) + ":", 0), 0u) << e.formatted();
  }
  std::filesystem::path dir_;
};

TEST_F(ConnectionEdgeLists, RowsBecomeEdgesInOrder) {
  const NetConSpec s = fileSpec("source,target,weight,delay\n2,0,0.125,1.5\n0,3,0.25,2.5\n# a comment\n\n1,1,0.5,3.25\n2,0,0.0625,4\n");
  const auto edges = expandRule(s, twoPopulations(3, 4));
  ASSERT_EQ(edges.size(), 4u);
  EXPECT_EQ(pairs(edges), (Pairs{{2, 0}, {0, 3}, {1, 1}, {2, 0}}));
  const double weights[] = {0.125, 0.25, 0.5, 0.0625}, delays[] = {1.5, 2.5, 3.25, 4};
  const int lines[] = {2, 3, 6, 7};
  for (std::size_t k = 0; k < 4; ++k) {
    EXPECT_EQ(edges[k].weight, weights[k]) << k;
    EXPECT_EQ(edges[k].delay, delays[k]) << k;
    EXPECT_EQ(edges[k].at.file, s.file.string());
    EXPECT_EQ(edges[k].at.line, lines[k]) << k;
  }
}

TEST_F(ConnectionEdgeLists, MissingColumnsTakeTheNetconsValues) {
  // Header without weight: the constant weight; delays from the file. CRLF line ends.
  auto edges = expandRule(fileSpec("source,target,delay\r\n0,1,7\r\n2,3,8\r\n"), twoPopulations(3, 4, 0.3, 1));
  ASSERT_EQ(edges.size(), 2u);
  EXPECT_EQ(edges[0].weight, 0.3);
  EXPECT_EQ(edges[0].delay, 7);
  EXPECT_EQ(edges[1].delay, 8);
  // source,target only: weight and delay from the [[netcon]]; fields may be padded.
  edges = expandRule(fileSpec("source, target\n1 ,2\n0,0\n"), twoPopulations(3, 4, 0.3, 1.5));
  EXPECT_EQ(pairs(edges), (Pairs{{1, 2}, {0, 0}}));
  EXPECT_EQ(edges[1].weight, 0.3);
  EXPECT_EQ(edges[1].delay, 1.5);
  // Drawn delays come from the target's stream, row by row.
  NetConSpec s = fileSpec("source,target\n0,2\n1,2\n");
  s.seed = 77;
  s.delay.kind = Draw::Kind::Uniform;
  s.delay.low = 2;
  s.delay.high = 4;
  edges = expandRule(s, twoPopulations(3, 4));
  ReferenceStream stream(77, 2);
  ASSERT_EQ(edges.size(), 2u);
  EXPECT_EQ(edges[0].delay, 2 + 2 * stream.uniform01());
  EXPECT_EQ(edges[1].delay, 2 + 2 * stream.uniform01());
}

// An edge list without its header is an error on line 1 (its columns would be guesses).
TEST_F(ConnectionEdgeLists, AHeaderlessListIsAnError) {
  for (const char *text : {"0,1,0.125,7.5\n", "1,2\n0,0\n"}) {
    try {
      expandRule(fileSpec(text), twoPopulations(3, 4, 0.3, 1.5));
      ADD_FAILURE() << "no error for " << text;
    } catch (const ModelError &e) {
      EXPECT_EQ(e.where().line, 1) << e.formatted();
      EXPECT_NE(e.message().find("header"), std::string::npos) << e.formatted();
    }
  }
}

TEST_F(ConnectionEdgeLists, BadRowsNameTheFileAndLine) {
  expectRowError("source,target,weight,delay\n0,1,0.1,1\n0,x,0.1,1\n", 3, "'x' is not a number (target)");
  expectRowError("source,target,weight,delay\n0,1,0.1,1\n3,1,0.1,1\n", 3, "source 3 is not one of the 3 sources");
  expectRowError("source,target,weight,delay\n0,4,0.1,1\n", 2, "target 4 is not one of the 4 targets");
  expectRowError("source,target,weight,delay\n0,1.5,0.1,1\n", 2, "target 1.5 is not one of the 4 targets");
  expectRowError("source,target,weight,delay\n\n0,1,0.1\n", 3, "missing delay");
  expectRowError("source,target,weight,delay\n0,1,0.1,-2\n", 2, "a negative delay");
  expectRowError("source,target,weight,delay\n0,1,0.1,2ms\n", 2, "'2ms' is not a number (delay)");
  expectRowError("source,target,wieght\n0,1,0.1\n", 1, "unknown column 'wieght'");
  expectRowError("source,tgt\n0,1\n", 1, "the header must start with source,target");
}

TEST_F(ConnectionEdgeLists, AnUnreadableFileIsAnErrorAtTheNetcon) {
  NetConSpec s = spec(ConnectionRule::File);
  s.file = dir_ / "absent.csv";
  const ModelError e = expectModelError(s, twoPopulations(3, 4));
  EXPECT_EQ(e.where().line, kAt.line);
  EXPECT_NE(e.message().find("absent.csv"), std::string::npos) << e.message();
}

// ---- a rank's share: only the edges of wanted targets ----------------------------------

// What a rank gets with `wanted` must be exactly its share of the whole rule's edges:
// same sources, weights, delays and order.
void expectShareOfTheWhole(const NetConSpec &s, const RuleInput &whole) {
  const std::vector<Edge> all = expandRule(s, whole);
  ASSERT_FALSE(all.empty());
  for (std::int32_t ranks : {2, 3}) {
    std::size_t made = 0;
    for (std::int32_t rank = 0; rank < ranks; ++rank) {
      RuleInput in = whole;
      in.wanted = [=](std::int32_t t) { return t % ranks == rank; };
      const std::vector<Edge> share = expandRule(s, in);
      std::vector<Edge> expected;
      std::copy_if(all.begin(), all.end(), std::back_inserter(expected), [&](const Edge &e) { return e.target % ranks == rank; });
      ASSERT_EQ(share.size(), expected.size()) << "rank " << rank << " of " << ranks;
      for (std::size_t k = 0; k < share.size(); ++k) {
        EXPECT_EQ(share[k].source, expected[k].source);
        EXPECT_EQ(share[k].target, expected[k].target);
        EXPECT_EQ(share[k].weight, expected[k].weight);
        EXPECT_EQ(share[k].delay, expected[k].delay);
        EXPECT_EQ(share[k].at.line, expected[k].at.line);
      }
      made += share.size();
    }
    EXPECT_EQ(made, all.size()) << "every edge on exactly one rank";
  }
}

NetConSpec drawn(ConnectionRule rule) {
  NetConSpec s = spec(rule, 77);
  s.weight.kind = Draw::Kind::Uniform;
  s.weight.low = 0.1;
  s.weight.high = 0.2;
  s.delay.kind = Draw::Kind::Normal;
  s.delay.mean = 3;
  s.delay.sd = 1;
  s.delay.minimum = 1;
  s.delay.maximum = 5;
  return s;
}

TEST(ConnectionRulesShare, EveryRuleGivesEachRankItsShareOfTheWholeNetwork) {
  expectShareOfTheWhole(drawn(ConnectionRule::OneToOne), twoPopulations(12, 12));
  expectShareOfTheWhole(drawn(ConnectionRule::OneToOne), twoPopulations(1, 12));
  expectShareOfTheWhole(drawn(ConnectionRule::Ring), samePopulation(12));
  expectShareOfTheWhole(drawn(ConnectionRule::AllToAll), samePopulation(12));
  NetConSpec indegree = drawn(ConnectionRule::FixedIndegree);
  indegree.indegree = 5;
  expectShareOfTheWhole(indegree, samePopulation(40));
  NetConSpec probability = drawn(ConnectionRule::FixedProbability);
  probability.probability = 0.3;
  expectShareOfTheWhole(probability, samePopulation(40));
}

TEST(ConnectionRulesShare, ErrorsDoNotDependOnTheShare) {
  // Target 3 cannot get 4 sources; a rank that does not own it fails all the same.
  NetConSpec s = spec(ConnectionRule::FixedIndegree);
  s.indegree = 4;
  RuleInput in = twoPopulations(4, 6);
  in.targetCell = [](std::int32_t t) { return t == 3 ? std::int64_t{2} : std::int64_t{100} + t; };  // target 3 sits on source 2's cell
  in.wanted = [](std::int32_t t) { return t == 0; };
  const ModelError e = expectModelError(s, in);
  EXPECT_NE(e.message().find("target 3 can be reached from only 3"), std::string::npos) << e.formatted();
}

TEST_F(ConnectionEdgeLists, EachRankKeepsItsRowsAndChecksEveryRow) {
  NetConSpec s = fileSpec("source,target\n2,0\n0,3\n1,1\n2,0\n0,2\n");
  s.delay.kind = Draw::Kind::Uniform;
  s.delay.low = 1;
  s.delay.high = 2;
  expectShareOfTheWhole(s, twoPopulations(3, 4));
  // A bad row of a target this rank does not keep is still an error.
  const NetConSpec bad = fileSpec("source,target,weight,delay\n0,1,0.1,1\n0,3,0.1,-1\n");
  RuleInput in = twoPopulations(3, 4);
  in.wanted = [](std::int32_t t) { return t == 1; };
  const ModelError e = expectModelError(bad, in);
  EXPECT_EQ(e.where().line, 3) << e.formatted();
}

}  // namespace
}  // namespace ranvier::model
