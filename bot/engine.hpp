#pragma once
// The engine: the single writer. Every state change of a running server is a Step run on
// one thread against the Store. Steps that wait are committed together in one
// transaction (group commit), each under its own savepoint: a step that throws is rolled
// back alone and its caller gets the exception; the others commit. A caller's `done` runs
// only after its step is durably committed (or has failed), in commit order, off the
// writer thread (which does nothing but database work): on the engine's completion thread,
// or where set_done_executor() sends them (the HTTP server's thread in `relais serve`).
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <future>
#include <mutex>
#include <thread>

#include "bot/storage/store.hpp"

namespace relais {

class Engine {
 public:
  using Step = std::function<void(Store&)>;
  // Called after the commit, in commit order, on the completion thread or the executor's.
  // It must not call run() (it would wait for itself) nor block.
  using Done = std::function<void(std::exception_ptr)>;

  struct Stats {
    std::uint64_t steps = 0;
    std::uint64_t commits = 0;
    std::uint64_t failed_steps = 0;
    std::uint64_t failed_commits = 0;
  };

  explicit Engine(Store& store, std::size_t max_batch = 512);
  ~Engine();  // stop()
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Thread-safe. After stop(), `done` is called at once with an error. `isolated` false:
  // the step protects its own writes (a savepoint of its own, or single statements that
  // may stay if it fails) and the engine adds none around it.
  void submit(Step step, Done done, bool isolated = true);
  // Thread-safe; blocks until committed; rethrows the step's exception. Never call it from
  // inside a step.
  void run(Step step);
  // Thread-safe. Where the callbacks of submitted steps run from now on: `executor` gets
  // one function per committed batch, which calls them in commit order. The HTTP server's
  // thread takes them (App::serve): the answers they write then need no hop through the
  // completion thread. It must not block. Empty: the completion thread again.
  using Executor = std::function<void(std::function<void()>)>;
  void set_done_executor(Executor executor);
  // Finishes what is queued, then stops the writer thread. Idempotent.
  void stop();

  std::size_t queue_depth() const;
  Stats stats() const;

 private:
  struct Item {
    Step step;
    Done done;
    bool isolated = true;
    bool done_on_writer = false;  // run()'s promise: set at once, no hop to the completion thread
  };
  void writer_loop();
  void commit_batch(std::deque<Item>& batch);
  void complete_loop();

  Store& store_;
  const std::size_t max_batch_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Item> queue_;
  bool stopping_ = false;
  Stats stats_;
  // Callbacks of committed steps, called by the completion thread.
  std::mutex done_mutex_;
  std::condition_variable done_wake_;
  std::deque<std::pair<Done, std::exception_ptr>> completed_;
  Executor done_executor_;
  bool completer_stopping_ = false;
  std::thread completer_;
  std::thread writer_;
};

}  // namespace relais
