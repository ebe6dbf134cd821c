// One client connection: read a request header, pick the route, take the body as the route
// wants it (whole, or streamed by the handler), write the response (whole or streamed),
// repeat while keep-alive. Runs as a coroutine on the connection's strand.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>
#include <chrono>
#include <limits>
#include <optional>
#include <variant>

#include "kinora/core/ids.h"
#include "kinora/core/log.h"
#include "kinora/http/problem.h"
#include "server_state.h"

namespace kinora::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr size_t kChunk = 64 * 1024;
// Beast reads "capacity − size" bytes at a time into the connection buffer, so a streamed body
// needs a large buffer or it arrives 512 bytes per syscall; it never reads more than 64 KiB at
// once, so a larger one only costs memory per upload. Only streaming requests get one.
constexpr size_t kStreamReadBuffer = 64 * 1024;
using Parser = bhttp::request_parser<bhttp::buffer_body>;

// Fills path and query from the request-target; false if it is not a valid origin-form.
bool ParseTarget(Request& req) {
  auto u = boost::urls::parse_origin_form(req.target);
  if (!u) return false;
  req.path = u->path();
  if (req.path.find('\0') != std::string::npos) return false;
  for (auto p : u->params()) req.query.emplace(p.key, p.has_value ? p.value : "");
  return true;
}

constexpr int kUploadRetryAfterSeconds = 10;

// A slot of UploadSlots, given back when the request's answer is ready.
class UploadSlot {
 public:
  UploadSlot(UploadSlots& slots, std::string client) : slots_(slots), client_(std::move(client)) {}
  ~UploadSlot() {
    if (taken_) slots_.Give(client_);
  }
  UploadSlot(const UploadSlot&) = delete;
  UploadSlot& operator=(const UploadSlot&) = delete;
  UploadSlots::Taken Take() {
    auto t = slots_.Take(client_);
    taken_ = t == UploadSlots::Taken::kYes;
    return t;
  }

 private:
  UploadSlots& slots_;
  std::string client_;
  bool taken_ = false;
};

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;  // clang 14 (the fuzz preset) deduces no aggregates

template <class Message>
void CopyHeaders(const bhttp::fields& from, Message& to) {
  for (const auto& f : from) to.insert(f.name_string(), f.value());
}

// What a failed body read means: the body broke HTTP's framing (a bad chunk: the client gets a
// 400), it outgrew the limit, or the connection failed or timed out (no one left to answer).
Error BodyReadError(const boost::system::error_code& ec, std::string_view limit_message) {
  if (ec == bhttp::error::body_limit) return TooLarge(std::string(limit_message));
  const bool framing =
      ec.category() == bhttp::make_error_code(bhttp::error::bad_chunk).category() &&
      ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message;
  if (framing) return InvalidArgument("malformed request body: " + ec.message());
  return Cancelled("reading the request body: " + ec.message());
}

// Transfer-Encoding, if present, must be exactly `chunked`: we decode no other coding, and a
// coding we would pass through undecoded (`gzip, chunked`) must not be taken as the body.
bool TransferCodingSupported(const bhttp::fields& headers) {
  int seen = 0;
  for (const auto& f : headers) {
    if (f.name() != bhttp::field::transfer_encoding) continue;
    std::string_view v = f.value();
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    if (++seen > 1 || !beast::iequals(v, "chunked")) return false;
  }
  return true;
}

}  // namespace

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(std::shared_ptr<Server::State> st, tcp::socket socket)
      : st_(std::move(st)), stream_(std::move(socket)) {}

  asio::awaitable<void> Run();
  void Close(bool force) {
    if (force || idle_) {
      boost::system::error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
      stream_.socket().close(ignored);
    }
  }
  auto executor() { return stream_.get_executor(); }

 private:
  class Reader;
  asio::awaitable<bool> Serve(Parser& parser);
  asio::awaitable<std::optional<Response>> Respond(Request& req, Parser& parser);
  asio::awaitable<std::optional<Response>> Invoke(const Route& route, Request& req, Parser& parser);
  asio::awaitable<std::optional<Response>> CallWhole(const Handler& h, uint64_t limit, Request& req,
                                                     Parser& parser);
  asio::awaitable<std::optional<Response>> CallStreaming(const StreamHandler& h, Request& req,
                                                         Parser& parser);
  asio::awaitable<Result<void>> SendContinue(Parser& parser);
  asio::awaitable<Result<std::string>> ReadWhole(Parser& parser, uint64_t limit);
  asio::awaitable<bool> Write(const Request& req, Response& res, bool keep_alive);
  asio::awaitable<void> Drain(Parser& parser);
  void Finish(const Request& req, const Response& res, std::chrono::steady_clock::time_point start);

  std::shared_ptr<Server::State> st_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  bool idle_ = true;
  bool continue_sent_ = false;
};

// Streams the request body to a handler. The idle timeout is armed before every socket read,
// so it means "no byte arrived for that long", however slowly a steady client sends.
class Session::Reader final : public BodyReader {
 public:
  Reader(Session& s, Parser& p) : s_(s), p_(p) {}
  ~Reader() override {
    if (grew_) s_.buffer_.shrink_to_fit();  // give the streaming buffer back before idling
  }
  asio::awaitable<Result<size_t>> Read(std::span<char> buf) override {
    if (p_.is_done()) co_return size_t{0};
    auto cont = co_await s_.SendContinue(p_);
    if (!cont) co_return cont.error();
    if (s_.buffer_.capacity() < kStreamReadBuffer) {
      s_.buffer_.reserve(kStreamReadBuffer);
      grew_ = true;
    }
    for (;;) {
      p_.get().body().data = buf.data();
      p_.get().body().size = buf.size();
      s_.stream_.expires_after(s_.st_->options.idle_timeout);
      auto [ec, n] = co_await bhttp::async_read_some(s_.stream_, s_.buffer_, p_, kTuple);
      if (ec == bhttp::error::need_buffer) ec = {};
      if (ec) co_return BodyReadError(ec, "request body exceeds the limit");
      size_t got = buf.size() - p_.get().body().size;
      if (got > 0 || p_.is_done()) co_return got;
    }
  }
  std::optional<uint64_t> content_length() const override {
    auto cl = p_.content_length();
    if (cl) return *cl;
    return std::nullopt;
  }

 private:
  Session& s_;
  Parser& p_;
  bool grew_ = false;
};

asio::awaitable<Result<void>> Session::SendContinue(Parser& parser) {
  if (continue_sent_) co_return Result<void>{};
  continue_sent_ = true;
  auto expect = parser.get()[bhttp::field::expect];
  if (!beast::iequals(expect, "100-continue")) co_return Result<void>{};
  static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
  stream_.expires_after(st_->options.idle_timeout);
  auto [ec, n] = co_await asio::async_write(stream_, asio::buffer(kContinue), kTuple);
  if (ec) co_return Cancelled("writing 100 Continue: " + ec.message());
  co_return Result<void>{};
}

asio::awaitable<Result<std::string>> Session::ReadWhole(Parser& parser, uint64_t limit) {
  std::string body;
  if (parser.is_done()) co_return body;
  auto cont = co_await SendContinue(parser);
  if (!cont) co_return cont.error();
  char buf[16 * 1024];
  stream_.expires_after(
      st_->options.request_timeout);  // total, not idle: ordinary bodies are small
  while (!parser.is_done()) {
    parser.get().body().data = buf;
    parser.get().body().size = sizeof buf;
    auto [ec, n] = co_await bhttp::async_read(stream_, buffer_, parser, kTuple);
    if (ec == bhttp::error::need_buffer) ec = {};
    if (ec) {
      co_return BodyReadError(ec, "request body exceeds " + std::to_string(limit) + " bytes");
    }
    body.append(buf, sizeof buf - parser.get().body().size);
  }
  co_return body;
}

// After answering without reading the whole body, read and discard a bounded amount so the
// client sees our response instead of a connection reset (a "lingering close").
asio::awaitable<void> Session::Drain(Parser& parser) {
  boost::system::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  char buf[16 * 1024];
  uint64_t drained = 0;
  stream_.expires_after(std::chrono::seconds(2));
  while (drained < (64u << 20)) {
    auto [rec, n] = co_await stream_.async_read_some(asio::buffer(buf), kTuple);
    if (rec) break;
    drained += n;
  }
  (void)parser;
}

asio::awaitable<void> Session::Run() {
  auto self = shared_from_this();
  for (;;) {
    idle_ = true;
    if (st_->stopping) break;
    Parser parser;  // a fresh parser per request
    parser.header_limit(st_->options.header_limit);
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());  // set per route
    stream_.expires_after(st_->options.idle_timeout);
    auto [ec, n] = co_await bhttp::async_read_header(stream_, buffer_, parser, kTuple);
    idle_ = false;
    if (ec) {
      if (ec.category() == bhttp::make_error_code(bhttp::error::end_of_stream).category() &&
          ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message) {
        // A malformed request: answer it once, then close.
        Request req;
        req.correlation_id = NewUuid();
        Response res =
            ec == bhttp::error::header_limit
                ? Problem(Status::request_header_fields_too_large,
                          "request headers exceed " + std::to_string(st_->options.header_limit) +
                              " bytes")
                : ProblemFrom(InvalidArgument("malformed HTTP request: " + ec.message()));
        co_await Write(req, res, false);
      }
      break;
    }
    continue_sent_ = false;
    bool keep_alive = co_await Serve(parser);
    if (!keep_alive) break;
  }
  boost::system::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream_.socket().close(ignored);
  st_->Remove(self);
}

asio::awaitable<bool> Session::Serve(Parser& parser) {
  auto start = std::chrono::steady_clock::now();
  auto& h = parser.get();
  Request req;
  req.method = h.method();
  req.target = std::string(h.target());
  req.headers = h.base();
  boost::system::error_code rec;
  auto ep = stream_.socket().remote_endpoint(rec);
  if (!rec) req.remote = ep.address().to_string();
  std::string_view cid = h["X-Correlation-ID"];
  req.correlation_id = IsValidCorrelationId(cid) ? std::string(cid) : NewUuid();
  bool keep_alive = h.keep_alive() && !st_->stopping;

  std::optional<Response> res = co_await Respond(req, parser);
  if (!res) co_return false;  // the client went away while sending the body
  bool unread_body = !parser.is_done();
  if (unread_body) keep_alive = false;
  bool ok = co_await Write(req, *res, keep_alive);
  Finish(req, *res, start);
  if (ok && unread_body) co_await Drain(parser);
  co_return ok&& keep_alive;
}

// The answer to one request: the route's, or the server's own when the target is malformed,
// nothing matches, or the route could never take the body announced.
asio::awaitable<std::optional<Response>> Session::Respond(Request& req, Parser& parser) {
  if (req.headers.count(bhttp::field::host) > 1) {
    co_return ProblemFrom(InvalidArgument("more than one Host header"));
  }
  if (!st_->options.hosts.Allows(req.Header(bhttp::field::host))) {
    req.route = "(misdirected)";
    co_return Problem(Status::misdirected_request,
                      "this server does not answer for the host named in the Host header");
  }
  if (!ParseTarget(req)) co_return ProblemFrom(InvalidArgument("malformed request target"));
  if (!TransferCodingSupported(req.headers)) {
    co_return Problem(Status::not_implemented,
                      "only Transfer-Encoding: chunked is supported for request bodies");
  }
  Match m = st_->router.Find(req.method, req.path);
  if (!m.route && !m.allow.empty()) {
    req.route = "(method not allowed)";
    Response res = Problem(Status::method_not_allowed, std::string(bhttp::to_string(req.method)) +
                                                           " is not allowed on " + req.path);
    res.Set(bhttp::field::allow, m.allow);
    co_return res;
  }
  if (!m.route) {
    req.route = "(unmatched)";
    co_return ProblemFrom(NotFound(
        "no such endpoint: " + std::string(bhttp::to_string(req.method)) + " " + req.path));
  }
  const Route& route = *m.route;
  req.route = route.pattern;
  req.path_params = std::move(m.params);
  if (st_->options.guard) {
    if (auto refused = st_->options.guard(req, route)) co_return refused;
  }
  auto cl = parser.content_length();
  if (cl && *cl > route.options.body_limit) {
    co_return ProblemFrom(TooLarge("request body of " + std::to_string(*cl) +
                                   " bytes exceeds the limit of " +
                                   std::to_string(route.options.body_limit) + " bytes"));
  }
  if (route.streaming() && !cl && !parser.chunked() &&
      (req.method == Verb::post || req.method == Verb::put || req.method == Verb::patch)) {
    // A body is expected: its length must be known or chunked. (GET/HEAD/DELETE without
    // either simply have no body; ordinary routes then read an empty one.)
    co_return Problem(Status::length_required,
                      "send the body with Content-Length or chunked transfer encoding");
  }
  // An upload holds a slot until its answer is ready; over the caps it is refused before a
  // byte of its body is read.
  UploadSlot slot(st_->uploads, req.client.empty() ? req.remote : req.client);
  if (route.options.upload) {
    switch (slot.Take()) {
      case UploadSlots::Taken::kYes:
        break;
      case UploadSlots::Taken::kClientFull:
        co_return TooManyRequests(kUploadRetryAfterSeconds,
                                  "too many uploads at once from your address (at most " +
                                      std::to_string(st_->options.max_uploads_per_client) +
                                      "); retry when one has finished");
      case UploadSlots::Taken::kServerFull: {
        Response busy = Problem(Status::service_unavailable,
                                "the server is taking as many uploads as it can; retry later");
        busy.Set(bhttp::field::retry_after, std::to_string(kUploadRetryAfterSeconds));
        co_return busy;
      }
    }
  }
  co_return co_await Invoke(route, req, parser);
}

// The one place a handler runs, whatever its kind; an exception from it is logged and becomes
// a 500. Empty when the client went away before the body was read (no one to answer).
asio::awaitable<std::optional<Response>> Session::Invoke(const Route& route, Request& req,
                                                         Parser& parser) {
  parser.body_limit(route.options.body_limit);
  std::optional<Response> res;
  try {
    res = co_await std::visit(
        Overloaded{
            [&](const Handler& h) { return CallWhole(h, route.options.body_limit, req, parser); },
            [&](const StreamHandler& h) { return CallStreaming(h, req, parser); },
        },
        route.handler);
  } catch (const std::exception& e) {
    log::Error("handler failed",
               {{"route", req.route}, {"error", e.what()}, {"correlation_id", req.correlation_id}});
    res = ProblemFrom(Internal("internal error"));
  }
  co_return res;
}

// An ordinary handler, adapted: the body is read whole (within `limit`) before it is called.
asio::awaitable<std::optional<Response>> Session::CallWhole(const Handler& h, uint64_t limit,
                                                            Request& req, Parser& parser) {
  auto body = co_await ReadWhole(parser, limit);
  if (!body) {
    if (body.error().code == ErrorCode::kCancelled) co_return std::nullopt;
    co_return ProblemFrom(body.error());
  }
  req.body = std::move(*body);
  co_return h(req);
}

asio::awaitable<std::optional<Response>> Session::CallStreaming(const StreamHandler& h,
                                                                Request& req, Parser& parser) {
  Reader reader(*this, parser);
  co_return co_await h(req, reader);
}

asio::awaitable<bool> Session::Write(const Request& req, Response& res, bool keep_alive) {
  res.headers.set(bhttp::field::server, "kinora");
  res.headers.set("X-Correlation-ID", req.correlation_id);
  if (st_->options.finish) st_->options.finish(req, res);
  RenderProblem(res, req.correlation_id);
  const bool head = req.method == Verb::head;
  const bool bodiless = res.status == Status::not_modified || res.status == Status::no_content;
  stream_.expires_after(st_->options.idle_timeout);

  if (head || bodiless || (res.stream && !res.stream->read && !res.stream->async_read)) {
    // Headers only: HEAD, 304/204, or an empty/HEAD stream.
    bhttp::response<bhttp::empty_body> msg{res.status, 11};
    CopyHeaders(res.headers, msg);
    msg.result(static_cast<unsigned>(res.status));  // kept as is, even when Beast has no name
    msg.reason(ReasonPhrase(res.status));
    if (!bodiless) {
      uint64_t len = res.stream ? res.stream->length : res.body.size();
      msg.set(bhttp::field::content_length, std::to_string(len));
    }
    msg.keep_alive(keep_alive);
    auto [ec, n] = co_await bhttp::async_write(stream_, msg, kTuple);
    co_return !ec;
  }
  if (!res.stream) {
    bhttp::response<bhttp::string_body> msg{res.status, 11, std::move(res.body)};
    CopyHeaders(res.headers, msg);
    msg.result(static_cast<unsigned>(res.status));  // kept as is, even when Beast has no name
    msg.reason(ReasonPhrase(res.status));
    msg.keep_alive(keep_alive);
    msg.prepare_payload();
    auto [ec, n] = co_await bhttp::async_write(stream_, msg, kTuple);
    co_return !ec;
  }
  // Streamed body of known length, 64 KiB at a time.
  bhttp::response<bhttp::buffer_body> msg{res.status, 11};
  CopyHeaders(res.headers, msg);
  msg.result(static_cast<unsigned>(res.status));
  msg.reason(ReasonPhrase(res.status));
  msg.keep_alive(keep_alive);
  msg.content_length(res.stream->length);
  msg.body().data = nullptr;
  msg.body().more = true;
  bhttp::response_serializer<bhttp::buffer_body> sr{msg};
  auto [hec, hn] = co_await bhttp::async_write_header(stream_, sr, kTuple);
  if (hec) co_return false;
  std::vector<char> buf(kChunk);
  uint64_t remaining = res.stream->length;
  while (remaining > 0) {
    const std::span<char> room(buf.data(), std::min<uint64_t>(kChunk, remaining));
    // (Not a conditional expression: g++ 12 destroys a co_await's temporaries in one twice,
    // which frees an error's message twice.)
    Result<size_t> got = MakeError(ErrorCode::kInternal, "not read");
    if (res.stream->async_read) {
      got = co_await res.stream->async_read(room);
    } else {
      got = res.stream->read(room);
    }
    if (!got || *got == 0) {
      // The source failed or ended early: the length promise is broken, so drop the connection.
      log::Error("response body source failed",
                 {{"path", req.path},
                  {"correlation_id", req.correlation_id},
                  {"error", got ? "ended early" : got.error().message}});
      co_return false;
    }
    remaining -= *got;
    msg.body().data = buf.data();
    msg.body().size = *got;
    msg.body().more = remaining > 0;
    stream_.expires_after(st_->options.idle_timeout);
    auto [ec, n] = co_await bhttp::async_write(stream_, sr, kTuple);
    if (ec == bhttp::error::need_buffer) ec = {};
    if (ec) co_return false;
  }
  co_return true;
}

void Session::Finish(const Request& req, const Response& res,
                     std::chrono::steady_clock::time_point start) {
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  int status = static_cast<int>(res.status);
  if (st_->requests) {
    st_->requests
        ->With({req.route, std::string(bhttp::to_string(req.method)), std::to_string(status)})
        .Inc();
    st_->latency->With({req.route}).Observe(secs);
  }
  auto level = status >= 500 ? log::Level::kError : log::Level::kInfo;
  char ms[32];
  std::snprintf(ms, sizeof ms, "%.3f", secs * 1000);
  log::Write(level, "request",
             {{"method", bhttp::to_string(req.method)},
              {"path", req.path},
              {"status", std::to_string(status)},
              {"duration_ms", ms},
              {"correlation_id", req.correlation_id},
              {"remote", req.remote}});
}

void StartSession(const std::shared_ptr<Server::State>& st, tcp::socket socket) {
  boost::system::error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);
  auto s = std::make_shared<Session>(st, std::move(socket));
  {
    std::lock_guard lock(st->mu);
    st->sessions.insert(s);
  }
  asio::co_spawn(s->executor(), s->Run(), asio::detached);
}

void CloseSession(const std::shared_ptr<Session>& s, bool force) {
  asio::post(s->executor(), [s, force] { s->Close(force); });
}

}  // namespace kinora::http
