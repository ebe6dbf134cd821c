// The S3 store's resumable puts (resumable.h), done the way tusd's S3 store does them: one
// multipart upload of the final key per put, full parts uploaded as they fill with their ETags
// kept in the state, and the bytes short of a part at a flush kept as an object of their own
// (uploads/{upload_id}/tail-{n}) that the next resume reads back and prepends. Private to the
// S3 store.
// Thread safety: as ResumableWriter.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "kinora/storage/resumable.h"
#include "s3_client.h"

namespace kinora::storage::s3 {

// The prefix under which a put's tail objects live: "uploads/{upload_id}/".
std::string TailPrefix(std::string_view upload_id);

Result<std::string> CreateResumable(const std::shared_ptr<Client>& client,
                                    std::string_view upload_id, std::string_view key,
                                    std::string_view content_type, uint64_t length);
Result<std::unique_ptr<ResumableWriter>> ResumePut(const std::shared_ptr<Client>& client,
                                                   std::string_view upload_id, std::string_view key,
                                                   const ResumableCheckpoint& at);
// Aborts the multipart upload and deletes the tail the state names (the caller also deletes
// TailPrefix for tails no recorded state named).
Result<void> AbortResumable(const std::shared_ptr<Client>& client, std::string_view key,
                            std::string_view state);

}  // namespace kinora::storage::s3
