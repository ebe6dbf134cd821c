// JPEG encoding of one picture (the thumbnails and the storyboard's sprite sheets).
// Thread safety: each call owns its encoder.
#pragma once

#include <string>

#include "kinora/core/error.h"

struct AVFrame;

namespace kinora::media::internal {

// img: YUVJ420P (full range). quality 1..100, mapped to the MJPEG encoder's qscale (85 -> 4,
// like `ffmpeg -q:v 4`).
Result<std::string> EncodeJpeg(AVFrame* img, int quality);

}  // namespace kinora::media::internal
