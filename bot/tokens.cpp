// `relais token create | list | revoke`: the coaches' API tokens.
#include <random>

#include "adapters/encoding.hpp"
#include "bot/commands.hpp"
#include "bot/log.hpp"

namespace relais {
namespace {

// 43 characters of [A-Za-z0-9] (~256 bits), with a prefix that tells what it is.
std::string random_token() {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::random_device rd;
  std::uniform_int_distribution<int> pick(0, sizeof kAlphabet - 2);
  std::string token = "rl_";
  for (int i = 0; i < 43; ++i) token += kAlphabet[pick(rd)];
  return token;
}

std::unique_ptr<Store> open_store(const Config& config) {
  return open_sqlite_store(config.database_path().string(), config.database.busy_timeout_ms);
}

}  // namespace

std::string token_hash(const std::string& token) { return hex(digest(HashAlgorithm::sha256, token)); }

CreatedToken create_token(const Config& config, const std::string& name, const std::vector<std::string>& cohorts,
                          bool admin, Utc now) {
  if (name.empty()) throw BadInput("--name: a name is needed (whose token it is, e.g. the coach's first name)");
  if (admin == !cohorts.empty())
    throw BadInput("a token is either --admin (every cohort) or for its --cohort(s), one of the two");
  for (const auto& cohort : cohorts)
    if (!config.find_cohort(cohort)) throw BadInput("--cohort " + cohort + ": no such cohort in " + config.file.string());
  CreatedToken created;
  created.token = random_token();
  auto store = open_store(config);
  StoreTransaction tx(*store);
  created.id = store->add_token(name, token_hash(created.token), cohorts, admin, now);
  store->audit("cli", "token_create", "token " + std::to_string(created.id) + " " + name + (admin ? " admin" : ""), now);
  tx.commit();
  log::info("token.created", {{"id", std::to_string(created.id)}, {"admin", admin ? "yes" : "no"}});
  return created;
}

std::vector<ApiToken> list_tokens(const Config& config) { return open_store(config)->tokens(); }

void revoke_token(const Config& config, std::int64_t id, Utc now) {
  auto store = open_store(config);
  StoreTransaction tx(*store);
  if (!store->revoke_token(id, now)) throw BadInput("ID " + std::to_string(id) + ": no such token, or revoked already");
  store->audit("cli", "token_revoke", "token " + std::to_string(id), now);
  tx.commit();
}

}  // namespace relais
