#include "audience_dimensions.h"

#include <memory>

#include "kinora/geoip/geoip.h"
#include "kinora/useragent/user_agent_parser.h"

namespace kinora::app {

Result<audience::DimensionResolver> MakeDimensionResolver(const Config& c) {
  auto parser = useragent::OpenUserAgentParser({.regexes_path = c.uap_regexes});
  if (!parser) return parser.error();
  std::shared_ptr<const geoip::GeoIpDb> geo;
  if (!c.geoip_db.empty()) {
    auto opened = geoip::Open(c.geoip_db);
    if (!opened) return Annotate(opened.error(), "KINORA_GEOIP_DB");
    geo = std::move(*opened);
  }
  std::shared_ptr<const useragent::UserAgentParser> ua = std::move(*parser);
  return audience::DimensionResolver(
      [ua, geo](std::string_view user_agent, std::string_view client_ip) {
        const auto info = ua->Parse(user_agent);
        audience::Dimensions d;
        d.device = std::string(useragent::ToString(info->device_type));
        d.browser = info->browser;
        d.os = info->os;
        if (geo) d.country = geo->CountryOf(client_ip).value_or("");
        // uap-core's verdict, plus the ingest's own token list (crawler words, automation).
        d.bot = info->bot || audience::LooksLikeABot(user_agent);
        return d;
      });
}

}  // namespace kinora::app
