// Password hashing for accounts: Argon2id from libsodium (crypto_pwhash) with OWASP's
// parameters (19 MiB of memory, 2 passes, 1 lane), in the self-describing PHC string form, so a
// stored hash says which parameters made it and NeedsRehash can tell when they changed.
// Hashing is deliberately slow and memory-hungry: PasswordHasher bounds how many run at once, so
// a flood of sign-ins cannot exhaust memory; callers run it off the HTTP I/O threads.
// Thread safety: the free functions are pure; a PasswordHasher may be shared by many threads.
#pragma once

#include <cstddef>
#include <semaphore>
#include <string>
#include <string_view>

#include "kinora/core/error.h"

namespace kinora::identity {

struct PasswordPolicy {
  size_t min_length = 10;   // bytes
  size_t max_length = 256;  // bytes; longer input is refused before hashing
};

// kInvalidArgument saying what is wrong with a new password.
Result<void> CheckNewPassword(std::string_view password, const PasswordPolicy& policy = {});

// "$argon2id$v=19$m=19456,t=2,p=1$…". kInternal only when libsodium cannot allocate.
Result<std::string> HashPassword(std::string_view password);
// Constant-time check of a password against a stored hash; false for a malformed hash.
bool VerifyPassword(std::string_view stored_hash, std::string_view password);
// Whether a stored hash was made with other parameters than HashPassword uses now (to rehash
// on the next successful sign-in).
bool NeedsRehash(std::string_view stored_hash);

// Runs hashes and verifications at most `max_concurrent` at a time; the rest wait their turn.
class PasswordHasher {
 public:
  explicit PasswordHasher(std::ptrdiff_t max_concurrent = 2) : slots_(max_concurrent) {}

  Result<std::string> Hash(std::string_view password);
  bool Verify(std::string_view stored_hash, std::string_view password);

 private:
  std::counting_semaphore<64> slots_;
};

}  // namespace kinora::identity
