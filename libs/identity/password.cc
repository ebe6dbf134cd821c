#include "kinora/identity/password.h"

#include <sodium.h>

#include <mutex>
#include <stdexcept>

namespace kinora::identity {
namespace {

// OWASP Password Storage Cheat Sheet, Argon2id: m = 19 MiB, t = 2, p = 1 (libsodium's lanes
// are always 1).
constexpr unsigned long long kOpsLimit = 2;
constexpr size_t kMemLimit = 19456u * 1024u;

void InitSodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) throw std::runtime_error("libsodium cannot initialise");
  });
}

// Releases a semaphore slot when the work is done, however it ends.
class Slot {
 public:
  explicit Slot(std::counting_semaphore<64>& s) : s_(s) { s_.acquire(); }
  ~Slot() { s_.release(); }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;

 private:
  std::counting_semaphore<64>& s_;
};

}  // namespace

Result<void> CheckNewPassword(std::string_view password, const PasswordPolicy& policy) {
  if (password.size() < policy.min_length) {
    return InvalidArgument("the password must be at least " + std::to_string(policy.min_length) +
                           " characters long");
  }
  if (password.size() > policy.max_length) {
    return InvalidArgument("the password must be at most " + std::to_string(policy.max_length) +
                           " bytes long");
  }
  return {};
}

Result<std::string> HashPassword(std::string_view password) {
  InitSodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), kOpsLimit, kMemLimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Internal("cannot hash the password (out of memory)");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view stored_hash, std::string_view password) {
  InitSodium();
  // libsodium wants a NUL-terminated hash of bounded length.
  if (stored_hash.empty() || stored_hash.size() >= crypto_pwhash_STRBYTES) return false;
  const std::string hash(stored_hash);
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

bool NeedsRehash(std::string_view stored_hash) {
  InitSodium();
  if (stored_hash.empty() || stored_hash.size() >= crypto_pwhash_STRBYTES) return true;
  const std::string hash(stored_hash);
  // 1: other parameters; -1: not an Argon2id string at all. Either way, hash anew.
  return crypto_pwhash_str_needs_rehash(hash.c_str(), kOpsLimit, kMemLimit) != 0;
}

Result<std::string> PasswordHasher::Hash(std::string_view password) {
  Slot slot(slots_);
  return HashPassword(password);
}

bool PasswordHasher::Verify(std::string_view stored_hash, std::string_view password) {
  Slot slot(slots_);
  return VerifyPassword(stored_hash, password);
}

}  // namespace kinora::identity
