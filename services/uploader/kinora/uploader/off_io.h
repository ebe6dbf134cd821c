// Runs blocking work (fsync, S3 calls, catalog reads and writes) on a thread pool instead of an
// I/O thread, for the upload endpoints' coroutines (tus_api.cc, s3_direct.cc).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <optional>
#include <type_traits>
#include <utility>

namespace kinora::uploader {

template <class F>
boost::asio::awaitable<std::invoke_result_t<F>> OffIo(boost::asio::thread_pool& pool, F f) {
  std::optional<std::invoke_result_t<F>> out;
  co_await boost::asio::co_spawn(
      pool,
      [&]() -> boost::asio::awaitable<void> {
        out.emplace(f());
        co_return;
      },
      boost::asio::use_awaitable);
  co_return std::move(*out);
}

}  // namespace kinora::uploader
