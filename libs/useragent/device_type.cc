#include "kinora/useragent/device_type.h"

#include <algorithm>
#include <initializer_list>

namespace kinora::useragent {
namespace {

bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

bool ContainsAny(std::string_view haystack, std::initializer_list<std::string_view> needles) {
  return std::any_of(needles.begin(), needles.end(),
                     [&](std::string_view n) { return Contains(haystack, n); });
}

bool StartsWithAny(std::string_view s, std::initializer_list<std::string_view> prefixes) {
  return std::any_of(prefixes.begin(), prefixes.end(),
                     [&](std::string_view p) { return s.substr(0, p.size()) == p; });
}

bool IsAny(std::string_view s, std::initializer_list<std::string_view> names) {
  return std::find(names.begin(), names.end(), s) != names.end();
}

bool IsBlank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

bool IsConsole(const UapResult& uap, std::string_view ua) {
  const std::initializer_list<std::string_view> kNames = {"PlayStation", "Xbox", "Nintendo"};
  return StartsWithAny(uap.device.family, kNames) || ContainsAny(ua, kNames);
}

bool IsTv(const UapResult& uap, std::string_view ua) {
  const std::string_view family = uap.device.family;
  return ContainsAny(family, {"SmartTV", "SMART-TV", "Smart TV", "AppleTV", "Chromecast",
                              "Android TV", "Fire TV", "Inettv"}) ||
         family.substr(0, 3) == "AFT" ||  // Amazon Fire TV models: AFTMM, AFTB, …
         IsAny(uap.os.family, {"ATV OS X", "tvOS", "Web0S", "webOS TV", "Roku"}) ||
         ContainsAny(ua, {"SmartTV",   "SMART-TV", "Smart-TV",   "SMARTTV",   "HbbTV",
                          "AppleTV",   "Apple TV", "Android TV", "AndroidTV", "GoogleTV",
                          "Google TV", "CrKey",    "Roku",       "Web0S",     "webOS.TV",
                          "BRAVIA",    "AFTB",     "AFTM",       "AFTS",      "AFTT"});
}

bool IsTablet(const UapResult& uap, std::string_view ua) {
  return StartsWithAny(uap.device.family, {"iPad", "Kindle", "Generic Tablet"}) ||
         ContainsAny(uap.device.family, {"Tablet", "Playbook", "TouchPad"}) ||
         uap.device.brand == "Generic_Android_Tablet" ||
         (Contains(ua, "Tablet") && !Contains(ua, "Tablet PC")) ||
         (uap.os.family == "Android" && !Contains(ua, "Mobile"));
}

bool IsMobile(const UapResult& uap, std::string_view ua) {
  const std::initializer_list<std::string_view> kMobileOs = {
      "iOS",        "Android",       "Windows Phone", "Windows Mobile", "Windows CE",
      "BlackBerry", "BlackBerry OS", "KaiOS",         "Firefox OS",     "Symbian OS",
      "Symbian^3",  "Bada",          "webOS",         "Sailfish",       "Tizen",
      "HarmonyOS",  "MeeGo",         "Maemo",         "Ubuntu Touch"};
  return IsAny(uap.os.family, kMobileOs) || !IsAny(uap.device.family, {"Other", "Mac", "Spider"}) ||
         Contains(ua, "Mobi");
}

bool IsDesktop(const UapResult& uap) {
  const std::string_view os = uap.os.family;
  return StartsWithAny(os, {"Windows", "Mac OS", "Linux"}) ||
         IsAny(os, {"Ubuntu",  "Kubuntu",  "Xubuntu",       "Lubuntu",    "Debian",
                    "Fedora",  "Red Hat",  "CentOS",        "SUSE",       "openSUSE",
                    "Gentoo",  "Mint",     "Linux Mint",    "Arch Linux", "Slackware",
                    "Mageia",  "Mandriva", "elementary OS", "Chrome OS",  "FreeBSD",
                    "OpenBSD", "NetBSD",   "DragonFly BSD", "Solaris",    "SunOS",
                    "Haiku"}) ||
         uap.device.family == "Mac";
}

}  // namespace

std::string_view ToString(DeviceType type) {
  switch (type) {
    case DeviceType::kDesktop:
      return "desktop";
    case DeviceType::kMobile:
      return "mobile";
    case DeviceType::kTablet:
      return "tablet";
    case DeviceType::kTv:
      return "tv";
    case DeviceType::kConsole:
      return "console";
    case DeviceType::kBot:
      return "bot";
    case DeviceType::kOther:
      return "other";
  }
  return "other";
}

bool IsBot(const UapResult& uap, std::string_view user_agent) {
  return uap.device.family == "Spider" || IsBlank(user_agent) ||
         ContainsAny(user_agent, {"HeadlessChrome", "PhantomJS"});
}

DeviceType ClassifyDevice(const UapResult& uap, std::string_view user_agent) {
  if (IsBot(uap, user_agent)) return DeviceType::kBot;
  if (IsConsole(uap, user_agent)) return DeviceType::kConsole;
  if (IsTv(uap, user_agent)) return DeviceType::kTv;
  if (IsTablet(uap, user_agent)) return DeviceType::kTablet;
  if (IsMobile(uap, user_agent)) return DeviceType::kMobile;
  if (IsDesktop(uap)) return DeviceType::kDesktop;
  return DeviceType::kOther;
}

}  // namespace kinora::useragent
