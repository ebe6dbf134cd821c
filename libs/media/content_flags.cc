#include "kinora/media/content_flags.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace kinora::media {
namespace {

const FlagRule& Rule(std::string_view code) {
  for (const FlagRule& r : kFlagRules) {
    if (r.code == code) return r;
  }
  static const FlagRule none{"", "", 0};
  return none;
}

std::string Format(const char* fmt, double a, double b = 0) {
  char buf[160];
  std::snprintf(buf, sizeof buf, fmt, a, b);
  return buf;
}

// "−31.0": a real minus sign, as the docs print figures.
std::string Signed(double v) {
  std::string s = Format("%.1f", std::fabs(v));
  if (std::round(v * 10) < 0) return "\u2212" + s;
  if (std::round(v * 10) > 0) return "+" + s;
  return s;
}

ContentFlag Flag(std::string_view code, std::string message, std::optional<double> start = {},
                 std::optional<double> end = {}) {
  const FlagRule& r = Rule(code);
  return {std::string(code), std::string(r.severity), start, end, std::move(message)};
}

}  // namespace

std::vector<std::string_view> FlagCodes() {
  std::vector<std::string_view> codes;
  for (const FlagRule& r : kFlagRules) codes.push_back(r.code);
  return codes;
}

std::vector<ContentFlag> DeriveFlags(const ContentAnalysis& a, bool has_audio) {
  std::vector<ContentFlag> out;
  const double duration = a.duration_seconds;
  if (a.loudness && std::isfinite(a.loudness->integrated_lufs)) {
    const double i = a.loudness->integrated_lufs;
    if (i < Rule("too_quiet").threshold) {
      out.push_back(Flag(
          "too_quiet",
          "too quiet: " + Signed(i) + " LUFS (streaming platforms aim near \u221214 to \u221216)"));
    } else if (i > Rule("too_loud").threshold) {
      out.push_back(Flag(
          "too_loud",
          "too loud: " + Signed(i) + " LUFS (streaming platforms aim near \u221214 to \u221216)"));
    }
  }
  if (a.loudness && std::isfinite(a.loudness->true_peak_dbtp) &&
      a.loudness->true_peak_dbtp > Rule("clipping").threshold) {
    out.push_back(
        Flag("clipping", "peaks at " + Signed(a.loudness->true_peak_dbtp) +
                             " dBTP: may distort after encoding (keep under \u22121 dBTP)"));
  }
  constexpr double kEdge = 0.05;  // a segment this close to an end touches it
  for (const TimeSpan& s : a.black) {
    const double len = s.end - s.start;
    if (s.start <= kEdge && len >= Rule("black_start").threshold) {
      out.push_back(
          Flag("black_start", Format("starts with %.1f s of black", len), s.start, s.end));
    } else if (duration > 0 && s.end >= duration - kEdge && len >= Rule("black_end").threshold) {
      out.push_back(Flag("black_end", Format("ends with %.1f s of black", len), s.start, s.end));
    } else if (len >= Rule("black").threshold) {
      out.push_back(
          Flag("black", Format("black %.1f\u2013%.1f s", s.start, s.end), s.start, s.end));
    }
  }
  // A black stretch is also a frozen one: it is flagged once, as black.
  auto mostly_black = [&](const TimeSpan& s) {
    double covered = 0;
    for (const TimeSpan& b : a.black) {
      covered += std::max(0.0, std::min(s.end, b.end) - std::max(s.start, b.start));
    }
    return covered >= 0.5 * (s.end - s.start);
  };
  for (const TimeSpan& s : a.freeze) {
    if (s.end - s.start >= Rule("frozen").threshold && !mostly_black(s)) {
      out.push_back(
          Flag("frozen", Format("frozen %.1f\u2013%.1f s", s.start, s.end), s.start, s.end));
    }
  }
  if (!has_audio) {
    out.push_back(Flag("no_audio", "no audio track"));
  } else if (duration > 0) {
    double silent = 0;
    for (const TimeSpan& s : a.silence) silent += std::max(0.0, s.end - s.start);
    const double share = silent / duration;
    if (share >= Rule("silent").threshold) {
      out.push_back(Flag("silent", Format("no sound for %.0f %% of the video", 100 * share)));
    }
  }
  for (const RungQuality& q : a.quality) {
    if (!q.copied && q.frames > 0 && q.ssim < Rule("poor_rung").threshold) {
      out.push_back(Flag("poor_rung",
                         "the " + q.rung + " rung is poor (SSIM " + Format("%.2f", q.ssim) + ")"));
    }
  }
  return out;
}

}  // namespace kinora::media
