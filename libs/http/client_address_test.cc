#include "kinora/http/client_address.h"

#include <gtest/gtest.h>

namespace kinora::http {
namespace {

TrustedProxies Trusted(std::string_view list) {
  auto parsed = TrustedProxies::Parse(list);
  EXPECT_TRUE(parsed) << list;
  return parsed ? *parsed : TrustedProxies();
}

TEST(TrustedProxies, ParsesAddressesAndNetworksOfBothFamilies) {
  auto t = Trusted(" 10.0.0.0/8, 127.0.0.1 ,fd00::/8,, 2001:db8::1, 192.168.1.128/25 ");
  EXPECT_FALSE(t.empty());
  EXPECT_TRUE(t.Trusts("10.0.0.1"));
  EXPECT_TRUE(t.Trusts("10.255.255.255"));
  EXPECT_FALSE(t.Trusts("11.0.0.0"));
  EXPECT_FALSE(t.Trusts("9.255.255.255"));
  EXPECT_TRUE(t.Trusts("127.0.0.1"));
  EXPECT_FALSE(t.Trusts("127.0.0.2"));
  EXPECT_TRUE(t.Trusts("fd12:3456::1"));
  EXPECT_FALSE(t.Trusts("fe80::1"));
  EXPECT_TRUE(t.Trusts("2001:db8::1"));
  EXPECT_TRUE(t.Trusts("2001:DB8:0::1"));  // another spelling of the same address
  EXPECT_FALSE(t.Trusts("2001:db8::2"));
  EXPECT_TRUE(t.Trusts("192.168.1.128"));
  EXPECT_TRUE(t.Trusts("192.168.1.255"));
  EXPECT_FALSE(t.Trusts("192.168.1.127"));
}

TEST(TrustedProxies, IPv4MappedPeersMatchTheirIPv4Networks) {
  auto t = Trusted("10.0.0.0/8");
  EXPECT_TRUE(t.Trusts("::ffff:10.1.2.3"));  // a dual-stack socket's view of an IPv4 peer
  EXPECT_FALSE(t.Trusts("::ffff:11.1.2.3"));
  auto mapped = Trusted("::ffff:10.0.0.0/104");
  EXPECT_TRUE(mapped.Trusts("10.9.9.9"));
  EXPECT_FALSE(mapped.Trusts("11.0.0.0"));
}

TEST(TrustedProxies, ZeroPrefixTrustsAWholeFamily) {
  auto t = Trusted("0.0.0.0/0");
  EXPECT_TRUE(t.Trusts("203.0.113.7"));
  EXPECT_FALSE(t.Trusts("2001:db8::7"));
  auto v6 = Trusted("::/0");
  EXPECT_TRUE(v6.Trusts("2001:db8::7"));
  EXPECT_FALSE(v6.Trusts("203.0.113.7"));
}

TEST(TrustedProxies, EmptyListTrustsNobody) {
  for (std::string_view list : {"", " ", ",", " , ,"}) {
    auto t = Trusted(list);
    EXPECT_TRUE(t.empty()) << list;
    EXPECT_FALSE(t.Trusts("127.0.0.1"));
  }
  EXPECT_FALSE(TrustedProxies().Trusts("127.0.0.1"));
}

TEST(TrustedProxies, BadEntriesAreInvalidArgumentsNamingTheEntry) {
  const struct {
    std::string_view list;
    std::string_view says;
  } kBad[] = {
      {"10.0.0.0/33", "outside 0-32"},
      {"fd00::/129", "outside 0-128"},
      {"10.0.0.0/-1", "prefix length"},
      {"10.0.0.0/", "prefix length"},
      {"10.0.0.0/8x", "prefix length"},
      {"10.0.0.0/08/1", "prefix length"},
      {"10.0.0.1/8", "bits set past its prefix"},
      {"fd00::1/8", "bits set past its prefix"},
      {"localhost", "not an IPv4 or IPv6"},
      {"10.0.0", "not an IPv4 or IPv6"},
      {"10.0.0.256", "not an IPv4 or IPv6"},
      {"/8", "not an IPv4 or IPv6"},
      {"127.0.0.1, proxy.internal", "proxy.internal"},
      {"10.0.0.0 8", "not an IPv4 or IPv6"},
  };
  for (const auto& row : kBad) {
    SCOPED_TRACE(row.list);
    auto parsed = TrustedProxies::Parse(row.list);
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(parsed.error().message.find(row.says), std::string::npos) << parsed.error().message;
  }
}

TEST(TrustedProxies, UnparseableAddressesAreNotTrusted) {
  auto t = Trusted("0.0.0.0/0, ::/0");
  EXPECT_FALSE(t.Trusts(""));
  EXPECT_FALSE(t.Trusts("unknown"));
  EXPECT_FALSE(t.Trusts("1.2.3.4:80"));
}

TEST(ClientAddress, TheWalkThroughXForwardedFor) {
  const auto t = Trusted("10.0.0.0/8, fd00::/8");
  const struct {
    std::string_view peer, xff, client, why;
  } kTable[] = {
      {"203.0.113.9", "", "203.0.113.9", "no header: the peer"},
      {"203.0.113.9", "1.1.1.1", "203.0.113.9", "an untrusted peer's header is ignored"},
      {"203.0.113.9", "10.0.0.1", "203.0.113.9", "even when it names a trusted hop"},
      {"10.0.0.1", "", "10.0.0.1", "a trusted peer without a header: the peer"},
      {"10.0.0.1", "  ", "10.0.0.1", "a blank header: the peer"},
      {"10.0.0.1", "198.51.100.4", "198.51.100.4", "one proxy"},
      {"10.0.0.1", "198.51.100.4, 10.0.0.2", "198.51.100.4", "two trusted hops"},
      {"10.0.0.1", "6.6.6.6, 198.51.100.4", "198.51.100.4", "a spoofed left part is skipped"},
      {"10.0.0.1", "6.6.6.6, 198.51.100.4, 10.9.9.9", "198.51.100.4", "first untrusted wins"},
      {"10.0.0.1", "10.0.0.7, 10.0.0.8", "10.0.0.7", "all trusted: the leftmost"},
      {"10.0.0.1", "garbage, 198.51.100.4", "198.51.100.4", "garbage left of the client"},
      {"10.0.0.1", "198.51.100.4, unknown", "10.0.0.1", "a malformed last hop: the peer"},
      {"10.0.0.1", "198.51.100.4, unknown, 10.0.0.2", "10.0.0.2", "stop at the last good hop"},
      {"10.0.0.1", "198.51.100.4,", "10.0.0.1", "an empty last hop is malformed"},
      {"10.0.0.1", "198.51.100.4,,10.0.0.2", "10.0.0.2", "an empty hop is malformed"},
      {"10.0.0.1", "198.51.100.4:5555", "198.51.100.4", "an IPv4 hop with a port"},
      {"10.0.0.1", "[2001:db8::5]:443", "2001:db8::5", "a bracketed IPv6 hop with a port"},
      {"10.0.0.1", "[2001:db8::5]", "2001:db8::5", "a bracketed IPv6 hop"},
      {"10.0.0.1", "2001:DB8:0::5", "2001:db8::5", "IPv6 hops are canonical"},
      {"10.0.0.1", "::ffff:198.51.100.4", "198.51.100.4", "an IPv4-mapped hop is IPv4"},
      {"10.0.0.1", "198.51.100.4:http", "10.0.0.1", "a port must be digits"},
      {"10.0.0.1", "[2001:db8::5", "10.0.0.1", "an unclosed bracket"},
      {"10.0.0.1", "[198.51.100.4]:80", "10.0.0.1", "brackets are for IPv6"},
      {"10.0.0.1", "2001:db8::5:443", "2001:db8::5:443", "unbracketed IPv6 has no port"},
      {"10.0.0.1", "198.51.100.4 , 10.0.0.2 ", "198.51.100.4", "blanks around hops"},
      {"fd00::1", "198.51.100.4", "198.51.100.4", "an IPv6 proxy"},
      {"::ffff:10.0.0.1", "198.51.100.4", "198.51.100.4", "an IPv4-mapped proxy"},
      {"::FFFF:203.0.113.9", "", "203.0.113.9", "the peer is canonical too"},
      {"not-an-ip", "198.51.100.4", "not-an-ip", "an unparseable peer as it is"},
      {"", "198.51.100.4", "", "no peer"},
  };
  for (const auto& row : kTable) {
    SCOPED_TRACE(std::string(row.why) + ": peer " + std::string(row.peer) + ", xff \"" +
                 std::string(row.xff) + "\"");
    EXPECT_EQ(ClientAddress(row.peer, row.xff, t), row.client);
  }
}

TEST(ClientAddress, WithNoTrustedProxiesTheHeaderNeverCounts) {
  EXPECT_EQ(ClientAddress("127.0.0.1", "198.51.100.4", TrustedProxies()), "127.0.0.1");
}

TEST(ForwardedHttps, OnlyATrustedPeerIsBelieved) {
  const auto t = Trusted("10.0.0.0/8");
  const struct {
    std::string_view peer, proto;
    bool https;
  } kTable[] = {
      {"10.0.0.1", "https", true},
      {"10.0.0.1", "HTTPS", true},
      {"10.0.0.1", " https ", true},
      {"10.0.0.1", "https, https", true},
      {"::ffff:10.0.0.1", "https", true},
      {"10.0.0.1", "http", false},
      {"10.0.0.1", "", false},
      {"10.0.0.1", "https, http", false},
      {"10.0.0.1", "http, https", false},
      {"10.0.0.1", "https,", false},
      {"10.0.0.1", "httpsx", false},
      {"10.0.0.1", "wss", false},
      {"203.0.113.9", "https", false},
      {"", "https", false},
  };
  for (const auto& row : kTable) {
    SCOPED_TRACE(std::string(row.peer) + " says \"" + std::string(row.proto) + "\"");
    EXPECT_EQ(ForwardedHttps(row.peer, row.proto, t), row.https);
  }
}

}  // namespace
}  // namespace kinora::http
