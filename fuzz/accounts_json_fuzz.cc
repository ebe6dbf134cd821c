// The accounts API's JSON bodies (services/accounts/json_body.cc): sign-in, password changes,
// token requests. Parsed into an object, then read field by field as the handlers do.
#include <string>

#include "fuzz_check.h"
#include "kinora/accounts/json_body.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace accounts = kinora::accounts;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto o = accounts::ParseJsonObject(text);
  if (!o) return 0;
  if (auto name = accounts::Username(*o)) {
    KINORA_FUZZ_CHECK(!name->empty() && name->size() <= 64);
  }
  if (auto pw = accounts::StringField(*o, "password", 1, 1024)) {
    KINORA_FUZZ_CHECK(!pw->empty() && pw->size() <= 1024);
  }
  if (auto scopes = accounts::Scopes(*o)) KINORA_FUZZ_CHECK(!scopes->empty());
  return 0;
}
