// Thumbnails of a video: a letterboxed card for listings and a poster at the display aspect
// ratio, both JPEG, made from the most "interesting" of several candidate frames so that a black
// or blank frame is not picked when a better one exists. Decodes in-process with libav*.
// Thread safety: MakeThumbnails is safe to call concurrently (each call owns its libav contexts).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "kinora/core/error.h"

struct AVFrame;

namespace kinora::media {

struct ThumbnailOptions {
  int card_width = 320, card_height = 180;    // the seed's card size, letterboxed, never stretched
  int poster_max_width = 1280;                // poster keeps the display aspect, even dimensions
  int candidates = 5;                         // frames sampled across the video
  int jpeg_quality = 85;                      // 1..100, mapped to the MJPEG encoder's qscale
  int64_t max_pixels = int64_t{8192} * 4320;  // decoders refuse larger frames (MediaLimits)
};

struct Thumbnails {
  std::string card_jpeg;    // exactly card_width x card_height
  std::string poster_jpeg;  // poster_width x poster_height
  int poster_width = 0, poster_height = 0;
  double picked_seconds = 0;  // timestamp of the chosen frame, from the start of the video stream
};

// Decodes candidate frames of the file's first video stream, picks the one with the most detail
// at a watchable brightness, applies the display rotation and square pixels, and encodes both
// images. Errors: kInvalidArgument for nonsensical options; kUnsupported with a human-readable
// reason ("no video stream", "no frame could be decoded", libav's reason for unreadable input).
Result<Thumbnails> MakeThumbnails(const std::filesystem::path& input,
                                  const ThumbnailOptions& o = {});

// The same choice made from frames a pipeline already decodes (so thumbnails cost no decode of
// their own): offer each upright frame (rotation applied; any pixel format; its
// sample_aspect_ratio set) with its time; the picker keeps the best of the ones nearest its
// candidate times (spread over 10–90 % of `duration_seconds`).
class ThumbnailPicker {
 public:
  ThumbnailPicker(const ThumbnailOptions& o, double duration_seconds);
  ~ThumbnailPicker();
  ThumbnailPicker(const ThumbnailPicker&) = delete;
  ThumbnailPicker& operator=(const ThumbnailPicker&) = delete;

  // Scores the frame if it is the first at or after the next candidate time. Cheap otherwise.
  Result<void> Offer(const AVFrame& upright, double seconds);
  bool has_frame() const;
  Result<Thumbnails> Encode() const;

 private:
  struct State;
  ThumbnailOptions options_;
  std::vector<double> targets_;
  size_t next_ = 0;
  std::unique_ptr<State> state_;
};

}  // namespace kinora::media
