// Every .mod file we have parses, and printing it gives NMODL that parses to the
// same AST (parse(print(ast)) == ast, compared as JSON without source ranges).

#include <array>
#include <cstdio>
#include <memory>

#include "ast/json.hpp"
#include "ast/printer.hpp"
#include "test_support.hpp"

namespace ranvier::test {
namespace {

void expectRoundTrip(const std::filesystem::path &path) {
  SCOPED_TRACE(path.string());
  auto loaded = SourceFile::load(path);
  ASSERT_TRUE(loaded.file) << loaded.error;
  DiagnosticEngine diagnostics(0);
  auto program = frontend::parse(*loaded.file, diagnostics);
  std::string messages;
  for (const Diagnostic &d : diagnostics.diagnostics()) messages += render(d);
  ASSERT_NE(program, nullptr) << messages;

  const std::string printed = ast::print(*program);
  auto reparsed = parseText(printed, path.filename().string() + " (printed)");
  ASSERT_TRUE(reparsed->ok()) << reparsed->allMessages() << "\nprinted text:\n" << printed;
  EXPECT_EQ(ast::toJson(*program, {.locations = false}),
            ast::toJson(*reparsed->program, {.locations = false}));
  EXPECT_EQ(ast::print(*reparsed->program), printed) << "printing is not idempotent";
}

class OurFiles : public ::testing::TestWithParam<std::filesystem::path> {};

TEST_P(OurFiles, ParseAndRoundTrip) { expectRoundTrip(GetParam()); }

std::vector<std::filesystem::path> ourFiles() {
  auto files = modFilesUnder(sourceDir() / "mechanisms");
  auto constructs = modFilesUnder(sourceDir() / "tests" / "mod" / "constructs");
  files.insert(files.end(), constructs.begin(), constructs.end());
  return files;
}

std::string testName(const ::testing::TestParamInfo<std::filesystem::path> &info) {
  std::string name = std::filesystem::relative(info.param, sourceDir()).string();
  for (char &c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Corpus, OurFiles, ::testing::ValuesIn(ourFiles()), testName);

TEST(RoundTrip, TheCorpusCoversEveryNodeKind) {
  // Guard against a construct silently dropping out of the test files.
  std::set<std::string> seen;
  std::function<void(const nlohmann::json &)> collect = [&](const nlohmann::json &j) {
    if (j.is_object()) {
      if (auto kind = j.find("kind"); kind != j.end() && kind->is_string()) seen.insert(kind->get<std::string>());
      for (const auto &[key, value] : j.items()) collect(value);
    } else if (j.is_array()) {
      for (const auto &value : j) collect(value);
    }
  };
  for (const auto &path : ourFiles()) {
    auto loaded = SourceFile::load(path);
    DiagnosticEngine diagnostics;
    if (auto program = frontend::parse(*loaded.file, diagnostics)) collect(ast::toJson(*program));
  }
#define RANVIER_EXPECT_SEEN(name) EXPECT_TRUE(seen.contains(#name)) << "no test file uses " #name;
  RANVIER_AST_NODES(RANVIER_EXPECT_SEEN)
#undef RANVIER_EXPECT_SEEN
}

// The .mod files Debian ships with NEURON and BlueBrain NMODL (the packages the
// setup script installs). Skipped, and said so, when they are not installed.
TEST(DebianCorpus, EveryShippedModFileParsesAndRoundTrips) {
  std::unique_ptr<FILE, int (*)(FILE *)> pipe(
      popen("dpkg -L neuron neuron-dev nmodl python3-nmodl 2>/dev/null", "r"), pclose);
  ASSERT_NE(pipe, nullptr);
  std::vector<std::filesystem::path> files;
  std::array<char, 4096> line{};
  while (fgets(line.data(), line.size(), pipe.get()) != nullptr) {
    std::string path(line.data());
    while (!path.empty() && (path.back() == '\n' || path.back() == '\r')) path.pop_back();
    if (path.size() > 4 && path.ends_with(".mod") && std::filesystem::is_regular_file(path)) {
      files.emplace_back(path);
    }
  }
  if (files.empty()) GTEST_SKIP() << "Debian packages neuron/nmodl not installed: corpus not checked";
  for (const auto &path : files) expectRoundTrip(path);
  RecordProperty("files", static_cast<int>(files.size()));
}

}  // namespace
}  // namespace ranvier::test
