#include "kinora/http/proxy.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/system/result.hpp>
#include <boost/url.hpp>
#include <vector>

#include "kinora/http/problem.h"
#include "proxy_pool.h"

namespace kinora::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr size_t kChunk = 64 * 1024;
constexpr size_t kMaxChunkedBody = 16 << 20;  // upstream answers without a length are buffered
constexpr uint64_t kWholeBody = 1 << 20;      // answers up to this size are relayed in one piece
// After the upstream stopped reading the request body, how long its early answer may take.
constexpr std::chrono::milliseconds kEarlyAnswerWait{2000};

bool HopByHop(std::string_view name) {
  static constexpr std::string_view kHop[] = {
      "connection",          "keep-alive", "proxy-authenticate",
      "proxy-authorization", "te",         "trailer",
      "transfer-encoding",   "upgrade",    "expect",
      "content-length",      "host"};
  for (auto h : kHop) {
    if (beast::iequals(name, h)) return true;
  }
  return false;
}

template <class Fields>
void CopyEndToEnd(const bhttp::fields& from, Fields& to) {
  for (const auto& f : from) {
    if (!HopByHop(f.name_string())) to.insert(f.name_string(), f.value());
  }
}

}  // namespace

std::string Upstream::authority() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Result<Upstream> ParseUpstream(std::string_view name, std::string_view url) {
  auto u = boost::urls::parse_uri(url);
  if (!u || u->scheme() != "http" || u->host().empty() || !u->has_port() ||
      u->host_type() == boost::urls::host_type::ipvfuture) {
    return InvalidArgument(std::string(name) + " URL '" + std::string(url) +
                           "' must look like http://host:port");
  }
  // host_address() drops an IPv6 literal's brackets: "[::1]" → "::1", as the resolver wants.
  return Upstream{std::string(name), u->host_address(), static_cast<uint16_t>(u->port_number())};
}

ReverseProxy::ReverseProxy(Upstream upstream, ProxyOptions options)
    : upstream_(std::move(upstream)),
      options_(options),
      pool_(std::make_shared<Pool>(options_.max_idle)) {}

ReverseProxy::~ReverseProxy() = default;

namespace {

// One exchange's upstream side, shared with the response body reader when the body is relayed
// piecewise. The connection is reusable once the answer has been read to its end.
struct Exchange {
  // Beast reads at most the buffer's free capacity (but 512 bytes or more) per call: give it
  // room for 64 KiB, or a 100 KB answer takes two hundred reads.
  Exchange(std::shared_ptr<ReverseProxy::Pool> pool, tcp::socket s, bool reused)
      : conn(std::move(pool), std::move(s), reused) {
    buffer.reserve(kChunk);
  }
  ~Exchange() { conn.set_reusable(keep_alive && parser.is_done()); }

  beast::tcp_stream& stream() { return conn.stream(); }

  // Before each operation: the idle timeout, or what is left of the total.
  void Arm() {
    if (deadline) {
      stream().expires_at(*deadline);
    } else {
      stream().expires_after(timeout);
    }
  }

  PooledConnection conn;
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::buffer_body> parser;
  std::chrono::milliseconds timeout{};
  std::optional<Clock::time_point> deadline;
  bool keep_alive = false;  // the upstream keeps the connection open after this answer
};

// How an exchange with the upstream can fail.
enum class Fault {
  kUnreachable,     // resolving or connecting failed
  kConnectTimeout,  // connecting took too long
  kDropped,         // the connection broke while the request or the answer's head was in flight
  kAnswerTimeout,   // no answer in time
  kBrokenBody,      // the answer's body broke off or was too big to buffer
};

// The one description of an upstream failure: its code (so 503, 504 or 502, see StatusFor) and
// a detail that names the service.
Error UpstreamError(const Upstream& u, Fault fault, const boost::system::error_code& ec = {}) {
  const std::string service = "the " + u.name + " service";
  switch (fault) {
    case Fault::kUnreachable:
      return Unavailable(service + " is unavailable (" + ec.message() + ")");
    case Fault::kConnectTimeout:
      return DeadlineExceeded(service + " did not accept a connection in time");
    case Fault::kDropped:
      return BadUpstream(service + " dropped the connection (" + ec.message() + ")");
    case Fault::kAnswerTimeout:
      return DeadlineExceeded(service + " did not answer in time");
    case Fault::kBrokenBody:
      return BadUpstream(service + " sent a broken response body");
  }
  return Internal(service + ": unknown failure");
}

// The answer to a failed exchange. A service that cannot be reached is worth retrying soon.
Response FailureProblem(const Error& e) {
  Response r = ProblemFrom(e);
  if (e.code == ErrorCode::kUnavailable) r.Set(bhttp::field::retry_after, "2");
  return r;
}

// A step that did not succeed: the error to answer with, and whether the request may start over
// on a fresh connection (nothing of it reached the upstream's application).
struct Failure {
  Error error;
  bool retry = false;
};
template <class T>
using Step = boost::system::result<T, Failure>;

// What every step of one forwarded request needs.
struct Forwarding {
  const Upstream& upstream;
  const ProxyOptions& options;
  const std::shared_ptr<ReverseProxy::Pool>& pool;
  Request& req;
  BodyReader* body;  // null: the body is req.body
  bool body_method;  // POST, PUT, PATCH
  bool has_body;
  bool idempotent;  // GET, HEAD
  bool head;
  Clock::time_point started;
};

// A connection: pooled unless the request carries a body (a dead pooled connection would be
// found only after the body was consumed), else resolved and connected afresh.
asio::awaitable<Step<std::shared_ptr<Exchange>>> Connect(const Forwarding& f) {
  const auto ex = co_await asio::this_coro::executor;
  std::optional<tcp::socket> pooled;
  if (!f.has_body) pooled = f.pool->Take(ex);
  const bool reused = pooled.has_value();
  auto x =
      std::make_shared<Exchange>(f.pool, reused ? std::move(*pooled) : tcp::socket(ex), reused);
  x->timeout = f.options.response_timeout;
  if (f.options.total_timeout) x->deadline = f.started + *f.options.total_timeout;
  if (reused) co_return x;

  tcp::resolver resolver(ex);
  auto [rec, results] =
      co_await resolver.async_resolve(f.upstream.host, std::to_string(f.upstream.port), kTuple);
  if (rec) co_return Failure{UpstreamError(f.upstream, Fault::kUnreachable, rec)};
  x->stream().expires_after(f.options.connect_timeout);
  if (x->deadline && *x->deadline < Clock::now() + f.options.connect_timeout) {
    x->stream().expires_at(*x->deadline);
  }
  auto [cec, endpoint] = co_await x->stream().async_connect(results, kTuple);
  if (cec == beast::error::timeout) {
    co_return Failure{UpstreamError(f.upstream, Fault::kConnectTimeout)};
  }
  if (cec) co_return Failure{UpstreamError(f.upstream, Fault::kUnreachable, cec), f.idempotent};
  boost::system::error_code ignored;
  x->stream().socket().set_option(tcp::no_delay(true), ignored);
  co_return x;
}

// The request head as the upstream gets it: end-to-end headers, plus who asked and for which
// host, and the body's framing.
bhttp::request<bhttp::buffer_body> RequestHead(const Forwarding& f) {
  const Request& req = f.req;
  bhttp::request<bhttp::buffer_body> msg{req.method, req.target, 11};
  CopyEndToEnd(req.headers, msg);
  msg.set(bhttp::field::host, f.upstream.authority());
  msg.set("X-Correlation-ID", req.correlation_id);
  std::string forwarded(req.headers["X-Forwarded-For"]);
  msg.set("X-Forwarded-For", forwarded.empty() ? req.remote : forwarded + ", " + req.remote);
  if (auto host = req.headers[bhttp::field::host]; !host.empty()) {
    msg.set("X-Forwarded-Host", host);
  }
  msg.keep_alive(true);
  if (f.body) {
    if (auto cl = f.body->content_length()) {
      msg.content_length(*cl);
    } else {
      msg.chunked(true);
    }
  } else if (!req.body.empty() || f.body_method) {
    msg.content_length(req.body.size());
  }
  msg.body().data = nullptr;
  msg.body().more = f.body != nullptr || !req.body.empty();
  return msg;
}

// Sends the request head, then the body: from the client in chunks, or req.body at once. True
// when the upstream stopped reading the body (it may already have answered: a 413, say). A
// failure of the client's body is returned as it is.
asio::awaitable<Step<bool>> SendRequest(const Forwarding& f, Exchange& x) {
  auto msg = RequestHead(f);
  bhttp::request_serializer<bhttp::buffer_body> sr{msg};
  x.Arm();
  auto [hec, hn] = co_await bhttp::async_write_header(x.stream(), sr, kTuple);
  if (hec) {
    // A pooled connection the upstream had closed after all.
    co_return Failure{UpstreamError(f.upstream, Fault::kDropped, hec), x.conn.reused()};
  }
  if (!f.body) {
    if (f.req.body.empty()) co_return false;
    msg.body().data = f.req.body.data();
    msg.body().size = f.req.body.size();
    msg.body().more = false;
    auto [wec, wn] = co_await bhttp::async_write(x.stream(), sr, kTuple);
    co_return wec&& wec != bhttp::error::need_buffer;
  }
  std::vector<char> buf(kChunk);
  for (;;) {
    auto n = co_await f.body->Read(std::span<char>(buf.data(), buf.size()));
    if (!n) co_return Failure{n.error()};  // the client went away or sent too much
    msg.body().data = *n ? buf.data() : nullptr;
    msg.body().size = *n;
    msg.body().more = *n > 0;
    x.Arm();
    auto [wec, wn] = co_await bhttp::async_write(x.stream(), sr, kTuple);
    if (wec && wec != bhttp::error::need_buffer) co_return true;
    if (*n == 0) co_return false;
  }
}

// Reads the answer's head: its status and end-to-end headers.
asio::awaitable<Step<Response>> ReadHead(const Forwarding& f, Exchange& x, bool stopped_reading) {
  x.parser.body_limit(boost::none);
  if (f.head) x.parser.skip(true);
  if (stopped_reading) {
    x.stream().expires_after(kEarlyAnswerWait);
  } else {
    x.Arm();
  }
  auto [ec, n] = co_await bhttp::async_read_header(x.stream(), x.buffer, x.parser, kTuple);
  if (ec) {
    const bool retry = x.conn.reused() && f.idempotent;
    const bool slow = ec == beast::error::timeout && !stopped_reading;
    co_return Failure{UpstreamError(f.upstream, slow ? Fault::kAnswerTimeout : Fault::kDropped, ec),
                      retry};
  }
  auto& head = x.parser.get();
  Response res;
  res.status = static_cast<Status>(head.result_int());  // unknown codes (tus 460) kept
  CopyEndToEnd(head.base(), res.headers);
  x.keep_alive = head.keep_alive() && !stopped_reading;
  co_return res;
}

// Reads a small answer, or one without a length (chunked, within a cap), whole into res.body.
asio::awaitable<Step<Response>> ReadWholeBody(const Forwarding& f, Exchange& x, Response res) {
  const auto length = x.parser.content_length();
  res.body.resize(length.value_or(0));
  size_t have = 0;
  std::vector<char> buf(length ? 0 : kChunk);
  while (!x.parser.is_done()) {
    auto& room = x.parser.get().body();
    if (length) {
      room.data = res.body.data() + have;
      room.size = res.body.size() - have;
    } else {
      room.data = buf.data();
      room.size = buf.size();
    }
    x.Arm();
    auto [ec, n] = co_await bhttp::async_read_some(x.stream(), x.buffer, x.parser, kTuple);
    if ((ec && ec != bhttp::error::need_buffer) || res.body.size() > kMaxChunkedBody) {
      co_return Failure{UpstreamError(f.upstream, Fault::kBrokenBody)};
    }
    if (length) {
      have = res.body.size() - room.size;
    } else {
      res.body.append(buf.data(), buf.size() - room.size);
    }
  }
  co_return res;
}

// A big answer's body, relayed as the client takes it, each read filling the caller's buffer.
StreamBody RelayedBody(std::shared_ptr<Exchange> x, uint64_t length) {
  return StreamBody{
      length, nullptr, [x = std::move(x)](std::span<char> out) -> asio::awaitable<Result<size_t>> {
        size_t filled = 0;
        while (!x->parser.is_done()) {
          x->parser.get().body().data = out.data();
          x->parser.get().body().size = out.size();
          x->Arm();
          auto [ec, n] = co_await bhttp::async_read_some(x->stream(), x->buffer, x->parser, kTuple);
          if (ec && ec != bhttp::error::need_buffer) {
            co_return Unavailable("upstream response body: " + ec.message());
          }
          const size_t got = out.size() - x->parser.get().body().size;
          // Fill the caller's buffer before returning: fewer, larger writes to the client.
          if (got > 0 && (got == out.size() || x->parser.is_done())) co_return filled + got;
          out = out.subspan(got);
          filled += got;
        }
        co_return filled;
      }};
}

// The answer's body: none for HEAD or an empty answer, whole when small, else relayed.
asio::awaitable<Step<Response>> Relay(const Forwarding& f, std::shared_ptr<Exchange> x,
                                      Response res) {
  const auto length = x->parser.content_length();
  if (f.head) {
    res.stream = StreamBody{length.value_or(0), nullptr, nullptr};
    co_return res;
  }
  if (x->parser.is_done()) co_return res;
  if (!length || *length <= kWholeBody) co_return co_await ReadWholeBody(f, *x, std::move(res));
  res.stream = RelayedBody(std::move(x), *length);
  co_return res;
}

// One attempt: connect, send, read the head, relay.
asio::awaitable<Step<Response>> Attempt(const Forwarding& f) {
  auto x = co_await Connect(f);
  if (!x) co_return x.error();
  auto stopped_reading = co_await SendRequest(f, **x);
  if (!stopped_reading) co_return stopped_reading.error();
  auto head = co_await ReadHead(f, **x, *stopped_reading);
  if (!head) co_return head.error();
  co_return co_await Relay(f, std::move(*x), std::move(*head));
}

}  // namespace

asio::awaitable<Response> ReverseProxy::Forward(Request& req, BodyReader* body) {
  const bool body_method =
      req.method == Verb::post || req.method == Verb::put || req.method == Verb::patch;
  if (body && !body->content_length() && !body_method) body = nullptr;  // no body at all
  const Forwarding f{
      .upstream = upstream_,
      .options = options_,
      .pool = pool_,
      .req = req,
      .body = body,
      .body_method = body_method,
      .has_body = body ? body->content_length().value_or(1) > 0 : !req.body.empty(),
      .idempotent = req.method == Verb::get || req.method == Verb::head,
      .head = req.method == Verb::head,
      .started = Clock::now(),
  };
  for (int attempt = 0;; ++attempt) {
    auto res = co_await Attempt(f);
    if (res) co_return std::move(*res);
    if (attempt == 0 && res.error().retry) continue;
    co_return FailureProblem(res.error().error);
  }
}

}  // namespace kinora::http
