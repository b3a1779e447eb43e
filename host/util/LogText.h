#pragma once
// Values a peer chose (a client-auth id, a client id, a protocol string) on
// their way into a log line: quoted, with every byte outside printable
// ASCII, the quote and the backslash escaped, and cut at a bound. A peer can
// then neither forge log lines with a newline nor fill the log with one id.
#include <string>
#include <string_view>

namespace rportd::util {

// "abc" -> "\"abc\""; "a\nb" -> "\"a\\nb\""; longer than maxBytes -> cut, "..." added.
std::string quotedForLog(std::string_view value, size_t maxBytes = 128);

}  // namespace rportd::util
