// Every .mod file we have parses, and printing it gives NMODL that parses to the
// same AST (parse(print(ast)) == ast, compared as JSON without source ranges).

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
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

namespace ranvier::test {
namespace {

// NEURON's own translator is the judge of valid NMODL: whatever nocmodl accepts, it
// must also accept after our printer has rewritten it. Skipped without nocmodl.
TEST(RoundTrip, NocmodlAcceptsWhatThePrinterWrites) {
  if (std::system("command -v nocmodl > /dev/null 2>&1") != 0) {
    GTEST_SKIP() << "nocmodl (Debian package neuron-dev) not installed: not checked";
  }
  const auto work = std::filesystem::temp_directory_path() / "ranvier_nocmodl_check";
  std::filesystem::remove_all(work);
  std::filesystem::create_directories(work);
  auto accepted = [&](const std::filesystem::path &file) {
    // nocmodl writes FILE.c beside FILE; a few legacy constructs make it hang.
    const std::string command = "cd '" + work.string() + "' && timeout 20 nocmodl '" +
                                file.string() + "' > /dev/null 2>&1";
    return std::system(command.c_str()) == 0;
  };
  int compared = 0;
  for (const auto &path : ourFiles()) {
    const auto original = work / path.filename();
    std::filesystem::copy_file(path, original, std::filesystem::copy_options::overwrite_existing);
    if (!accepted(original)) continue;  // e.g. INCLUDE of a file left behind
    auto loaded = SourceFile::load(path);
    DiagnosticEngine diagnostics;
    auto program = frontend::parse(*loaded.file, diagnostics);
    ASSERT_NE(program, nullptr) << path;
    const auto printed = work / ("printed_" + path.filename().string());
    std::ofstream(printed) << ast::print(*program);
    EXPECT_TRUE(accepted(printed)) << "nocmodl rejects the printed form of " << path;
    ++compared;
  }
  EXPECT_GT(compared, 40);
  RecordProperty("compared", compared);
}

}  // namespace
}  // namespace ranvier::test
