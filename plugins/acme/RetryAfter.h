#pragma once
// Retry-After (RFC 9110 §10.2.3): delta-seconds or an HTTP-date. ACME
// servers send it with rate limits (RFC 8555 §6.6), on orders and
// authorizations still in progress (§7.4, §8.2) and with renewal information
// (RFC 9773 §4.3).
#include <cstdint>
#include <optional>
#include <string_view>

namespace rport::plugins::acme {

// Seconds to wait from nowUnix (0 for a date in the past), or nullopt when
// the header is absent or not understood.
std::optional<int64_t> parseRetryAfter(std::string_view value, int64_t nowUnix);

}  // namespace rport::plugins::acme
