#pragma once
// Text quoted for people to read: Go's %q, which the original server used in
// messages users match on, and the form in which values a peer chose (a
// client-auth id, a client id, a protocol string) enter a log line. There,
// every byte outside printable ASCII is escaped and the value is cut at a
// bound, so a peer can neither forge log lines with a line break or a
// terminal control sequence nor fill the log with one value.
#include <string>
#include <string_view>

namespace rportd::util {

// Go's %q: quotes and backslashes escaped, control bytes as \a \b \f \n \r
// \t \v or \xNN; printable ASCII and UTF-8 sequences as they are.
std::string goQuote(std::string_view text);

// "abc" -> "\"abc\""; "a\nb" -> "\"a\\nb\""; bytes >= 0x80 as \xNN too;
// longer than maxBytes -> cut, "..." added after the closing quote.
std::string quotedForLog(std::string_view value, size_t maxBytes = 128);

}  // namespace rportd::util
