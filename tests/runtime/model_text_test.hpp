#pragma once
// Tests that write model files: a fresh scratch directory per test (removed after it),
// and a model loaded from text written there.
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include <gtest/gtest.h>

#include "model/model.hpp"

namespace ranvier::test {

class ModelTextTest : public ::testing::Test {
protected:
  // prefix names the directory (with the process id), e.g. "ranvier-pointer"
  explicit ModelTextTest(std::string prefix) : prefix_(std::move(prefix)) {}
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / (prefix_ + "-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Writes `text` to dir_/file and loads it (relative paths in it are dir_'s).
  model::Model load(const std::string &text, const std::string &file = "model.toml") {
    std::ofstream(dir_ / file) << text;
    return model::loadModel(dir_ / file);
  }

  std::filesystem::path dir_;

private:
  std::string prefix_;
};

}  // namespace ranvier::test
