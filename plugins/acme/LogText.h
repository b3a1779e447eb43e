#pragma once
// Text from the network (problem details, URLs, headers) on its way into a
// log line or a status report: control characters become visible escapes so
// that a hostile or broken server cannot forge log lines or garble a
// terminal, and overlong text is cut.
#include <string>
#include <string_view>

namespace rport::plugins::acme {

// Control characters (and DEL) as \xNN, at most maxBytes of the input kept
// ("…" marks a cut).
std::string printable(std::string_view text, size_t maxBytes = 512);

}  // namespace rport::plugins::acme
