# Installs the build tree into a scratch prefix and builds consumers against it.
file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed: ${ARGN}\n${out}\n${err}")
  endif()
  set(last_output "${out}" PARENT_SCOPE)
endfunction()

run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
# The PostgreSQL store module is installed beside the library (OpenStore
# looks for it there).
file(GLOB pg_module ${prefix}/lib*/libcollabflow_pg.so ${prefix}/lib/*/libcollabflow_pg.so)
if(NOT pg_module)
  message(FATAL_ERROR "libcollabflow_pg.so is not installed beside libcollabflow.so")
endif()
run(${CMAKE_COMMAND} -S ${CONSUMER_DIR} -B ${WORK_DIR}/build
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=Release)
run(${CMAKE_COMMAND} --build ${WORK_DIR}/build)
run(${WORK_DIR}/build/c_consumer)
message(STATUS "C consumer (find_package): ${last_output}")
run(${WORK_DIR}/build/cpp_consumer)
message(STATUS "C++ consumer (find_package): ${last_output}")

# pkg-config route, as a Makefile-based host would use it.
find_program(PKG_CONFIG pkg-config REQUIRED)
file(GLOB pcdir ${prefix}/lib*/pkgconfig ${prefix}/lib/*/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "${pcdir}")
run(${PKG_CONFIG} --cflags --libs collabflow)
string(STRIP "${last_output}" flags)
separate_arguments(flags UNIX_COMMAND "${flags}")
run(cc -std=c99 -Wall -Werror ${CONSUMER_DIR}/consumer.c ${flags} -o ${WORK_DIR}/pc_consumer)
file(GLOB libdir ${prefix}/lib*/libcollabflow.so ${prefix}/lib/*/libcollabflow.so)
get_filename_component(libdir "${libdir}" DIRECTORY)
set(ENV{LD_LIBRARY_PATH} "${libdir}")
run(${WORK_DIR}/pc_consumer)
message(STATUS "C consumer (pkg-config): ${last_output}")
