#include "bot/http/server.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "bot/log.hpp"

namespace relais::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

class Session;

}  // namespace

struct Server::Impl : std::enable_shared_from_this<Server::Impl> {
  ServerOptions options;
  const Router& router;
  Observer observer;
  net::io_context ioc;
  tcp::acceptor acceptor;
  std::atomic<bool> stopping{false};
  std::mutex sessions_mutex;
  std::set<std::shared_ptr<Session>> sessions;
  net::steady_timer grace_timer;

  Impl(ServerOptions o, const Router& r, Observer obs)
      : options(std::move(o)), router(r), observer(std::move(obs)),
        ioc(std::max(1, options.threads)), acceptor(net::make_strand(ioc)), grace_timer(ioc) {}

  void do_accept();
  void begin_shutdown();
  void forget(const std::shared_ptr<Session>& s) {
    std::lock_guard lock(sessions_mutex);
    sessions.erase(s);
  }
};

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// One connection: read a request, hand it to the router, write the answer, repeat.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, std::shared_ptr<Server::Impl> server)
      : stream_(std::move(socket)), server_(std::move(server)) {
    beast::error_code ec;
    const auto peer = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_address_ = peer.address().to_string();
  }

  void start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->wait_for_request(); });
  }

  // From any thread: close the connection if it is waiting for a request.
  void close_if_idle() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (!self->handling_) {
        beast::error_code ec;
        self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
        self->stream_.close();
      }
    });
  }

 private:
  // Between requests, the connection may stay idle up to idle_timeout; once the first
  // bytes arrive, the whole request must come within read_timeout.
  void wait_for_request() {
    if (server_->stopping) return close();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_->options.max_header_bytes));
    parser_->body_limit(server_->options.max_body_bytes);
    if (buffer_.size() > 0) return read_request();
    stream_.expires_after(server_->options.idle_timeout);
    stream_.async_read_some(buffer_.prepare(4096),
        [self = shared_from_this()](beast::error_code ec, std::size_t n) {
          if (ec) return self->close();
          self->buffer_.commit(n);
          self->read_request();
        });
  }

  void read_request() {
    stream_.expires_after(server_->options.read_timeout);
    bhttp::async_read(stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
        ec == net::error::operation_aborted)
      return close();
    if (ec == bhttp::error::body_limit)
      return reply_and_close(413, "payload too large", "too_large");
    if (ec == bhttp::error::header_limit)
      return reply_and_close(431, "request header fields too large", "too_large");
    if (ec) return reply_and_close(400, "bad request", "bad_request");

    started_ = Clock::now();
    handling_ = true;
    auto& msg = parser_->get();
    auto request = std::make_shared<Request>();
    request->method = std::string(msg.method_string());
    request->target = std::string(msg.target());
    auto q = request->target.find('?');
    request->path = request->target.substr(0, q);
    if (q != std::string::npos) request->query = request->target.substr(q + 1);
    for (const auto& field : msg) request->headers[lower(std::string_view(field.name_string().data(), field.name_string().size()))] = std::string(field.value());
    request->body = std::move(msg.body());
    request->remote_address = remote_address_;
    keep_alive_ = msg.keep_alive();
    version_ = msg.version();
    head_ = msg.method() == bhttp::verb::head;

    auto self = shared_from_this();
    auto respond = [self, request](Response response) {
      net::post(self->stream_.get_executor(), [self, response = std::move(response)]() mutable {
        self->write(std::move(response));
      });
    };
    try {
      route_ = server_->router.dispatch(*request, std::move(respond));
    } catch (const std::exception& e) {
      log::error("http.handler_failed", {{"path", request->path}, {"error", e.what()}});
      write(json_error(500, "internal error"));
    }
  }

  void reply_and_close(int status, std::string_view message, std::string route) {
    keep_alive_ = false;
    version_ = 11;
    started_ = Clock::now();
    handling_ = true;
    route_ = std::move(route);
    write(json_error(status, message));
  }

  void write(Response response) {
    if (written_for_request_) return;  // a handler answered twice: keep the first
    written_for_request_ = true;
    if (response.drop_connection) {
      handling_ = false;
      return close();
    }
    status_ = response.status;
    if (server_->observer)
      server_->observer(route_, status_, std::chrono::duration<double>(Clock::now() - started_).count());
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>(
        static_cast<bhttp::status>(response.status), version_);
    res->set(bhttp::field::server, "relais");
    res->set(bhttp::field::content_type, response.content_type);
    for (auto& [k, v] : response.headers) res->set(k, v);
    res->keep_alive(keep_alive_ && !server_->stopping);
    res->body() = std::move(response.body);
    res->prepare_payload();
    if (head_) res->body().clear();
    stream_.expires_after(server_->options.read_timeout);
    bhttp::async_write(stream_, *res,
        [self = shared_from_this(), res](beast::error_code ec, std::size_t) {
          self->on_write(ec, res->keep_alive());
        });
  }

  void on_write(beast::error_code ec, bool keep_alive) {
    handling_ = false;
    written_for_request_ = false;
    if (ec || !keep_alive) return close();
    wait_for_request();
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.close();
    server_->forget(shared_from_this());
  }

  beast::tcp_stream stream_;
  std::shared_ptr<Server::Impl> server_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bool handling_ = false;
  bool written_for_request_ = false;
  bool keep_alive_ = true;
  bool head_ = false;
  std::string remote_address_;
  unsigned version_ = 11;
  int status_ = 0;
  std::string route_;
  Clock::time_point started_;
};

}  // namespace

void Server::Impl::do_accept() {
  acceptor.async_accept(net::make_strand(ioc),
      [self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
        if (self->stopping || !self->acceptor.is_open()) return;
        if (!ec) {
          auto session = std::make_shared<Session>(std::move(socket), self);
          {
            std::lock_guard lock(self->sessions_mutex);
            self->sessions.insert(session);
          }
          session->start();
        }
        self->do_accept();
      });
}

void Server::Impl::begin_shutdown() {
  if (stopping.exchange(true)) return;
  log::info("http.stopping", {{"grace_ms", std::to_string(options.shutdown_grace.count())}});
  net::post(acceptor.get_executor(), [self = shared_from_this()] {
    beast::error_code ec;
    self->acceptor.close(ec);
  });
  std::vector<std::shared_ptr<Session>> open;
  {
    std::lock_guard lock(sessions_mutex);
    open.assign(sessions.begin(), sessions.end());
  }
  for (auto& s : open) s->close_if_idle();
  // Whatever has not finished within the grace period is cut.
  grace_timer.expires_after(options.shutdown_grace);
  grace_timer.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (!ec) self->ioc.stop();
  });
  // When the last session ends, nothing but the grace timer keeps run() going.
  auto poll = std::make_shared<net::steady_timer>(ioc);
  auto check = std::make_shared<std::function<void()>>();
  *check = [self = shared_from_this(), poll, check] {
    bool empty;
    {
      std::lock_guard lock(self->sessions_mutex);
      empty = self->sessions.empty();
    }
    if (empty) {
      self->grace_timer.cancel();
      return;
    }
    poll->expires_after(std::chrono::milliseconds(20));
    poll->async_wait([check](beast::error_code) { (*check)(); });
  };
  net::post(ioc, [check] { (*check)(); });
}

Server::Server(ServerOptions options, const Router& router, Observer observer)
    : impl_(std::make_shared<Impl>(std::move(options), router, std::move(observer))) {
  auto& o = impl_->options;
  beast::error_code ec;
  auto address = net::ip::make_address(o.bind, ec);
  if (ec) throw std::runtime_error("server.bind: \"" + o.bind + "\" is not an IP address");
  tcp::endpoint endpoint(address, o.port);
  auto& acc = impl_->acceptor;
  acc.open(endpoint.protocol(), ec);
  if (!ec) acc.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acc.bind(endpoint, ec);
  if (!ec) acc.listen(net::socket_base::max_listen_connections, ec);
  if (ec)
    throw std::runtime_error("cannot listen on " + o.bind + ":" + std::to_string(o.port) + ": " +
                             ec.message());
}

Server::~Server() {
  stop();
  // Sessions hold the Impl; break the cycle by dropping them.
  std::lock_guard lock(impl_->sessions_mutex);
  impl_->sessions.clear();
}

std::uint16_t Server::port() const { return impl_->acceptor.local_endpoint().port(); }

void Server::run(bool handle_signals) {
  std::optional<net::signal_set> signals;
  if (handle_signals) {
    signals.emplace(impl_->ioc, SIGINT, SIGTERM);
    signals->async_wait([impl = impl_](beast::error_code ec, int signal) {
      if (ec) return;
      log::info("http.signal", {{"signal", signal == SIGTERM ? "SIGTERM" : "SIGINT"}});
      impl->begin_shutdown();
    });
  }
  impl_->do_accept();
  std::vector<std::thread> extra;
  for (int i = 1; i < impl_->options.threads; ++i) extra.emplace_back([this] { impl_->ioc.run(); });
  // The signal set would keep run() alive: cancel it once shutdown has begun.
  if (signals) {
    auto watch = std::make_shared<net::steady_timer>(impl_->ioc);
    auto check = std::make_shared<std::function<void()>>();
    *check = [impl = impl_, watch, check, &signals] {
      if (impl->stopping) {
        beast::error_code ec;
        signals->cancel(ec);
        return;
      }
      watch->expires_after(std::chrono::milliseconds(50));
      watch->async_wait([check](beast::error_code) { (*check)(); });
    };
    (*check)();
  }
  impl_->ioc.run();
  for (auto& t : extra) t.join();
}

void Server::stop() { impl_->begin_shutdown(); }

void Server::post(std::function<void()> f) { net::post(impl_->ioc, std::move(f)); }

}  // namespace relais::http
