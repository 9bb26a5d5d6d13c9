#pragma once
// Masking phone numbers in log lines, so that operators' logs never hold a full number.
// Pure function: thread-safe, no I/O.
#include <string>
#include <string_view>

namespace relais {

// Replaces every phone number in a log line by its masked form (mask_phone in phone.hpp):
// E.164 ("+33612345678" → "+33 6 ** ** ** 78", also "%2B33..." as URL-encoded by
// gateways, and "+33 (0)6 ..."), international forms ("0033 6 12 34 56 78"), French national
// forms with or without separators ("06 12 34 56 78", "06.12.34.56.78", "06-12-...",
// "0612345678"), and a bare "33612345678" (some gateways drop the "+"). Separators are a
// space, '.', '-' or a no-break space, the same one throughout a number.
//
// Leaves alone numbers that cannot be phone numbers: fewer than 8 digits ("14h30", counts,
// amounts), dates ("2026-11-25", "25/11/2026"), times, decimals ("0.0612345678"), ids glued
// to letters ("job42", "a0612345678b") and digit runs longer than a number allows. It errs
// on the side of masking: a 10-digit id starting with 0 looks like a French number and is
// masked. Already-masked numbers are left as they are, so masking twice changes nothing.
std::string mask_phones(std::string_view line);

}  // namespace relais
