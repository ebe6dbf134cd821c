#include "kinora/gateway/kept_listings.h"

#include "kinora/http/entity.h"

namespace kinora::gateway {

KeptListings::KeptListings(size_t max_bytes, std::chrono::milliseconds max_age)
    : max_bytes_(max_bytes), max_age_(max_age) {}

std::shared_ptr<const KeptListings::Page> KeptListings::Find(
    const std::string& target, const std::string& version, int64_t now_unix,
    std::chrono::steady_clock::time_point now) {
  if (!enabled() || version.empty()) return nullptr;
  std::lock_guard lock(mu_);
  auto it = pages_.find(target);
  if (it == pages_.end()) return nullptr;
  const Page& p = *it->second;
  if (p.version != version || now_unix >= p.same_until || now - p.made >= max_age_) {
    bytes_ -= p.body.size();
    pages_.erase(it);
    return nullptr;
  }
  return it->second;
}

void KeptListings::Keep(const std::string& target, std::shared_ptr<const Page> page) {
  if (!enabled() || page->version.empty() || page->tag.empty() ||
      page->body.size() > max_bytes_ / 4) {
    return;
  }
  std::lock_guard lock(mu_);
  if (auto it = pages_.find(target); it != pages_.end()) {
    bytes_ -= it->second->body.size();
    pages_.erase(it);
  }
  // Room: pages of another version first (they can never serve again), then any.
  for (auto it = pages_.begin(); it != pages_.end() && bytes_ + page->body.size() > max_bytes_;) {
    if (it->second->version != page->version) {
      bytes_ -= it->second->body.size();
      it = pages_.erase(it);
    } else {
      ++it;
    }
  }
  while (!pages_.empty() && bytes_ + page->body.size() > max_bytes_) {
    bytes_ -= pages_.begin()->second->body.size();
    pages_.erase(pages_.begin());
  }
  bytes_ += page->body.size();
  pages_.emplace(target, std::move(page));
}

size_t KeptListings::Pages() const {
  std::lock_guard lock(mu_);
  return pages_.size();
}

http::Response AnswerFromKept(const http::Request& req, const KeptListings::Page& page) {
  http::Response r;
  const std::string_view asked_for = req.Header(http::bhttp::field::if_none_match);
  if (!asked_for.empty() && http::EtagMatches(asked_for, page.tag)) {
    r.status = http::Status::not_modified;
    // A 304 carries what a 200 would say of caching (RFC 9110 §15.4.5), not the content type.
    for (auto f : {http::bhttp::field::etag, http::bhttp::field::cache_control}) {
      if (auto v = page.headers[f]; !v.empty()) r.headers.set(f, v);
    }
    return r;
  }
  r.headers = page.headers;
  r.body = page.body;
  return r;
}

}  // namespace kinora::gateway
