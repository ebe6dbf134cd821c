#include "reindex.h"

#include <boost/json.hpp>
#include <cstdio>

#include "kinora/catalog/catalog.h"
#include "kinora/core/json_text.h"
#include "kinora/core/log.h"
#include "kinora/storage/object_store.h"
#include "kinora/videos/keys.h"
#include "kinora/videos/library.h"

namespace kinora::app {

namespace json = boost::json;

namespace {

constexpr std::string_view kPrefix = videos::kMetadataPrefix;

// One document → the catalog. Returns "inserted", "updated", "kept", "deleted" (the catalog
// remembers deleting it: a leftover of a delete, never brought back), "no_original" (its media
// is gone: restoring it would list a video that cannot play), or an error.
Result<std::string_view> Restore(storage::ObjectStore& store, catalog::Catalog& cat,
                                 const std::string& key, bool update_existing) {
  KINORA_TRY(catalog::VideoRecord v, videos::Library(cat, store).ReadMirror(key));
  KINORA_TRY(bool deleted, cat.WasDeleted(v.video_id));
  if (deleted) return std::string_view("deleted");
  auto original = store.Head(v.video_key);
  if (!original && original.error().code == ErrorCode::kNotFound) {
    return std::string_view("no_original");
  }
  if (!original) return original.error();
  auto inserted = cat.Insert(v);  // counters as the mirror last recorded them
  if (inserted) return std::string_view("inserted");
  if (inserted.error().code != ErrorCode::kAlreadyExists) return inserted.error();
  if (!update_existing) return std::string_view("kept");
  KINORA_TRY_VOID(cat.Update(v));  // the catalog's own counters stay: they are newer
  return std::string_view("updated");
}

}  // namespace

int RunReindex(const Config& c, const ReindexArgs& args) {
  log::Level level = log::Level::kInfo;
  log::ParseLevel(c.log_level, &level);
  log::Configure("reindex", level);
  auto store = storage::OpenObjectStore(c.storage_url);
  if (!store) {
    std::fprintf(stderr, "kinora reindex: cannot open the object store: %s\n",
                 store.error().message.c_str());
    return 1;
  }
  auto cat = catalog::OpenCatalog(c.db_url);
  if (!cat) {
    std::fprintf(stderr, "kinora reindex: cannot open the catalog: %s\n",
                 cat.error().message.c_str());
    return 1;
  }
  int64_t inserted = 0, updated = 0, kept = 0, failed = 0, deleted = 0, no_original = 0;
  json::array not_restored;  // every document not restored, and why
  std::string after;
  for (;;) {
    auto page = (*store)->List(kPrefix, after, 1000);
    if (!page) {
      std::fprintf(stderr, "kinora reindex: cannot list %s: %s\n", std::string(kPrefix).c_str(),
                   page.error().message.c_str());
      return 1;
    }
    for (const auto& o : page->objects) {
      if (!o.key.ends_with(".json")) continue;
      auto r = Restore(**store, **cat, o.key, args.update_existing);
      if (!r) {
        // Never silent: each video not restored is logged and listed in the summary.
        ++failed;
        const std::string id(videos::VideoIdOfMetadataKey(o.key).value_or(""));
        log::Warn("could not restore a video from its metadata document",
                  {{"key", o.key}, {"video_id", id}, {"error", r.error().message}});
        not_restored.push_back(
            json::object{{"key", o.key}, {"video_id", id}, {"error", r.error().message}});
        continue;
      }
      if (*r == "deleted") ++deleted;
      if (*r == "no_original") {
        ++no_original;
        const std::string id(videos::VideoIdOfMetadataKey(o.key).value_or(""));
        not_restored.push_back(
            json::object{{"key", o.key}, {"video_id", id}, {"error", "the original is missing"}});
      }
      if (*r == "inserted") ++inserted;
      if (*r == "updated") ++updated;
      if (*r == "kept") ++kept;
    }
    if (!page->next) break;
    after = *page->next;
  }
  const json::object summary{{"inserted", inserted},
                             {"updated", updated},
                             {"kept", kept},
                             {"failed", failed},
                             {"deleted", deleted},
                             {"no_original", no_original},
                             {"not_restored", std::move(not_restored)},
                             {"catalog", (*cat)->Describe()},
                             {"storage", (*store)->Describe()}};
  std::printf("%s\n", ToJsonText(summary).c_str());
  if (inserted > 0) {
    // Said plainly, on stderr, so nobody takes a restored catalog for a perfect one.
    std::fprintf(stderr,
                 "kinora reindex: restored %lld video(s) from their mirrors. Not recoverable from "
                 "the store: views and likes counted after a mirror was last written (the "
                 "reconciler rewrites mirrors every KINORA_RECONCILE_SECONDS), who liked what, "
                 "and the per-day view and like history.\n",
                 static_cast<long long>(inserted));
  }
  return failed > 0 ? 1 : 0;
}

}  // namespace kinora::app
