#include "s3_direct.h"

#include "kinora/core/log.h"

namespace kinora::storage::s3 {

namespace {

bool Unimplemented(long status) { return status == 405 || status == 501; }

}  // namespace

Result<std::string> CreateMultipart(Client& client, std::string_view key,
                                    std::string_view content_type) {
  KINORA_TRY(auto resp, client.Send(Call{.method = "POST",
                                         .key = std::string(key),
                                         .query = {{"uploads", ""}},
                                         .headers = {{"Content-Type", std::string(content_type)}},
                                         .body = {}}));
  if (resp.status != 200) return ErrorFrom(resp, "CreateMultipartUpload " + std::string(key));
  return ParseUploadId(resp.body);
}

Result<std::string> PresignUploadPart(const Client& client, std::string_view key,
                                      std::string_view upload_id, int part_number,
                                      std::chrono::seconds ttl) {
  if (part_number < 1 || part_number > 10000) {
    return MakeError(ErrorCode::kInvalidArgument, "part numbers are 1–10000");
  }
  if (upload_id.empty()) return MakeError(ErrorCode::kInvalidArgument, "no upload id");
  return client.Presign(
      "PUT", key,
      {{"partNumber", std::to_string(part_number)}, {"uploadId", std::string(upload_id)}}, ttl);
}

Result<std::vector<UploadedPart>> ListParts(Client& client, std::string_view key,
                                            std::string_view upload_id) {
  std::vector<UploadedPart> all;
  std::string marker;
  for (int page = 0; page < 20; ++page) {  // 20 × 1000 parts covers the 10000 allowed
    aws::Pairs query{{"uploadId", std::string(upload_id)}};
    if (!marker.empty()) query.emplace_back("part-number-marker", marker);
    KINORA_TRY(
        auto resp,
        client.Send(Call{
            .method = "GET", .key = std::string(key), .query = query, .headers = {}, .body = {}}));
    if (Unimplemented(resp.status)) {
      return MakeError(ErrorCode::kUnsupported, "this S3 has no ListParts");
    }
    if (resp.status != 200) return ErrorFrom(resp, "ListParts " + std::string(key));
    bool truncated = false;
    std::string next;
    KINORA_TRY(auto parts, ParseListParts(resp.body, &truncated, &next));
    all.insert(all.end(), parts.begin(), parts.end());
    if (!truncated || next.empty()) break;
    marker = next;
  }
  return all;
}

Result<void> CompleteMultipart(Client& client, std::string_view key, std::string_view upload_id,
                               const std::vector<UploadedPart>& parts) {
  if (parts.empty()) return MakeError(ErrorCode::kInvalidArgument, "no parts to complete");
  for (size_t i = 0; i < parts.size(); ++i) {
    if (parts[i].number < 1 || parts[i].number > 10000 ||
        (i > 0 && parts[i].number <= parts[i - 1].number)) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "parts must be numbered 1–10000 in ascending order");
    }
  }
  const std::string xml = CompletePartsXml(parts);
  KINORA_TRY(auto resp, client.Send(Call{.method = "POST",
                                         .key = std::string(key),
                                         .query = {{"uploadId", std::string(upload_id)}},
                                         .headers = {{"Content-Type", "application/xml"}},
                                         .body = xml}));
  if (resp.status == 400) {
    // InvalidPart, InvalidPartOrder, EntityTooSmall: the client's parts are wrong.
    Error e = ErrorFrom(resp, "CompleteMultipartUpload " + std::string(key));
    return MakeError(ErrorCode::kInvalidArgument, e.message);
  }
  if (resp.status != 200) return ErrorFrom(resp, "CompleteMultipartUpload " + std::string(key));
  KINORA_TRY_VOID(ParseCompleteEtag(resp.body));
  return {};
}

Result<void> AbortMultipart(Client& client, std::string_view key, std::string_view upload_id) {
  KINORA_TRY(auto resp, client.Send(Call{.method = "DELETE",
                                         .key = std::string(key),
                                         .query = {{"uploadId", std::string(upload_id)}},
                                         .headers = {},
                                         .body = {}}));
  if (Unimplemented(resp.status)) {
    log::Warn("this S3 cannot abort multipart uploads; the bucket lifecycle rule must",
              {{"key", std::string(key)}});
    return {};
  }
  if (resp.status != 204 && resp.status != 200 && resp.status != 404) {
    return ErrorFrom(resp, "AbortMultipartUpload " + std::string(key));
  }
  return {};
}

}  // namespace kinora::storage::s3
