# Installs the build tree into a scratch prefix and builds a host against it
# by all four routes: C and C++, each through find_package and pkg-config.
# The C hosts are built as on a machine with only the runtime packages of
# Abseil, protobuf and OpenSSL: their development files hidden in a mount
# namespace (without_dev_files.sh), or, where no namespace can be made,
# CMake and pkg-config kept from finding them.
#
# In: BUILD_DIR, CONSUMER_DIR, WORK_DIR, C_COMPILER, CXX_COMPILER.
file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed: ${ARGN}\n${out}\n${err}")
  endif()
  set(last_output "${out}" PARENT_SCOPE)
endfunction()
# The text must not match the regular expression.
function(expect_none_of regex text what)
  if(text MATCHES "${regex}")
    message(FATAL_ERROR "${what} names '${CMAKE_MATCH_0}':\n${text}")
  endif()
endfunction()
set(cxx_dependencies "absl|protobuf|[Oo]pen[Ss][Ss][Ll]|crypto")
# A C host links libcollabflow.so alone (which brings the rest at run time).
function(expect_needs_only_collabflow binary)
  run(readelf --dynamic ${binary})
  string(REGEX MATCHALL "\\(NEEDED\\)[^\n]*" needed "${last_output}")
  expect_none_of("${cxx_dependencies}" "${needed}" "${binary}'s NEEDED entries")
  if(NOT needed MATCHES "libcollabflow\\.so")
    message(FATAL_ERROR "${binary} does not need libcollabflow.so:\n${needed}")
  endif()
endfunction()

run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
file(GLOB libcollabflow ${prefix}/lib*/libcollabflow.so ${prefix}/lib/*/libcollabflow.so)
get_filename_component(libdir "${libcollabflow}" DIRECTORY)
# The PostgreSQL store module is installed beside the library (OpenStore
# looks for it there).
if(NOT EXISTS ${libdir}/libcollabflow_pg.so)
  message(FATAL_ERROR "libcollabflow_pg.so is not installed beside libcollabflow.so")
endif()
set(ENV{LD_LIBRARY_PATH} "${libdir}")

# The C library's exported targets name no target of the C++ dependencies.
set(c_targets ${libdir}/cmake/collabflow/collabflowCTargets.cmake)
if(NOT EXISTS ${c_targets})
  message(FATAL_ERROR "no ${c_targets}: the C target must have an export file of its own")
endif()
file(READ ${c_targets} text)
expect_none_of("${cxx_dependencies}|Threads::" "${text}" "collabflowCTargets.cmake")

# How to hide the development files: a mount namespace, as root or, for
# another user, in a user namespace of its own; one where a bind mount works
# (a container may refuse either).
set(hidden "")
foreach(unshare_args "--mount" "--mount;--map-root-user")
  execute_process(COMMAND unshare ${unshare_args} mount --bind ${WORK_DIR} ${WORK_DIR}
                  RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
  if(rc EQUAL 0)
    set(hidden unshare ${unshare_args} sh ${CONSUMER_DIR}/without_dev_files.sh ${WORK_DIR}/hidden)
    string(REPLACE ";" " " namespace "unshare ${unshare_args}")
    break()
  endif()
endforeach()
file(GLOB pcdir ${libdir}/pkgconfig)
if(hidden)
  message(STATUS "C hosts: built with Abseil's, protobuf's and OpenSSL's development files hidden (${namespace})")
  set(c_pkg_config_env PKG_CONFIG_PATH=${pcdir})
else()
  # No namespace: pkg-config sees only the prefix, CMake may not look for them.
  message(STATUS "C hosts: no mount namespace here; CMake and pkg-config are kept from the development files")
  set(c_pkg_config_env PKG_CONFIG_LIBDIR=${pcdir})
endif()
set(no_cxx_dependencies -DCMAKE_DISABLE_FIND_PACKAGE_absl=TRUE
    -DCMAKE_DISABLE_FIND_PACKAGE_Protobuf=TRUE -DCMAKE_DISABLE_FIND_PACKAGE_OpenSSL=TRUE)

# 1. C, find_package(collabflow COMPONENTS C).
run(${hidden} ${CMAKE_COMMAND} -S ${CONSUMER_DIR}/c -B ${WORK_DIR}/c-build
    -DCMAKE_C_COMPILER=${C_COMPILER} -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=Release
    ${no_cxx_dependencies})
run(${hidden} ${CMAKE_COMMAND} --build ${WORK_DIR}/c-build)
expect_needs_only_collabflow(${WORK_DIR}/c-build/c_consumer)
run(${WORK_DIR}/c-build/c_consumer)
message(STATUS "C host (find_package): ${last_output}")

# 2. C, pkg-config collabflow, as a Makefile-based host would use it.
run(${hidden} ${CMAKE_COMMAND} -E env ${c_pkg_config_env} pkg-config --cflags --libs collabflow)
string(STRIP "${last_output}" flags)
expect_none_of("${cxx_dependencies}" "${flags}" "pkg-config collabflow")
expect_none_of("/\\./|/\\.\\./|//|/\\.\\.$|/ " "${flags} " "pkg-config collabflow")
separate_arguments(flags UNIX_COMMAND "${flags}")
run(${hidden} ${C_COMPILER} -std=c99 -Wall -Werror ${CONSUMER_DIR}/c/consumer.c ${flags}
    -o ${WORK_DIR}/pc_c_consumer)
expect_needs_only_collabflow(${WORK_DIR}/pc_c_consumer)
run(${WORK_DIR}/pc_c_consumer)
message(STATUS "C host (pkg-config): ${last_output}")

# 3. C++, find_package(collabflow) (both components), with the development files.
run(${CMAKE_COMMAND} -S ${CONSUMER_DIR}/cpp -B ${WORK_DIR}/cpp-build
    -DCMAKE_CXX_COMPILER=${CXX_COMPILER} -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=Release)
run(${CMAKE_COMMAND} --build ${WORK_DIR}/cpp-build)
run(${WORK_DIR}/cpp-build/cpp_consumer)
message(STATUS "C++ host (find_package): ${last_output}")

# 4. C++, pkg-config collabflow-cpp: its Requires bring Abseil, protobuf and
# libcrypto to the link line.
set(ENV{PKG_CONFIG_PATH} "${pcdir}")
run(pkg-config --cflags --libs collabflow-cpp)
string(STRIP "${last_output}" flags)
expect_none_of("/\\./|/\\.\\./|//|/\\.\\.$|/ " "${flags} " "pkg-config collabflow-cpp")
separate_arguments(flags UNIX_COMMAND "${flags}")
run(${CXX_COMPILER} -std=c++17 ${CONSUMER_DIR}/cpp/consumer.cc ${flags} -o ${WORK_DIR}/pc_cpp_consumer)
run(${WORK_DIR}/pc_cpp_consumer)
message(STATUS "C++ host (pkg-config): ${last_output}")

# The components: what each asks for, with the C++ dependencies hidden
# unless VISIBLE (a configure only, of a project that reports what it found).
function(find_collabflow name expect find_args)
  set(where ${hidden} ${CMAKE_COMMAND})
  set(dependencies ${no_cxx_dependencies})
  if(ARGV3 STREQUAL "VISIBLE")
    set(where ${CMAKE_COMMAND})
    set(dependencies "")
  endif()
  execute_process(COMMAND ${where} -S ${CONSUMER_DIR}/components
                          -B ${WORK_DIR}/components-${name} -DCMAKE_CXX_COMPILER=${CXX_COMPILER}
                          -DCMAKE_PREFIX_PATH=${prefix} ${dependencies}
                          "-DFIND_ARGS=${find_args}"
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  string(REGEX REPLACE "[ \t\n]+" " " said "${out} ${err}")  # CMake wraps its messages
  if(NOT said MATCHES "${expect}")
    message(FATAL_ERROR "find_package(collabflow ${find_args}): expected '${expect}', got (exit ${rc}):\n${out}\n${err}")
  endif()
endfunction()
find_collabflow(c_optional_cxx "found: C=TRUE CXX=FALSE targets: collabflow::collabflow "
                "COMPONENTS C OPTIONAL_COMPONENTS CXX")
find_collabflow(cxx "CXX component .*needs the development files of: absl .*Protobuf .*OpenSSL"
                "COMPONENTS CXX")
find_collabflow(default "CXX component .*needs the development files of: absl" "")
find_collabflow(unknown "collabflow has no component Fortran" "COMPONENTS C Fortran")
find_collabflow(cxx_visible "found: C= CXX=TRUE targets: collabflow::collabflow_cpp;collabflow::collabflow_proto "
                "COMPONENTS CXX" VISIBLE)
