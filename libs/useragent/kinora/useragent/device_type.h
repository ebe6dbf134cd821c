// What kind of device a User-Agent is, and whether it is a bot, from uap-core's families. The
// rule (docs/analytics.md, "Breakdowns") is an ordered list of checks; the first that holds wins:
//   bot      uap-core's "Spider" device family, an empty User-Agent, or a headless browser token
//            (HeadlessChrome, PhantomJS);
//   console  a device family or User-Agent token of PlayStation, Xbox or Nintendo;
//   tv       a TV device/OS family or token (SmartTV, SMART-TV, HbbTV, AppleTV, Android TV,
//            GoogleTV, CrKey, Roku, Web0S/webOS TV, BRAVIA, Amazon Fire TV "AFT…");
//   tablet   device family iPad or Kindle, uap-core's Generic_Android_Tablet brand, a "Tablet"
//            token, or Android without the "Mobile" token (Google's tablet convention);
//   mobile   a mobile OS (iOS, Android, Windows Phone, BlackBerry, KaiOS, …), any other device
//            family uap-core names (its device list is of handhelds), or a "Mobi" token;
//   desktop  a desktop OS (Windows, Mac OS X, Linux and its distributions, Chrome OS, BSDs);
//   other    the rest (curl, libraries, unknown).
// Thread safety: pure functions.
#pragma once

#include <string_view>

#include "kinora/useragent/uap_rules.h"

namespace kinora::useragent {

enum class DeviceType { kDesktop, kMobile, kTablet, kTv, kConsole, kBot, kOther };

// "desktop", "mobile", "tablet", "tv", "console", "bot", "other".
std::string_view ToString(DeviceType type);

// True for the bots the audience analytics does not count (the rule's first line).
bool IsBot(const UapResult& uap, std::string_view user_agent);

DeviceType ClassifyDevice(const UapResult& uap, std::string_view user_agent);

}  // namespace kinora::useragent
