# Runs clang-format over the project's own C, C++ and header files.
# -DFIX=ON rewrites them; otherwise any difference fails.
file(GLOB_RECURSE files
  ${SOURCE_DIR}/include/*.h ${SOURCE_DIR}/src/*.h ${SOURCE_DIR}/src/*.cc
  ${SOURCE_DIR}/capi/*.h ${SOURCE_DIR}/capi/*.cc ${SOURCE_DIR}/tests/*.h
  ${SOURCE_DIR}/tests/*.cc ${SOURCE_DIR}/tests/*.c ${SOURCE_DIR}/benchmarks/*.cc
  ${SOURCE_DIR}/benchmarks/*.h ${SOURCE_DIR}/examples/*.c ${SOURCE_DIR}/tools/*.cc
  ${SOURCE_DIR}/tools/*.h)
if(FIX)
  execute_process(COMMAND ${CLANG_FORMAT} -i ${files} RESULT_VARIABLE rc)
else()
  execute_process(COMMAND ${CLANG_FORMAT} --dry-run --Werror ${files} RESULT_VARIABLE rc)
endif()
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "clang-format found unformatted files (run: cmake --build <dir> --target format)")
endif()
list(LENGTH files n)
message(STATUS "clang-format: ${n} files checked")
