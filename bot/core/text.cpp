#include "bot/core/text.hpp"

#include <utf8proc.h>

#include <cstdlib>

namespace relais {
namespace {

// Keeps only well-formed UTF-8 sequences.
std::string drop_invalid(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(s.size());
  while (left > 0) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n < 0) {
      ++p;
      --left;
      continue;
    }
    out.append(reinterpret_cast<const char*>(p), static_cast<size_t>(n));
    p += n;
    left -= n;
  }
  return out;
}

bool is_space(utf8proc_int32_t cp) {
  if (cp == ' ' || (cp >= 0x09 && cp <= 0x0D)) return true;
  auto cat = utf8proc_category(cp);
  return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL ||
         cat == UTF8PROC_CATEGORY_ZP || cp == 0xFEFF;
}

template <class F>
void for_each_codepoint(std::string_view s, F&& f) {
  auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(s.size());
  while (left > 0) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n <= 0) {
      ++p;
      --left;
      continue;
    }
    f(cp, std::string_view(reinterpret_cast<const char*>(p), static_cast<size_t>(n)));
    p += n;
    left -= n;
  }
}

}  // namespace

bool is_valid_utf8(std::string_view s) {
  auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(s.size());
  while (left > 0) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n <= 0) return false;
    p += n;
    left -= n;
  }
  return true;
}

std::string fold(std::string_view s) {
  std::string clean = drop_invalid(s);
  utf8proc_uint8_t* mapped = nullptr;
  auto options = static_cast<utf8proc_option_t>(UTF8PROC_COMPAT | UTF8PROC_COMPOSE |
                                                UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD |
                                                UTF8PROC_IGNORE);
  utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(clean.data()),
                                    static_cast<utf8proc_ssize_t>(clean.size()), &mapped, options);
  std::string folded;
  if (n >= 0 && mapped) folded.assign(reinterpret_cast<char*>(mapped), static_cast<size_t>(n));
  std::free(mapped);

  std::string out;
  bool pending_space = false;
  for_each_codepoint(folded, [&](utf8proc_int32_t cp, std::string_view bytes) {
    if (is_space(cp)) {
      pending_space = !out.empty();
      return;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out.append(bytes);
  });
  return out;
}

std::string fold_compact(std::string_view s) {
  std::string out;
  for_each_codepoint(fold(s), [&](utf8proc_int32_t cp, std::string_view bytes) {
    if (is_space(cp) || cp == '-' || cp == '\'' || cp == 0x2019 || cp == 0x2010 || cp == 0x2011)
      return;
    out.append(bytes);
  });
  return out;
}

std::string trim(std::string_view s) {
  std::string out;
  std::string pending;
  bool started = false;
  for_each_codepoint(s, [&](utf8proc_int32_t cp, std::string_view bytes) {
    if (is_space(cp)) {
      if (started) pending.append(bytes);
      return;
    }
    started = true;
    out += pending;
    pending.clear();
    out.append(bytes);
  });
  return out;
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  return out;
}

}  // namespace relais
