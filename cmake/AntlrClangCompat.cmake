# Lets clang compile against Debian's ANTLR 4.9 C++ runtime headers.
#
# With clang and libstdc++ 12, <antlr4-runtime.h> does not compile: it includes
# misc/InterpreterDataReader.h, whose `InterpreterData() {}` calls the implicitly
# deleted default constructor of dfa::Vocabulary (a class with const std::vector
# members); GCC accepts it, clang rejects it. Nothing in Ranvier uses
# InterpreterDataReader, so for clang builds we put first on the system include
# path a copy of antlr4-runtime.h without that one include.
if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  return()
endif()
find_package(antlr4-runtime 4.9 REQUIRED CONFIG)
set(_antlr4_compat_dir ${CMAKE_BINARY_DIR}/antlr4-clang-compat)
file(READ ${ANTLR4_INCLUDE_DIR}/antlr4-runtime.h _antlr4_umbrella)
string(REPLACE "#include \"misc/InterpreterDataReader.h\""
       "// misc/InterpreterDataReader.h left out: clang rejects it (cmake/AntlrClangCompat.cmake)"
       _antlr4_umbrella "${_antlr4_umbrella}")
file(CONFIGURE OUTPUT ${_antlr4_compat_dir}/antlr4-runtime.h CONTENT "${_antlr4_umbrella}"
     @ONLY)
include_directories(BEFORE SYSTEM ${_antlr4_compat_dir})
