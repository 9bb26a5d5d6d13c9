// Outbound bench: N queued messages to N participants sent by a real `relais serve` to a
// fake Twilio gateway with no rate limit, against a bare cpprestsdk client posting the same
// requests to the same gateway, alternating, `--rounds` times; then a run with a limit
// (10/s by default) whose arrival times at the gateway show whether the limit holds.
// Rates are taken between the first and the last request the gateway received.
//   relais_bench_outbound --relais BUILD/relais [--messages 10000] [--rounds 3]
//     [--concurrency N] [--limited-messages 50] [--limited-rate 10] [--log-level info]
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "adapters/twilio.hpp"
#include "bench/arrivals.hpp"
#include "bench/bare_client.hpp"
#include "bench/bench_data.hpp"
#include "bench/relais_run.hpp"
#include "bot/core/sms.hpp"
#include "bot/http_client.hpp"
#include "bot/log.hpp"
#include "support/gateway_cases.hpp"
#include "support/raw_http.hpp"
#include "support/temp_dir.hpp"

namespace {

using namespace relais;

const char* const kText =
    "Rappel : atelier CV demain jeudi à 9 h à la médiathèque de Chenôve. Répondez OUI ou NON.";

struct Options {
  std::string relais;
  int messages = 10000;
  int rounds = 3;
  int concurrency = DispatcherConfig{}.concurrency;  // the dispatcher's default
  int limited_messages = 50;
  double limited_rate = 10;
  std::string log_level = "info";
};

Options read_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string name = argv[i], value = argv[i + 1];
    if (name == "--relais") o.relais = value;
    else if (name == "--messages") o.messages = std::stoi(value);
    else if (name == "--rounds") o.rounds = std::stoi(value);
    else if (name == "--concurrency") o.concurrency = std::stoi(value);
    else if (name == "--limited-messages") o.limited_messages = std::stoi(value);
    else if (name == "--limited-rate") o.limited_rate = std::stod(value);
    else if (name == "--log-level") o.log_level = value;
    else throw std::invalid_argument("unknown option " + name);
  }
  if (o.relais.empty()) throw std::invalid_argument("--relais BINARY is required");
  return o;
}

// An HTTP client that must never be called: the bench's adapter only builds requests.
class NoHttp final : public HttpClient {
 public:
  Result<HttpResponse> send(const HttpRequest&) override { return Err(std::string("not in the bench")); }
};

nlohmann::json channel_json(const ChannelConfig& c, double rate, int burst) {
  nlohmann::json j = {{"id", c.id}, {"type", c.type}, {"rate_per_second", rate}, {"burst", burst}};
  for (const auto& [k, v] : c.options) j[k] = v;
  return j;
}

// The requests relais's Twilio adapter makes for the queued messages, byte for byte.
std::vector<HttpRequest> twilio_requests(const ChannelConfig& channel, const std::string& public_url, int n) {
  NoHttp no_http;
  AdapterContext context;
  context.public_url = public_url;
  context.default_region = "FR";
  context.http = &no_http;
  context.secret = [](const std::string& name) {
    const char* v = std::getenv(name.c_str());
    return std::string(v ? v : "");
  };
  const TwilioAdapter adapter(channel, context);
  std::vector<HttpRequest> out;
  for (int i = 0; i < n; ++i) {
    OutgoingMessage m;
    m.id = i + 1;
    m.channel = channel.id;
    m.to = bench::participant_phone(i);
    m.text = normalise_for_sms(kText);
    auto request = adapter.build_send(m);
    if (!request) throw std::runtime_error("the adapter refused a bench message: " + request.error().error_text);
    out.push_back(std::move(*request));
  }
  return out;
}

std::vector<bench::Instant> arrivals_since(const test::FakeGateway& gateway, std::size_t from) {
  std::vector<bench::Instant> out;
  const auto all = gateway.received();
  for (std::size_t i = from; i < all.size(); ++i) out.push_back(all[i].at);
  return out;
}

std::string outbox_text(const std::map<std::string, std::int64_t>& counts) {
  std::string s;
  for (const auto& [status, n] : counts)
    if (n > 0) s += (s.empty() ? "" : ",") + status + ":" + std::to_string(n);
  return s.empty() ? "empty" : s;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : (v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2);
}

// What every run of the bench shares: the fake Twilio, the channel pointing at it, and
// relais's port (its webhook URL is in every request body, so it is chosen once).
struct Bench {
  Options options;
  std::unique_ptr<HttpClient> http;
  std::unique_ptr<test::GatewayCase> twilio;
  test::FakeGateway gateway;
  ChannelConfig channel;
  std::uint16_t port = 0;

  explicit Bench(Options o)
      : options(std::move(o)),
        // Sizes cpprestsdk's thread pool as relais does (2 threads), before the bare client's
        // first use; it also reads relais's /metrics.
        http(make_http_client()),
        twilio(test::make_gateway_case("twilio", RELAIS_FIXTURES)),  // sets the token's variable
        port(test::free_port()) {
    gateway.on("POST", twilio->send_route(),
               [this](const test::FakeGateway::Received& r, int n) { return twilio->send_ok(r, n); });
    gateway.start();
    channel = twilio->channel(gateway.base_url());
  }

  std::string public_url() const { return "http://127.0.0.1:" + std::to_string(port); }

  // Posts `requests` with the bare client; the figures at the gateway.
  bench::RateFigures bare(const std::vector<HttpRequest>& requests, int& failures) {
    const std::size_t from = gateway.received().size();
    failures = bench::post_all(requests, options.concurrency);
    return bench::rate_of(arrivals_since(gateway, from));
  }

  // `messages` sent by relais on a channel limited to `rate` and `burst`, from a fresh folder.
  bench::RateFigures relais(int messages, double rate, int burst, bench::RelaisRunResult& run) {
    test::TempDir folder;
    const std::size_t from = gateway.received().size();
    bench::RelaisRunOptions ro{options.relais, folder.path(), port, channel_json(channel, rate, burst),
                               messages, kText, options.log_level};
    ro.timeout = std::max(ro.timeout, std::chrono::seconds(static_cast<int>(3 * messages / rate) + 30));
    run = bench::run_relais(ro, gateway, *http);
    return bench::rate_of(arrivals_since(gateway, from));
  }
};

// Bare client and relais without limit, alternating; prints each round and the medians.
void compare(Bench& b) {
  const Options& o = b.options;
  const auto requests = twilio_requests(b.channel, b.public_url(), o.messages);
  std::printf("outbound bench: %d messages, %d in flight for the bare client (the dispatcher's default), "
              "%zu-byte bodies, log level %s\n",
              o.messages, o.concurrency, requests.front().body.size(), o.log_level.c_str());
  std::vector<double> bare_rates, relais_rates;
  bool all_sent = true;
  for (int round = 1; round <= o.rounds; ++round) {
    int failures = 0;
    const auto bare = b.bare(requests, failures);
    bare_rates.push_back(bare.per_second);
    std::printf("RESULT round=%d client=bare received=%zu seconds=%.3f rate=%.0f failures=%d\n", round,
                bare.count, bare.seconds, bare.per_second, failures);
    bench::RelaisRunResult run;
    const auto relais = b.relais(o.messages, 1e6, 10000, run);
    relais_rates.push_back(relais.per_second);
    all_sent = all_sent && run.complete;
    std::printf("RESULT round=%d client=relais received=%zu seconds=%.3f rate=%.0f complete=%s outbox=%s "
                "engine_steps=%.0f engine_commits=%.0f exit=%d\n",
                round, relais.count, relais.seconds, relais.per_second, run.complete ? "yes" : "no",
                outbox_text(run.outbox).c_str(), run.engine_steps, run.engine_commits, run.exit_code);
    std::fflush(stdout);
  }
  const double bare = median(bare_rates), relais = median(relais_rates);
  std::printf("\n| sender | messages/s (median of %d) |\n| --- | --- |\n", o.rounds);
  std::printf("| bare cpprestsdk client, %d in flight | %.0f |\n", o.concurrency, bare);
  std::printf("| relais serve (dispatcher) | %.0f |\n\n", relais);
  std::printf("relais / bare = %.2f (goal >= 0.50)%s\n", relais / bare,
              all_sent ? "" : "; WARNING: a relais run did not send everything");
}

// Relais with a rate limit: the most arrivals within any second must not pass rate + burst.
void check_limit(Bench& b) {
  const Options& o = b.options;
  const int burst = 1;
  bench::RelaisRunResult run;
  const auto limited = b.relais(o.limited_messages, o.limited_rate, burst, run);
  const double expected_seconds = (o.limited_messages - burst) / o.limited_rate;
  const bool held = limited.max_in_one_second <= static_cast<std::size_t>(o.limited_rate) + burst;
  std::printf("RESULT client=relais-limited limit=%.0f/s burst=%d received=%zu seconds=%.3f rate=%.1f "
              "max_in_1s=%zu complete=%s outbox=%s\n",
              o.limited_rate, burst, limited.count, limited.seconds, limited.per_second,
              limited.max_in_one_second, run.complete ? "yes" : "no", outbox_text(run.outbox).c_str());
  std::printf("limit %.0f/s, burst %d: at most %zu in any second, %.1f/s on average over %.1f s "
              "(expected %.1f s) -> %s\n",
              o.limited_rate, burst, limited.max_in_one_second, limited.per_second, limited.seconds,
              expected_seconds, held ? "limit held" : "LIMIT NOT HELD");
}

}  // namespace

int main(int argc, char** argv) {
  try {
    relais::log::init("warn");  // the fake gateway's server would log its routine events
    Bench bench(read_options(argc, argv));
    compare(bench);
    check_limit(bench);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "relais_bench_outbound: " << e.what() << "\n";
    return 1;
  }
}
