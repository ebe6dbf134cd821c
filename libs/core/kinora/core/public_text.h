// Text that leaves the server (problem details, a video's `error`, /ready): messages from deep
// inside name files by their absolute paths, which say how the server is laid out. These are
// cut to the file's own name at the boundary; logs keep the full message for operators.
// Thread safety: pure function.
#pragma once

#include <string>
#include <string_view>

namespace kinora {

// `text` with every absolute filesystem path of two or more components replaced by its last
// component ("cannot write /srv/kinora/work/x/source.mp4: …" → "cannot write source.mp4: …").
// URL paths of the public API (/api/…, /media/…) and network URLs (//host/…) are left alone.
std::string WithoutServerPaths(std::string_view text);

}  // namespace kinora
