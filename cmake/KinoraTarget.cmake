# Shared compile options for every Kinora target.
function(kinora_options target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                           -Wold-style-cast -Wcast-align -Wunused -Woverloaded-virtual
                                           -Wimplicit-fallthrough)
  # GCC 12 at -O2 reports Asio's coroutine frames (allocated with aligned_alloc, freed with free
  # through the same allocator) as mismatched new/delete: a false positive, in optimised builds only.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(${target} PRIVATE -Wno-mismatched-new-delete)
  endif()
  if(KINORA_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  target_compile_definitions(${target} PRIVATE BOOST_ASIO_NO_DEPRECATED)
endfunction()

if(KINORA_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# Fuzzing (fuzz/): every object is instrumented for libFuzzer's coverage feedback and checked by
# ASan + UBSan; only the harnesses link libFuzzer's main (kinora_fuzzer in fuzz/CMakeLists.txt).
if(KINORA_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "KINORA_FUZZ needs clang (libFuzzer): use the fuzz preset")
  endif()
  # -Wno-c99-extensions: FFmpeg's AV_TIME_BASE_Q is a C compound literal, which clang flags.
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined -Wno-c99-extensions)
  add_link_options(-fsanitize=address,undefined)
endif()

# kinora_test(NAME src... LIBS lib...) — a GoogleTest binary registered with CTest.
function(kinora_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  kinora_options(${name})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest GTest::gtest_main GTest::gmock)
  if(KINORA_FUZZ)  # the fuzz build builds and runs the harnesses only
    set_target_properties(${name} PROPERTIES EXCLUDE_FROM_ALL ON)
    return()
  endif()
  gtest_discover_tests(${name} TEST_PREFIX "${name}." DISCOVERY_TIMEOUT 60 PROPERTIES LABELS unit)
endfunction()

# kinora_peer_test(NAME SOURCES src... LIBS lib... PEERS s3|sqs|postgres...) — a GoogleTest
# binary that needs real peers (s3rver, fauxqs, PostgreSQL). It runs as one CTest test through
# tests/peers/with_peers.py, which starts the peers on loopback for the whole binary.
function(kinora_peer_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS;PEERS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  kinora_options(${name})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest GTest::gtest_main GTest::gmock)
  if(KINORA_FUZZ)
    set_target_properties(${name} PROPERTIES EXCLUDE_FROM_ALL ON)
    return()
  endif()
  set(flags "")
  foreach(peer IN LISTS T_PEERS)
    list(APPEND flags "--${peer}")
  endforeach()
  add_test(NAME ${name}
           COMMAND /usr/bin/python3 ${PROJECT_SOURCE_DIR}/tests/peers/with_peers.py ${flags}
                   -- $<TARGET_FILE:${name}>)
  set_tests_properties(${name} PROPERTIES LABELS "peers" TIMEOUT 600)
endfunction()
