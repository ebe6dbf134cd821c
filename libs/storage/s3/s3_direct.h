// The S3 store's direct multipart uploads (ObjectStore::CreateMultipart and friends): the
// browser PUTs parts to presigned UploadPart URLs, the server starts, lists, completes and
// aborts with the plain S3 calls. Private to the S3 store.
// Thread safety: free functions over a thread-safe Client.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "kinora/storage/object_store.h"
#include "s3_client.h"

namespace kinora::storage::s3 {

Result<std::string> CreateMultipart(Client& client, std::string_view key,
                                    std::string_view content_type);
Result<std::string> PresignUploadPart(const Client& client, std::string_view key,
                                      std::string_view upload_id, int part_number,
                                      std::chrono::seconds ttl);
// kUnsupported when the S3 has no ListParts (s3rver answers 405/501).
Result<std::vector<UploadedPart>> ListParts(Client& client, std::string_view key,
                                            std::string_view upload_id);
// Only completes; the caller Heads the object for its metadata.
Result<void> CompleteMultipart(Client& client, std::string_view key, std::string_view upload_id,
                               const std::vector<UploadedPart>& parts);
// 404 (gone) and 405/501 (an S3 without the call; the bucket lifecycle rule cleans up) succeed.
Result<void> AbortMultipart(Client& client, std::string_view key, std::string_view upload_id);

}  // namespace kinora::storage::s3
