#pragma once
// Character classes and small text helpers from RFC 9110/9112 that the parser
// and the response writer share. ASCII only, no locale: header names and the
// tokens HTTP compares are defined over bytes.
#include <string>
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

// A quoted-string (RFC 9110 5.6.4) at the start of `text`: on success returns
// its length including both quotes; 0 if `text` does not start with a valid,
// closed quoted-string.
size_t quotedStringLength(std::string_view text);

// uri-host [ ":" port ] (RFC 3986 3.2.2-3.2.3) as it appears in the Host field
// and in the authority of an http(s) URI: an IP-literal in brackets or a
// reg-name (unreserved, sub-delims and %XX escapes; covers IPv4 addresses),
// then optionally a colon and decimal digits. No userinfo. `allowEmptyHost`:
// whether the host may be empty (a Host field may be, a URI's may not).
bool isValidHostPort(std::string_view text, bool allowEmptyHost);

// Decodes %XX escapes (RFC 3986 2.1); every other byte is copied as it is
// ('+' stays '+'). Returns false, leaving `out` unspecified, on a '%' that is
// not followed by two hexadecimal digits.
bool percentDecode(std::string_view text, std::string& out);

}  // namespace rportd::http
