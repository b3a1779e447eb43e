#pragma once
// Unix times as text, in UTC: RFC 3339 for JSON ("2026-12-01T21:44:02Z")
// and a readable form for log lines ("2026-12-01 21:44:02 UTC").
#include <cstdint>
#include <string>

namespace rportd::util {

std::string rfc3339Utc(int64_t unixSeconds);
std::string readableUtc(int64_t unixSeconds);

}  // namespace rportd::util
