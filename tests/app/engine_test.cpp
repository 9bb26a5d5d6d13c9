#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <functional>
#include <latch>
#include <mutex>
#include <thread>
#include <vector>

#include "bot/engine.hpp"
#include "support/temp_dir.hpp"

using namespace relais;

namespace {

InboundMessage message(const std::string& id) {
  InboundMessage m;
  m.channel = "console";
  m.from = "+33612345001";
  m.text = "bonjour";
  m.provider_id = id;
  return m;
}

std::int64_t inbound_count(const std::string& path) {
  auto reader = open_sqlite_store(path);
  return static_cast<std::int64_t>(reader->recent_inbound(100000).size());
}

}  // namespace

TEST_CASE("steps waiting while the writer is busy are committed in one transaction", "[engine]") {
  test::TempDir dir;
  const std::string path = (dir / "engine.db").string();
  auto store = open_sqlite_store(path);
  Engine engine(*store);

  // Hold the writer inside a step so that the next 100 steps queue up behind it.
  std::promise<void> release;
  auto released = release.get_future().share();
  std::promise<void> entered;
  engine.submit([&, released](Store&) { entered.set_value(); released.wait(); }, nullptr);
  entered.get_future().wait();

  const int n = 100;
  std::atomic<int> done{0};
  std::vector<std::thread> callers;
  std::latch all_submitted(n);
  for (int i = 0; i < n; ++i)
    callers.emplace_back([&, i] {
      engine.submit([i](Store& s) { (void)s.insert_inbound(message("m" + std::to_string(i)), std::nullopt, Utc{}); },
                    [&](std::exception_ptr e) { if (!e) ++done; });
      all_submitted.count_down();
    });
  all_submitted.wait();
  const auto commits_before = engine.stats().commits;
  release.set_value();
  for (auto& t : callers) t.join();
  engine.stop();

  CHECK(done == n);
  CHECK(inbound_count(path) == n);
  // The blocker's own transaction commits, then the 100 queued steps fit in one batch
  // (max 512): two commits, not 101.
  CHECK(engine.stats().commits - commits_before == 2);
  CHECK(engine.stats().steps == n + 1);
}

TEST_CASE("a caller is answered only once its step is durably committed", "[engine]") {
  test::TempDir dir;
  const std::string path = (dir / "engine.db").string();
  auto store = open_sqlite_store(path);
  Engine engine(*store);
  std::promise<std::int64_t> seen;
  engine.submit([](Store& s) { (void)s.insert_inbound(message("x"), std::nullopt, Utc{}); },
                [&](std::exception_ptr) {
                  // Another connection already sees the row: the commit happened first.
                  seen.set_value(inbound_count(path));
                });
  CHECK(seen.get_future().get() == 1);
}

TEST_CASE("a step that throws is rolled back alone; the others of its batch commit", "[engine]") {
  auto store = open_sqlite_store(":memory:");
  Engine engine(*store);
  std::promise<void> release;
  auto released = release.get_future().share();
  engine.submit([released](Store&) { released.wait(); }, nullptr);

  std::promise<std::exception_ptr> bad_result, good_result;
  engine.submit(
      [](Store& s) {
        (void)s.insert_inbound(message("bad"), std::nullopt, Utc{});
        throw std::runtime_error("script bug");
      },
      [&](std::exception_ptr e) { bad_result.set_value(e); });
  engine.submit([](Store& s) { (void)s.insert_inbound(message("good"), std::nullopt, Utc{}); },
                [&](std::exception_ptr e) { good_result.set_value(e); });
  release.set_value();

  auto bad = bad_result.get_future().get();
  REQUIRE(bad);
  CHECK_THROWS_WITH(std::rethrow_exception(bad), "script bug");
  CHECK_FALSE(good_result.get_future().get());
  std::vector<InboundRow> rows;
  engine.run([&](Store& s) { rows = s.recent_inbound(10); });
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].provider_id == "good");
  CHECK(engine.stats().failed_steps == 1);
}

TEST_CASE("run() rethrows the step's exception to its caller", "[engine]") {
  auto store = open_sqlite_store(":memory:");
  Engine engine(*store);
  CHECK_THROWS_WITH(engine.run([](Store&) { throw std::runtime_error("boom"); }), "boom");
  CHECK_NOTHROW(engine.run([](Store& s) { (void)s.count_participants(); }));
}

TEST_CASE("stop() finishes what is queued, then refuses new work", "[engine]") {
  auto store = open_sqlite_store(":memory:");
  Engine engine(*store);
  std::atomic<int> committed{0};
  for (int i = 0; i < 50; ++i)
    engine.submit([i](Store& s) { (void)s.insert_inbound(message("q" + std::to_string(i)), std::nullopt, Utc{}); },
                  [&](std::exception_ptr e) { if (!e) ++committed; });
  engine.stop();
  CHECK(committed == 50);
  std::atomic<bool> refused{false};
  engine.submit([](Store&) {}, [&](std::exception_ptr e) { refused = e != nullptr; });
  CHECK(refused);
}

TEST_CASE("with an executor, a batch's callbacks reach it as one function, in commit order", "[engine]") {
  auto store = open_sqlite_store(":memory:");
  Engine engine(*store);
  std::mutex mutex;
  std::vector<std::function<void()>> handed;  // what the executor was given, not yet run
  engine.set_done_executor([&](std::function<void()> f) {
    std::lock_guard lock(mutex);
    handed.push_back(std::move(f));
  });

  // Hold the writer so that the next steps make one batch.
  std::promise<void> release;
  auto released = release.get_future().share();
  std::promise<void> entered;
  engine.submit([&, released](Store&) { entered.set_value(); released.wait(); }, nullptr);
  entered.get_future().wait();
  std::vector<int> order;  // written by the executor's functions only, run below on this thread
  for (int i = 0; i < 5; ++i)
    engine.submit([i](Store& s) {
                    if (i == 2) throw std::runtime_error("step 2 fails");
                    (void)s.insert_inbound(message("e" + std::to_string(i)), std::nullopt, Utc{});
                  },
                  [&order, i](std::exception_ptr e) { order.push_back(e ? -i : i); });
  release.set_value();
  engine.run([](Store&) {});  // committed after the batch: its callbacks were handed over
  {
    std::lock_guard lock(mutex);
    REQUIRE(handed.size() == 1);
    CHECK(order.empty());  // nothing ran on the engine's threads
    handed.front()();
    handed.clear();
  }
  CHECK(order == std::vector<int>{0, 1, -2, 3, 4});

  // Without an executor, the completion thread calls them again.
  engine.set_done_executor(nullptr);
  std::promise<std::thread::id> ran_on;
  engine.submit([](Store&) {}, [&](std::exception_ptr) { ran_on.set_value(std::this_thread::get_id()); });
  CHECK(ran_on.get_future().get() != std::this_thread::get_id());
  std::lock_guard lock(mutex);
  CHECK(handed.empty());
}
