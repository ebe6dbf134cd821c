// The gateway keeps anonymous listing pages (docs/decisions.md, "Kept pages"), with the service
// behind it telling which answers it may keep. The two headers of that exchange:
// - kEdgeKeeps, on a request the gateway forwards: it would keep the answer;
// - kSameUntil, on such an answer: its text is what the service would send again until this
//   unix second (exclusive, the signing steps of its URLs) while the catalog does not change.
//   The gateway removes it before answering its client.
#pragma once

#include <string_view>

namespace kinora::http {

inline constexpr std::string_view kEdgeKeeps = "Kinora-Edge-Keeps";
inline constexpr std::string_view kSameUntil = "Kinora-Same-Until";

}  // namespace kinora::http
