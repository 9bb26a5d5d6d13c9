#pragma once
// The HTTP server (Boost.Beast, async). Beast stays inside server.cpp: this header is
// cheap to include. One session per connection; a request must arrive whole within the
// read timeout (a slow client is cut), headers and body are size-limited (431/413), and
// keep-alive connections idle longer than the idle timeout are closed.
// stop() is graceful: stop accepting, let requests being handled finish and be answered,
// close idle connections, then return from run() (or force after the grace period).
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "bot/http/router.hpp"

namespace relais::http {

struct ServerOptions {
  std::string bind = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: any free port (tests)
  int threads = 1;
  std::size_t max_header_bytes = 8 * 1024;
  std::size_t max_body_bytes = 64 * 1024;
  std::chrono::milliseconds read_timeout{10'000};
  std::chrono::milliseconds idle_timeout{60'000};
  std::chrono::milliseconds shutdown_grace{10'000};
};

// Told of every response as it is written: route name, status, seconds since the
// request was read whole.
using Observer = std::function<void(const std::string& route, int status, double seconds)>;

class Server {
 public:
  // Binds at once: throws std::runtime_error naming the address if it cannot.
  Server(ServerOptions options, const Router& router, Observer observer = {});
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  std::uint16_t port() const;
  // Serves until stop() (or SIGINT/SIGTERM when `handle_signals`); blocks. Uses
  // options.threads threads, the calling one included.
  void run(bool handle_signals);
  // Thread-safe, idempotent.
  void stop();
  // Thread-safe: runs `f` on a thread of the server, soon. After run() has returned, never.
  void post(std::function<void()> f);

  struct Impl;  // server.cpp's: the connections' shared state

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace relais::http
