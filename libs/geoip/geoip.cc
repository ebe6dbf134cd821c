#include "kinora/geoip/geoip.h"

#include <arpa/inet.h>
#include <maxminddb.h>
#include <netinet/in.h>

#include <cstring>

namespace kinora::geoip {
namespace {

// libmaxminddb's status codes as Errors, in one place.
Error FromMmdb(int status, const std::string& path) {
  const std::string what = path + ": " + MMDB_strerror(status);
  switch (status) {
    case MMDB_FILE_OPEN_ERROR:
      return NotFound("cannot open GeoIP database " + what);
    case MMDB_OUT_OF_MEMORY_ERROR:
      return Internal("GeoIP database " + what);
    case MMDB_IO_ERROR:
      return Unavailable("GeoIP database " + what);
    default:  // corrupt search tree, metadata, data section; unknown format
      return InvalidArgument("not a valid GeoIP database " + what);
  }
}

bool IsIsoCode(const char* s, uint32_t size) {
  return size == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z';
}

// Text address to a socket address: IPv4, or IPv6 with a v4-mapped one turned into IPv4 (a
// dual-stack listener reports IPv4 clients as ::ffff:a.b.c.d; databases hold them as IPv4).
bool ToSockaddr(std::string_view ip, sockaddr_storage* out) {
  if (ip.size() >= 2 && ip.front() == '[' && ip.back() == ']') ip = ip.substr(1, ip.size() - 2);
  if (ip.empty() || ip.size() >= INET6_ADDRSTRLEN) return false;
  char text[INET6_ADDRSTRLEN] = {};
  std::memcpy(text, ip.data(), ip.size());
  std::memset(out, 0, sizeof(*out));
  auto* v4 = reinterpret_cast<sockaddr_in*>(out);
  if (inet_pton(AF_INET, text, &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    return true;
  }
  in6_addr a6{};
  if (inet_pton(AF_INET6, text, &a6) != 1) return false;
  if (IN6_IS_ADDR_V4MAPPED(&a6)) {
    v4->sin_family = AF_INET;
    std::memcpy(&v4->sin_addr, &a6.s6_addr[12], 4);
    return true;
  }
  auto* v6 = reinterpret_cast<sockaddr_in6*>(out);
  v6->sin6_family = AF_INET6;
  v6->sin6_addr = a6;
  return true;
}

class MmdbGeoIp final : public GeoIpDb {
 public:
  MmdbGeoIp() = default;
  ~MmdbGeoIp() override {
    if (open_) MMDB_close(&mmdb_);
  }
  MmdbGeoIp(const MmdbGeoIp&) = delete;
  MmdbGeoIp& operator=(const MmdbGeoIp&) = delete;

  int OpenFile(const std::string& path) {
    const int status = MMDB_open(path.c_str(), MMDB_MODE_MMAP, &mmdb_);
    open_ = status == MMDB_SUCCESS;
    return status;
  }

  std::optional<std::string> CountryOf(std::string_view ip) const override {
    sockaddr_storage addr;
    if (!ToSockaddr(ip, &addr)) return std::nullopt;
    int mmdb_error = MMDB_SUCCESS;
    MMDB_lookup_result_s found =
        MMDB_lookup_sockaddr(&mmdb_, reinterpret_cast<const sockaddr*>(&addr), &mmdb_error);
    // MMDB_IPV6_LOOKUP_IN_IPV4_DATABASE_ERROR, a corrupt tree: no country either way.
    if (mmdb_error != MMDB_SUCCESS || !found.found_entry) return std::nullopt;
    MMDB_entry_data_s data;
    const int status = MMDB_get_value(&found.entry, &data, "country", "iso_code", nullptr);
    if (status != MMDB_SUCCESS || !data.has_data || data.type != MMDB_DATA_TYPE_UTF8_STRING ||
        !IsIsoCode(data.utf8_string, data.data_size)) {
      return std::nullopt;
    }
    return std::string(data.utf8_string, data.data_size);
  }

  std::string database_type() const override {
    return mmdb_.metadata.database_type ? mmdb_.metadata.database_type : "";
  }

 private:
  MMDB_s mmdb_{};
  bool open_ = false;
};

}  // namespace

Result<std::unique_ptr<GeoIpDb>> Open(const std::string& path) {
  auto db = std::make_unique<MmdbGeoIp>();
  if (const int status = db->OpenFile(path); status != MMDB_SUCCESS) return FromMmdb(status, path);
  return std::unique_ptr<GeoIpDb>(std::move(db));
}

}  // namespace kinora::geoip
