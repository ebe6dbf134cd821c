#include "routes_cli.h"

#include <boost/json.hpp>
#include <cstdio>
#include <string>

#include "kinora/access/access_table.h"

namespace kinora::app {

int PrintRoutes(bool json) {
  if (json) {
    std::printf("%s\n", boost::json::serialize(access::AccessTableJson()).c_str());
    return 0;
  }
  for (const access::AccessRule& r : access::AccessTable()) {
    std::string who(access::ToString(r.need));
    if (r.need == access::Need::kRight) who += ":" + std::string(identity::ToString(r.right));
    std::printf(
        "%-7s %-42s %-26s scope=%-15s target=%-11s limit=%s%s\n",
        std::string(http::bhttp::to_string(r.method)).c_str(), std::string(r.pattern).c_str(),
        who.c_str(), r.scope ? std::string(identity::ToString(*r.scope)).c_str() : "-",
        std::string(access::ToString(r.target)).c_str(),
        std::string(access::ToString(r.limit)).c_str(), r.session_only ? " session-only" : "");
  }
  return 0;
}

}  // namespace kinora::app
