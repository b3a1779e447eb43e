#pragma once
// Durations written the way Go's time.ParseDuration reads them ("90s",
// "10m", "6h", "1h30m", "1.5h", "250ms"), because operators of the original
// rportd write them so.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rport::plugins::acme {

// Milliseconds (sub-millisecond parts are dropped), or nullopt when the text
// is not a duration. A plain "0" is zero; other numbers need a unit (ns, us,
// µs, ms, s, m, h). Negative durations are refused.
std::optional<int64_t> parseDuration(std::string_view text);

// The shortest exact form: "250ms", "45s", "10m", "1h30m", "6h".
std::string formatDuration(int64_t ms);

}  // namespace rport::plugins::acme
