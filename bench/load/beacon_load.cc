// Beacon ingest load for bench/beacons.sh (docs/analytics.md "The beacon"): N simulated viewers,
// each a coroutine on ONE io_context thread, post batches of events to POST /api/analytics/beacon
// over keep-alive HTTP/1.1 (one connection per viewer per base URL) until the deadline, then
// print "events batches events_per_second p50_ms p99_ms errors" and write the acknowledged
// events of every view ("view_id\tevents") to --sent-tsv. Requests in flight at the deadline
// are awaited, so every view's count is exactly the events of its batches answered 202.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr int kMaxEventsPerView = 2000;
constexpr auto kTimeout = std::chrono::seconds(30);

struct Base {  // one server: where to connect and what to send as Host
  tcp::resolver::results_type endpoints;
  std::string host;
};

struct Run {  // shared by every viewer (one thread: no locking)
  std::vector<Base> bases;
  std::string video;
  int per = 20;
  Clock::time_point stop;
  std::mt19937_64 random{std::random_device{}()};
  std::vector<double> latencies_ms;               // of the batches answered 202
  std::vector<std::pair<std::string, int>> sent;  // view id, acknowledged events
  int errors = 0;
};

std::string NewViewId(std::mt19937_64& random) {
  char hex[33];
  std::snprintf(hex, sizeof hex, "%016llx%016llx", static_cast<unsigned long long>(random()),
                static_cast<unsigned long long>(random()));
  return std::string("bench") + hex;
}

// Events seq .. seq+per-1 of a view: seq 0 is viewstart, odd seq heartbeat, even pause.
std::string Batch(const Run& run, const std::string& view, int seq) {
  std::string body = R"({"v":1,"video_id":")" + run.video + R"(","view_id":")" + view +
                     R"(","surface":"watch","duration":3600,"events":[)";
  for (int s = seq; s < seq + run.per; ++s) {
    const char* type = s == 0 ? "viewstart" : (s % 2 ? "heartbeat" : "pause");
    if (s != seq) body += ',';
    body += R"({"seq":)" + std::to_string(s) + R"(,"type":")" + type + R"(","t":)" +
            std::to_string(s * 10) + R"(,"playhead":0)";
    body += s % 2 && s != 0 ? R"(,"ranges":[[0,1]]})" : "}";
  }
  return body + "]}";
}

// A keep-alive connection to one base, (re)opened when needed.
class Connection {
 public:
  Connection(asio::any_io_executor ex, const Base& base) : stream_(std::move(ex)), base_(base) {}

  // True if the server answered 202; closes the connection after a transport error.
  asio::awaitable<bool> Post(const std::string& agent, std::string body) {
    http::request<http::string_body> req{http::verb::post, "/api/analytics/beacon", 11};
    req.set(http::field::host, base_.host);
    req.set(http::field::content_type, "text/plain");
    req.set(http::field::user_agent, agent);
    req.body() = std::move(body);
    req.prepare_payload();
    stream_.expires_after(kTimeout);
    if (!stream_.socket().is_open()) {
      auto [ec, ep] = co_await stream_.async_connect(base_.endpoints, kTuple);
      if (ec) co_return Close();
      beast::error_code ignored;
      stream_.socket().set_option(tcp::no_delay(true), ignored);
    }
    if (auto [ec, n] = co_await http::async_write(stream_, req, kTuple); ec) co_return Close();
    http::response<http::string_body> res;
    if (auto [ec, n] = co_await http::async_read(stream_, buffer_, res, kTuple); ec)
      co_return Close();
    if (!res.keep_alive()) Close();
    co_return res.result() == http::status::accepted;
  }

 private:
  bool Close() {
    beast::error_code ignored;
    stream_.socket().close(ignored);
    buffer_.clear();
    return false;
  }

  beast::tcp_stream stream_;
  const Base& base_;
  beast::flat_buffer buffer_;
};

asio::awaitable<void> Viewer(Run& run, int n) {
  auto ex = co_await asio::this_coro::executor;
  std::vector<Connection> conns;
  conns.reserve(run.bases.size());
  for (const auto& base : run.bases) conns.emplace_back(ex, base);
  const std::string agent = "bench-viewer-" + std::to_string(n);
  while (Clock::now() < run.stop) {
    std::string view = NewViewId(run.random);
    int seq = 0;
    for (size_t i = 0; seq < kMaxEventsPerView && Clock::now() < run.stop; ++i) {
      std::string body = Batch(run, view, seq);
      auto start = Clock::now();
      bool ok = co_await conns[i % conns.size()].Post(agent, std::move(body));
      if (!ok) {
        ++run.errors;
        break;
      }
      run.latencies_ms.push_back(
          std::chrono::duration<double, std::milli>(Clock::now() - start).count());
      seq += run.per;
    }
    run.sent.emplace_back(std::move(view), seq);
  }
}

// The base URL "http://host[:port]" resolved, or an error message.
std::string Resolve(asio::io_context& io, const std::string& url, Base& base) {
  auto u = boost::urls::parse_uri(url);
  if (!u || u->scheme() != "http" || u->host().empty()) return "not an http:// URL: " + url;
  std::string port = u->has_port() ? std::string(u->port()) : "80";
  beast::error_code ec;
  base.endpoints = tcp::resolver(io).resolve(u->host(), port, ec);
  if (ec) return "cannot resolve " + url + ": " + ec.message();
  base.host = u->host() + ":" + port;
  return {};
}

double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  return sorted[std::min(sorted.size() - 1,
                         static_cast<size_t>(p * static_cast<double>(sorted.size())))];
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Beacon ingest load: simulated viewers posting batches to POST /api/analytics/beacon"};
  std::vector<std::string> urls;
  std::string video, sent_tsv;
  int viewers = 32, per = 20;
  double seconds = 10;
  app.add_option("--urls", urls, "base URLs (http://127.0.0.1:PORT), comma-separated")
      ->required()
      ->delimiter(',');
  app.add_option("--video", video, "video id the views are of")->required();
  app.add_option("--viewers", viewers, "simulated viewers")->check(CLI::PositiveNumber);
  app.add_option("--seconds", seconds, "how long to post")->check(CLI::PositiveNumber);
  app.add_option("--per", per, "events per batch")->check(CLI::Range(1, 100));
  app.add_option("--sent-tsv", sent_tsv, "where to write view_id<TAB>acknowledged events")
      ->required();
  CLI11_PARSE(app, argc, argv);

  asio::io_context io{1};
  Run run;
  run.video = video;
  run.per = per;
  for (const auto& url : urls) {
    if (auto error = Resolve(io, url, run.bases.emplace_back()); !error.empty()) {
      std::cerr << error << "\n";
      return 2;
    }
  }
  auto start = Clock::now();
  run.stop =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  for (int n = 0; n < viewers; ++n) asio::co_spawn(io, Viewer(run, n), asio::detached);
  io.run();
  double wall = std::chrono::duration<double>(Clock::now() - start).count();

  std::ofstream out(sent_tsv);
  long long events = 0;
  for (const auto& [view, count] : run.sent) {
    out << view << '\t' << count << '\n';
    events += count;
  }
  if (!out.flush()) {
    std::cerr << "cannot write " << sent_tsv << "\n";
    return 1;
  }
  std::sort(run.latencies_ms.begin(), run.latencies_ms.end());
  std::printf("%lld %zu %.0f %.2f %.2f %d\n", events, run.latencies_ms.size(),
              static_cast<double>(events) / wall, Percentile(run.latencies_ms, 0.5),
              Percentile(run.latencies_ms, 0.99), run.errors);
  return 0;
}
