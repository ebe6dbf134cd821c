#include "kinora/aws/sigv4.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>
#include <stdexcept>

#include "kinora/aws/crypto.h"

namespace kinora::aws {

namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
constexpr std::string_view kEmptyHash =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Trims the value and collapses runs of spaces and tabs into one space.
std::string CanonicalHeaderValue(std::string_view v) {
  std::string out;
  bool space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

struct CanonicalHeaders {
  std::string block;         // "name:value\n" per header, sorted
  std::string signed_names;  // "host;x-amz-date"
};

CanonicalHeaders Canonicalize(const Pairs& headers) {
  std::map<std::string, std::string> merged;  // sorted by lowercase name
  for (const auto& [name, value] : headers) {
    auto [it, fresh] = merged.try_emplace(Lower(name), CanonicalHeaderValue(value));
    if (!fresh) it->second += "," + CanonicalHeaderValue(value);
  }
  CanonicalHeaders out;
  for (const auto& [name, value] : merged) {
    out.block += name + ":" + value + "\n";
    if (!out.signed_names.empty()) out.signed_names += ";";
    out.signed_names += name;
  }
  return out;
}

std::string Scope(std::string_view date, const SignOptions& o) {
  return std::string(date) + "/" + o.region + "/" + o.service + "/aws4_request";
}

std::span<const unsigned char> Bytes(std::string_view s) {
  return {reinterpret_cast<const unsigned char*>(s.data()), s.size()};
}

// Signs canonical_request; fills string_to_sign and signature.
void Finish(Signature& sig, std::string_view amz_date, const Credentials& creds,
            const SignOptions& opts) {
  const std::string date(amz_date.substr(0, 8));
  sig.string_to_sign = std::string(kAlgorithm) + "\n" + std::string(amz_date) + "\n" +
                       Scope(date, opts) + "\n" + Sha256Hex(sig.canonical_request);
  const std::string secret = "AWS4" + creds.secret_access_key;
  Digest k = HmacSha256(Bytes(secret), date);
  k = HmacSha256(k, opts.region);
  k = HmacSha256(k, opts.service);
  k = HmacSha256(k, "aws4_request");
  sig.signature = Hex(HmacSha256(k, sig.string_to_sign));
}

std::string PayloadHash(const SignRequest& req) {
  return req.payload_hash.empty() ? std::string(kEmptyHash) : req.payload_hash;
}

}  // namespace

std::string UriEncode(std::string_view s, bool encode_slash) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' ||
        (c == '/' && !encode_slash)) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kDigits[c >> 4]);
      out.push_back(kDigits[c & 0xf]);
    }
  }
  return out;
}

std::string CanonicalUri(std::string_view path, bool normalize) {
  if (path.empty()) return "/";
  if (!normalize) return UriEncode(path, false);
  std::vector<std::string_view> segments;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view seg = path.substr(start, end - start);
    if (seg == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!seg.empty() && seg != ".") {
      segments.push_back(seg);
    }
    start = end + 1;
  }
  std::string out;
  for (auto seg : segments) out += "/" + UriEncode(seg, true);
  if (out.empty()) return "/";
  if (path.back() == '/') out += "/";
  return out;
}

std::string CanonicalQuery(const Pairs& query) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(query.size());
  for (const auto& [k, v] : query) encoded.emplace_back(UriEncode(k, true), UriEncode(v, true));
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [k, v] : encoded) {
    if (!out.empty()) out += "&";
    out += k + "=" + v;
  }
  return out;
}

std::string AmzDate(std::chrono::system_clock::time_point t) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[17];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

Signature SignWithHeaders(const SignRequest& req, const Credentials& creds,
                          const SignOptions& opts) {
  const std::string amz_date = AmzDate(opts.time);
  const std::string payload = PayloadHash(req);
  Signature sig;
  sig.headers.emplace_back("X-Amz-Date", amz_date);
  const bool token = !creds.session_token.empty();
  if (token && !opts.omit_session_token) {
    sig.headers.emplace_back("X-Amz-Security-Token", creds.session_token);
  }
  if (opts.sign_body) sig.headers.emplace_back("X-Amz-Content-Sha256", payload);

  Pairs all = req.headers;
  all.insert(all.end(), sig.headers.begin(), sig.headers.end());
  const CanonicalHeaders ch = Canonicalize(all);
  sig.canonical_request = req.method + "\n" + CanonicalUri(req.path, opts.normalize_path) + "\n" +
                          CanonicalQuery(req.query) + "\n" + ch.block + "\n" + ch.signed_names +
                          "\n" + payload;
  Finish(sig, amz_date, creds, opts);

  const std::string date = amz_date.substr(0, 8);
  sig.headers.emplace_back("Authorization",
                           std::string(kAlgorithm) + " Credential=" + creds.access_key_id + "/" +
                               Scope(date, opts) + ", SignedHeaders=" + ch.signed_names +
                               ", Signature=" + sig.signature);
  if (token && opts.omit_session_token) {
    sig.headers.emplace_back("X-Amz-Security-Token", creds.session_token);
  }
  return sig;
}

Signature Presign(const SignRequest& req, const Credentials& creds, const SignOptions& opts,
                  std::chrono::seconds expires) {
  if (expires.count() < 1 || expires.count() > 7 * 24 * 3600) {
    throw std::invalid_argument("SigV4 presigned URLs last between 1 s and 7 days");
  }
  const std::string amz_date = AmzDate(opts.time);
  const std::string date = amz_date.substr(0, 8);
  const CanonicalHeaders ch = Canonicalize(req.headers);
  const bool token = !creds.session_token.empty();

  Signature sig;
  sig.query = {
      {"X-Amz-Algorithm", std::string(kAlgorithm)},
      {"X-Amz-Credential", creds.access_key_id + "/" + Scope(date, opts)},
      {"X-Amz-Date", amz_date},
      {"X-Amz-Expires", std::to_string(expires.count())},
  };
  if (token && !opts.omit_session_token) {
    sig.query.emplace_back("X-Amz-Security-Token", creds.session_token);
  }
  sig.query.emplace_back("X-Amz-SignedHeaders", ch.signed_names);

  Pairs all = req.query;
  all.insert(all.end(), sig.query.begin(), sig.query.end());
  sig.canonical_request = req.method + "\n" + CanonicalUri(req.path, opts.normalize_path) + "\n" +
                          CanonicalQuery(all) + "\n" + ch.block + "\n" + ch.signed_names + "\n" +
                          PayloadHash(req);
  Finish(sig, amz_date, creds, opts);
  sig.query.emplace_back("X-Amz-Signature", sig.signature);
  if (token && opts.omit_session_token) {
    sig.query.emplace_back("X-Amz-Security-Token", creds.session_token);
  }
  return sig;
}

}  // namespace kinora::aws
