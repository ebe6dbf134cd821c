// Secrets Kinora hands to clients (session ids, personal API tokens) and what it keeps of them:
// only a SHA-256 digest. The secrets carry 256 random bits, so a fast hash is enough and a copy
// of the database reveals no usable secret.
// Thread safety: pure functions (randomness from libsodium, which is thread-safe).
#pragma once

#include <string>
#include <string_view>

namespace kinora::identity {

inline constexpr std::string_view kApiTokenPrefix = "kin_";

// 32 random bytes, base64url without padding (43 characters): a session cookie's value.
std::string NewSessionSecret();
// "kin_" + 43 characters: a personal API token, shown to its owner once.
std::string NewApiToken();
// Whether `s` has the shape of a token NewApiToken makes (it may still be unknown or revoked).
bool LooksLikeApiToken(std::string_view s);
// A password for an account someone else signs in to first (the first admin, a reset, an
// account the CLI creates): 120 random bits, 20 characters of base64url. It passes
// CheckNewPassword (password.h) and must be changed at the first sign-in.
std::string GeneratePassword();
// What is stored and looked up: the lowercase hex SHA-256 of the secret.
std::string HashSecret(std::string_view secret);
// What a token list shows of a token: "kin_Ab3d…wxyz" (the prefix and its last four characters).
std::string TokenHint(std::string_view token);

}  // namespace kinora::identity
