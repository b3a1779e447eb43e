#pragma once
// Unix times as text, in UTC: RFC 3339 for JSON ("2026-12-01T21:44:02Z"),
// a readable form for log lines ("2026-12-01 21:44:02 UTC"), and the forms
// with nanoseconds the original writes: Go's RFC3339Nano in API answers and
// go-sqlite3's DATETIME text in its databases.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rportd::util {

std::string rfc3339Utc(int64_t unixSeconds);
std::string readableUtc(int64_t unixSeconds);

// Go's time.RFC3339Nano: fraction without trailing zeros, none when zero
// ("2026-12-01T23:39:52.023044122Z", "2026-12-01T23:39:52Z").
std::string rfc3339NanoUtc(int64_t unixNanos);
// go-sqlite3's text for a time.Time: "2026-12-01 23:39:52.023044122+00:00".
std::string sqliteTimeUtc(int64_t unixNanos);
// Reads any of those forms and what SQLite itself writes: date, ' ' or 'T',
// time, optional fraction (up to 9 digits used), optional 'Z' or +hh:mm.
// nullopt for anything else.
std::optional<int64_t> parseTimeText(std::string_view text);

}  // namespace rportd::util
