#include "kinora/core/json_text.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <limits>

namespace kinora {

TEST(JsonText, NumbersAreWrittenPlainly) {
  boost::json::object o{{"a", 2.5},
                        {"b", 25.0},
                        {"c", 0.0},
                        {"d", int64_t{-3}},
                        {"e", std::numeric_limits<double>::quiet_NaN()},
                        {"f", 0.1}};
  EXPECT_EQ(ToJsonText(o), R"({"a":2.5,"b":25,"c":0,"d":-3,"e":null,"f":0.1})");
}

TEST(JsonText, StringsAreEscapedAndRoundTrip) {
  boost::json::value v = boost::json::object{{"s\"k", "line\nbreak \"quoted\" \\ \x01"},
                                             {"arr", boost::json::array{1, "x", nullptr, true}}};
  std::string text = ToJsonText(v);
  EXPECT_EQ(boost::json::parse(text), v);
}

}  // namespace kinora
