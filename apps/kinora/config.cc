#include "config.h"

#include <charconv>
#include <cstdlib>
#include <tuple>

extern char** environ;

namespace kinora::app {
namespace {

template <class T>
bool ParseNumber(const std::string& s, T lo, T hi, T* out) {
  T v{};
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v < lo || v > hi) return false;
  *out = v;
  return true;
}

std::string AbsoluteUrl(std::string_view scheme, const std::filesystem::path& p) {
  return std::string(scheme) + "://" + std::filesystem::absolute(p).lexically_normal().string();
}

}  // namespace

// Every setting once: its environment variable and where it lands in RawSettings.
using Field = std::optional<std::string> RawSettings::*;
constexpr std::pair<const char*, Field> kSettings[] = {
    {"KINORA_LISTEN", &RawSettings::listen},
    {"KINORA_DATA_DIR", &RawSettings::data_dir},
    {"KINORA_STORAGE", &RawSettings::storage},
    {"KINORA_QUEUE", &RawSettings::queue},
    {"KINORA_DB", &RawSettings::db},
    {"KINORA_MAX_UPLOAD_BYTES", &RawSettings::max_upload_bytes},
    {"KINORA_MIN_FREE_BYTES", &RawSettings::min_free_bytes},
    {"KINORA_WORKERS", &RawSettings::workers},
    {"KINORA_HTTP_THREADS", &RawSettings::http_threads},
    {"KINORA_URL_TTL_SECONDS", &RawSettings::url_ttl_seconds},
    {"KINORA_WEB_DIR", &RawSettings::web_dir},
    {"KINORA_LOG_LEVEL", &RawSettings::log_level},
    {"KINORA_SIGNING_KEY", &RawSettings::signing_key},
    {"S3_BUCKET", &RawSettings::bucket},  // seed-compatible name
    {"KINORA_JOB_LEASE_SECONDS", &RawSettings::job_lease_seconds},
    {"KINORA_JOB_TIMEOUT_SECONDS", &RawSettings::job_timeout_seconds},
    {"KINORA_JOB_MEMORY_MB", &RawSettings::job_memory_mb},
    {"KINORA_SHUTDOWN_GRACE_SECONDS", &RawSettings::shutdown_grace_seconds},
    {"KINORA_MAX_PIXELS", &RawSettings::max_pixels},
    {"KINORA_MAX_DURATION_SECONDS", &RawSettings::max_duration_seconds},
    {"KINORA_RECONCILE_SECONDS", &RawSettings::reconcile_seconds},
    {"KINORA_LISTING_CACHE_MS", &RawSettings::listing_cache_ms},
    {"KINORA_STUCK_GRACE_SECONDS", &RawSettings::stuck_grace_seconds},
    {"KINORA_ORPHAN_GRACE_SECONDS", &RawSettings::orphan_grace_seconds},
    {"KINORA_UPLOAD_EXPIRY_SECONDS", &RawSettings::upload_expiry_seconds},
    {"KINORA_UPLOAD_SWEEP_SECONDS", &RawSettings::upload_sweep_seconds},
    {"KINORA_UPLOADER_URL", &RawSettings::uploader_url},
    {"KINORA_ANALYTICS_URL", &RawSettings::analytics_url},
    {"SQS_QUEUE_URL", &RawSettings::seed_queue_url},  // seed-compatible name
    {"KINORA_ADMIN_USER", &RawSettings::admin_user},
    {"KINORA_ADMIN_PASSWORD", &RawSettings::admin_password},
    {"KINORA_SIGNUP", &RawSettings::signup},
    {"KINORA_DEFAULT_VISIBILITY", &RawSettings::default_visibility},
    {"KINORA_PUBLIC_URL", &RawSettings::public_url},
    {"KINORA_TRUSTED_PROXIES", &RawSettings::trusted_proxies},
    {"KINORA_CORS_ORIGINS", &RawSettings::cors_origins},
    {"KINORA_EMBED_ORIGINS", &RawSettings::embed_origins},
    {"KINORA_RATE_LIMIT", &RawSettings::rate_limit},
    {"KINORA_RATE_API", &RawSettings::rate_api},
    {"KINORA_RATE_LOGIN", &RawSettings::rate_login},
    {"KINORA_RATE_UPLOAD", &RawSettings::rate_upload},
    {"KINORA_RATE_VIEW", &RawSettings::rate_view},
    {"KINORA_RATE_BEACON", &RawSettings::rate_beacon},
    {"KINORA_ANALYTICS_RETENTION_DAYS", &RawSettings::analytics_retention_days},
    {"KINORA_AUDIENCE_SWEEP_SECONDS", &RawSettings::audience_sweep_seconds},
    {"KINORA_GEOIP_DB", &RawSettings::geoip_db},
    {"KINORA_UAP_REGEXES", &RawSettings::uap_regexes},
    {"KINORA_INTERNAL_LISTEN", &RawSettings::internal_listen},
    {"KINORA_SESSION_IDLE_HOURS", &RawSettings::session_idle_hours},
    {"KINORA_SESSION_MAX_DAYS", &RawSettings::session_max_days},
    {"KINORA_PRIVATE_URL_TTL_SECONDS", &RawSettings::private_url_ttl_seconds},
    {"KINORA_DEFAULT_QUOTA_BYTES", &RawSettings::default_quota_bytes},
    {"KINORA_DEFAULT_DAILY_QUOTA_BYTES", &RawSettings::default_daily_quota_bytes},
    {"KINORA_IDLE_TIMEOUT_SECONDS", &RawSettings::idle_timeout_seconds},
    {"KINORA_ALLOWED_HOSTS", &RawSettings::allowed_hosts},
    {"KINORA_MAX_UPLOADS_PER_CLIENT", &RawSettings::max_uploads_per_client},
    {"KINORA_MAX_UPLOADS", &RawSettings::max_uploads},
};

RawSettings FromEnvironment(const std::map<std::string, std::string>& env) {
  RawSettings r;
  for (const auto& [name, field] : kSettings) {
    if (auto it = env.find(name); it != env.end()) r.*field = it->second;
  }
  return r;
}

std::map<std::string, std::string> ProcessEnvironment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string kv(*e);
    size_t eq = kv.find('=');
    if (eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return env;
}

RawSettings Overlay(RawSettings base, const RawSettings& over) {
  for (const auto& [name, field] : kSettings) {
    if (over.*field) base.*field = over.*field;
  }
  return base;
}

Loaded Validate(const RawSettings& raw, unsigned hardware_threads) {
  Loaded out;
  Config& c = out.config;
  auto& problems = out.problems;
  unsigned hw = hardware_threads == 0 ? 2 : hardware_threads;
  c.workers = static_cast<int>(hw);
  c.http_threads = static_cast<int>(std::max(4u, hw * 2));

  if (raw.listen) {
    const std::string& l = *raw.listen;
    size_t colon = l.rfind(':');
    uint16_t port = 0;
    if (colon == std::string::npos || colon == 0 ||
        !ParseNumber<uint16_t>(l.substr(colon + 1), 0, 65535, &port)) {
      problems.push_back("KINORA_LISTEN/--listen: '" + l +
                         "' is not HOST:PORT (e.g. 127.0.0.1:8080)");
    } else {
      c.host = l.substr(0, colon);
      if (c.host.size() > 2 && c.host.front() == '[' && c.host.back() == ']') {
        c.host = c.host.substr(1, c.host.size() - 2);  // [::1]:8080
      }
      c.port = port;
    }
  }
  if (raw.data_dir) {
    if (raw.data_dir->empty())
      problems.push_back("KINORA_DATA_DIR/--data-dir: must not be empty");
    else
      c.data_dir = *raw.data_dir;
  }
  if (raw.max_upload_bytes &&
      !ParseNumber<uint64_t>(*raw.max_upload_bytes, 1, uint64_t{1} << 42, &c.max_upload_bytes)) {
    problems.push_back("KINORA_MAX_UPLOAD_BYTES: '" + *raw.max_upload_bytes +
                       "' is not a byte count from 1 to 4398046511104");
  }
  if (raw.min_free_bytes &&
      !ParseNumber<uint64_t>(*raw.min_free_bytes, 0, uint64_t{1} << 50, &c.min_free_bytes)) {
    problems.push_back("KINORA_MIN_FREE_BYTES: '" + *raw.min_free_bytes +
                       "' is not a byte count from 0 (no reserve) to 1125899906842624");
  }
  if (raw.workers && !ParseNumber<int>(*raw.workers, 0, 256, &c.workers)) {
    problems.push_back("KINORA_WORKERS: '" + *raw.workers + "' is not a number from 0 to 256");
  }
  if (raw.http_threads && !ParseNumber<int>(*raw.http_threads, 1, 256, &c.http_threads)) {
    problems.push_back("KINORA_HTTP_THREADS: '" + *raw.http_threads +
                       "' is not a number from 1 to 256");
  }
  if (raw.url_ttl_seconds &&
      !ParseNumber<int>(*raw.url_ttl_seconds, 1, 7 * 24 * 3600, &c.url_ttl_seconds)) {
    problems.push_back("KINORA_URL_TTL_SECONDS: '" + *raw.url_ttl_seconds +
                       "' is not a number of seconds from 1 to 604800");
  }
  if (raw.web_dir && raw.web_dir->empty()) {
    c.web_dir = std::filesystem::path();  // explicitly none
  } else if (raw.web_dir) {
    c.web_dir = *raw.web_dir;
    std::error_code ec;
    if (!std::filesystem::is_directory(*c.web_dir, ec)) {
      problems.push_back("KINORA_WEB_DIR/--web-dir: '" + *raw.web_dir + "' is not a directory");
    }
  }
  if (raw.log_level) {
    const std::string& l = *raw.log_level;
    if (l != "debug" && l != "info" && l != "warn" && l != "error") {
      problems.push_back("KINORA_LOG_LEVEL: '" + l + "' is not one of debug, info, warn, error");
    } else {
      c.log_level = l;
    }
  }
  if (raw.signing_key) {
    if (raw.signing_key->size() < 32) {
      problems.push_back("KINORA_SIGNING_KEY: must be at least 32 characters (value not shown)");
    } else {
      c.signing_key = *raw.signing_key;
    }
  }
  if (raw.bucket && !raw.bucket->empty()) c.bucket = *raw.bucket;
  if (raw.job_lease_seconds &&
      !ParseNumber<int>(*raw.job_lease_seconds, 2, 43200, &c.job_lease_seconds)) {
    problems.push_back("KINORA_JOB_LEASE_SECONDS: '" + *raw.job_lease_seconds +
                       "' is not a number of seconds from 2 to 43200");
  }
  if (raw.job_timeout_seconds &&
      !ParseNumber<int>(*raw.job_timeout_seconds, 1, 7 * 24 * 3600, &c.job_timeout_seconds)) {
    problems.push_back("KINORA_JOB_TIMEOUT_SECONDS: '" + *raw.job_timeout_seconds +
                       "' is not a number of seconds from 1 to 604800");
  }
  if (raw.job_memory_mb && !ParseNumber<int>(*raw.job_memory_mb, 256, 1 << 20, &c.job_memory_mb)) {
    problems.push_back("KINORA_JOB_MEMORY_MB: '" + *raw.job_memory_mb +
                       "' is not a number of MiB from 256 to 1048576");
  }
  if (raw.shutdown_grace_seconds &&
      !ParseNumber<int>(*raw.shutdown_grace_seconds, 0, 3600, &c.shutdown_grace_seconds)) {
    problems.push_back("KINORA_SHUTDOWN_GRACE_SECONDS: '" + *raw.shutdown_grace_seconds +
                       "' is not a number of seconds from 0 to 3600");
  }
  if (raw.max_pixels &&
      !ParseNumber<int64_t>(*raw.max_pixels, 64 * 64, int64_t{16384} * 16384, &c.max_pixels)) {
    problems.push_back("KINORA_MAX_PIXELS: '" + *raw.max_pixels +
                       "' is not a pixel count from 4096 to 268435456");
  }
  if (raw.max_duration_seconds &&
      !ParseNumber<int>(*raw.max_duration_seconds, 0, 7 * 24 * 3600, &c.max_duration_seconds)) {
    problems.push_back("KINORA_MAX_DURATION_SECONDS: '" + *raw.max_duration_seconds +
                       "' is not a number of seconds from 0 (no limit) to 604800");
  }
  if (raw.reconcile_seconds &&
      !ParseNumber<int>(*raw.reconcile_seconds, 1, 86400, &c.reconcile_seconds)) {
    problems.push_back("KINORA_RECONCILE_SECONDS: '" + *raw.reconcile_seconds +
                       "' is not a number of seconds from 1 to 86400");
  }
  if (raw.listing_cache_ms &&
      !ParseNumber<int>(*raw.listing_cache_ms, 0, 60000, &c.listing_cache_ms)) {
    problems.push_back("KINORA_LISTING_CACHE_MS: '" + *raw.listing_cache_ms +
                       "' is not a number of milliseconds from 0 (keep none) to 60000");
  }
  if (raw.analytics_retention_days &&
      !ParseNumber<int>(*raw.analytics_retention_days, 1, 36500, &c.analytics_retention_days)) {
    problems.push_back("KINORA_ANALYTICS_RETENTION_DAYS: '" + *raw.analytics_retention_days +
                       "' is not a number of days from 1 to 36500");
  }
  if (raw.audience_sweep_seconds &&
      !ParseNumber<int>(*raw.audience_sweep_seconds, 1, 86400, &c.audience_sweep_seconds)) {
    problems.push_back("KINORA_AUDIENCE_SWEEP_SECONDS: '" + *raw.audience_sweep_seconds +
                       "' is not a number of seconds from 1 to 86400");
  }
  if (raw.rate_beacon && !ParseNumber<double>(*raw.rate_beacon, 1, 1'000'000, &c.rate_beacon)) {
    problems.push_back("KINORA_RATE_BEACON: '" + *raw.rate_beacon +
                       "' is not a number of batches per minute from 1 to 1000000");
  }
  // Checked here so a typo is reported with the rest; the files are read when the beacon
  // ingest starts (apps/kinora/audience_dimensions.cc).
  for (auto [name, raw_path, path] :
       {std::tuple{"KINORA_GEOIP_DB", &raw.geoip_db, &c.geoip_db},
        std::tuple{"KINORA_UAP_REGEXES", &raw.uap_regexes, &c.uap_regexes}}) {
    if (!raw_path->has_value() || (*raw_path)->empty()) continue;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(**raw_path, ec)) {
      problems.push_back(std::string(name) + ": '" + **raw_path + "' is not a readable file");
    } else {
      *path = **raw_path;
    }
  }
  if (raw.stuck_grace_seconds &&
      !ParseNumber<int>(*raw.stuck_grace_seconds, 0, 30 * 86400, &c.stuck_grace_seconds)) {
    problems.push_back("KINORA_STUCK_GRACE_SECONDS: '" + *raw.stuck_grace_seconds +
                       "' is not a number of seconds from 0 to 2592000");
  }
  if (raw.orphan_grace_seconds &&
      !ParseNumber<int>(*raw.orphan_grace_seconds, 0, 30 * 86400, &c.orphan_grace_seconds)) {
    problems.push_back("KINORA_ORPHAN_GRACE_SECONDS: '" + *raw.orphan_grace_seconds +
                       "' is not a number of seconds from 0 to 2592000");
  }
  if (raw.upload_expiry_seconds &&
      !ParseNumber<int>(*raw.upload_expiry_seconds, 1, 30 * 86400, &c.upload_expiry_seconds)) {
    problems.push_back("KINORA_UPLOAD_EXPIRY_SECONDS: '" + *raw.upload_expiry_seconds +
                       "' is not a number of seconds from 1 to 2592000");
  }
  if (raw.upload_sweep_seconds &&
      !ParseNumber<int>(*raw.upload_sweep_seconds, 1, 86400, &c.upload_sweep_seconds)) {
    problems.push_back("KINORA_UPLOAD_SWEEP_SECONDS: '" + *raw.upload_sweep_seconds +
                       "' is not a number of seconds from 1 to 86400");
  }
  c.storage_url = raw.storage.value_or(AbsoluteUrl("file", c.data_dir / "objects"));
  if (c.storage_url == "s3") {
    // The seed's way: KINORA_STORAGE=s3 with the bucket in S3_BUCKET.
    if (!raw.bucket || raw.bucket->empty()) {
      problems.push_back("KINORA_STORAGE=s3 needs the bucket in S3_BUCKET");
    } else {
      c.storage_url = "s3://" + *raw.bucket;
    }
  }
  c.queue_url = raw.queue.value_or(AbsoluteUrl("sqlite", c.data_dir / "queue.db"));
  if (c.queue_url == "sqs" || c.queue_url == "sqs:") {
    // The seed's way: KINORA_QUEUE=sqs with the queue in SQS_QUEUE_URL.
    if (!raw.seed_queue_url || raw.seed_queue_url->empty()) {
      problems.push_back("KINORA_QUEUE=sqs needs the queue URL in SQS_QUEUE_URL");
    } else {
      c.queue_url = "sqs:" + *raw.seed_queue_url;
    }
  }
  c.db_url = raw.db.value_or(AbsoluteUrl("sqlite", c.data_dir / "catalog.db"));
  if (raw.uploader_url) c.uploader_url = *raw.uploader_url;
  if (raw.analytics_url) c.analytics_url = *raw.analytics_url;
  ValidateAccess(raw, c.access, problems);
  ValidateHttp(raw, c.http, problems);
  return out;
}

}  // namespace kinora::app
