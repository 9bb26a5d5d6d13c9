#pragma once
// Running the real `relais` binary from tests.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

extern char** environ;

namespace relais::test {

struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A child process with stdout and stderr sent to files in `dir`.
class Child {
 public:
  Child(const std::vector<std::string>& args, const std::filesystem::path& dir, const std::string& tag = "p")
      : out_(dir / (tag + ".out")), err_(dir / (tag + ".err")) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    if (posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
  }
  ~Child() {
    if (pid_ > 0 && !waited_) {
      ::kill(pid_, SIGKILL);
      wait();
    }
  }
  pid_t pid() const { return pid_; }
  void signal(int sig) { ::kill(pid_, sig); }
  ProcessResult wait() {
    int status = 0;
    if (!waited_) ::waitpid(pid_, &status, 0);
    waited_ = true;
    ProcessResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = read_text(out_);
    r.err = read_text(err_);
    return r;
  }
  std::string out_so_far() const { return read_text(out_); }

 private:
  pid_t pid_ = -1;
  bool waited_ = false;
  std::filesystem::path out_, err_;
};

inline ProcessResult run(const std::vector<std::string>& args, const std::filesystem::path& dir) {
  Child c(args, dir);
  return c.wait();
}

}  // namespace relais::test
