#pragma once
// Reads the participants file a coach exports from a spreadsheet and checks every row
// against the configuration. Pure: text and config in, rows and issues out; nothing is
// stored. The caller imports nothing when `errors` is not empty. Thread-safe.
#include <string>
#include <string_view>
#include <vector>

#include "bot/config/config.hpp"
#include "bot/core/domain.hpp"

namespace relais {

struct ImportIssue {
  int line = 0;         // physical line in the file; 0 = the file as a whole
  std::string column;   // the header as written in the file; empty when not about one column
  std::string message;  // English, says what is wrong and, where useful, what is accepted
};

struct ParsedParticipant {
  int line = 0;
  ParticipantRecord record;
};

struct ParticipantsFile {
  std::vector<ParsedParticipant> rows;  // valid rows only, in file order
  std::vector<ImportIssue> errors;      // every bad line, each with every problem found
  std::vector<ImportIssue> warnings;
};

// Columns (case, accents, spaces, `_` and `-` ignored): first_name/prénom, phone/téléphone
// (portable, mobile), cohort/groupe, consent/consentement are required; language/langue,
// channel/canal, barriers/freins, buddy/binôme, consent_tips/consentement_conseils,
// external_id/identifiant are optional. Unknown columns are ignored with a warning.
// The phone is the key: one phone with two different first names is an error; the same
// person twice is a warning and the later line wins.
ParticipantsFile parse_participants_csv(std::string_view content, const Config& config);

// True for channel types that address people by phone number and send SMS (so landlines
// are refused): console, twilio, vonage, brevo, android.
bool channel_type_is_sms(std::string_view type);

// "line 4, column "Téléphone": landline 03 80 12 34 56 cannot receive SMS" (for the CLI).
std::string describe(const ImportIssue& issue);

}  // namespace relais
