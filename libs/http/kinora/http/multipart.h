// Streaming multipart/form-data parser (RFC 7578 / RFC 2046). Bytes are pushed in arbitrary
// pieces; part data is handed to callbacks as it arrives, so a 500 MB file part passes through
// in constant memory. Any framing error is kInvalidArgument with a message saying what.
// Thread safety: one parser per request, used by one thread at a time.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "kinora/core/error.h"

namespace kinora::http {

struct PartHeader {
  std::string name;      // form field name
  std::string filename;  // present for file parts (may be empty)
  bool has_filename = false;
  std::string content_type;
};

struct MultipartCallbacks {
  std::function<Result<void>(const PartHeader&)> on_begin;
  std::function<Result<void>(std::string_view)> on_data;
  std::function<Result<void>()> on_end;
};

// The boundary parameter of a multipart/form-data Content-Type; kUnsupportedMediaType if the
// type is not multipart/form-data, kInvalidArgument if the boundary is missing or invalid.
Result<std::string> MultipartBoundary(std::string_view content_type);

class MultipartParser {
 public:
  MultipartParser(std::string boundary, MultipartCallbacks callbacks);

  // Consumes bytes; errors from callbacks are returned unchanged.
  Result<void> Feed(std::string_view data);
  // The body ended: kInvalidArgument unless the closing boundary was seen.
  Result<void> Finish();

 private:
  enum class State { kPreamble, kAfterBoundary, kHeaders, kBody, kEpilogue };
  Result<void> ParseHeaders(std::string_view block);

  std::string dash_boundary_;  // "--" + boundary
  std::string delimiter_;      // "\r\n--" + boundary
  MultipartCallbacks cb_;
  State state_ = State::kPreamble;
  std::string pending_;  // bytes not yet consumed (bounded)
};

}  // namespace kinora::http
