#include "bot/engine.hpp"

#include <memory>
#include <stdexcept>
#include <utility>
#include <vector>

#include <pthread.h>

namespace relais {

Engine::Engine(Store& store, std::size_t max_batch)
    : store_(store),
      max_batch_(max_batch),
      completer_([this] { complete_loop(); }),
      writer_([this] { writer_loop(); }) {}

Engine::~Engine() { stop(); }

void Engine::submit(Step step, Done done, bool isolated) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      queue_.push_back({std::move(step), std::move(done), isolated});
      wake_.notify_one();
      return;
    }
  }
  done(std::make_exception_ptr(std::runtime_error("the engine is stopping")));
}

void Engine::run(Step step) {
  std::promise<void> committed;
  auto result = committed.get_future();
  Done done = [&committed](std::exception_ptr error) {
    if (error) committed.set_exception(error);
    else committed.set_value();
  };
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      queue_.push_back({std::move(step), std::move(done), true, true});
      wake_.notify_one();
      done = nullptr;
    }
  }
  if (done) done(std::make_exception_ptr(std::runtime_error("the engine is stopping")));
  result.get();
}

void Engine::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && !writer_.joinable()) return;
    stopping_ = true;
    wake_.notify_one();
  }
  if (writer_.joinable() && writer_.get_id() != std::this_thread::get_id()) writer_.join();
  {
    std::lock_guard lock(done_mutex_);
    completer_stopping_ = true;
  }
  done_wake_.notify_one();
  if (completer_.joinable() && completer_.get_id() != std::this_thread::get_id()) completer_.join();
}

void Engine::complete_loop() {
  pthread_setname_np(pthread_self(), "relais-done");  // as `top -H` and `ps -T` show it
  for (;;) {
    std::deque<std::pair<Done, std::exception_ptr>> ready;
    {
      std::unique_lock lock(done_mutex_);
      done_wake_.wait(lock, [&] { return completer_stopping_ || !completed_.empty(); });
      if (completed_.empty()) return;  // stopping, and every callback has run
      ready.swap(completed_);
    }
    for (auto& [done, error] : ready) {
      try {
        done(error);
      } catch (...) {
        // A callback's failure must not stop the others; it is the caller's to report.
      }
    }
  }
}

void Engine::set_done_executor(Executor executor) {
  std::lock_guard lock(done_mutex_);
  done_executor_ = std::move(executor);
}

std::size_t Engine::queue_depth() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

Engine::Stats Engine::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void Engine::writer_loop() {
  pthread_setname_np(pthread_self(), "relais-writer");
  for (;;) {
    std::deque<Item> batch;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything queued is done
      // Take what waits, up to max_batch_: one transaction, one fsync for all of it.
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    commit_batch(batch);
  }
}

void Engine::commit_batch(std::deque<Item>& batch) {
  std::vector<std::exception_ptr> errors(batch.size());
  std::uint64_t failed_steps = 0;
  bool committed = false;
  std::exception_ptr commit_error;
  try {
    StoreTransaction tx(store_);
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (!batch[i].isolated) {
        try {
          batch[i].step(store_);
        } catch (...) {
          errors[i] = std::current_exception();
          ++failed_steps;
        }
        continue;
      }
      StoreSavepoint sp(store_, "step");
      try {
        batch[i].step(store_);
        sp.release();
      } catch (...) {
        errors[i] = std::current_exception();  // sp's destructor rolls this step back
        ++failed_steps;
      }
    }
    tx.commit();
    committed = true;
  } catch (...) {
    commit_error = std::current_exception();
  }
  {
    std::lock_guard lock(mutex_);
    stats_.steps += batch.size();
    stats_.failed_steps += failed_steps;
    if (committed) ++stats_.commits;
    else ++stats_.failed_commits;
  }
  // To the executor, if there is one; shared so that they reach the completion thread if
  // the executor cannot take them.
  auto handed = std::make_shared<std::vector<std::pair<Done, std::exception_ptr>>>();
  Executor executor;
  {
    std::lock_guard lock(done_mutex_);
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (!batch[i].done || batch[i].done_on_writer) continue;
      if (done_executor_) handed->emplace_back(std::move(batch[i].done), committed ? errors[i] : commit_error);
      else completed_.emplace_back(std::move(batch[i].done), committed ? errors[i] : commit_error);
    }
    if (!handed->empty()) executor = done_executor_;
  }
  if (executor) {
    try {
      executor([handed] {
        for (auto& [done, error] : *handed) {
          try {
            done(error);
          } catch (...) {
            // As on the completion thread: the caller's to report.
          }
        }
      });
      handed.reset();
    } catch (...) {
      std::lock_guard lock(done_mutex_);
      for (auto& entry : *handed) completed_.push_back(std::move(entry));
    }
  }
  if (!executor || handed) done_wake_.notify_one();
  for (std::size_t i = 0; i < batch.size(); ++i)  // waiting callers of run(): a promise to set
    if (batch[i].done && batch[i].done_on_writer) batch[i].done(committed ? errors[i] : commit_error);
}

}  // namespace relais
