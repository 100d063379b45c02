# ranvier_warnings(target): the warning set every first-party target compiles with.
function(ranvier_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
                         -Wnon-virtual-dtor -Wimplicit-fallthrough
                         # designated initializers leave defaulted members out on purpose
                         -Wno-missing-field-initializers)
  if(RANVIER_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
