// A video's content analysis over HTTP (docs/content-analysis.md "API"):
// GET {prefix}/videos/{id}/content answers processed/{id}/analysis.json with the storyboard's
// signed VTT URL added, the flags as messages and the detailed flags as flag_details. Like the
// other per-video analytics, it is for the video's owner, moderators and admins; anyone else
// gets the 404 an unknown video gets.
// Thread safety: handlers may run concurrently (catalog, store and presenter are thread-safe).
#pragma once

#include <boost/json/object.hpp>
#include <string>

#include "kinora/catalog/catalog.h"
#include "kinora/http/router.h"
#include "kinora/storage/object_store.h"
#include "kinora/videos/presenter.h"

namespace kinora::analytics {

// analysis.json is small (a waveform of 10 values a second is its bulk); a larger object is not
// one Kinora wrote.
inline constexpr size_t kMaxAnalysisBytes = 16 << 20;

class ContentApi {
 public:
  ContentApi(catalog::Catalog& catalog, storage::ObjectStore& store,
             const videos::Presenter& presenter)
      : catalog_(catalog), store_(store), presenter_(presenter) {}

  // GET {prefix}/videos/{id}/content.
  void Register(http::Router& router, const std::string& prefix);

  http::Response Content(http::Request& req);

 private:
  catalog::Catalog& catalog_;
  storage::ObjectStore& store_;
  const videos::Presenter& presenter_;
};

// The answer made from analysis.json's document: `flags` becomes the list of the flags'
// messages and `flag_details` the flags themselves; a storyboard gets `vtt_url` (when vtt_url is
// not empty). kInvalidArgument when `flags` is not a list of objects.
Result<boost::json::object> ContentAnswer(boost::json::object analysis, const std::string& vtt_url);

}  // namespace kinora::analytics
