#include "kinora/http/csrf.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>

namespace kinora::http {

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// host[:port] in lower case, without the scheme's default port.
std::string Authority(std::string_view scheme, std::string_view host_port) {
  std::string out = Lower(host_port);
  const std::string_view default_port = scheme == "https" ? ":443" : ":80";
  if (out.size() > default_port.size() && out.ends_with(default_port)) {
    out.resize(out.size() - default_port.size());
  }
  return out;
}

struct Origin {
  std::string scheme;     // "http" or "https"
  std::string authority;  // as Authority() gives it
};

// "https://Host:443/any/path" -> {https, host}; nullopt for "null", other schemes, no host.
std::optional<Origin> ParseOrigin(std::string_view url) {
  url = Trim(url);
  const size_t sep = url.find("://");
  if (sep == std::string_view::npos) return std::nullopt;
  std::string scheme = Lower(url.substr(0, sep));
  if (scheme != "http" && scheme != "https") return std::nullopt;
  std::string_view rest = url.substr(sep + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (rest.empty() || rest.find('@') != std::string_view::npos) return std::nullopt;
  return Origin{scheme, Authority(scheme, rest)};
}

bool IsSafe(Verb method) {
  return method == Verb::get || method == Verb::head || method == Verb::options;
}

bool IsJson(std::string_view content_type) {
  return EqualsIgnoringCase(Trim(content_type.substr(0, content_type.find(';'))),
                            "application/json");
}

// Empty when the request comes from the site, else why we think it does not.
std::string CrossSiteReason(const CsrfInput& in) {
  if (!in.sec_fetch_site.empty()) {
    if (EqualsIgnoringCase(in.sec_fetch_site, "same-origin") ||
        EqualsIgnoringCase(in.sec_fetch_site, "none")) {
      return {};
    }
    return "Sec-Fetch-Site is \"" + std::string(in.sec_fetch_site) + "\", not \"same-origin\"";
  }
  if (in.origin.empty()) return "the request has neither Sec-Fetch-Site nor Origin";
  const auto origin = ParseOrigin(in.origin);
  if (origin) {
    if (const auto site = ParseOrigin(in.public_origin);
        site && site->scheme == origin->scheme && site->authority == origin->authority) {
      return {};
    }
    if (!Trim(in.host).empty() && Authority(origin->scheme, Trim(in.host)) == origin->authority) {
      return {};
    }
  }
  return "Origin \"" + std::string(in.origin) + "\" is not this site";
}

}  // namespace

Result<void> CheckCsrf(const CsrfInput& in) {
  if (IsSafe(in.method) || in.bearer_authenticated || !in.cookie_authenticated) return {};
  const std::string method(bhttp::to_string(in.method));
  if (std::string why = CrossSiteReason(in); !why.empty()) {
    return PermissionDenied("cross-site request refused: " + why + "; a " + method +
                            " signed in by cookie must come from the site itself");
  }
  if (!IsJson(in.content_type) && !in.has_custom_header) {
    return PermissionDenied("request refused: a " + method +
                            " signed in by cookie must send Content-Type application/json or "
                            "the " +
                            std::string(kKinoraRequestHeader) + " header");
  }
  return {};
}

}  // namespace kinora::http
