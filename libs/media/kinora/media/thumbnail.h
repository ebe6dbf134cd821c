// Thumbnails of a video: a letterboxed card for listings and a poster at the display aspect
// ratio, both JPEG, made from the most "interesting" of several candidate frames so that a black
// or blank frame is not picked when a better one exists. Decodes in-process with libav*.
// Thread safety: MakeThumbnails is safe to call concurrently (each call owns its libav contexts).
#pragma once

#include <filesystem>
#include <string>

#include "kinora/core/error.h"

namespace kinora::media {

struct ThumbnailOptions {
  int card_width = 320, card_height = 180;  // the seed's card size, letterboxed, never stretched
  int poster_max_width = 1280;              // poster keeps the display aspect, even dimensions
  int candidates = 5;                       // frames sampled across the video
  int jpeg_quality = 85;                    // 1..100, mapped to the MJPEG encoder's qscale
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

}  // namespace kinora::media
