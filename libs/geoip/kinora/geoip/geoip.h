// Country of a client address from an operator-supplied MaxMind DB (.mmdb: GeoLite2-Country,
// DB-IP Country Lite, …) read with libmaxminddb, for the audience analytics' country breakdown.
// Only the country's ISO 3166-1 alpha-2 code is read; addresses are never stored.
// Thread safety: a GeoIpDb is immutable once opened; CountryOf may be called concurrently.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "kinora/core/error.h"

namespace kinora::geoip {

class GeoIpDb {
 public:
  virtual ~GeoIpDb() = default;

  // The country.iso_code ("DE") of an IPv4 or IPv6 address in text form ("192.0.2.1",
  // "2001:db8::1", "[2001:db8::1]", "::ffff:192.0.2.1" looked up as IPv4). nullopt when the
  // address is not one, the database has no entry for it, or the entry has no valid code.
  virtual std::optional<std::string> CountryOf(std::string_view ip) const = 0;

  // The database's metadata database_type ("GeoLite2-Country").
  virtual std::string database_type() const = 0;
};

// Opens (memory-maps) a .mmdb file. kNotFound when it cannot be opened, kInvalidArgument when
// it is not a valid MaxMind DB.
Result<std::unique_ptr<GeoIpDb>> Open(const std::string& path);

}  // namespace kinora::geoip
