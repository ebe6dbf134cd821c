// The local store's resumable puts (resumable.h): one temp file per upload under
// <root>/.tmp/uploads, appended in place and renamed into place on completion. Private to the
// local store.
// Thread safety: as ResumableWriter.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "kinora/storage/resumable.h"

namespace kinora::storage::local {

// kInvalidArgument unless `upload_id` is 32 lowercase hex characters (it becomes a file name).
Result<void> ValidateUploadId(std::string_view upload_id);

// `root` is the store's root; `final_path` where Complete renames the file (for `key`).
Result<std::string> CreateResumable(const std::filesystem::path& root, std::string_view upload_id);
Result<std::unique_ptr<ResumableWriter>> ResumePut(const std::filesystem::path& root,
                                                   std::string_view upload_id, std::string key,
                                                   std::filesystem::path final_path,
                                                   const ResumableCheckpoint& at);
Result<void> AbortResumable(const std::filesystem::path& root, std::string_view upload_id);

}  // namespace kinora::storage::local
