#include "bot/cli.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "bot/app.hpp"
#include "bot/commands.hpp"
#include "bot/config/channel_types.hpp"
#include "bot/conversations.hpp"
#include "bot/log.hpp"
#include "bot/purge.hpp"
#include "bot/reports.hpp"
#include "bot/simulate.hpp"
#include "bot/storage/sqlite.hpp"
#include "dialogs/script_loader.hpp"
#include "dialogs/templates.hpp"
#include "dialogs/tips.hpp"
#include "scheduler/zone.hpp"

namespace relais {
namespace {

constexpr int kOk = 0, kFailure = 1, kBadInput = 2;

void print_issue(std::ostream& err, const std::string& file, const ImportIssue& i) {
  err << file;
  if (i.line > 0) err << ":" << i.line;
  err << ": ";
  if (!i.column.empty()) err << "column \"" << i.column << "\": ";
  err << i.message << "\n";
}

int cmd_check_config(const Config& config, std::ostream& out, std::ostream& err) {
  out << "Configuration " << config.file.string() << " is valid: " << config.cohorts.size()
      << " cohort(s), " << config.venues.size() << " venue(s), " << config.channels.size()
      << " channel(s), database " << config.database_path().string() << ".\n";
  for (const auto& ch : config.channels) {
    const ChannelTypeSpec* spec = find_channel_type(ch.type);
    out << "  channel " << ch.id << " (" << ch.type << ")"
        << (ch.enabled ? "" : ", disabled")
        << (spec && !spec->receives ? ", send-only: it cannot receive replies" : "")
        << ", webhook " << config.public_url() << "/webhooks/" << ch.id << "\n";
  }
  if (std::filesystem::exists(config.content_path(config.dialogs_dir))) {
    const TimeZone zone(config.time_zone);
    auto conversations = Conversations::load(config, zone);  // throws naming file and node or key
    const auto& templates = conversations->templates();
    if (!config.rules.empty()) {
      out << "  " << config.rules.size() << " rule(s):";
      for (const auto& rule : config.rules) out << " " << rule.id;
      out << "\n";
    }
    out << "  " << conversations->dialog_count() << " dialog(s); texts in:";
    for (const auto& lang : templates.languages()) out << " " << lang;
    out << "\n";
    for (const auto& lang : templates.languages())
      for (const auto& key : templates.missing_translations(lang))
        err << "warning: " << config.content_path(config.templates_dir).string() << "/" << lang
            << ".json: no text for \"" << key << "\" (French is used)\n";
  }
  if (std::filesystem::exists(config.content_path(config.tips_dir))) {
    std::vector<std::string> venues;
    for (const auto& v : config.venues) venues.push_back(v.id);
    const auto tips = dialogs::Tips::load(config.content_path(config.tips_dir), venues);
    out << "  " << tips.all().size() << " tip(s), " << tips.reviewed_count() << " reviewed by a coach\n";
  }
  // Calendar files are read as an import would read them, without writing anything.
  for (const auto& source : config.calendars.sources) {
    if (source.file.empty()) {
      if (calendar_url(source).empty())
        err << "warning: calendar " << source.id << ": the environment variable " << source.url_env << " is not set\n";
      // Not the address itself: a calendar's secret iCal address is a secret.
      out << "  calendar " << source.id << ": a published address (read by the server every " << source.poll_minutes
          << " min)\n";
      continue;
    }
    const auto path = config.content_path(source.file);
    std::ifstream in(path, std::ios::binary);
    if (!in) throw BadInput(path.string() + ": calendar " + source.id + " cannot be read");
    std::ostringstream text;
    text << in.rdbuf();
    CalendarRead read;
    try {
      read = read_calendar(text.str(), calendar_context(config, SystemClock().now()));
    } catch (const CalendarError& e) {
      throw BadInput(path.string() + ": " + e.what());
    }
    out << "  calendar " << source.id << ": " << read.sessions.size() << " session(s) ahead\n";
    for (const auto& w : read.warnings) err << "warning: " << path.string() << ": " << w << "\n";
  }
  for (const auto& cohort : config.cohorts)
    if (cohort.coaches.empty())
      err << "warning: cohort " << cohort.id << " has no coach: texts that name the coach cannot be sent to it\n";
  auto missing = missing_secrets(config);
  for (const auto& m : missing) err << "warning: " << m << "\n";
  return kOk;
}

int cmd_serve(const Config& config, std::ostream& out, std::ostream& err) {
  auto missing = missing_secrets(config);
  if (!missing.empty()) {
    for (const auto& m : missing) err << "error: " << m << "\n";
    return kBadInput;
  }
  SystemClock clock;
  App app(config, clock, out);
  app.serve([&](std::uint16_t port) {
    const std::string base = "http://" + config.server.bind + ":" + std::to_string(port);
    std::string console;
    for (const auto& ch : config.channels)
      if (ch.enabled && ch.type == "console") { console = ch.id; break; }
    out << "Relais is listening on " << base << " (database " << config.database_path().string()
        << ").\nThe coaches' dashboard: " << base << "/ (sign in with a token: relais token create --name NAME "
        << "--cohort ID, or --admin)" << (config.simulator.enabled ? "; the phone simulator is on" : "")
        << ".\nTry, from another terminal:\n  curl " << base << "/healthz\n";
    if (!console.empty())
      out << "  # Amina, of the example participants, texts STOP (the reply is printed here):\n"
          << "  curl -X POST " << base << "/webhooks/" << console
          << " -H 'Content-Type: application/json' -d '{\"from\": \"06 12 34 56 01\", \"text\": \"STOP\"}'\n"
          << "  # An unknown number writes:\n"
          << "  ./build/relais say --config " << config.file.string() << " \"06 12 34 56 77\" \"Bonjour\"\n";
    out << "  curl " << base << "/metrics\nStop with Ctrl-C.\n" << std::flush;
  });
  out << "Relais stopped.\n";
  return kOk;
}

int cmd_import(const Config& config, const std::string& file, const ImportOptions& options,
               std::ostream& out, std::ostream& err) {
  ImportReport r = import_participants(config, file, options, SystemClock().now());
  for (const auto& w : r.warnings) {
    err << "warning: ";
    print_issue(err, file, w);
  }
  for (const auto& e : r.errors) print_issue(err, file, e);
  if (!r.written && !options.dry_run) {
    err << "Nothing was imported: " << r.errors.size()
        << " problem(s). Fix them, or use --skip-invalid to import the other lines.\n";
    return kBadInput;
  }
  out << (options.dry_run ? "Dry run, nothing written: would import " : "Imported ") << file
      << ": " << r.created << " new, " << r.updated << " updated, " << r.unchanged
      << " unchanged";
  if (!r.errors.empty()) out << ", " << r.errors.size() << " line(s) skipped";
  out << ".\n";
  if (r.welcomed > 0)
    out << "Welcome message planned for " << r.welcomed << " new participant(s); it leaves within the sending window.\n";
  return kOk;
}

int cmd_import_calendar(const Config& config, const std::string& file, const std::string& source,
                        std::ostream& out, std::ostream& err) {
  if (!std::filesystem::exists(file)) throw BadInput(file + ": no such file");
  const CalendarImportReport r = import_calendar(config, file, source, SystemClock().now());
  if (!r.error.empty()) {
    err << "error: " << file << ": " << r.error << "\nNothing was imported.\n";
    return kBadInput;
  }
  for (const auto& w : r.result.warnings) err << "warning: " << file << ": " << w << "\n";
  out << "Imported " << file << " as source \"" << r.source << "\": " << r.result.created << " new, "
      << r.result.moved << " moved, " << r.result.changed << " changed, " << r.result.cancelled << " cancelled, "
      << r.result.unchanged << " unchanged session(s).\n";
  if (r.result.notices > 0)
    out << r.result.notices << " participant(s) will be told of a change in the coming week.\n";
  return kOk;
}

int cmd_token_create(const Config& config, const std::string& name, const std::vector<std::string>& cohorts,
                     bool admin, std::ostream& out) {
  const CreatedToken t = create_token(config, name, cohorts, admin, SystemClock().now());
  out << "Token " << t.id << " for " << name << " ("
      << (admin ? std::string("admin: every cohort") : "cohort(s):" + [&] {
            std::string list;
            for (const auto& c : cohorts) list += " " + c;
            return list;
          }())
      << "). Copy it now: it is shown only this once.\n"
      << t.token << "\n";
  return kOk;
}

int cmd_token_list(const Config& config, std::ostream& out) {
  const auto tokens = list_tokens(config);
  if (tokens.empty()) {
    out << "No token. Create one with: relais token create --name NAME --cohort ID (or --admin)\n";
    return kOk;
  }
  const TimeZone zone(config.time_zone);
  out << "id  name                  access              created                    revoked\n";
  for (const auto& t : tokens) {
    std::string access = t.admin ? "admin" : "";
    for (const auto& c : t.cohorts) access += (access.empty() ? "" : " ") + c;
    char line[256];
    std::snprintf(line, sizeof line, "%-3lld %-21s %-19s %-26s %s\n", static_cast<long long>(t.id), t.name.c_str(),
                  access.c_str(), zone.format_local(t.created_at).c_str(),
                  t.revoked_at ? zone.format_local(*t.revoked_at).c_str() : "-");
    out << line;
  }
  return kOk;
}

int cmd_link(const Config& config, const std::string& channel, const std::string& phone,
             std::ostream& out) {
  const LinkInvitation inv = create_link(config, channel, phone, SystemClock().now());
  out << "Link for " << inv.first_name << " (valid " << kLinkCodeDays << " days, once):\n";
  if (!inv.url.empty())
    out << "  " << inv.url << "\n";
  else
    out << "  in Telegram, she sends to the bot: /start " << inv.code
        << "\n  (set the channel's bot_username to get a t.me link)\n";
  return kOk;
}

}  // namespace

int run_cli(int argc, char** argv, std::ostream& out, std::ostream& err) {
  CLI::App cli{"Relais: SMS and messaging companion for an employment-coaching programme", "relais"};
  cli.set_version_flag("--version", std::string("relais ") + RELAIS_VERSION);
  cli.require_subcommand(1);
  std::string config_file = "config/relais.json";
  auto add_config = [&](CLI::App* sub) {
    sub->add_option("--config", config_file, "Configuration file")->capture_default_str();
  };

  auto* serve = cli.add_subcommand("serve", "Run the webhook server, the engine and the dispatcher");
  add_config(serve);
  auto* check = cli.add_subcommand("check-config", "Validate the configuration and exit");
  add_config(check);

  auto* import = cli.add_subcommand("import", "Import data from a file");
  import->require_subcommand(1);
  auto* participants = import->add_subcommand("participants", "Import participants from a CSV file");
  add_config(participants);
  std::string csv_file;
  ImportOptions import_options;
  participants->add_option("FILE", csv_file, "CSV file (UTF-8, `,` or `;`)")->required();
  participants->add_flag("--skip-invalid", import_options.skip_invalid,
                         "Import the valid lines and list the others");
  participants->add_flag("--dry-run", import_options.dry_run, "Check and count, write nothing");

  auto* calendar = import->add_subcommand("calendar", "Import the sessions of an iCalendar file (.ics)");
  add_config(calendar);
  std::string ics_file, calendar_source;
  calendar->add_option("FILE", ics_file, "iCalendar file exported from Google, Outlook, Nextcloud, Thunderbird…")->required();
  calendar->add_option("--source", calendar_source,
                       "The source it is a snapshot of (default: the calendar's name, else the file name)");

  auto* token = cli.add_subcommand("token", "Create, list or revoke the coaches' API tokens");
  token->require_subcommand(1);
  auto* token_create = token->add_subcommand("create", "Create a token (printed once; only its hash is kept)");
  add_config(token_create);
  std::string token_name;
  std::vector<std::string> token_cohorts;
  bool token_admin = false;
  token_create->add_option("--name", token_name, "Whose token it is")->required();
  token_create->add_option("--cohort", token_cohorts, "A cohort it may see (repeatable)");
  token_create->add_flag("--admin", token_admin, "Every cohort");
  auto* token_list = token->add_subcommand("list", "List the tokens (never the tokens themselves)");
  add_config(token_list);
  auto* token_revoke = token->add_subcommand("revoke", "Revoke a token");
  add_config(token_revoke);
  std::int64_t token_id = 0;
  token_revoke->add_option("ID", token_id, "The token's id (relais token list)")->required();

  auto* report = cli.add_subcommand("report", "Write the funders' indicators of a cohort (CSV, or an HTML page)");
  add_config(report);
  std::string report_cohort, report_format = "csv", report_output;
  report->add_option("--cohort", report_cohort, "A cohort id (default: the whole programme)");
  report->add_option("--format", report_format, "csv or html")->check(CLI::IsMember({"csv", "html"}));
  report->add_option("--output", report_output, "The file to write (default: standard output)");

  auto* purge_cmd = cli.add_subcommand(
      "purge", "Erase what participants sent and received, retention_months after their programme ended");
  add_config(purge_cmd);
  bool purge_dry_run = false;
  purge_cmd->add_flag("--dry-run", purge_dry_run, "Say what would be erased, erase nothing");

  auto* simulate_cmd = cli.add_subcommand(
      "simulate", "Show what the programme would send, and when, on a simulated clock (sends nothing)");
  add_config(simulate_cmd);
  SimulateOptions simulate_options;
  std::vector<std::string> simulate_calendars;
  std::string simulate_participants, simulate_html;
  simulate_cmd->add_option("--calendar", simulate_calendars, "iCalendar file (repeatable; default: the configured sources)");
  simulate_cmd->add_option("--participants", simulate_participants, "Participants CSV (default: the database's)");
  simulate_cmd->add_option("--from", simulate_options.from, "First local date, YYYY-MM-DD (default: today)");
  simulate_cmd->add_option("--to", simulate_options.to, "Last local date, YYYY-MM-DD (default: 14 days after the last session)");
  simulate_cmd->add_flag("--summary", simulate_options.summary, "Totals per cohort, participant and kind, with cost");
  simulate_cmd->add_flag("--json", simulate_options.json, "With --summary: the totals as JSON");
  simulate_cmd->add_option("--html", simulate_html, "Also write a printable page per cohort, week by week");

  auto* say_cmd = cli.add_subcommand("say", "Send a message as a participant on a console channel");
  add_config(say_cmd);
  std::string phone, channel;
  std::vector<std::string> words;
  say_cmd->add_option("PHONE", phone, "The sender's phone number")->required();
  say_cmd->add_option("TEXT", words, "The message")->required();
  say_cmd->add_option("--channel", channel, "Console channel id (default: the first console channel)");

  auto* link = cli.add_subcommand("link", "Print a one-time link that connects a participant's Telegram chat");
  add_config(link);
  std::string link_channel, link_phone;
  link->add_option("CHANNEL", link_channel, "A telegram channel id of the configuration")->required();
  link->add_option("PHONE", link_phone, "The participant's phone number")->required();

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = cli.exit(e, out, err);
    return code == 0 ? kOk : kBadInput;
  }

  try {
    if (!std::filesystem::exists(config_file))
      throw BadInput(config_file + ": no such configuration file (use --config FILE)");
    const Config config = load_config(config_file);
    // Only the server logs its routine events; other verbs print their own summary.
    log::init(*serve || config.log.level == "debug" ? config.log.level : "warn");
    if (*check) return cmd_check_config(config, out, err);
    if (*serve) return cmd_serve(config, out, err);
    if (*participants) return cmd_import(config, csv_file, import_options, out, err);
    if (*calendar) return cmd_import_calendar(config, ics_file, calendar_source, out, err);
    if (*token_create) return cmd_token_create(config, token_name, token_cohorts, token_admin, out);
    if (*token_list) return cmd_token_list(config, out);
    if (*token_revoke) {
      revoke_token(config, token_id, SystemClock().now());
      out << "Token " << token_id << " revoked: it no longer opens anything.\n";
      return kOk;
    }
    if (*report)
      return write_report(config, report_cohort, report_format,
                          report_output.empty() ? std::nullopt : std::optional<std::filesystem::path>(report_output),
                          out, err, SystemClock().now());
    if (*purge_cmd) return purge_command(config, purge_dry_run, out, err, SystemClock().now());
    if (*simulate_cmd) {
      for (const auto& f : simulate_calendars) simulate_options.calendars.emplace_back(f);
      if (!simulate_participants.empty()) simulate_options.participants = simulate_participants;
      if (!simulate_html.empty()) simulate_options.html = simulate_html;
      return simulate(config, simulate_options, out, err);
    }
    if (*link) return cmd_link(config, link_channel, link_phone, out);
    if (*say_cmd) {
      if (channel.empty())
        for (const auto& ch : config.channels)
          if (ch.enabled && ch.type == "console") { channel = ch.id; break; }
      if (channel.empty()) throw BadInput(config.file.string() + ": no enabled console channel");
      std::string text;
      for (const auto& w : words) text += (text.empty() ? "" : " ") + w;
      return say(config, channel, phone, text, out, err);
    }
  } catch (...) {
    return report_current_exception(err);
  }
  return kFailure;
}

}  // namespace relais
