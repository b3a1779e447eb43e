#pragma once
// Go-style durations ("90s", "1h30m", "1.5h", "300ms"), because rportd.conf
// files written for the original server use Go's time.ParseDuration syntax.
#include <chrono>
#include <stdexcept>
#include <string>
#include <string_view>

namespace rportd::config {

using Duration = std::chrono::nanoseconds;

class DurationSyntaxError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

// Accepts an optional sign, then one or more <number><unit> pairs with units
// ns, us (also µs/μs), ms, s, m, h; "0" alone is also accepted.
// Throws DurationSyntaxError with a reason such as `unknown unit "d"`.
Duration parseGoDuration(std::string_view text);

// Renders like Go's Duration.String(): "0s", "300ms", "1m30s", "168h0m0s".
std::string formatGoDuration(Duration value);

}  // namespace rportd::config
