// Key-prefix validation shared by the storage backends (keys themselves: ValidateKey in
// object_store.h). Private to libs/storage.
// Thread safety: pure functions.
#pragma once

#include <string_view>

#include "kinora/core/error.h"

namespace kinora::storage {

// A List() prefix: "" or the start of a valid key. Every complete segment (one followed by
// '/') obeys the key rules; the last, partial segment only has to use key characters.
Result<void> ValidatePrefix(std::string_view prefix);

}  // namespace kinora::storage
