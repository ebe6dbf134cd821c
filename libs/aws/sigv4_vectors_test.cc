// AWS's Signature Version 4 test suites, every case, byte for byte: the classic 2015 suite
// (canonical request, string to sign, Authorization header) and the aws-c-auth suite (canonical
// request, string to sign and signature, for header signing and for presigned query URLs).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "kinora/aws/crypto.h"
#include "kinora/aws/sigv4.h"

namespace kinora::aws {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

const fs::path kRoot = KINORA_SIGV4_TESTDATA;

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + p.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out.push_back(static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// How a header line that starts with whitespace continues the previous one: the classic suite
// reads it as another value of the same header (joined with ','), aws-c-auth as more of the
// same value (joined with a space).
enum class Folding { kNewValue, kSameValue };

struct ParsedRequest {
  SignRequest req;
  std::string body;
};

ParsedRequest ParseRequest(const std::string& text, Folding folding) {
  ParsedRequest out;
  std::vector<std::string> lines;
  size_t pos = 0;
  size_t body_at = std::string::npos;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    std::string line = text.substr(pos, nl - pos);
    pos = nl + 1;
    if (!lines.empty() && line.empty()) {
      body_at = pos;
      break;
    }
    lines.push_back(line);
  }
  if (body_at != std::string::npos && body_at <= text.size()) out.body = text.substr(body_at);

  // "METHOD TARGET HTTP/1.1"; the target may contain spaces.
  const std::string& first = lines.at(0);
  const size_t sp = first.find(' ');
  const size_t ver = first.rfind(" HTTP/");
  out.req.method = first.substr(0, sp);
  const std::string target = first.substr(sp + 1, ver - sp - 1);
  const size_t q = target.find('?');
  out.req.path = PercentDecode(target.substr(0, q));
  if (q != std::string::npos) {
    std::string_view rest = std::string_view(target).substr(q + 1);
    while (!rest.empty()) {
      size_t amp = rest.find('&');
      std::string_view item = rest.substr(0, amp);
      size_t eq = item.find('=');
      out.req.query.emplace_back(
          PercentDecode(item.substr(0, eq)),
          eq == std::string_view::npos ? "" : PercentDecode(item.substr(eq + 1)));
      if (amp == std::string_view::npos) break;
      rest = rest.substr(amp + 1);
    }
  }
  for (size_t i = 1; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    if ((line[0] == ' ' || line[0] == '\t') && !out.req.headers.empty()) {
      if (folding == Folding::kSameValue) {
        out.req.headers.back().second += " " + line;
      } else {
        out.req.headers.emplace_back(out.req.headers.back().first, line);
      }
      continue;
    }
    const size_t colon = line.find(':');
    out.req.headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
  }
  out.req.payload_hash = Sha256Hex(out.body);
  return out;
}

std::chrono::system_clock::time_point SuiteTime() {
  // 2015-08-30T12:36:00Z, the time of every case in both suites.
  return std::chrono::sys_days{std::chrono::year{2015} / 8 / 30} + std::chrono::hours{12} +
         std::chrono::minutes{36};
}

Credentials SuiteCredentials() {
  return {"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};
}

std::vector<fs::path> CaseDirs(const fs::path& suite, std::string_view marker_ext) {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(suite)) {
    if (!e.is_directory()) continue;
    const fs::path dir = e.path();
    if (marker_ext.empty()
            ? fs::exists(dir / "context.json")
            : fs::exists(dir / (dir.filename().string() + std::string(marker_ext)))) {
      out.push_back(dir);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string CaseName(const testing::TestParamInfo<fs::path>& info) {
  std::string n = info.param.filename().string();
  for (char& c : n) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return n;
}

// -- the classic suite ---------------------------------------------------------------------

class ClassicSuite : public testing::TestWithParam<fs::path> {};

TEST_P(ClassicSuite, MatchesCanonicalRequestStringToSignAndAuthorization) {
  const fs::path dir = GetParam();
  const std::string name = dir.filename().string();
  ParsedRequest p = ParseRequest(Slurp(dir / (name + ".req")), Folding::kNewValue);
  Credentials creds = SuiteCredentials();
  // The request files carry the headers the signer adds; take them back out.
  std::erase_if(p.req.headers, [&](const auto& h) {
    if (h.first == "X-Amz-Date") {
      EXPECT_EQ(h.second, "20150830T123600Z");
      return true;
    }
    if (h.first == "X-Amz-Security-Token") {
      creds.session_token = h.second;
      return true;
    }
    return false;
  });
  SignOptions opts{.region = "us-east-1", .service = "service", .time = SuiteTime()};
  const Signature sig = SignWithHeaders(p.req, creds, opts);
  EXPECT_EQ(sig.canonical_request, Slurp(dir / (name + ".creq")));
  EXPECT_EQ(sig.string_to_sign, Slurp(dir / (name + ".sts")));
  std::string authz;
  for (const auto& [k, v] : sig.headers) {
    if (k == "Authorization") authz = v;
  }
  EXPECT_EQ(authz, Slurp(dir / (name + ".authz")));
}

INSTANTIATE_TEST_SUITE_P(Sigv4, ClassicSuite,
                         testing::ValuesIn(CaseDirs(kRoot / "classic-aws-sig-v4-test-suite",
                                                    ".req")),
                         CaseName);

TEST(Sigv4Suites, AllCasesArePresent) {
  EXPECT_EQ(CaseDirs(kRoot / "classic-aws-sig-v4-test-suite", ".req").size(), 31u);
  EXPECT_EQ(CaseDirs(kRoot / "aws-c-auth-v4", "").size(), 38u);
}

// -- the aws-c-auth suite ------------------------------------------------------------------

struct Context {
  Credentials creds;
  SignOptions opts;
  std::chrono::seconds expires{3600};
};

Context ReadContext(const fs::path& dir) {
  const json::object c = json::parse(Slurp(dir / "context.json")).as_object();
  const json::object& cr = c.at("credentials").as_object();
  Context ctx;
  ctx.creds.access_key_id = json::value_to<std::string>(cr.at("access_key_id"));
  ctx.creds.secret_access_key = json::value_to<std::string>(cr.at("secret_access_key"));
  if (auto* t = cr.if_contains("token")) ctx.creds.session_token = json::value_to<std::string>(*t);
  ctx.opts.region = json::value_to<std::string>(c.at("region"));
  ctx.opts.service = json::value_to<std::string>(c.at("service"));
  EXPECT_EQ(json::value_to<std::string>(c.at("timestamp")), "2015-08-30T12:36:00Z");
  ctx.opts.time = SuiteTime();
  ctx.opts.normalize_path = c.at("normalize").as_bool();
  ctx.opts.sign_body = c.at("sign_body").as_bool();
  if (auto* o = c.if_contains("omit_session_token")) ctx.opts.omit_session_token = o->as_bool();
  ctx.expires = std::chrono::seconds(c.at("expiration_in_seconds").to_number<int64_t>());
  return ctx;
}

class AwsCAuthSuite : public testing::TestWithParam<fs::path> {};

TEST_P(AwsCAuthSuite, HeaderSigningMatches) {
  const fs::path dir = GetParam();
  const Context ctx = ReadContext(dir);
  const ParsedRequest p = ParseRequest(Slurp(dir / "request.txt"), Folding::kSameValue);
  const Signature sig = SignWithHeaders(p.req, ctx.creds, ctx.opts);
  EXPECT_EQ(sig.canonical_request, Slurp(dir / "header-canonical-request.txt"));
  EXPECT_EQ(sig.string_to_sign, Slurp(dir / "header-string-to-sign.txt"));
  EXPECT_EQ(sig.signature, Slurp(dir / "header-signature.txt"));
}

TEST_P(AwsCAuthSuite, QuerySigningMatches) {
  const fs::path dir = GetParam();
  const Context ctx = ReadContext(dir);
  const ParsedRequest p = ParseRequest(Slurp(dir / "request.txt"), Folding::kSameValue);
  const Signature sig = Presign(p.req, ctx.creds, ctx.opts, ctx.expires);
  EXPECT_EQ(sig.canonical_request, Slurp(dir / "query-canonical-request.txt"));
  EXPECT_EQ(sig.string_to_sign, Slurp(dir / "query-string-to-sign.txt"));
  EXPECT_EQ(sig.signature, Slurp(dir / "query-signature.txt"));
}

INSTANTIATE_TEST_SUITE_P(Sigv4, AwsCAuthSuite,
                         testing::ValuesIn(CaseDirs(kRoot / "aws-c-auth-v4", "")), CaseName);

}  // namespace
}  // namespace kinora::aws
