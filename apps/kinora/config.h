// Kinora's settings: read from the environment (12-factor) with command-line flags on top,
// validated in one pass that reports every problem at once. Secrets are never printed.
// Thread safety: plain values.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kinora::app {

// Raw settings as strings, before validation. Flags fill the same struct as the environment.
struct RawSettings {
  std::optional<std::string> listen, data_dir, storage, queue, db, max_upload_bytes, workers,
      http_threads, url_ttl_seconds, web_dir, log_level, signing_key, bucket, job_lease_seconds,
      job_timeout_seconds, job_memory_mb, uploader_url, analytics_url, seed_queue_url,
      shutdown_grace_seconds, reconcile_seconds, stuck_grace_seconds, orphan_grace_seconds;
  // Resumable uploads (docs/uploads.md).
  std::optional<std::string> upload_expiry_seconds, upload_sweep_seconds;
  // Audience analytics (docs/analytics.md).
  std::optional<std::string> analytics_retention_days, audience_sweep_seconds, rate_beacon;
  // Kept listing pages: the analytics role's (kinora/analytics/listing_cache.h) and the
  // gateway's (kinora/gateway/kept_listings.h).
  std::optional<std::string> listing_cache_ms;
  // Breakdown dimensions (audience_dimensions.cc).
  std::optional<std::string> geoip_db, uap_regexes;
  // Untrusted media (libs/media input_policy.h).
  std::optional<std::string> max_pixels, max_duration_seconds;
  // Accounts and access (access_config.cc).
  std::optional<std::string> admin_user, admin_password, signup, default_visibility, public_url,
      trusted_proxies, cors_origins, rate_limit, rate_api, rate_login, rate_upload, rate_view,
      internal_listen, session_idle_hours, session_max_days, private_url_ttl_seconds,
      default_quota_bytes, default_daily_quota_bytes, embed_origins;
  std::optional<std::string> min_free_bytes;  // the data directory's disk reserve
  // HTTP edge limits (http_config.cc).
  std::optional<std::string> idle_timeout_seconds, allowed_hosts, max_uploads_per_client,
      max_uploads;
};

// HTTP edge settings (http_config.cc).
struct HttpConfig {
  int idle_timeout_seconds = 30;  // no byte in either direction for this long closes
  // Host header check (DNS rebinding): empty = the default for the listen address.
  std::vector<std::string> allowed_hosts;
  int max_uploads_per_client = 4;  // request bodies streamed at once, per client address
  int max_uploads = 64;            // … and in total
};

// Accounts and access settings (docs/auth.md).
struct AccessConfig {
  std::string admin_user = "admin";
  std::string admin_password;     // empty: generated at the first start, printed once
  std::string signup = "closed";  // closed | open | approval
  std::string default_visibility = "public";
  std::string public_url;       // "https://video.example.org": cookies Secure, CSRF origin
  std::string trusted_proxies;  // IPs and CIDRs whose X-Forwarded-* we believe
  std::vector<std::string> cors_origins;
  // KINORA_EMBED_ORIGINS: sites that may frame /embed/{id}; "*" any (default), "none" nobody.
  std::vector<std::string> embed_origins = {"*"};
  bool rate_limit = true;
  double rate_api = 1200, rate_login = 10, rate_upload = 30, rate_view = 120;  // per minute
  std::string internal_host;  // KINORA_INTERNAL_LISTEN: /metrics, /health, /ready
  uint16_t internal_port = 0;
  int session_idle_hours = 72;
  int session_max_days = 30;
  int private_url_ttl_seconds = 900;
  int64_t default_quota_bytes = 0;
  int64_t default_daily_quota_bytes = 0;
};

struct Config {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;
  std::filesystem::path data_dir = "kinora-data";
  std::string storage_url;  // default file://<data>/objects
  std::string queue_url;    // default sqlite://<data>/queue.db
  std::string db_url;       // default sqlite://<data>/catalog.db
  uint64_t max_upload_bytes = 524288000;
  // Below this much free space under the data directory: uploads 507, no new job, not ready.
  uint64_t min_free_bytes = uint64_t{512} << 20;
  int workers = 0;  // processing workers; 0 = none
  int http_threads = 4;
  int url_ttl_seconds = 3600;
  // The built web app to serve at /: unset, found beside the binary or in its source tree
  // (web_app.h); an empty path, none; otherwise that directory.
  std::optional<std::filesystem::path> web_dir;
  std::string log_level = "info";
  std::string signing_key;  // empty: generated once and kept in <data>/signing.key
  std::string bucket = "local";
  // Processing jobs: queue lease (extended while a job runs), and the sandboxed child's
  // wall-clock watchdog and address-space limit.
  int job_lease_seconds = 60;
  int job_timeout_seconds = 3600;
  int job_memory_mb = 4096;
  // Crash repair (the outbox relay and the reconciler, kinora/videos/reconciler.h): how often a
  // pass runs, how late a pending video's job may be before it is queued again, and how old an
  // original with no row must be before it is removed.
  int reconcile_seconds = 60;
  // How long a kept listing page may answer while the catalog is unchanged (0: none kept;
  // kinora/analytics/listing_cache.h, kinora/gateway/kept_listings.h).
  int listing_cache_ms = 60000;
  int stuck_grace_seconds = 600;
  int orphan_grace_seconds = 3600;
  // Resumable uploads (docs/uploads.md): an unfinished one expires this long after its last
  // PATCH; expired ones are swept this often.
  int upload_expiry_seconds = 86400;
  int upload_sweep_seconds = 300;
  // Audience analytics: raw view sessions are kept this long (rollups forever); the sweeper
  // (finalising silent views, deleting old sessions, salts and dedupe keys) runs this often; and
  // the beacon batches a viewer (address and User-Agent) may send a minute.
  int analytics_retention_days = 90;
  int audience_sweep_seconds = 60;
  double rate_beacon = 120;
  // KINORA_GEOIP_DB: a MaxMind DB (.mmdb) for the country breakdown; empty = no country.
  std::string geoip_db;
  // KINORA_UAP_REGEXES: uap-core's regexes.yaml; empty = Debian's, "Other" when it is missing.
  std::string uap_regexes;
  // On SIGTERM, how long requests in flight (uploads) get to finish before connections close.
  int shutdown_grace_seconds = 10;
  // What a source video may be: pixels a frame and seconds (0: no limit), checked by the
  // upload-time probe and by the processing child.
  int64_t max_pixels = int64_t{8192} * 4320;
  int max_duration_seconds = 6 * 3600;
  // Split mode: where the gateway finds the other roles (http://host:port).
  std::string uploader_url;
  std::string analytics_url;
  AccessConfig access;
  HttpConfig http;
};

// Reads KINORA_* (and seed-compatible S3_BUCKET) from an environment map.
RawSettings FromEnvironment(const std::map<std::string, std::string>& env);
std::map<std::string, std::string> ProcessEnvironment();
// Fields set in `over` replace those in `base`.
RawSettings Overlay(RawSettings base, const RawSettings& over);
// Validates everything; on failure returns every problem, one line each.
struct Loaded {
  Config config;
  std::vector<std::string> problems;
};
Loaded Validate(const RawSettings& raw, unsigned hardware_threads);
// The accounts and access part of Validate (access_config.cc).
void ValidateAccess(const RawSettings& raw, AccessConfig& c, std::vector<std::string>& problems);
// The HTTP edge part of Validate (http_config.cc).
void ValidateHttp(const RawSettings& raw, HttpConfig& c, std::vector<std::string>& problems);

}  // namespace kinora::app
