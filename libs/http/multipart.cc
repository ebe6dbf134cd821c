#include "kinora/http/multipart.h"

#include <algorithm>
#include <cctype>

namespace kinora::http {
namespace {

constexpr size_t kMaxHeaderBlock = 16 * 1024;
constexpr size_t kMaxPreamble = 16 * 1024;

Error Malformed(std::string_view what) {
  return MakeError(ErrorCode::kInvalidArgument, "malformed multipart body: " + std::string(what));
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Finds `key=value` or `key="value"` among ';'-separated parameters (case-insensitive key).
bool FindParam(std::string_view header, std::string_view key, std::string* out) {
  size_t i = 0;
  while (i < header.size()) {
    size_t semi = header.find(';', i);
    // A quoted value may contain ';': scan respecting quotes.
    size_t j = i;
    bool quoted = false;
    for (; j < header.size(); ++j) {
      if (header[j] == '"' && (j == 0 || header[j - 1] != '\\')) quoted = !quoted;
      if (header[j] == ';' && !quoted) break;
    }
    semi = j;
    std::string_view item = Trim(header.substr(i, semi - i));
    size_t eq = item.find('=');
    if (eq != std::string_view::npos && Lower(Trim(item.substr(0, eq))) == key) {
      std::string_view v = Trim(item.substr(eq + 1));
      out->clear();
      if (v.size() >= 2 && v.front() == '"' && v.back() == '"') {
        v = v.substr(1, v.size() - 2);
        for (size_t k = 0; k < v.size(); ++k) {
          if (v[k] == '\\' && k + 1 < v.size()) ++k;
          out->push_back(v[k]);
        }
      } else {
        out->assign(v);
      }
      return true;
    }
    i = semi + 1;
  }
  return false;
}

}  // namespace

Result<std::string> MultipartBoundary(std::string_view content_type) {
  std::string lower = Lower(Trim(content_type.substr(0, content_type.find(';'))));
  if (lower != "multipart/form-data") {
    return UnsupportedMediaType("expected Content-Type multipart/form-data, got '" +
                                std::string(content_type.substr(0, 100)) + "'");
  }
  std::string boundary;
  if (!FindParam(content_type, "boundary", &boundary) || boundary.empty() || boundary.size() > 70) {
    return InvalidArgument("multipart/form-data needs a boundary parameter of 1-70 characters");
  }
  return boundary;
}

MultipartParser::MultipartParser(std::string boundary, MultipartCallbacks callbacks)
    : dash_boundary_("--" + boundary), delimiter_("\r\n--" + boundary), cb_(std::move(callbacks)) {}

Result<void> MultipartParser::Feed(std::string_view data) {
  pending_.append(data);
  size_t pos = 0;  // consumed prefix of pending_
  auto view = [&] { return std::string_view(pending_).substr(pos); };
  for (;;) {
    std::string_view v = view();
    switch (state_) {
      case State::kPreamble: {
        // The first boundary may start the body or follow a preamble line.
        if (pos == 0 && v.size() >= dash_boundary_.size() &&
            v.substr(0, dash_boundary_.size()) == dash_boundary_) {
          pos += dash_boundary_.size();
          state_ = State::kAfterBoundary;
          continue;
        }
        size_t at = v.find(delimiter_);
        if (at == std::string_view::npos) {
          if (pending_.size() > kMaxPreamble) return Malformed("no opening boundary found");
          goto need_more;
        }
        pos += at + delimiter_.size();
        state_ = State::kAfterBoundary;
        continue;
      }
      case State::kAfterBoundary: {
        // "--" closes the body; otherwise optional whitespace then CRLF starts a part.
        if (v.size() < 2) goto need_more;
        if (v.substr(0, 2) == "--") {
          pos += 2;
          state_ = State::kEpilogue;
          continue;
        }
        size_t k = 0;
        while (k < v.size() && (v[k] == ' ' || v[k] == '\t')) ++k;
        if (k + 2 > v.size()) {
          if (k > 256) return Malformed("garbage after boundary");
          goto need_more;
        }
        if (v.substr(k, 2) != "\r\n") return Malformed("boundary not followed by CRLF");
        pos += k + 2;
        state_ = State::kHeaders;
        continue;
      }
      case State::kHeaders: {
        // The limit holds however the bytes arrive: a whole oversized block in one read too.
        size_t end = v.substr(0, kMaxHeaderBlock + 4).find("\r\n\r\n");
        if (end == std::string_view::npos || end > kMaxHeaderBlock) {
          if (v.size() > kMaxHeaderBlock) return Malformed("part headers exceed 16 KiB");
          goto need_more;
        }
        KINORA_TRY_VOID(ParseHeaders(v.substr(0, end)));
        pos += end + 4;
        state_ = State::kBody;
        continue;
      }
      case State::kBody: {
        size_t at = v.find(delimiter_);
        if (at == std::string_view::npos) {
          // Everything except a possible partial delimiter at the end is data.
          size_t keep = std::min(v.size(), delimiter_.size() - 1);
          size_t emit = v.size() - keep;
          if (emit > 0) KINORA_TRY_VOID(cb_.on_data(v.substr(0, emit)));
          pos += emit;
          goto need_more;
        }
        if (at > 0) KINORA_TRY_VOID(cb_.on_data(v.substr(0, at)));
        KINORA_TRY_VOID(cb_.on_end());
        pos += at + delimiter_.size();
        state_ = State::kAfterBoundary;
        continue;
      }
      case State::kEpilogue:
        pos = pending_.size();  // ignored, as RFC 2046 says
        goto need_more;
    }
  }
need_more:
  pending_.erase(0, pos);
  return {};
}

Result<void> MultipartParser::Finish() {
  if (state_ == State::kEpilogue) return {};
  if (state_ == State::kBody) return Malformed("body ended inside a part (no closing boundary)");
  if (state_ == State::kPreamble) return Malformed("no boundary found in the body");
  return Malformed("body ended before the closing boundary");
}

Result<void> MultipartParser::ParseHeaders(std::string_view block) {
  PartHeader h;
  bool has_disposition = false;
  size_t i = 0;
  while (i <= block.size()) {
    size_t eol = block.find("\r\n", i);
    if (eol == std::string_view::npos) eol = block.size();
    std::string_view line = block.substr(i, eol - i);
    i = eol + 2;
    if (line.empty()) continue;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) return Malformed("part header line without ':'");
    std::string name = Lower(Trim(line.substr(0, colon)));
    std::string_view value = Trim(line.substr(colon + 1));
    if (name == "content-disposition") {
      if (Lower(Trim(value.substr(0, value.find(';')))) != "form-data") {
        return Malformed("part Content-Disposition is not form-data");
      }
      has_disposition = true;
      FindParam(value, "name", &h.name);
      h.has_filename = FindParam(value, "filename", &h.filename);
    } else if (name == "content-type") {
      h.content_type = std::string(value);
    }
  }
  if (!has_disposition) return Malformed("part without Content-Disposition");
  return cb_.on_begin(h);
}

}  // namespace kinora::http
