#include "kinora/analytics/listing_cache.h"

#include <vector>

namespace kinora::analytics {

struct ListingCache::Flight {
  std::string version;
  int64_t public_until = 0, other_until = 0;
  bool done = false;                 // guarded by the cache's mu_
  std::shared_ptr<const Page> page;  // guarded by the cache's mu_; null: given up
};

ListingCache::Claim::Claim(ListingCache* cache, std::string key, std::shared_ptr<Flight> flight)
    : cache_(cache), key_(std::move(key)), flight_(std::move(flight)) {}

ListingCache::Claim::Claim(Claim&& o) noexcept
    : cache_(o.cache_), key_(std::move(o.key_)), flight_(std::move(o.flight_)) {
  o.flight_.reset();
}

ListingCache::Claim& ListingCache::Claim::operator=(Claim&& o) noexcept {
  if (this != &o) {
    Finish(nullptr);
    cache_ = o.cache_;
    key_ = std::move(o.key_);
    flight_ = std::move(o.flight_);
    o.flight_.reset();
  }
  return *this;
}

ListingCache::Claim::~Claim() { Finish(nullptr); }

void ListingCache::Claim::Keep(std::shared_ptr<const Page> page) { Finish(std::move(page)); }

void ListingCache::Claim::Finish(std::shared_ptr<const Page> page) {
  if (!flight_) return;
  cache_->Finish(key_, flight_, std::move(page));
  flight_.reset();
}

ListingCache::ListingCache(size_t max_bytes, std::chrono::milliseconds max_age)
    : max_bytes_(max_bytes), max_age_(max_age) {}

std::string ListingCache::KeyOf(const catalog::ListQuery& q) {
  // Each field length-prefixed: no two queries share a key, whatever their free text holds.
  std::string key;
  key.reserve(64 + q.cursor.size() + q.title_query.size() + q.viewer_id.size() + q.owner_id.size() +
              q.flag.size());
  const auto add = [&key](std::string_view field) {
    key += std::to_string(field.size());
    key.push_back(':');
    key += field;
  };
  add(std::to_string(q.limit));
  add(std::to_string(q.offset));
  add(std::to_string(static_cast<int>(q.sort)));
  add(q.descending ? "d" : "a");
  add(q.status ? std::to_string(static_cast<int>(*q.status)) : "");
  add(std::to_string(static_cast<int>(q.audience)));
  add(q.viewer_id);
  add(q.owner_id);
  add(q.flag);
  add(q.cursor);
  add(q.title_query);
  return key;
}

bool ListingCache::Fresh(const Page& p, std::chrono::steady_clock::time_point now) const {
  return now - p.made < max_age_;
}

ListingCache::Found ListingCache::Find(const std::string& key, const std::string& version,
                                       int64_t public_until, int64_t other_until) {
  if (max_age_.count() <= 0 || version.empty()) return {};
  std::unique_lock lock(mu_);
  if (auto it = pages_.find(key); it != pages_.end()) {
    const Page& p = *it->second;
    if (p.version == version && p.public_until == public_until && p.other_until == other_until &&
        Fresh(p, std::chrono::steady_clock::now())) {
      return {it->second, {}};
    }
  }
  if (auto it = flights_.find(key); it != flights_.end()) {
    const std::shared_ptr<Flight> flight = it->second;
    if (flight->version != version || flight->public_until != public_until ||
        flight->other_until != other_until) {
      return {};  // another version of the page is being read: read this one alone
    }
    // Bounded: a reader stuck on its catalog does not hold its waiters longer than this.
    done_.wait_for(lock, std::chrono::seconds(10), [&] { return flight->done; });
    return {flight->page, {}};  // null (given up, or still reading): read it alone
  }
  auto flight = std::make_shared<Flight>();
  flight->version = version;
  flight->public_until = public_until;
  flight->other_until = other_until;
  flights_.emplace(key, flight);
  return {nullptr, Claim(this, key, std::move(flight))};
}

void ListingCache::Finish(const std::string& key, const std::shared_ptr<Flight>& flight,
                          std::shared_ptr<const Page> page) {
  {
    std::lock_guard lock(mu_);
    flight->done = true;
    flight->page = page;
    if (auto it = flights_.find(key); it != flights_.end() && it->second == flight) {
      flights_.erase(it);
    }
    if (page) KeepLocked(key, std::move(page));
  }
  done_.notify_all();
}

void ListingCache::KeepLocked(const std::string& key, std::shared_ptr<const Page> page) {
  if (page->tag.empty() || page->body.size() > max_bytes_ / 4) return;
  const auto now = std::chrono::steady_clock::now();
  if (auto it = pages_.find(key); it != pages_.end()) {
    bytes_ -= it->second->body.size();
    pages_.erase(it);
  }
  if (bytes_ + page->body.size() > max_bytes_) {
    // Over budget: first what no longer serves, then whatever comes first (the map's order,
    // arbitrary: a hot page evicted is read again once).
    std::vector<std::string> stale;
    for (const auto& [k, p] : pages_) {
      if (!Fresh(*p, now)) stale.push_back(k);
    }
    for (const std::string& k : stale) {
      bytes_ -= pages_[k]->body.size();
      pages_.erase(k);
    }
    while (!pages_.empty() && bytes_ + page->body.size() > max_bytes_) {
      bytes_ -= pages_.begin()->second->body.size();
      pages_.erase(pages_.begin());
    }
  }
  bytes_ += page->body.size();
  pages_.emplace(key, std::move(page));
}

size_t ListingCache::Pages() const {
  std::lock_guard lock(mu_);
  return pages_.size();
}

}  // namespace kinora::analytics
