#include "kinora/http/proxy.h"

#include <sys/socket.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/url.hpp>
#include <mutex>
#include <vector>

#include "kinora/core/log.h"
#include "kinora/http/problem.h"

namespace kinora::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr size_t kChunk = 64 * 1024;
constexpr size_t kMaxChunkedBody = 16 << 20;  // upstream answers without a length are buffered
constexpr uint64_t kWholeBody = 1 << 20;      // answers up to this size are relayed in one piece

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

// Whether an idle pooled connection is still open: a non-blocking peek sees EOF or an error on
// a connection the upstream closed.
bool StillOpen(int fd) {
  char c;
  const ssize_t n = ::recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
  return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

}  // namespace

struct ReverseProxy::Pool {
  std::mutex mu;
  std::vector<int> idle;  // native handles of keep-alive connections
  size_t max_idle = 64;

  // A pooled connection bound to the caller's executor, if one is still open.
  std::optional<tcp::socket> Take(const asio::any_io_executor& ex) {
    for (;;) {
      int fd = -1;
      {
        std::lock_guard lock(mu);
        if (idle.empty()) return std::nullopt;
        fd = idle.back();
        idle.pop_back();
      }
      if (!StillOpen(fd)) {
        ::close(fd);
        continue;
      }
      tcp::socket s(ex);
      boost::system::error_code ec;
      s.assign(tcp::v4(), fd, ec);
      if (ec) {
        ::close(fd);
        continue;
      }
      return s;
    }
  }

  void Give(tcp::socket& s) {
    boost::system::error_code ec;
    const int fd = s.release(ec);
    if (ec) return;
    std::lock_guard lock(mu);
    if (idle.size() >= max_idle) {
      ::close(fd);
      return;
    }
    idle.push_back(fd);
  }

  ~Pool() {
    for (int fd : idle) ::close(fd);
  }
};

Result<Upstream> ParseUpstream(std::string_view name, std::string_view url) {
  auto u = boost::urls::parse_uri(url);
  if (!u || u->scheme() != "http" || u->host().empty() || !u->has_port()) {
    return MakeError(ErrorCode::kInvalidArgument, std::string(name) + " URL '" + std::string(url) +
                                                      "' must look like http://host:port");
  }
  return Upstream{std::string(name), std::string(u->host()),
                  static_cast<uint16_t>(u->port_number())};
}

ReverseProxy::ReverseProxy(Upstream upstream, ProxyOptions options)
    : upstream_(std::move(upstream)), options_(options), pool_(std::make_shared<Pool>()) {
  pool_->max_idle = options_.max_idle;
}

ReverseProxy::~ReverseProxy() = default;

namespace {

// One exchange's upstream side, shared with the response body reader.
struct Exchange {
  // Beast reads at most the buffer's free capacity (but 512 bytes or more) per call: give it
  // room for 64 KiB, or a 100 KB answer takes two hundred reads.
  explicit Exchange(tcp::socket s) : stream(std::move(s)) { buffer.reserve(kChunk); }
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::buffer_body> parser;
  std::shared_ptr<ReverseProxy::Pool> pool;
  std::chrono::milliseconds timeout{};
  std::optional<std::chrono::steady_clock::time_point> deadline;
  bool keep_alive = false;

  // Before each operation: the idle timeout, or what is left of the total.
  void Arm() {
    if (deadline) {
      stream.expires_at(*deadline);
    } else {
      stream.expires_after(timeout);
    }
  }

  void Done() {
    if (keep_alive && pool) pool->Give(stream.socket());
  }
};

Response Unreachable(const Upstream& u, const boost::system::error_code& ec, bool timed_out) {
  if (timed_out) {
    return Problem(Status::gateway_timeout,
                   "the " + u.name + " service did not accept a connection in time");
  }
  Response r = Problem(Status::service_unavailable,
                       "the " + u.name + " service is unavailable (" + ec.message() + ")");
  r.Set(bhttp::field::retry_after, "2");
  return r;
}

}  // namespace

asio::awaitable<Response> ReverseProxy::Forward(Request& req, BodyReader* body) {
  const auto ex = co_await asio::this_coro::executor;
  const bool body_method =
      req.method == Verb::post || req.method == Verb::put || req.method == Verb::patch;
  if (body && !body->content_length() && !body_method) body = nullptr;  // no body at all
  const bool has_body = body ? body->content_length().value_or(1) > 0 : !req.body.empty();
  const bool idempotent = req.method == Verb::get || req.method == Verb::head;
  const bool head = req.method == Verb::head;
  const auto started = std::chrono::steady_clock::now();

  for (int attempt = 0;; ++attempt) {
    // A connection: pooled unless the request carries a body (a dead pooled connection would
    // be found only after the body was consumed).
    std::optional<tcp::socket> sock;
    bool reused = false;
    if (!has_body) {
      sock = pool_->Take(ex);
      reused = sock.has_value();
    }
    auto x = std::make_shared<Exchange>(sock ? std::move(*sock) : tcp::socket(ex));
    x->pool = pool_;
    x->timeout = options_.response_timeout;
    if (options_.total_timeout) x->deadline = started + *options_.total_timeout;
    if (!reused) {
      tcp::resolver resolver(ex);
      auto [rec, results] =
          co_await resolver.async_resolve(upstream_.host, std::to_string(upstream_.port), kTuple);
      if (rec) co_return Unreachable(upstream_, rec, false);
      x->stream.expires_after(options_.connect_timeout);
      if (x->deadline &&
          *x->deadline < std::chrono::steady_clock::now() + options_.connect_timeout) {
        x->stream.expires_at(*x->deadline);
      }
      auto [cec, endpoint] = co_await x->stream.async_connect(results, kTuple);
      if (cec) {
        if (idempotent && attempt == 0 && cec != beast::error::timeout) continue;
        co_return Unreachable(upstream_, cec, cec == beast::error::timeout);
      }
      x->stream.socket().set_option(tcp::no_delay(true));
    }

    // The request head, then the body in chunks.
    bhttp::request<bhttp::buffer_body> msg{req.method, req.target, 11};
    CopyEndToEnd(req.headers, msg);
    msg.set(bhttp::field::host, upstream_.host + ":" + std::to_string(upstream_.port));
    msg.set("X-Correlation-ID", req.correlation_id);
    std::string forwarded(req.headers["X-Forwarded-For"]);
    msg.set("X-Forwarded-For", forwarded.empty() ? req.remote : forwarded + ", " + req.remote);
    if (auto host = req.headers[bhttp::field::host]; !host.empty()) {
      msg.set("X-Forwarded-Host", host);
    }
    msg.keep_alive(true);
    if (body) {
      if (auto cl = body->content_length()) {
        msg.content_length(*cl);
      } else {
        msg.chunked(true);
      }
    } else if (!req.body.empty() || body_method) {
      msg.content_length(req.body.size());
    }
    msg.body().data = nullptr;
    msg.body().more = body != nullptr || !req.body.empty();
    bhttp::request_serializer<bhttp::buffer_body> sr{msg};
    x->Arm();
    auto [hec, hn] = co_await bhttp::async_write_header(x->stream, sr, kTuple);
    if (hec) {
      if (reused && attempt == 0) continue;  // the pooled connection was dead after all
      co_return Problem(
          Status::bad_gateway,
          "the " + upstream_.name + " service dropped the connection (" + hec.message() + ")");
    }
    bool upstream_failed = false;
    if (body) {
      std::vector<char> buf(kChunk);
      for (;;) {
        auto n = co_await body->Read(std::span<char>(buf.data(), buf.size()));
        if (!n) {
          // The client went away or sent too much: the upstream connection is half-written,
          // so it is closed, never pooled.
          co_return ProblemFrom(n.error());
        }
        msg.body().data = *n ? buf.data() : nullptr;
        msg.body().size = *n;
        msg.body().more = *n > 0;
        x->Arm();
        auto [wec, wn] = co_await bhttp::async_write(x->stream, sr, kTuple);
        if (wec == bhttp::error::need_buffer) wec = {};
        if (wec) {
          // The upstream stopped reading: it may already have answered (413, say).
          upstream_failed = true;
          break;
        }
        if (*n == 0) break;
      }
    } else if (!req.body.empty()) {
      msg.body().data = req.body.data();
      msg.body().size = req.body.size();
      msg.body().more = false;
      auto [wec, wn] = co_await bhttp::async_write(x->stream, sr, kTuple);
      if (wec == bhttp::error::need_buffer) wec = {};
      upstream_failed = static_cast<bool>(wec);
    }

    // The response head.
    x->parser.body_limit(boost::none);
    if (head) x->parser.skip(true);
    if (upstream_failed) {
      x->stream.expires_after(std::chrono::milliseconds(2000));
    } else {
      x->Arm();
    }
    auto [rec, rn] = co_await bhttp::async_read_header(x->stream, x->buffer, x->parser, kTuple);
    if (rec) {
      if (reused && idempotent && attempt == 0) continue;
      if (rec == beast::error::timeout && !upstream_failed) {
        co_return Problem(Status::gateway_timeout,
                          "the " + upstream_.name + " service did not answer in time");
      }
      co_return Problem(
          Status::bad_gateway,
          "the " + upstream_.name + " service dropped the connection (" + rec.message() + ")");
    }
    auto& head_msg = x->parser.get();
    Response res;
    res.status = head_msg.result();
    CopyEndToEnd(head_msg.base(), res.headers);
    x->keep_alive = head_msg.keep_alive() && !upstream_failed;

    const auto length = x->parser.content_length();
    if (head || x->parser.is_done()) {
      if (head) {
        res.stream = StreamBody{length.value_or(0), nullptr, nullptr};
      }
      x->Done();
      co_return res;
    }
    if (!length || *length <= kWholeBody) {
      // Small answers (every API document) and ones without a length (chunked) are read whole,
      // within a cap, and sent on in one write; only big bodies are relayed piecewise.
      res.body.resize(length.value_or(0));
      size_t have = 0;
      std::vector<char> buf(length ? 0 : kChunk);
      while (!x->parser.is_done()) {
        if (length) {
          x->parser.get().body().data = res.body.data() + have;
          x->parser.get().body().size = res.body.size() - have;
        } else {
          x->parser.get().body().data = buf.data();
          x->parser.get().body().size = buf.size();
        }
        x->Arm();
        auto [bec, bn] = co_await bhttp::async_read_some(x->stream, x->buffer, x->parser, kTuple);
        if (bec == bhttp::error::need_buffer) bec = {};
        if (bec || res.body.size() > kMaxChunkedBody) {
          co_return Problem(Status::bad_gateway,
                            "the " + upstream_.name + " service sent a broken response body");
        }
        if (length) {
          have = res.body.size() - x->parser.get().body().size;
        } else {
          res.body.append(buf.data(), buf.size() - x->parser.get().body().size);
        }
      }
      x->Done();
      co_return res;
    }
    res.stream = StreamBody{
        *length, nullptr, [x](std::span<char> out) -> asio::awaitable<Result<size_t>> {
          size_t filled = 0;
          for (;;) {
            if (x->parser.is_done()) co_return filled;
            x->parser.get().body().data = out.data();
            x->parser.get().body().size = out.size();
            x->Arm();
            auto [ec, n] = co_await bhttp::async_read_some(x->stream, x->buffer, x->parser, kTuple);
            if (ec == bhttp::error::need_buffer) ec = {};
            if (ec) {
              co_return MakeError(ErrorCode::kUnavailable,
                                  "upstream response body: " + ec.message());
            }
            const size_t got = out.size() - x->parser.get().body().size;
            if (x->parser.is_done()) x->Done();
            // Fill the caller's buffer before returning: fewer, larger writes to the client.
            if (got > 0 && (got == out.size() || x->parser.is_done())) co_return filled + got;
            if (got > 0) {
              out = out.subspan(got);
              filled += got;
              continue;
            }
          }
        }};
    co_return res;
  }
}

}  // namespace kinora::http
