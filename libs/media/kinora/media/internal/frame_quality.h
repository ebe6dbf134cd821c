// How close a picture is to its reference: SSIM and PSNR of two 8-bit YUV 4:2:0 pictures of the
// same size, computed as FFmpeg's `ssim` and `psnr` filters compute them (so the numbers match
// what `ffmpeg -lavfi ssim/psnr` prints), and a tally of them over sampled frames.
// Thread safety: pure functions; a QualityTally is a plain value.
#pragma once

#include <cstdint>
#include <optional>

#include "kinora/core/error.h"
#include "kinora/media/av.h"

namespace kinora::media::internal {

struct FrameQuality {
  double ssim = 1;  // FFmpeg's "All": per-plane SSIM weighted by pixel count (Y 4/6, U, V 1/6)
  double mse = 0;   // squared error per pixel over all planes (FFmpeg's psnr "average")
};

// SSIM as x264 and FFmpeg compute it: sums over 4x4 blocks, 8x8 windows every 4 pixels, the
// usual constants (0.01 and 0.03 of 255); MSE over every pixel of the three planes.
// kInvalidArgument unless both are YUV 4:2:0 (or its full-range J variant) of one size.
Result<FrameQuality> CompareFrames(const AVFrame& distorted, const AVFrame& reference);

// 10·log10(255² / mse); none for identical pictures (an infinite PSNR).
std::optional<double> PsnrDb(double mse);

// SSIM averaged over frames; PSNR of the frames' mean MSE (as the psnr filter's summary).
class QualityTally {
 public:
  void Add(const FrameQuality& q) {
    ssim_sum_ += q.ssim;
    mse_sum_ += q.mse;
    ++frames_;
  }
  int frames() const { return frames_; }
  double ssim() const { return frames_ ? ssim_sum_ / frames_ : 1; }
  std::optional<double> psnr_db() const {
    return frames_ ? PsnrDb(mse_sum_ / frames_) : std::nullopt;
  }

 private:
  double ssim_sum_ = 0, mse_sum_ = 0;
  int frames_ = 0;
};

}  // namespace kinora::media::internal
