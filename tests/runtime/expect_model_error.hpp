#pragma once
// Tests of bad input: `f` must throw a model::ModelError at `line` whose message
// contains `message`.
#include <string>

#include <gtest/gtest.h>

#include "model/model_error.hpp"

namespace ranvier::test {

template <class F>
void expectModelError(F &&f, int line, const std::string &message, const std::string &input) {
  try {
    f();
    ADD_FAILURE() << "no error for " << input;
  } catch (const model::ModelError &e) {
    EXPECT_EQ(e.where().line, line) << e.formatted();
    EXPECT_NE(e.message().find(message), std::string::npos) << e.formatted();
  }
}

}  // namespace ranvier::test
