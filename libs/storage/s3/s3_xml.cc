// S3's XML answers, read with Boost.PropertyTree (header-only, in Boost).
#include <openssl/evp.h>

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <ctime>
#include <sstream>

#include "s3_client.h"

namespace kinora::storage::s3 {

namespace pt = boost::property_tree;

namespace {

Result<pt::ptree> Parse(const std::string& xml, std::string_view what) {
  try {
    std::istringstream in(xml);
    pt::ptree tree;
    pt::read_xml(in, tree, pt::xml_parser::trim_whitespace);
    return tree;
  } catch (const pt::ptree_error& e) {
    return MakeError(ErrorCode::kInternal,
                     std::string(what) + ": S3 sent XML that does not parse: " + e.what());
  }
}

std::string XmlEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

}  // namespace

std::chrono::system_clock::time_point ParseS3Time(std::string_view s) {
  std::tm tm{};
  const std::string str(s);
  const char* end = strptime(str.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (!end) end = strptime(str.c_str(), "%a, %d %b %Y %H:%M:%S", &tm);
  if (!end) return std::chrono::system_clock::now();
  // system_clock counts nanoseconds, so it ends in 2262: a date outside 1970–2255 is as
  // unparseable, not an overflow (found by fuzz/aws_answers_fuzz.cc).
  constexpr std::time_t kLatest = 9'000'000'000;  // 2255
  const std::time_t t = timegm(&tm);
  if (t < 0 || t > kLatest) return std::chrono::system_clock::now();
  return std::chrono::system_clock::from_time_t(t);
}

Result<ListResult> ParseListObjectsV2(const std::string& xml) {
  KINORA_TRY(pt::ptree tree, Parse(xml, "ListObjectsV2"));
  const auto* root = tree.get_child_optional("ListBucketResult").get_ptr();
  if (!root) return MakeError(ErrorCode::kInternal, "ListObjectsV2: no ListBucketResult");
  ListResult out;
  out.truncated = root->get<std::string>("IsTruncated", "false") == "true";
  for (const auto& [name, child] : *root) {
    if (name != "Contents") continue;
    ListedObject o;
    o.key = child.get<std::string>("Key", "");
    o.size = child.get<uint64_t>("Size", 0);
    o.etag = child.get<std::string>("ETag", "");
    o.last_modified = ParseS3Time(child.get<std::string>("LastModified", ""));
    out.objects.push_back(std::move(o));
  }
  return out;
}

Result<std::string> ParseUploadId(const std::string& xml) {
  KINORA_TRY(pt::ptree tree, Parse(xml, "CreateMultipartUpload"));
  auto id = tree.get_optional<std::string>("InitiateMultipartUploadResult.UploadId");
  if (!id || id->empty())
    return MakeError(ErrorCode::kInternal, "CreateMultipartUpload: no UploadId");
  return *id;
}

Result<std::string> ParseCompleteEtag(const std::string& xml) {
  KINORA_TRY(pt::ptree tree, Parse(xml, "CompleteMultipartUpload"));
  if (auto code = tree.get_optional<std::string>("Error.Code")) {
    // S3 may answer 200 and still fail the completion in the body.
    return MakeError(ErrorCode::kUnavailable, "CompleteMultipartUpload failed: " + *code);
  }
  auto etag = tree.get_optional<std::string>("CompleteMultipartUploadResult.ETag");
  if (!etag) return MakeError(ErrorCode::kInternal, "CompleteMultipartUpload: no ETag");
  return *etag;
}

std::string CompletePartsXml(const std::vector<UploadedPart>& parts) {
  std::string xml = "<CompleteMultipartUpload>";
  for (const UploadedPart& p : parts) {
    xml += "<Part><PartNumber>" + std::to_string(p.number) + "</PartNumber><ETag>" +
           XmlEscape(p.etag) + "</ETag></Part>";
  }
  return xml + "</CompleteMultipartUpload>";
}

std::string CompleteMultipartXml(const std::vector<std::string>& part_etags) {
  std::vector<UploadedPart> parts;
  parts.reserve(part_etags.size());
  for (size_t i = 0; i < part_etags.size(); ++i) {
    parts.push_back(
        UploadedPart{.number = static_cast<int>(i + 1), .size = 0, .etag = part_etags[i]});
  }
  return CompletePartsXml(parts);
}

Result<std::vector<UploadedPart>> ParseListParts(const std::string& xml, bool* truncated,
                                                 std::string* next) {
  KINORA_TRY(pt::ptree tree, Parse(xml, "ListParts"));
  const auto* root = tree.get_child_optional("ListPartsResult").get_ptr();
  if (!root) return MakeError(ErrorCode::kInternal, "ListParts: no ListPartsResult");
  try {
    std::vector<UploadedPart> parts;
    for (const auto& [name, node] : *root) {
      if (name != "Part") continue;
      parts.push_back(UploadedPart{.number = node.get<int>("PartNumber"),
                                   .size = node.get<uint64_t>("Size", 0),
                                   .etag = node.get<std::string>("ETag", "")});
    }
    *truncated = root->get<std::string>("IsTruncated", "false") == "true";
    *next = root->get<std::string>("NextPartNumberMarker", "");
    return parts;
  } catch (const pt::ptree_error& e) {
    return MakeError(ErrorCode::kInternal,
                     std::string("ListParts: a part is malformed: ") + e.what());
  }
}

std::string ContentMd5(std::string_view body) {
  unsigned char digest[16];
  unsigned int len = 0;
  EVP_Digest(body.data(), body.size(), digest, &len, EVP_md5(), nullptr);
  unsigned char b64[32];
  const int n = EVP_EncodeBlock(b64, digest, static_cast<int>(len));
  return std::string(reinterpret_cast<char*>(b64), static_cast<size_t>(n));
}

}  // namespace kinora::storage::s3
