#pragma once
// The Date header value in IMF-fixdate form ("Sun, 06 Nov 1994 08:49:37 GMT").
#include <cstddef>
#include <ctime>
#include <string_view>

namespace rportd::http {

constexpr size_t kHttpDateLength = 29;

// Formats a UTC time; `out` receives exactly kHttpDateLength bytes (no NUL).
void formatHttpDate(std::time_t when, char* out);

// The current time, formatted at most once per second per thread: every
// response carries a Date, and formatting it per request would be waste.
// Valid until the calling thread asks again.
std::string_view currentHttpDate();

}  // namespace rportd::http
