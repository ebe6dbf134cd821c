// s3:// URLs and the AWS SDKs' environment variables → S3Config.
#include <boost/url.hpp>
#include <cstdlib>

#include "kinora/storage/s3_store.h"

namespace kinora::storage {

namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

}  // namespace

Result<S3Config> ParseS3Url(std::string_view url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed || parsed->scheme() != "s3" || parsed->host().empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "S3 object store URL must look like s3://bucket[/prefix][?endpoint=…]");
  }
  S3Config c;
  c.bucket = parsed->host();
  std::string path = parsed->path();
  while (path.starts_with('/')) path.erase(0, 1);
  c.prefix = path;
  if (!c.prefix.empty() && !c.prefix.ends_with('/')) c.prefix += '/';

  c.region = Env("AWS_REGION");
  if (c.region.empty()) c.region = Env("AWS_DEFAULT_REGION");
  if (c.region.empty()) c.region = "us-east-1";
  c.endpoint = Env("AWS_ENDPOINT_URL_S3");
  if (c.endpoint.empty()) c.endpoint = Env("AWS_ENDPOINT_URL");
  c.credentials.access_key_id = Env("AWS_ACCESS_KEY_ID");
  c.credentials.secret_access_key = Env("AWS_SECRET_ACCESS_KEY");
  c.credentials.session_token = Env("AWS_SESSION_TOKEN");

  std::optional<bool> path_style;
  for (auto param : parsed->params()) {
    const std::string key = param.key;
    if (key == "endpoint") {
      c.endpoint = param.value;
    } else if (key == "region") {
      c.region = param.value;
    } else if (key == "path_style") {
      if (param.value != "true" && param.value != "false") {
        return MakeError(ErrorCode::kInvalidArgument, "s3 URL: path_style must be true or false");
      }
      path_style = param.value == "true";
    } else {
      return MakeError(ErrorCode::kInvalidArgument, "s3 URL: unknown parameter '" + key +
                                                        "' (known: endpoint, region, path_style)");
    }
  }
  if (!c.endpoint.empty()) {
    auto e = boost::urls::parse_uri(c.endpoint);
    if (!e || (e->scheme() != "http" && e->scheme() != "https") || e->host().empty()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "S3 endpoint '" + c.endpoint + "' is not an http(s):// URL");
    }
  }
  c.path_style = path_style.value_or(!c.endpoint.empty());
  if (c.credentials.access_key_id.empty() != c.credentials.secret_access_key.empty() ||
      (c.credentials.access_key_id.empty() && !aws::CredentialsInEnvironment())) {
    return MakeError(ErrorCode::kInvalidArgument, "S3 needs credentials: " + aws::kCredentialsHelp);
  }
  return c;
}

}  // namespace kinora::storage
