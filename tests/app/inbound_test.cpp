#include <catch2/catch.hpp>

#include <date/date.h>

#include "bot/core/sms.hpp"
#include "bot/inbound.hpp"
#include "dialogs/keywords.hpp"
#include "scheduler/zone.hpp"
#include "support/configs.hpp"

using namespace relais;
using namespace std::chrono_literals;

namespace {

InboundMessage sms(const std::string& from, const std::string& text, const std::string& id) {
  InboundMessage m;
  m.channel = "console";
  m.from = from;
  m.text = text;
  m.provider_id = id;
  return m;
}

Utc paris_local(int y, unsigned m, unsigned d, int h, int min) {
  // Winter time in Paris is UTC+1 (these tests use November dates).
  using namespace date;
  return std::chrono::time_point_cast<Millis>(sys_days{year{y} / month{m} / day{d}} +
                                              std::chrono::hours(h - 1) + std::chrono::minutes(min));
}

struct Fixture {
  Config config = test::small_config();
  TimeZone zone{"Europe/Paris"};
  std::unique_ptr<Store> store = open_sqlite_store(":memory:");

  InboundOutcome receive(const InboundMessage& m, Utc now) {
    StoreTransaction tx(*store);
    auto out = handle_inbound(*store, config, zone, m, now);
    tx.commit();
    return out;
  }
};

}  // namespace

TEST_CASE("an unknown number gets one neutral answer per local day, and coaches see it", "[inbound]") {
  Fixture f;
  const std::string stranger = "+33612345099";
  auto first = f.receive(sms(stranger, "Bonjour c'est qui ?", "a"), paris_local(2026, 11, 24, 10, 0));
  REQUIRE(first.replies.size() == 1);
  CHECK(first.replies[0].text == dialogs::kUnknownSenderAnswer);
  CHECK(first.replies[0].recipient == stranger);
  CHECK(first.replies[0].kind == "unknown_sender");

  // Same local day, late evening (23:30 Paris is 22:30 UTC): no second answer.
  auto second = f.receive(sms(stranger, "Allo ?", "b"), paris_local(2026, 11, 24, 23, 30));
  CHECK(second.inbound_id.has_value());
  CHECK(second.replies.empty());

  // 00:30 Paris the next day is still the 24th in UTC: a new local day, a new answer.
  auto third = f.receive(sms(stranger, "Re", "c"), paris_local(2026, 11, 25, 0, 30));
  CHECK(third.replies.size() == 1);
  CHECK(f.store->count_alerts("unknown_sender") == 3);
}

TEST_CASE("STOP from a participant opts her out with one confirmation; START brings her back", "[inbound]") {
  Fixture f;
  f.store->upsert_participants({test::participant("Amina", "+33612345001")}, Utc{});
  const Utc now = paris_local(2026, 11, 24, 10, 0);

  auto stop = f.receive(sms("+33612345001", "Stop !", "s1"), now);
  REQUIRE(stop.replies.size() == 1);
  CHECK(stop.replies[0].text.find("STOP") == std::string::npos);  // the confirmation says START
  CHECK(f.store->find_participant_by_phone("+33612345001")->opted_out);

  auto again = f.receive(sms("+33612345001", "ARRÊT", "s2"), now + 1min);
  CHECK(again.replies.empty());  // already out: no second confirmation

  auto start = f.receive(sms("+33612345001", "start", "s3"), now + 2min);
  CHECK(start.replies.size() == 1);
  CHECK_FALSE(f.store->find_participant_by_phone("+33612345001")->opted_out);
}

TEST_CASE("a sentence that contains a keyword is not a keyword", "[inbound]") {
  Fixture f;
  f.store->upsert_participants({test::participant("Amina", "+33612345001")}, Utc{});
  auto o = f.receive(sms("+33612345001", "l'arrêt de bus est où ?", "q"), Utc{});
  CHECK(o.replies.empty());
  CHECK_FALSE(f.store->find_participant_by_phone("+33612345001")->opted_out);
  CHECK(f.store->count_alerts("participant_message") == 1);
}

TEST_CASE("the same provider message id is stored and handled once", "[inbound]") {
  Fixture f;
  auto first = f.receive(sms("+33612345099", "Bonjour", "dup"), Utc{});
  auto second = f.receive(sms("+33612345099", "Bonjour", "dup"), Utc{} + 1s);
  CHECK(first.inbound_id.has_value());
  CHECK_FALSE(second.inbound_id.has_value());
  CHECK(f.store->recent_inbound(10).size() == 1);
  CHECK(f.store->count_alerts("unknown_sender") == 1);
}

TEST_CASE("when the step fails, the message is kept, marked, and a coach is alerted", "[inbound]") {
  Fixture f;
  // A reply on a channel the configuration lost makes the step throw.
  auto m = sms("+33612345099", "Bonjour", "boom");
  m.channel = "vanished";
  auto o = f.receive(m, Utc{});
  CHECK(o.step_failed);
  CHECK(o.replies.empty());
  auto rows = f.store->recent_inbound(10);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].text == "Bonjour");
  CHECK_FALSE(rows[0].handled_ok);
  CHECK(rows[0].error.find("vanished") != std::string::npos);
  CHECK(f.store->count_alerts("step_failed") == 1);
  CHECK(f.store->count_alerts("unknown_sender") == 0);  // rolled back with the step
}

TEST_CASE("a long SMS in parts is stored and handled once, whole", "[inbound]") {
  Fixture f;
  f.store->upsert_participants({test::participant("Amina", "+33612345001")}, Utc{});
  auto part = sms("+33612345001", "Je ne pourrai pas venir ", "p1");
  part.concat_ref = "7";
  part.concat_total = 2;
  auto first = f.receive(part, Utc{});
  CHECK(first.partial);
  CHECK(f.store->recent_inbound(10).empty());
  part.text = "demain.";
  part.provider_id = "p2";
  part.concat_part = 2;
  auto second = f.receive(part, Utc{} + 1s);
  CHECK_FALSE(second.partial);
  auto rows = f.store->recent_inbound(10);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].text == "Je ne pourrai pas venir demain.");
}

TEST_CASE("a chat that brings its link code is linked to the participant", "[inbound][link]") {
  Fixture f;
  f.store->upsert_participants({test::participant("Amina", "+33612345001")}, Utc{});
  const auto amina = f.store->find_participant_by_phone("+33612345001")->id;
  f.store->add_link_code("k3y", amina, "console", Utc{}, Utc{} + 24h);

  auto m = sms("123456789", "/start k3y", "t1");  // a chat id, not a phone
  m.link_code = "k3y";
  auto linked = f.receive(m, Utc{} + 1min);
  REQUIRE(linked.replies.size() == 1);
  CHECK(linked.replies[0].text == normalise_for_sms(dialogs::linked_confirmation("Amina")));
  CHECK(linked.replies[0].recipient == "123456789");
  CHECK(f.store->find_participant_by_address("console", "123456789")->id == amina);

  // From now on her chat is her: STOP opts her out.
  f.receive(sms("123456789", "STOP", "t2"), Utc{} + 2min);
  CHECK(f.store->find_participant(amina)->opted_out);

  // A code used twice does not link another chat.
  auto again = sms("999", "/start k3y", "t3");
  again.link_code = "k3y";
  auto refused = f.receive(again, Utc{} + 3min);
  REQUIRE(refused.replies.size() == 1);
  CHECK(refused.replies[0].text == normalise_for_sms(dialogs::kLinkCodeInvalid));
  CHECK_FALSE(f.store->find_participant_by_address("console", "999"));
}

TEST_CASE("a chat that shares its owner's number is linked to her", "[inbound][link]") {
  Fixture f;
  f.store->upsert_participants({test::participant("Amina", "+33612345001")}, Utc{});
  auto m = sms("5550001", "", "c1");
  m.shared_phone = "+33612345001";
  auto o = f.receive(m, Utc{});
  CHECK(o.replies.size() == 1);
  CHECK(f.store->find_participant_by_address("console", "5550001")->first_name == "Amina");
}

TEST_CASE("an unknown Telegram chat is asked to share her number, with the button", "[inbound][link]") {
  Fixture f;
  ChannelConfig telegram;
  telegram.id = "tg";
  telegram.type = "telegram";
  f.config.channels.push_back(telegram);
  auto m = sms("4242", "Bonjour", "u1");
  m.channel = "tg";
  auto o = f.receive(m, Utc{});
  REQUIRE(o.replies.size() == 1);
  CHECK(o.replies[0].template_id == "telegram_ask_contact");
  CHECK(o.replies[0].recipient == "4242");
  CHECK(o.replies[0].text == normalise_for_sms(dialogs::kAskToShareNumber));
}
