// What the harnesses share: a check that stops the fuzzer with a message when a parser breaks
// one of its documented promises (libFuzzer then saves the input as a crash artifact).
// Thread safety: harnesses are single-threaded.
#pragma once

#include <cstdio>
#include <cstdlib>

// Aborts (a crash libFuzzer reports and saves) when `cond` is false.
#define KINORA_FUZZ_CHECK(cond)                                                          \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      std::fprintf(stderr, "%s:%d: fuzz check failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                      \
    }                                                                                    \
  } while (false)
