#include "kinora/http/message.h"

namespace kinora::http {

std::string_view ReasonPhrase(Status s) {
  if (static_cast<unsigned>(s) == 460) return "Checksum Mismatch";
  return bhttp::obsolete_reason(s);
}

std::optional<std::string> Request::Query(std::string_view name) const {
  auto it = query.find(std::string(name));
  if (it == query.end()) return std::nullopt;
  return it->second;
}

std::string_view Request::Header(bhttp::field f) const {
  auto it = headers.find(f);
  if (it == headers.end()) return {};
  return it->value();
}

}  // namespace kinora::http
