// Listing pages as they were sent, kept for the next identical request. The front page of a
// site is the same text for every anonymous caller (and a signed-in caller's for each reload)
// until the catalog changes; its query, head checks and assembly cost more than sending it.
// A kept page serves while all of these hold:
// - the catalog's ListVersion is the one read before the page's List (a commit since, by any
//   connection or process, makes it differ);
// - both signing steps are the ones its URLs were signed in (Presenter::ExpiresFor): its URLs
//   and entity tag are what a fresh page would have;
// - it is younger than max_age (an operator's bound; the version alone keeps pages exact).
// The key is the whole query, the caller's audience and id included: a page is never shown to
// a caller whose query differs in any way. One request reads a missing page; the others asking
// for it meanwhile (same key, version and steps) wait for that page instead of reading it too
// (when a page went stale, 32 connections would otherwise all read it at once).
// Thread safety: safe to share.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "kinora/catalog/catalog.h"

namespace kinora::analytics {

class ListingCache {
 public:
  struct Page {
    std::string version;                           // the catalog's ListVersion before its List
    int64_t public_until = 0, other_until = 0;     // its signing steps (Presenter::ExpiresFor)
    std::chrono::steady_clock::time_point made{};  // when it was read
    std::string tag;                               // its entity tag (quoted)
    std::string body;                              // its JSON
  };
  struct Flight;  // a page being read

  // The right to read a missing page, and the promise to hand it to those who wait for it
  // (Keep). Given up without a page (an error answer), the waiters read the page themselves.
  class Claim {
   public:
    Claim() = default;
    Claim(Claim&& o) noexcept;
    Claim& operator=(Claim&& o) noexcept;
    ~Claim();
    explicit operator bool() const { return flight_ != nullptr; }
    // Keeps `page` (when it may be kept) and hands it to the waiters.
    void Keep(std::shared_ptr<const Page> page);

   private:
    friend class ListingCache;
    Claim(ListingCache* cache, std::string key, std::shared_ptr<Flight> flight);
    void Finish(std::shared_ptr<const Page> page);
    ListingCache* cache_ = nullptr;
    std::string key_;
    std::shared_ptr<Flight> flight_;
  };

  struct Found {
    std::shared_ptr<const Page> page;  // the page, kept or just read by another request
    Claim claim;                       // else: read it, then claim.Keep it
  };

  // At most `max_bytes` of kept bodies (a page larger than a quarter of it is not kept); a page
  // serves for at most `max_age`. max_age 0: nothing is kept.
  ListingCache(size_t max_bytes, std::chrono::milliseconds max_age);

  // Everything of `q` that decides its page (not `known`, which only saves reading).
  static std::string KeyOf(const catalog::ListQuery& q);

  // The page for `key` if one still holds for `version` and these signing steps, else a claim
  // to read it (or nothing of either when nothing is kept: max_age 0, version empty). Waits
  // while another request reads the same page.
  Found Find(const std::string& key, const std::string& version, int64_t public_until,
             int64_t other_until);

  size_t Pages() const;

 private:
  bool Fresh(const Page& p, std::chrono::steady_clock::time_point now) const;
  void Finish(const std::string& key, const std::shared_ptr<Flight>& flight,
              std::shared_ptr<const Page> page);
  void KeepLocked(const std::string& key, std::shared_ptr<const Page> page);

  const size_t max_bytes_;
  const std::chrono::milliseconds max_age_;
  mutable std::mutex mu_;
  std::condition_variable done_;                                        // a flight finished
  std::unordered_map<std::string, std::shared_ptr<const Page>> pages_;  // guarded by mu_
  std::unordered_map<std::string, std::shared_ptr<Flight>> flights_;    // guarded by mu_
  size_t bytes_ = 0;                                                    // guarded by mu_
};

}  // namespace kinora::analytics
