#pragma once
// Wall-clock time as the plugin uses it: Unix milliseconds for plans and
// waits, Unix seconds for certificate validity, and the three text forms it
// meets (RFC 3339 in ACME bodies, HTTP dates in Retry-After, ISO 8601 UTC in
// log lines and status).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rport::plugins::acme {

int64_t nowMs();

// "2026-12-02T10:00:00Z"
std::string utcText(int64_t unixSeconds);

// RFC 3339 date-time ("2025-01-02T04:00:00Z", fractions and offsets such as
// "+02:00" allowed): Unix seconds (fractions dropped), or nullopt.
std::optional<int64_t> parseRfc3339(std::string_view text);

// An HTTP-date (RFC 9110 §5.6.7): IMF-fixdate ("Sun, 06 Nov 1994 08:49:37
// GMT"), and the obsolete RFC 850 and asctime forms recipients must accept.
std::optional<int64_t> parseHttpDate(std::string_view text);

// Seconds from Unix epoch for a broken-down UTC date; nullopt when a field is
// out of range.
std::optional<int64_t> unixFromUtc(int year, int month, int day, int hour, int minute, int second);

}  // namespace rport::plugins::acme
