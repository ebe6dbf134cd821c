#include "kinora/core/public_text.h"

#include <array>

namespace kinora {
namespace {

// Where a path may start: the beginning, or after a space, quote, bracket or separator.
bool StartsToken(char prev) {
  static constexpr std::string_view kBefore = " \t\r\n('\"=,[{:;<";
  return kBefore.find(prev) != std::string_view::npos;
}

// What ends a path: white space, quotes, brackets and list separators.
bool EndsPath(char c) {
  static constexpr std::string_view kAfter = " \t\r\n'\"()[]{}<>,;";
  return kAfter.find(c) != std::string_view::npos;
}

bool IsPublicUrlPath(std::string_view run) {
  static constexpr std::array<std::string_view, 2> kPublic = {"/api/", "/media/"};
  for (std::string_view p : kPublic) {
    if (run.starts_with(p)) return true;
  }
  // Network URLs ("https://host/…"): two slashes then a host, never a file.
  return run.size() > 2 && run[1] == '/' && run[2] != '/';
}

}  // namespace

std::string WithoutServerPaths(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] != '/' || (i > 0 && !StartsToken(text[i - 1]))) {
      out.push_back(text[i++]);
      continue;
    }
    size_t end = i;
    while (end < text.size() && !EndsPath(text[end])) ++end;
    std::string_view run = text.substr(i, end - i);
    // Trailing slashes and a ':' that ends a message's subject ("…/x.db: error") are not part
    // of the name.
    while (!run.empty() && run.back() == ':') run.remove_suffix(1);
    const std::string_view tail = text.substr(i + run.size(), end - i - run.size());
    while (!run.empty() && run.back() == '/') run.remove_suffix(1);
    const size_t first = run.find_first_not_of('/');
    const size_t last_slash = run.rfind('/');
    const bool several = first != std::string_view::npos && last_slash > first;
    if (!several || IsPublicUrlPath(text.substr(i, end - i))) {
      out.append(text.substr(i, end - i));
    } else {
      out.append(run.substr(last_slash + 1));
      out.append(tail);
    }
    i = end;
  }
  return out;
}

}  // namespace kinora
