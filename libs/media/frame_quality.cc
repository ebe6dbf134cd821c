#include "kinora/media/internal/frame_quality.h"

#include <array>
#include <cmath>
#include <vector>

namespace kinora::media::internal {
namespace {

using BlockSums = std::array<int64_t, 4>;  // Σa, Σb, Σa²+Σb², Σab over a 4x4 block

struct Plane {
  const uint8_t* a;
  int a_stride;
  const uint8_t* b;
  int b_stride;
  int width, height;
};

// One row of 4x4 blocks (the row starting at pixel row y), left to right.
void BlockRow(const Plane& p, int y, std::vector<BlockSums>& out) {
  for (size_t z = 0; z < out.size(); ++z) {
    int64_t s1 = 0, s2 = 0, ss = 0, s12 = 0;
    for (int dy = 0; dy < 4; ++dy) {
      const uint8_t* a = p.a + static_cast<ptrdiff_t>(y + dy) * p.a_stride + 4 * z;
      const uint8_t* b = p.b + static_cast<ptrdiff_t>(y + dy) * p.b_stride + 4 * z;
      for (int dx = 0; dx < 4; ++dx) {
        const int64_t va = a[dx], vb = b[dx];
        s1 += va;
        s2 += vb;
        ss += va * va + vb * vb;
        s12 += va * vb;
      }
    }
    out[z] = {s1, s2, ss, s12};
  }
}

// SSIM of one 8x8 window from its four blocks' sums (x264's ssim_end1, 8-bit constants).
float WindowSsim(int64_t s1, int64_t s2, int64_t ss, int64_t s12) {
  constexpr int64_t kC1 = static_cast<int64_t>(.01 * .01 * 255 * 255 * 64 + .5);
  constexpr int64_t kC2 = static_cast<int64_t>(.03 * .03 * 255 * 255 * 64 * 63 + .5);
  const int64_t vars = ss * 64 - s1 * s1 - s2 * s2;
  const int64_t covar = s12 * 64 - s1 * s2;
  return static_cast<float>(2 * s1 * s2 + kC1) * static_cast<float>(2 * covar + kC2) /
         (static_cast<float>(s1 * s1 + s2 * s2 + kC1) * static_cast<float>(vars + kC2));
}

double PlaneSsim(const Plane& p) {
  const int w4 = p.width >> 2, h4 = p.height >> 2;
  if (w4 < 2 || h4 < 2) return 1;  // no whole 8x8 window
  std::vector<BlockSums> above(w4), below(w4);
  BlockRow(p, 0, above);
  double total = 0;
  for (int y = 1; y < h4; ++y) {
    BlockRow(p, 4 * y, below);
    float row = 0;  // summed per row in float, as FFmpeg does
    for (int x = 0; x + 1 < w4; ++x) {
      BlockSums s{};
      for (int k = 0; k < 4; ++k)
        s[k] = above[x][k] + above[x + 1][k] + below[x][k] + below[x + 1][k];
      row += WindowSsim(s[0], s[1], s[2], s[3]);
    }
    total += row;
    above.swap(below);
  }
  return total / (static_cast<double>(h4 - 1) * (w4 - 1));
}

uint64_t PlaneSquaredError(const Plane& p) {
  uint64_t sum = 0;
  for (int y = 0; y < p.height; ++y) {
    const uint8_t* a = p.a + static_cast<ptrdiff_t>(y) * p.a_stride;
    const uint8_t* b = p.b + static_cast<ptrdiff_t>(y) * p.b_stride;
    uint32_t line = 0;  // at most 8192 · 255² per line
    for (int x = 0; x < p.width; ++x) {
      const int d = a[x] - b[x];
      line += static_cast<uint32_t>(d * d);
    }
    sum += line;
  }
  return sum;
}

bool Is420(int format) { return format == AV_PIX_FMT_YUV420P || format == AV_PIX_FMT_YUVJ420P; }

}  // namespace

Result<FrameQuality> CompareFrames(const AVFrame& distorted, const AVFrame& reference) {
  if (!Is420(distorted.format) || !Is420(reference.format) || distorted.width != reference.width ||
      distorted.height != reference.height || distorted.width <= 0 || distorted.height <= 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "quality needs two 8-bit 4:2:0 pictures of the same size");
  }
  const int w = distorted.width, h = distorted.height;
  const int cw = (w + 1) >> 1, ch = (h + 1) >> 1;
  const double total = static_cast<double>(w) * h + 2.0 * cw * ch;
  FrameQuality q{0, 0};
  for (int i = 0; i < 3; ++i) {
    const Plane p{distorted.data[i], distorted.linesize[i],
                  reference.data[i], reference.linesize[i],
                  i ? cw : w,        i ? ch : h};
    const double pixels = static_cast<double>(p.width) * p.height;
    q.ssim += PlaneSsim(p) * pixels / total;
    q.mse += static_cast<double>(PlaneSquaredError(p)) / total;
  }
  return q;
}

std::optional<double> PsnrDb(double mse) {
  if (!(mse > 0)) return std::nullopt;
  return 10 * std::log10(255.0 * 255.0 / mse);
}

}  // namespace kinora::media::internal
