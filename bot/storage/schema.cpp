#include "bot/storage/schema.hpp"

namespace relais {
namespace {

// Times are INTEGER milliseconds since the Unix epoch, UTC (columns named *_at).
constexpr sql::Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE participants (
  id           INTEGER PRIMARY KEY,
  phone        TEXT NOT NULL UNIQUE,          -- E.164, the key
  first_name   TEXT NOT NULL,
  cohort       TEXT NOT NULL,
  consent      INTEGER NOT NULL CHECK (consent IN (0, 1)),
  consent_tips INTEGER NOT NULL CHECK (consent_tips IN (0, 1)),
  language     TEXT NOT NULL DEFAULT 'fr',
  channel      TEXT NOT NULL,
  barriers     TEXT NOT NULL DEFAULT '',      -- '|'-separated ids
  buddy_phone  TEXT,
  external_id  TEXT,
  opted_out    INTEGER NOT NULL DEFAULT 0 CHECK (opted_out IN (0, 1)),
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
);
CREATE INDEX participants_by_cohort ON participants(cohort);

CREATE TABLE inbound (
  id             INTEGER PRIMARY KEY,
  channel        TEXT NOT NULL,
  provider_id    TEXT NOT NULL,
  sender         TEXT NOT NULL,
  participant_id INTEGER REFERENCES participants(id),
  text           TEXT NOT NULL,
  media_count    INTEGER NOT NULL DEFAULT 0,
  received_at    INTEGER NOT NULL,
  handled_ok     INTEGER NOT NULL DEFAULT 1,
  error          TEXT,
  UNIQUE (channel, provider_id)
);
CREATE INDEX inbound_by_participant ON inbound(participant_id, received_at);

CREATE TABLE outbox (
  id             INTEGER PRIMARY KEY,
  participant_id INTEGER REFERENCES participants(id),
  channel        TEXT NOT NULL,
  recipient      TEXT NOT NULL,
  text           TEXT NOT NULL,
  kind           TEXT NOT NULL,
  status         TEXT NOT NULL CHECK (status IN ('queued', 'deferred', 'sending', 'sent',
                   'delivered', 'read', 'failed', 'undelivered', 'dropped', 'cancelled')),
  reason         TEXT NOT NULL DEFAULT '',
  encoding       TEXT NOT NULL CHECK (encoding IN ('GSM-7', 'UCS-2')),
  segments       INTEGER NOT NULL,
  cost_eur       REAL NOT NULL,
  not_before     INTEGER NOT NULL,
  deadline       INTEGER,
  attempts       INTEGER NOT NULL DEFAULT 0,
  provider_id    TEXT NOT NULL DEFAULT '',
  in_reply_to    INTEGER REFERENCES inbound(id),
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
);
CREATE INDEX outbox_due ON outbox(not_before) WHERE status IN ('queued', 'deferred');
CREATE INDEX outbox_in_flight ON outbox(status) WHERE status = 'sending';
CREATE INDEX outbox_by_recipient ON outbox(recipient, kind, created_at);
CREATE INDEX outbox_by_reply ON outbox(in_reply_to) WHERE in_reply_to IS NOT NULL;

CREATE TABLE alerts (
  id             INTEGER PRIMARY KEY,
  kind           TEXT NOT NULL,
  participant_id INTEGER REFERENCES participants(id),
  cohort         TEXT NOT NULL DEFAULT '',
  detail         TEXT NOT NULL DEFAULT '',
  state          TEXT NOT NULL DEFAULT 'unread' CHECK (state IN ('unread', 'read', 'acknowledged')),
  created_at     INTEGER NOT NULL
);

CREATE TABLE audit_log (
  id     INTEGER PRIMARY KEY,
  at     INTEGER NOT NULL,
  actor  TEXT NOT NULL,
  action TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT ''
);
)sql"},
    {2, R"sql(
-- A participant's address on a channel that does not use her phone number (a Telegram chat).
CREATE TABLE addresses (
  participant_id INTEGER NOT NULL REFERENCES participants(id),
  channel        TEXT NOT NULL,
  address        TEXT NOT NULL,
  linked_at      INTEGER NOT NULL,
  PRIMARY KEY (channel, address)
);
CREATE UNIQUE INDEX addresses_by_participant ON addresses(participant_id, channel);

-- One-time codes that link a chat to a participant (Telegram's /start CODE).
CREATE TABLE link_codes (
  code           TEXT PRIMARY KEY,
  participant_id INTEGER NOT NULL REFERENCES participants(id),
  channel        TEXT NOT NULL,
  created_at     INTEGER NOT NULL,
  expires_at     INTEGER NOT NULL,
  used_at        INTEGER
);

-- Parts of a long SMS delivered in pieces, kept until all have arrived.
CREATE TABLE inbound_parts (
  channel      TEXT NOT NULL,
  sender       TEXT NOT NULL,
  concat_ref   TEXT NOT NULL,
  part         INTEGER NOT NULL,
  total        INTEGER NOT NULL,
  text         TEXT NOT NULL,
  provider_id  TEXT NOT NULL,
  received_at  INTEGER NOT NULL,
  PRIMARY KEY (channel, sender, concat_ref, part)
);

-- Receipts that arrived before the send's own answer recorded the provider id.
CREATE TABLE receipts_pending (
  channel     TEXT NOT NULL,
  provider_id TEXT NOT NULL,
  status      TEXT NOT NULL,
  reason      TEXT NOT NULL DEFAULT '',
  received_at INTEGER NOT NULL
);
CREATE INDEX receipts_pending_by_id ON receipts_pending(channel, provider_id);
CREATE INDEX outbox_by_provider_id ON outbox(channel, provider_id) WHERE provider_id != '';
CREATE INDEX inbound_by_sender ON inbound(channel, sender, received_at);
)sql"},
    {3, R"sql(
-- Where each participant is in a scripted dialog: one active conversation at most, others
-- queued behind it (dialogs that declare "when_busy": "queue").
CREATE TABLE conversations (
  id             INTEGER PRIMARY KEY,
  participant_id INTEGER NOT NULL REFERENCES participants(id),
  dialog         TEXT NOT NULL,
  node           TEXT NOT NULL DEFAULT '',
  state          TEXT NOT NULL CHECK (state IN ('active', 'queued')),
  misses         INTEGER NOT NULL DEFAULT 0,
  nudge_at       INTEGER,
  timeout_at     INTEGER,
  nudged         INTEGER NOT NULL DEFAULT 0,
  context        TEXT NOT NULL DEFAULT '',   -- variables given at start ("k=v" lines)
  started_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
);
CREATE UNIQUE INDEX conversations_one_active ON conversations(participant_id) WHERE state = 'active';
CREATE INDEX conversations_nudge ON conversations(nudge_at) WHERE state = 'active' AND nudged = 0;
CREATE INDEX conversations_timeout ON conversations(timeout_at) WHERE state = 'active';

CREATE TABLE conversation_answers (
  conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  name            TEXT NOT NULL,
  value           TEXT NOT NULL,
  PRIMARY KEY (conversation_id, name)
);

-- Every answer a dialog saved (check-in ratings, declared absences, next steps…).
CREATE TABLE answers (
  id             INTEGER PRIMARY KEY,
  participant_id INTEGER NOT NULL REFERENCES participants(id),
  dialog         TEXT NOT NULL,
  target         TEXT NOT NULL,   -- "checkin.rating", "participant.next_step", …
  value          TEXT NOT NULL,
  at             INTEGER NOT NULL
);
CREATE INDEX answers_by_participant ON answers(participant_id, target, at);
)sql"},
    {4, R"sql(
-- The text's template and variables, for channels that must send an approved template
-- outside a conversation (WhatsApp's 24-hour window).
ALTER TABLE outbox ADD COLUMN template_id TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN variables TEXT NOT NULL DEFAULT '';
)sql"},
    {5, R"sql(
-- Facts about this database. install_id tells its outbox ids from another database's
-- (gateways that remember ids would otherwise take a new message for a duplicate).
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta (key, value) VALUES ('install_id', lower(hex(randomblob(4))));
)sql"},
    {6, R"sql(
-- Who started each message, for the sending window and the daily cap: 'service' (the
-- service on its own), 'reply' (an answer to her message), 'coach' (written by a coach),
-- 'system' (the STOP confirmation).
ALTER TABLE outbox ADD COLUMN origin TEXT NOT NULL DEFAULT 'service'
  CHECK (origin IN ('service', 'reply', 'coach', 'system'));
UPDATE outbox SET origin = 'reply' WHERE in_reply_to IS NOT NULL;
-- When a row was first handed to its gateway (the daily cap counts by local day).
ALTER TABLE outbox ADD COLUMN first_sent_at INTEGER;
CREATE INDEX outbox_by_participant ON outbox(participant_id, first_sent_at);

-- A number the gateway says is wrong: no more retries to it, and coaches see it.
ALTER TABLE participants ADD COLUMN number_failing_since INTEGER;

-- The practical tips sent to each participant (rotation, and the funders' indicators).
CREATE TABLE tips_sent (
  id             INTEGER PRIMARY KEY,
  participant_id INTEGER NOT NULL REFERENCES participants(id),
  tip_id         TEXT NOT NULL,
  barrier        TEXT NOT NULL,
  sent_at        INTEGER NOT NULL
);
CREATE INDEX tips_sent_by_participant ON tips_sent(participant_id, tip_id);
)sql"},
    {7, R"sql(
-- The programme's sessions: occurrences of calendar events (each source owns its own) or
-- sessions coaches created (source 'relais').
CREATE TABLE sessions (
  id                INTEGER PRIMARY KEY,
  source            TEXT NOT NULL,
  uid               TEXT NOT NULL,
  occurrence        TEXT NOT NULL DEFAULT '',   -- original start of a recurring event's occurrence
  start_at          INTEGER NOT NULL,
  end_at            INTEGER NOT NULL,
  title             TEXT NOT NULL,
  kind              TEXT NOT NULL,
  cohorts           TEXT NOT NULL,              -- '|'-separated cohort ids
  venue             TEXT NOT NULL DEFAULT '',
  location          TEXT NOT NULL DEFAULT '',
  participant_phone TEXT,                       -- an individual session
  cancelled         INTEGER NOT NULL DEFAULT 0 CHECK (cancelled IN (0, 1)),
  sequence          INTEGER NOT NULL DEFAULT 0,
  stamp             INTEGER NOT NULL DEFAULT 0,
  updated_at        INTEGER NOT NULL,
  UNIQUE (uid, occurrence)
);
CREATE INDEX sessions_by_start ON sessions(start_at);
CREATE INDEX sessions_by_source ON sessions(source);

-- What the planner decided: one row per (participant, session occurrence, rule) or
-- (participant, rule, local date), by its key. `plan_run` marks the last planning that
-- wanted it: planned rows an up-to-date planning no longer wants are cancelled.
-- No foreign keys: a planning writes millions of rows, and their checks cost a tenth of
-- it; jobs are only ever written by the planner from rows it has just read, and an erasure
-- deletes a participant's jobs with her.
CREATE TABLE jobs (
  id             INTEGER PRIMARY KEY,
  key            TEXT NOT NULL UNIQUE,
  participant_id INTEGER NOT NULL,
  rule           TEXT NOT NULL,
  kind           TEXT NOT NULL,
  dialog         TEXT NOT NULL,
  session_id     INTEGER,
  due_at         INTEGER NOT NULL,
  deadline       INTEGER,
  status         TEXT NOT NULL CHECK (status IN ('planned', 'fired', 'cancelled', 'dropped')),
  reason         TEXT NOT NULL DEFAULT '',
  context        TEXT NOT NULL DEFAULT '',
  plan_run       INTEGER NOT NULL,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
);
CREATE INDEX jobs_due ON jobs(due_at) WHERE status = 'planned';
CREATE INDEX jobs_by_session ON jobs(session_id) WHERE session_id IS NOT NULL;
CREATE INDEX jobs_by_participant ON jobs(participant_id);

-- Who came: declared by her (the attendance dialog) or marked by a coach.
CREATE TABLE attendance (
  session_id     INTEGER NOT NULL REFERENCES sessions(id),
  participant_id INTEGER NOT NULL REFERENCES participants(id),
  status         TEXT NOT NULL CHECK (status IN ('present', 'absent', 'excused')),
  reason         TEXT NOT NULL DEFAULT '',
  source         TEXT NOT NULL CHECK (source IN ('declared', 'coach')),
  at             INTEGER NOT NULL,
  PRIMARY KEY (session_id, participant_id)
);

-- The job whose dialog wrote a message (its rule and session, for simulate and coaches).
ALTER TABLE outbox ADD COLUMN job_id INTEGER REFERENCES jobs(id);
INSERT INTO meta (key, value) VALUES ('plan_run', '0');
)sql"},
    {8, R"sql(
-- Each recorded send looks for receipts that came before it, by provider id alone.
CREATE INDEX receipts_pending_by_provider ON receipts_pending(provider_id);
)sql"},
    {9, R"sql(
-- Coaches' API tokens: only a SHA-256 of each token is kept; a token sees its cohorts, or
-- everything when admin.
CREATE TABLE api_tokens (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  hash       TEXT NOT NULL UNIQUE,
  cohorts    TEXT NOT NULL DEFAULT '',   -- '|'-separated cohort ids
  admin      INTEGER NOT NULL DEFAULT 0 CHECK (admin IN (0, 1)),
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);
)sql"},
    {10, R"sql(
-- The coaches' API.
-- An erased participant keeps a row without identity (phone 'erased:<id>', no name): the
-- funders' counts stay right, while her messages, answers and addresses are gone.
ALTER TABLE participants ADD COLUMN erased_at INTEGER;
-- Alerts: who read or acknowledged one, and when.
ALTER TABLE alerts ADD COLUMN handled_by TEXT NOT NULL DEFAULT '';
ALTER TABLE alerts ADD COLUMN handled_at INTEGER;
-- By cohort only: an index keyed by participant would dirty a page of its own for each
-- webhook of a batch (a fifth of the inbound benchmark); a participant's unread alerts are
-- counted through her cohort's.
CREATE INDEX alerts_by_cohort ON alerts(cohort, state, created_at);
-- A participant's messages are found by participant (inbound_by_participant); by sender
-- only those of unknown numbers. Keyed by sender for everyone, it dirtied a page of its own
-- for each webhook of a batch (a quarter of the inbound benchmark's time).
DROP INDEX inbound_by_sender;
CREATE INDEX inbound_unknown_by_sender ON inbound(channel, sender, received_at) WHERE participant_id IS NULL;
-- The cohort an audit entry concerns ('' for the whole programme).
ALTER TABLE audit_log ADD COLUMN cohort TEXT NOT NULL DEFAULT '';
-- A message that asks her a question (the reply rate counts those answered within 48 h).
ALTER TABLE outbox ADD COLUMN asks INTEGER NOT NULL DEFAULT 0 CHECK (asks IN (0, 1));
-- The group message a row belongs to.
ALTER TABLE outbox ADD COLUMN broadcast_id INTEGER;
-- An erasure unlinks her jobs from the messages they wrote, and ends her conversations.
CREATE INDEX outbox_by_job ON outbox(job_id) WHERE job_id IS NOT NULL;
CREATE INDEX conversations_by_participant ON conversations(participant_id);
-- The session an answer is about (check-ins by session kind).
ALTER TABLE answers ADD COLUMN session_id INTEGER;
-- Group messages written by coaches; each recipient's message is an outbox row of kind
-- 'broadcast' and origin 'coach'.
CREATE TABLE broadcasts (
  id          INTEGER PRIMARY KEY,
  actor       TEXT NOT NULL,              -- the token's name, or "sms:<coach>"
  cohort      TEXT NOT NULL DEFAULT '',   -- '' when sent to a list of participants
  text        TEXT NOT NULL,
  template_id TEXT NOT NULL DEFAULT '',
  send_at     INTEGER NOT NULL,
  recipients  INTEGER NOT NULL,
  excluded    INTEGER NOT NULL,
  cost_eur    REAL NOT NULL,
  created_at  INTEGER NOT NULL
);
-- A group message a coach texted from her phone, waiting for her OUI.
CREATE TABLE coach_drafts (
  phone      TEXT PRIMARY KEY,             -- the coach's phone, E.164
  cohort     TEXT NOT NULL,
  text       TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
)sql"},
    {11, R"sql(
-- A participant's messages are indexed by participant in batches (Store::index_inbound, each
-- tick of the server) rather than one by one as they arrive: indexed at once, every webhook
-- of a batch dirtied a page of that index of its own, a fifth of the inbound benchmark's
-- time and most of its WAL. A message not yet indexed (indexed = 0) is found among the
-- recent ones, in arrival order. Queries by participant read both (inbound_sql.hpp).
ALTER TABLE inbound ADD COLUMN indexed INTEGER NOT NULL DEFAULT 1 CHECK (indexed IN (0, 1));
DROP INDEX inbound_by_participant;
CREATE INDEX inbound_by_participant ON inbound(participant_id, received_at) WHERE indexed = 1;
CREATE INDEX inbound_unindexed ON inbound(indexed) WHERE indexed = 0;
)sql"},
};

}  // namespace

std::span<const sql::Migration> schema_migrations() { return kMigrations; }

}  // namespace relais
