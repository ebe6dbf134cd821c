// ReverseProxy between two real servers on loopback: bodies both ways, errors from a downed or
// slow upstream, early refusals, and header hygiene.
#include "kinora/http/proxy.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <thread>

#include "kinora/http/problem.h"
#include "kinora/http/server.h"
#include "kinora/metrics/registry.h"

namespace kinora::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

struct Running {
  std::unique_ptr<Server> server;
  std::thread thread;
  uint16_t port = 0;
  ~Running() {
    if (server) server->Stop();
    if (thread.joinable()) thread.join();
  }
};

// A server on a free port of `host`; null if it cannot listen there.
std::unique_ptr<Running> TryStart(Router r, const std::string& host,
                                  metrics::Registry* registry = nullptr) {
  auto run = std::make_unique<Running>();
  ServerOptions o;
  o.host = host;
  o.port = 0;
  o.threads = 2;
  o.metrics = registry;
  run->server = std::make_unique<Server>(o, std::move(r));
  auto port = run->server->Listen();
  if (!port) return nullptr;
  run->port = *port;
  run->thread = std::thread([s = run->server.get()] { s->Run(); });
  return run;
}

std::unique_ptr<Running> Start(Router r, metrics::Registry* registry = nullptr) {
  auto run = TryStart(std::move(r), "127.0.0.1", registry);
  EXPECT_TRUE(run);
  return run;
}

bhttp::response<bhttp::string_body> SendTo(uint16_t port, bhttp::request<bhttp::string_body> req) {
  asio::io_context ioc;
  beast::tcp_stream s(ioc);
  s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  req.version(11);
  req.set(bhttp::field::host, "kinora.example");
  req.prepare_payload();
  bhttp::write(s, req);
  beast::flat_buffer b;
  bhttp::response_parser<bhttp::string_body> p;
  p.body_limit(64 << 20);
  bhttp::read(s, b, p);
  return p.release();
}

// The server's open client connections, from its metrics.
int OpenConnections(const metrics::Registry& registry) {
  const std::string text = registry.Render();
  const std::string name = "\nkinora_http_open_connections ";
  const size_t at = text.find(name);
  return at == std::string::npos ? -1 : std::stoi(text.substr(at + name.size()));
}

// How often `key` occurs in `text`.
size_t Count(std::string_view text, std::string_view key) {
  size_t n = 0;
  for (size_t at = text.find(key); at != std::string_view::npos; at = text.find(key, at + 1)) ++n;
  return n;
}

std::string Pattern(size_t n) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 7919) >> 3);
  return s;
}

class ProxyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Router up;
    up.Add(Verb::get, "/api/x/hello", [this](Request& req) {
      Response r = Json(boost::json::object{{"cid", req.correlation_id},
                                            {"xff", std::string(req.headers["X-Forwarded-For"])},
                                            {"query", req.Query("q").value_or("")}});
      r.headers.set("X-Upstream", "yes");
      ++hellos_;
      return r;
    });
    up.Add(Verb::get, "/api/x/big", [](Request&) {
      Response r;
      r.body = Pattern(3 << 20);
      return r;
    });
    up.Add(Verb::get, "/api/x/endless", [](Request&) {  // 1 GiB: never buffered whole
      Response r;
      r.stream = StreamBody{1ull << 30, [](std::span<char> buf) -> Result<size_t> {
                              std::fill(buf.begin(), buf.end(), 'z');
                              return buf.size();
                            }};
      return r;
    });
    up.Add(Verb::get, "/api/x/slow", [](Request&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1500));
      return Json(boost::json::object{{"late", true}});
    });
    up.AddStreaming(
        Verb::post, "/api/x/count",
        [](Request& req, BodyReader& body) -> asio::awaitable<Response> {
          std::vector<char> buf(10000);
          uint64_t total = 0, sum = 0;
          for (;;) {
            auto n = co_await body.Read(buf);
            if (!n) co_return ProblemFrom(n.error());
            if (*n == 0) break;
            for (size_t i = 0; i < *n; ++i) sum += static_cast<unsigned char>(buf[i]);
            total += *n;
          }
          co_return Json(boost::json::object{
              {"bytes", total}, {"sum", sum}, {"type", std::string(req.headers["Content-Type"])}});
        },
        RouteOptions{.body_limit = 64 << 20});
    up.AddStreaming(
        Verb::post, "/api/x/refuse",
        [](Request&, BodyReader&) -> asio::awaitable<Response> {
          co_return Problem(Status::payload_too_large, "too big for us");
        },
        RouteOptions{.body_limit = 64 << 20});
    upstream_ = Start(std::move(up), &upstream_metrics_);

    proxy_ = std::make_unique<ReverseProxy>(
        Upstream{"uploader", "127.0.0.1", upstream_->port},
        ProxyOptions{.response_timeout = std::chrono::milliseconds(800)});
    down_ = std::make_unique<ReverseProxy>(Upstream{"analytics", "127.0.0.1", 1});
    Router front;
    for (Verb v : {Verb::get, Verb::post}) {
      front.AddStreaming(
          v, "/api/x/*",
          [this](Request& req, BodyReader& body) { return proxy_->Forward(req, &body); },
          RouteOptions{.body_limit = 64 << 20});
      front.AddStreaming(
          v, "/api/down/*",
          [this](Request& req, BodyReader& body) { return down_->Forward(req, &body); },
          RouteOptions{.body_limit = 64 << 20});
    }
    front_ = Start(std::move(front));
  }

  bhttp::response<bhttp::string_body> Send(bhttp::request<bhttp::string_body> req) {
    return SendTo(front_->port, std::move(req));
  }

  std::atomic<int> hellos_{0};
  metrics::Registry upstream_metrics_;
  std::unique_ptr<Running> upstream_;
  std::unique_ptr<ReverseProxy> proxy_, down_;
  std::unique_ptr<Running> front_;
};

TEST_F(ProxyTest, ForwardsRequestAndResponseWithCorrelationId) {
  for (int i = 0; i < 5; ++i) {  // later ones reuse pooled connections
    bhttp::request<bhttp::string_body> req{Verb::get, "/api/x/hello?q=a%20b", 11};
    req.set("X-Correlation-ID", "cid-" + std::to_string(i));
    auto res = Send(req);
    ASSERT_EQ(res.result(), Status::ok) << res.body();
    boost::json::object j = boost::json::parse(res.body()).as_object();
    EXPECT_EQ(j["cid"].as_string(), "cid-" + std::to_string(i));
    EXPECT_EQ(j["query"].as_string(), "a b");
    EXPECT_EQ(j["xff"].as_string(), "127.0.0.1");
    EXPECT_EQ(res["X-Upstream"], "yes");
    EXPECT_EQ(res["X-Correlation-ID"], "cid-" + std::to_string(i));
  }
  EXPECT_EQ(hellos_.load(), 5);
}

TEST_F(ProxyTest, StreamsALargeRequestBodyAndALargeResponse) {
  const std::string body = Pattern(20 << 20);
  uint64_t sum = 0;
  for (unsigned char c : body) sum += c;
  bhttp::request<bhttp::string_body> req{Verb::post, "/api/x/count", 11};
  req.set(bhttp::field::content_type, "video/mp4");
  req.body() = body;
  auto res = Send(req);
  ASSERT_EQ(res.result(), Status::ok) << res.body();
  boost::json::object j = boost::json::parse(res.body()).as_object();
  EXPECT_EQ(j["bytes"].to_number<uint64_t>(), body.size());
  EXPECT_EQ(j["sum"].to_number<uint64_t>(), sum);
  EXPECT_EQ(j["type"].as_string(), "video/mp4");

  auto big = Send(bhttp::request<bhttp::string_body>{Verb::get, "/api/x/big", 11});
  ASSERT_EQ(big.result(), Status::ok);
  EXPECT_TRUE(big.body() == Pattern(3 << 20));
}

TEST_F(ProxyTest, EarlyRefusalFromUpstreamReachesTheClient) {
  bhttp::request<bhttp::string_body> req{Verb::post, "/api/x/refuse", 11};
  req.body() = Pattern(8 << 20);
  auto res = Send(req);
  EXPECT_EQ(res.result(), Status::payload_too_large);
  EXPECT_NE(res.body().find("too big for us"), std::string::npos);
}

TEST_F(ProxyTest, UpstreamProblemPassesThroughWithOneCorrelationId) {
  bhttp::request<bhttp::string_body> req{Verb::post, "/api/x/refuse", 11};
  req.set("X-Correlation-ID", "cid-refused");
  req.body() = "small";
  auto res = Send(req);
  EXPECT_EQ(res.result(), Status::payload_too_large);
  EXPECT_EQ(res[bhttp::field::content_type], "application/problem+json");
  auto o = boost::json::parse(res.body()).as_object();
  EXPECT_EQ(o["detail"].as_string(), "too big for us");
  EXPECT_EQ(o["correlation_id"].as_string(), "cid-refused");
  EXPECT_EQ(Count(res.body(), "correlation_id"), 1u) << res.body();
}

TEST_F(ProxyTest, CleanExchangesReuseOneUpstreamConnection) {
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(Send(bhttp::request<bhttp::string_body>{Verb::get, "/api/x/hello", 11}).result(),
              Status::ok);
  }
  EXPECT_EQ(OpenConnections(upstream_metrics_), 1);
}

TEST_F(ProxyTest, AnAbandonedAnswerDoesNotGoBackToThePool) {
  {
    // Take the head of an answer too big for any socket buffer, then hang up.
    asio::io_context ioc;
    beast::tcp_stream s(ioc);
    s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), front_->port));
    bhttp::request<bhttp::string_body> req{Verb::get, "/api/x/endless", 11};
    req.set(bhttp::field::host, "kinora.example");
    bhttp::write(s, req);
    beast::flat_buffer b;
    bhttp::response_parser<bhttp::buffer_body> p;
    p.body_limit(boost::none);
    bhttp::read_header(s, b, p);
    EXPECT_EQ(p.get().result(), Status::ok);
  }
  // The half-read upstream connection is closed, not pooled: the upstream sees it go.
  int open = -1;
  for (int i = 0; i < 200 && open != 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    open = OpenConnections(upstream_metrics_);
  }
  EXPECT_EQ(open, 0);
  auto res = Send(bhttp::request<bhttp::string_body>{Verb::get, "/api/x/hello", 11});
  ASSERT_EQ(res.result(), Status::ok) << res.body();
  EXPECT_EQ(boost::json::parse(res.body()).as_object()["query"].as_string(), "");
}

TEST_F(ProxyTest, DownedServiceIsA503ProblemNamingIt) {
  auto res = Send(bhttp::request<bhttp::string_body>{Verb::get, "/api/down/stats", 11});
  EXPECT_EQ(res.result(), Status::service_unavailable);
  EXPECT_EQ(res[bhttp::field::content_type], "application/problem+json");
  EXPECT_NE(res.body().find("the analytics service is unavailable"), std::string::npos)
      << res.body();
  EXPECT_FALSE(res[bhttp::field::retry_after].empty());
}

TEST_F(ProxyTest, SlowServiceIsA504) {
  auto res = Send(bhttp::request<bhttp::string_body>{Verb::get, "/api/x/slow", 11});
  EXPECT_EQ(res.result(), Status::gateway_timeout);
  EXPECT_NE(res.body().find("did not answer in time"), std::string::npos) << res.body();
}

TEST(ParseUpstream, AcceptsHttpHostPortOnly) {
  auto u = ParseUpstream("uploader", "http://uploader.kinora.svc:8080");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "uploader.kinora.svc");
  EXPECT_EQ(u->port, 8080);
  for (const char* bad : {"https://x:1", "http://x", "x:80", ""}) {
    EXPECT_FALSE(ParseUpstream("uploader", bad)) << bad;
  }
}

TEST(ParseUpstream, AcceptsAnIpv6Literal) {
  auto u = ParseUpstream("analytics", "http://[::1]:8081");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, 8081);
  EXPECT_EQ(u->authority(), "[::1]:8081");
  EXPECT_EQ(ParseUpstream("x", "http://10.0.0.7:80")->authority(), "10.0.0.7:80");
  EXPECT_FALSE(ParseUpstream("x", "http://[::1]"));
}

TEST(ProxyIpv6, ForwardsToAnIpv6UpstreamOverPooledConnections) {
  Router up;
  up.Add(Verb::get, "/api/v6/hello", [](Request& req) {
    return Json(boost::json::object{{"host", std::string(req.headers[bhttp::field::host])},
                                    {"cid", req.correlation_id}});
  });
  metrics::Registry upstream_metrics;
  auto upstream = TryStart(std::move(up), "::1", &upstream_metrics);
  if (!upstream) GTEST_SKIP() << "this machine has no IPv6 loopback";
  auto parsed = ParseUpstream("analytics", "http://[::1]:" + std::to_string(upstream->port));
  ASSERT_TRUE(parsed);
  ReverseProxy proxy(*parsed);
  Router front;
  front.AddStreaming(
      Verb::get, "/api/v6/*",
      [&proxy](Request& req, BodyReader& body) { return proxy.Forward(req, &body); },
      RouteOptions{});
  auto gateway = Start(std::move(front));
  for (int i = 0; i < 3; ++i) {  // the later ones take the pooled IPv6 connection
    bhttp::request<bhttp::string_body> req{Verb::get, "/api/v6/hello", 11};
    req.set("X-Correlation-ID", "v6-" + std::to_string(i));
    auto res = SendTo(gateway->port, req);
    ASSERT_EQ(res.result(), Status::ok) << res.body();
    auto o = boost::json::parse(res.body()).as_object();
    EXPECT_EQ(o["host"].as_string(), "[::1]:" + std::to_string(upstream->port));
    EXPECT_EQ(o["cid"].as_string(), "v6-" + std::to_string(i));
  }
  EXPECT_EQ(OpenConnections(upstream_metrics), 1);
}

}  // namespace
}  // namespace kinora::http
