// Writes Twilio inbound-SMS webhooks, signed in advance (wrk's Lua has no HMAC), for
// inbound.lua to replay: each record is an 8-digit length and a whole raw HTTP request.
// Every request carries its own MessageSid (so none is a duplicate), comes from one of the
// enrolled participants in turn and holds a free-text note (no keyword, no dialog).
//   relais_bench_sign --url URL --token TOKEN --account-sid SID --to NUMBER
//                     --participants N --count M --round R --out FILE
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <string>

#include "adapters/encoding.hpp"
#include "adapters/twilio.hpp"
#include "bench/bench_data.hpp"

namespace {

using relais::TwilioParams;

// Notes participants send their coach outside any dialog: no keyword among them.
const char* const kNotes[] = {
    "Bonjour, je serai en retard jeudi, le bus 12 ne passe pas à cause des travaux.",
    "Merci pour l'atelier de ce matin, j'ai trouvé une garde pour ma fille mercredi.",
    "J'ai envoyé ma candidature à la médiathèque, je vous raconte la suite lundi.",
    "Ma voisine peut m'emmener à Chenôve, je viendrai avec elle la semaine prochaine.",
};


std::map<std::string, std::string> read_options(int argc, char** argv) {
  std::map<std::string, std::string> out;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strncmp(argv[i], "--", 2) != 0) throw std::invalid_argument(std::string("unexpected ") + argv[i]);
    out[argv[i] + 2] = argv[i + 1];
  }
  for (const char* name : {"url", "token", "account-sid", "to", "participants", "count", "round", "out"})
    if (!out.count(name)) throw std::invalid_argument(std::string("--") + name + " is required");
  return out;
}

// Twilio's inbound SMS parameters, in the order Twilio sends them (tests/fixtures/twilio).
TwilioParams inbound_params(const std::string& sid, const std::string& account_sid,
                            const std::string& from, const std::string& to, const std::string& text) {
  return {{"ToCountry", "FR"}, {"ToState", ""},          {"SmsMessageSid", sid}, {"NumMedia", "0"},
          {"ToCity", ""},      {"FromZip", ""},          {"SmsSid", sid},        {"FromState", ""},
          {"SmsStatus", "received"}, {"FromCity", ""},   {"Body", text},         {"FromCountry", "FR"},
          {"To", to},          {"ToZip", ""},            {"NumSegments", "1"},   {"MessageSid", sid},
          {"AccountSid", account_sid}, {"From", from},   {"ApiVersion", "2010-04-01"}};
}

std::string raw_request(const std::string& url, const TwilioParams& params, const std::string& signature) {
  std::string body;
  for (const auto& [name, value] : params) body += (body.empty() ? "" : "&") + name + "=" + relais::form_encode(value);
  // "http://host:port/path": the request line wants the path, the Host header the rest.
  const auto host_start = url.find("://") + 3;
  const auto path_start = url.find('/', host_start);
  std::string r = "POST " + url.substr(path_start) + " HTTP/1.1\r\n";
  r += "Host: " + url.substr(host_start, path_start - host_start) + "\r\n";
  r += "Content-Type: application/x-www-form-urlencoded\r\n";
  r += "X-Twilio-Signature: " + signature + "\r\n";
  r += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  return r + body;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const auto o = read_options(argc, argv);
    const int participants = std::stoi(o.at("participants"));
    const long count = std::stol(o.at("count"));
    const int round = std::stoi(o.at("round"));
    std::ofstream out(o.at("out"), std::ios::binary);
    if (!out) throw std::runtime_error("cannot write " + o.at("out"));
    std::size_t body_bytes = 0;
    for (long i = 0; i < count; ++i) {
      char sid[40];
      std::snprintf(sid, sizeof sid, "SM%08x%024ld", round, i);
      const auto params = inbound_params(sid, o.at("account-sid"),
                                         relais::bench::participant_phone(static_cast<int>(i % participants)),
                                         o.at("to"), kNotes[i % std::size(kNotes)]);
      const std::string request =
          raw_request(o.at("url"), params, relais::twilio_signature(o.at("token"), o.at("url"), params));
      char length[9];
      std::snprintf(length, sizeof length, "%08zu", request.size());
      out << length << request;
      if (i == 0) body_bytes = request.size() - request.find("\r\n\r\n") - 4;
    }
    if (!out.flush()) throw std::runtime_error("cannot write " + o.at("out"));
    std::cout << "signed " << count << " webhook(s), " << body_bytes << "-byte bodies, into " << o.at("out") << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "relais_bench_sign: " << e.what() << "\n";
    return 1;
  }
}
