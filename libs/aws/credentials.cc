#include "kinora/aws/credentials.h"

#include <unistd.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "kinora/aws/http_client.h"
#include "kinora/core/log.h"
#include "kinora/core/time.h"

namespace kinora::aws {
namespace {

namespace json = boost::json;
using Clock = std::chrono::system_clock;

constexpr auto kRefreshBefore = std::chrono::minutes(5);
constexpr auto kRetryAfterFailure = std::chrono::seconds(10);

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

Result<std::string> ReadToken(const std::string& file) {
  std::ifstream in(file);
  if (!in) return MakeError(ErrorCode::kUnavailable, "cannot read the token file " + file);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string token = ss.str();
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' '))
    token.pop_back();
  if (token.empty())
    return MakeError(ErrorCode::kUnavailable, "the token file " + file + " is empty");
  return token;
}

// STS and the container endpoint answer "2026-11-24T15:21:39Z", sometimes with fractions.
Result<Clock::time_point> ParseExpiration(std::string_view s) {
  std::string t(s);
  if (auto dot = t.find('.'); dot != std::string::npos) {
    auto z = t.find('Z', dot);
    t.erase(dot, z == std::string::npos ? std::string::npos : z - dot);
  }
  auto parsed = ParseIso8601(t);
  if (!parsed)
    return MakeError(ErrorCode::kInternal, "credentials: bad Expiration '" + std::string(s) + "'");
  return *parsed;
}

// The text of <tag>…</tag> (STS values hold no markup; the five XML entities are decoded).
std::string XmlText(std::string_view xml, std::string_view tag) {
  const std::string open = "<" + std::string(tag) + ">";
  const std::string close = "</" + std::string(tag) + ">";
  auto b = xml.find(open);
  if (b == std::string_view::npos) return "";
  b += open.size();
  auto e = xml.find(close, b);
  if (e == std::string_view::npos) return "";
  std::string out;
  std::string_view v = xml.substr(b, e - b);
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] != '&') {
      out.push_back(v[i]);
      continue;
    }
    static constexpr std::pair<std::string_view, char> kEntities[] = {
        {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
    bool decoded = false;
    for (auto [name, c] : kEntities) {
      if (v.substr(i, name.size()) == name) {
        out.push_back(c);
        i += name.size() - 1;
        decoded = true;
        break;
      }
    }
    if (!decoded) out.push_back('&');
  }
  return out;
}

std::string Form(const Pairs& fields) {
  std::string body;
  for (const auto& [k, v] : fields) {
    if (!body.empty()) body += '&';
    body += UriEncode(k, true) + "=" + UriEncode(v, true);
  }
  return body;
}

Result<ExpiringCredentials> AssumeRoleWithWebIdentity(HttpClient& http, const std::string& endpoint,
                                                      const std::string& role_arn,
                                                      const std::string& token_file,
                                                      const std::string& session_name) {
  KINORA_TRY(std::string token, ReadToken(token_file));
  const std::string body = Form({{"Action", "AssumeRoleWithWebIdentity"},
                                 {"Version", "2011-06-15"},
                                 {"RoleArn", role_arn},
                                 {"RoleSessionName", session_name},
                                 {"WebIdentityToken", token}});
  // The web identity token is the proof; the call itself is not signed.
  KINORA_TRY(
      HttpResponse resp,
      http.Send(HttpRequest{.method = "POST",
                            .url = endpoint + "/",
                            .headers = {{"Content-Type", "application/x-www-form-urlencoded"}},
                            .body = body,
                            .timeout = std::chrono::seconds(10)}));
  if (resp.status != 200) {
    std::string why = XmlText(resp.body, "Message");
    return MakeError(ErrorCode::kUnavailable, "STS AssumeRoleWithWebIdentity for " + role_arn +
                                                  " answered " + std::to_string(resp.status) +
                                                  (why.empty() ? "" : ": " + why));
  }
  return ParseAssumeRoleWithWebIdentity(resp.body);
}

Result<ExpiringCredentials> ContainerCredentials(HttpClient& http, const std::string& uri,
                                                 const std::string& token_file,
                                                 const std::string& token_value) {
  std::string token = token_value;
  if (!token_file.empty()) {
    KINORA_TRY(token, ReadToken(token_file));
  }
  HttpRequest req{.method = "GET", .url = uri, .headers = {}, .timeout = std::chrono::seconds(5)};
  if (!token.empty()) req.headers.emplace_back("Authorization", token);
  KINORA_TRY(HttpResponse resp, http.Send(req));
  if (resp.status != 200) {
    return MakeError(ErrorCode::kUnavailable, "the container credentials endpoint " + uri +
                                                  " answered " + std::to_string(resp.status));
  }
  return ParseContainerCredentials(resp.body);
}

}  // namespace

std::shared_ptr<CredentialsProvider> CredentialsProvider::Static(Credentials c) {
  std::shared_ptr<CredentialsProvider> p(new CredentialsProvider("environment keys", {}));
  p->current_ = std::move(c);
  return p;
}

Result<std::shared_ptr<CredentialsProvider>> CredentialsProvider::Refreshing(std::string source,
                                                                             Fetch fetch) {
  std::shared_ptr<CredentialsProvider> p(
      new CredentialsProvider(std::move(source), std::move(fetch)));
  auto first = p->fetch_();
  if (!first) return Annotate(first.error(), "AWS credentials from " + p->source_);
  p->Store(*first);
  return p;
}

void CredentialsProvider::Store(const ExpiringCredentials& e) {
  current_ = e.credentials;
  expiration_ = e.expiration;
  // Five minutes early, or halfway for credentials that live less than ten minutes.
  const auto now = Clock::now();
  const auto life = e.expiration - now;
  refresh_at_ = life > 2 * kRefreshBefore ? e.expiration - kRefreshBefore : now + life / 2;
}

Credentials CredentialsProvider::Current() {
  std::unique_lock lock(mu_);
  const auto now = Clock::now();
  if (!fetch_ || now < refresh_at_ || (refreshing_ && now < expiration_)) return current_;
  refreshing_ = true;
  lock.unlock();
  auto fresh = fetch_();
  lock.lock();
  refreshing_ = false;
  if (fresh) {
    Store(*fresh);
  } else {
    refresh_at_ = Clock::now() + kRetryAfterFailure;
    log::Warn("cannot refresh AWS credentials; keeping the current ones until they expire",
              {{"source", source_}, {"error", fresh.error().message}});
  }
  return current_;
}

Result<ExpiringCredentials> ParseAssumeRoleWithWebIdentity(std::string_view xml) {
  ExpiringCredentials e;
  e.credentials.access_key_id = XmlText(xml, "AccessKeyId");
  e.credentials.secret_access_key = XmlText(xml, "SecretAccessKey");
  e.credentials.session_token = XmlText(xml, "SessionToken");
  if (e.credentials.access_key_id.empty() || e.credentials.secret_access_key.empty() ||
      e.credentials.session_token.empty()) {
    return MakeError(ErrorCode::kInternal, "STS answered without credentials");
  }
  KINORA_TRY(e.expiration, ParseExpiration(XmlText(xml, "Expiration")));
  return e;
}

Result<ExpiringCredentials> ParseContainerCredentials(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object())
    return MakeError(ErrorCode::kInternal, "container credentials: not a JSON object");
  const auto& o = v.as_object();
  auto str = [&o](const char* k) -> std::string {
    const auto* f = o.if_contains(k);
    return f && f->is_string() ? std::string(f->as_string()) : std::string();
  };
  ExpiringCredentials e;
  e.credentials = {str("AccessKeyId"), str("SecretAccessKey"), str("Token")};
  if (e.credentials.access_key_id.empty() || e.credentials.secret_access_key.empty()) {
    return MakeError(ErrorCode::kInternal, "container credentials: no AccessKeyId/SecretAccessKey");
  }
  KINORA_TRY(e.expiration, ParseExpiration(str("Expiration")));
  return e;
}

Result<std::shared_ptr<CredentialsProvider>> CredentialsFromEnvironment(const std::string& region) {
  if (std::string id = Env("AWS_ACCESS_KEY_ID"), secret = Env("AWS_SECRET_ACCESS_KEY");
      !id.empty() || !secret.empty()) {
    if (id.empty() || secret.empty())
      return MakeError(ErrorCode::kInvalidArgument,
                       "AWS credentials: set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
    return CredentialsProvider::Static({id, secret, Env("AWS_SESSION_TOKEN")});
  }
  auto http = std::make_shared<HttpClient>(HttpClientOptions{.max_idle_handles = 1});
  if (std::string role = Env("AWS_ROLE_ARN"), file = Env("AWS_WEB_IDENTITY_TOKEN_FILE");
      !role.empty() && !file.empty()) {
    std::string endpoint = Env("AWS_ENDPOINT_URL_STS");
    if (endpoint.empty()) endpoint = Env("AWS_ENDPOINT_URL");
    if (endpoint.empty()) endpoint = "https://sts." + region + ".amazonaws.com";
    while (!endpoint.empty() && endpoint.back() == '/') endpoint.pop_back();
    std::string session = Env("AWS_ROLE_SESSION_NAME");
    if (session.empty()) session = "kinora-" + std::to_string(::getpid());
    return CredentialsProvider::Refreshing(
        "web identity (" + role + ")", [http, endpoint, role, file, session] {
          return AssumeRoleWithWebIdentity(*http, endpoint, role, file, session);
        });
  }
  if (std::string uri = Env("AWS_CONTAINER_CREDENTIALS_FULL_URI"); !uri.empty()) {
    std::string file = Env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    std::string token = Env("AWS_CONTAINER_AUTHORIZATION_TOKEN");
    return CredentialsProvider::Refreshing(
        "container credentials (" + uri + ")",
        [http, uri, file, token] { return ContainerCredentials(*http, uri, file, token); });
  }
  return MakeError(ErrorCode::kInvalidArgument, "no AWS credentials: " + kCredentialsHelp);
}

bool CredentialsInEnvironment() {
  return (!Env("AWS_ACCESS_KEY_ID").empty() && !Env("AWS_SECRET_ACCESS_KEY").empty()) ||
         (!Env("AWS_ROLE_ARN").empty() && !Env("AWS_WEB_IDENTITY_TOKEN_FILE").empty()) ||
         !Env("AWS_CONTAINER_CREDENTIALS_FULL_URI").empty();
}

}  // namespace kinora::aws
