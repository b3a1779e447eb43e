#pragma once
// Character classes and small text helpers from RFC 9110/9112 that the parser
// and the response writer share. ASCII only, no locale: header names and the
// tokens HTTP compares are defined over bytes.
#include <string_view>

namespace rportd::http {

// tchar: the characters allowed in a method or a header field name.
bool isTokenChar(char c);
bool isToken(std::string_view text);

// A byte allowed inside a field value: visible ASCII, SP, HTAB and obs-text
// (0x80-0xFF); no other control characters (CR, LF and NUL in particular).
bool isFieldValueChar(char c);

inline bool isOws(char c) { return c == ' ' || c == '\t'; }
std::string_view trimOws(std::string_view text);

bool equalsIgnoreCase(std::string_view a, std::string_view b);

// Whether a comma-separated field value (e.g. Connection: "keep-alive, Upgrade")
// contains the token, compared case-insensitively.
bool listContainsToken(std::string_view list, std::string_view token);

}  // namespace rportd::http
