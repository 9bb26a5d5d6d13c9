#include "bot/core/sms.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>

namespace relais {
namespace {

// Sizes from 3GPP TS 23.038 / 23.040: a concatenated segment loses 7 septets (6 bytes of
// user data header) to the header.
constexpr int kGsmSingle = 160;
constexpr int kGsmPart = 153;
constexpr int kUcsSingle = 70;
constexpr int kUcsPart = 67;

constexpr std::string_view kReplacementUtf8 = "\xEF\xBF\xBD";  // U+FFFD

// ---- UTF-8 decoding -------------------------------------------------------------------

struct Decoded {
  char32_t cp;
  std::size_t size;  // bytes consumed
  bool valid;
};

constexpr bool is_cont(unsigned char b) { return (b & 0xC0) == 0x80; }

// Strict decoding (no overlong forms, no surrogates, nothing above U+10FFFF). A bad byte
// decodes as one U+FFFD so that scanning always moves forward.
Decoded decode(std::string_view s, std::size_t i) {
  const auto at = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char b0 = at(0);
  if (b0 < 0x80) return {b0, 1, true};
  const Decoded bad{0xFFFD, 1, false};
  std::size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return bad;
  }
  if (s.size() - i < len || at(1) < lo || at(1) > hi) return bad;
  char32_t cp = b0 & (0xFF >> (len + 1));
  for (std::size_t k = 1; k < len; ++k) {
    if (!is_cont(at(k))) return bad;
    cp = (cp << 6) | (at(k) & 0x3F);
  }
  return {cp, len, true};
}

// Calls f(code point, its UTF-8 bytes or U+FFFD's, valid) for each code point.
template <class F>
void for_each_code_point(std::string_view s, F&& f) {
  for (std::size_t i = 0; i < s.size();) {
    const Decoded d = decode(s, i);
    f(d.cp, d.valid ? s.substr(i, d.size) : kReplacementUtf8, d.valid);
    i += d.size;
  }
}

// ---- The GSM 7-bit default alphabet ---------------------------------------------------

using CostTable = std::array<std::uint8_t, 256>;

// Septets per Latin-1 code point: 1 for the basic table, 2 for the extension table (escape
// + character), 0 when GSM-7 lacks it.
constexpr CostTable make_latin1_costs() {
  CostTable t{};
  for (int c = 0x20; c < 0x7F; ++c) t[c] = 1;
  t['`'] = 0;
  for (unsigned char c : std::string_view("^{}\\[~]|")) t[c] = 2;
  t['\n'] = 1;
  t['\r'] = 1;
  t['\f'] = 2;  // form feed is in the extension table
  // The basic table's non-ASCII Latin-1 letters and signs (0xC7 is capital Ç: see sms.hpp).
  for (char32_t c : std::u32string_view(U"£¤¥§¡¿ÄÅÆÇÉÑÖØÜßàäåæèéìñòöøùü")) t[c] = 1;
  return t;
}
constexpr CostTable kLatin1Costs = make_latin1_costs();

int gsm_septets(char32_t cp) {
  if (cp < 0x100) return kLatin1Costs[cp];
  switch (cp) {
    case U'Δ': case U'Φ': case U'Γ': case U'Λ': case U'Ω':
    case U'Π': case U'Ψ': case U'Σ': case U'Θ': case U'Ξ':
      return 1;
    case U'€':
      return 2;
    default:
      return 0;
  }
}

// ---- Packing into segments ------------------------------------------------------------

// Fills segments of `capacity` units, moving a character that does not fit whole to the
// next segment (an escape pair or a surrogate pair is never split).
struct Packer {
  int capacity;
  int segments = 1;
  int used = 0;

  // True when the character starts a new segment.
  bool add(int units) {
    if (used + units <= capacity) {
      used += units;
      return false;
    }
    ++segments;
    used = units;
    return true;
  }
};

int utf16_units(char32_t cp) { return cp > 0xFFFF ? 2 : 1; }

// ---- The normaliser's table -----------------------------------------------------------

struct Equivalent {
  char32_t cp;
  std::string_view gsm;
};

// Sorted by code point. Every replacement is plain GSM-7. Beyond the list in sms.hpp:
// the other Latin-1 accented letters GSM-7 lacks (À È Ù Ì Ò, Ã Õ ã õ, Ý ý...) map to their
// base letter, so that "À demain" or a Portuguese first name does not turn the whole text
// into UCS-2 (three times the cost); tab, line/paragraph separators, bullets, minus and
// backtick get their plain form; invisible characters pasted from word processors (soft
// hyphen, zero-width space, word joiner, BOM) are dropped.
constexpr Equivalent kEquivalents[] = {
    {U'\t', " "},    {U'`', "'"},     {0x00A0, " "},   {U'«', "\""},    {0x00AD, ""},
    {U'»', "\""},    {U'À', "A"},     {U'Á', "A"},     {U'Â', "A"},     {U'Ã', "A"},
    {U'È', "E"},     {U'Ê', "E"},     {U'Ë', "E"},     {U'Ì', "I"},     {U'Í', "I"},
    {U'Î', "I"},     {U'Ï', "I"},     {U'Ò', "O"},     {U'Ó', "O"},     {U'Ô', "O"},
    {U'Õ', "O"},     {U'Ù', "U"},     {U'Ú', "U"},     {U'Û', "U"},     {U'Ý', "Y"},
    {U'á', "a"},     {U'â', "a"},     {U'ã', "a"},     {U'ç', "c"},     {U'ê', "e"},
    {U'ë', "e"},     {U'í', "i"},     {U'î', "i"},     {U'ï', "i"},     {U'ó', "o"},
    {U'ô', "o"},     {U'õ', "o"},     {U'ú', "u"},     {U'û', "u"},     {U'ý', "y"},
    {U'ÿ', "y"},     {U'Œ', "OE"},    {U'œ', "oe"},    {U'Ÿ', "Y"},     {0x1680, " "},
    {0x2000, " "},   {0x2001, " "},   {0x2002, " "},   {0x2003, " "},   {0x2004, " "},
    {0x2005, " "},   {0x2006, " "},   {0x2007, " "},   {0x2008, " "},   {0x2009, " "},
    {0x200A, " "},   {0x200B, ""},    {U'‐', "-"},     {U'‑', "-"},     {U'‒', "-"},
    {U'–', "-"},     {U'—', "-"},     {U'―', "-"},     {U'‘', "'"},     {U'’', "'"},
    {U'‚', "'"},     {U'‛', "'"},     {U'“', "\""},    {U'”', "\""},    {U'„', "\""},
    {U'‟', "\""},    {U'•', "-"},     {U'…', "..."},   {0x2028, "\n"},  {0x2029, "\n"},
    {0x202F, " "},   {U'′', "'"},     {U'″', "\""},    {0x205F, " "},   {0x2060, ""},
    {U'−', "-"},     {0x3000, " "},   {0xFEFF, ""},
};
static_assert(std::is_sorted(std::begin(kEquivalents), std::end(kEquivalents),
                             [](const Equivalent& a, const Equivalent& b) { return a.cp < b.cp; }),
              "kEquivalents must stay sorted for the binary search");

std::optional<std::string_view> gsm_equivalent(char32_t cp) {
  const auto* it = std::lower_bound(std::begin(kEquivalents), std::end(kEquivalents), cp,
                                    [](const Equivalent& e, char32_t c) { return e.cp < c; });
  if (it == std::end(kEquivalents) || it->cp != cp) return std::nullopt;
  return it->gsm;
}

}  // namespace

std::string_view to_string(SmsEncoding e) {
  return e == SmsEncoding::gsm7 ? "GSM-7" : "UCS-2";
}

SmsInfo analyse_sms(std::string_view utf8) {
  // One pass packs both ways at once, since the encoding is only known at the end.
  bool gsm = true;
  int septets = 0, utf16 = 0;
  Packer gsm_parts{kGsmPart}, ucs_parts{kUcsPart};
  for_each_code_point(utf8, [&](char32_t cp, std::string_view, bool valid) {
    const int u = utf16_units(cp);
    utf16 += u;
    ucs_parts.add(u);
    if (!gsm) return;
    const int s = valid ? gsm_septets(cp) : 0;
    gsm = s > 0;
    septets += s;
    gsm_parts.add(s);
  });
  if (gsm) return {SmsEncoding::gsm7, septets, septets <= kGsmSingle ? 1 : gsm_parts.segments};
  return {SmsEncoding::ucs2, utf16, utf16 <= kUcsSingle ? 1 : ucs_parts.segments};
}

std::vector<std::string> split_sms(std::string_view utf8) {
  const SmsInfo info = analyse_sms(utf8);
  const bool gsm = info.encoding == SmsEncoding::gsm7;
  std::vector<std::string> parts(1);
  if (info.segments == 1) parts.front().reserve(utf8.size());
  Packer packer{gsm ? kGsmPart : kUcsPart};
  for_each_code_point(utf8, [&](char32_t cp, std::string_view bytes, bool) {
    const int units = gsm ? gsm_septets(cp) : utf16_units(cp);
    if (packer.add(units) && info.segments > 1) parts.emplace_back();
    parts.back().append(bytes);
  });
  return parts;
}

std::string normalise_for_sms(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size();) {
    const Decoded d = decode(utf8, i);
    if (d.valid && gsm_septets(d.cp) > 0) {
      out.append(utf8.substr(i, d.size));
    } else {
      const auto gsm = d.valid ? gsm_equivalent(d.cp) : std::nullopt;
      // Still not GSM-7 after normalising: it goes as UCS-2, so keep the author's text.
      if (!gsm) return std::string(utf8);
      out.append(*gsm);
    }
    i += d.size;
  }
  return out;
}

}  // namespace relais
