#include "RetryAfter.h"

#include "TimeText.h"

namespace rport::plugins::acme {

std::optional<int64_t> parseRetryAfter(std::string_view value, int64_t nowUnix) {
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
        value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    if (value.empty()) return std::nullopt;
    if (value.find_first_not_of("0123456789") == std::string_view::npos) {
        // Ten digits are more than 300 years: clamp instead of overflowing.
        if (value.size() > 10) return int64_t(9999999999);
        int64_t seconds = 0;
        for (char c : value) seconds = seconds * 10 + (c - '0');
        return seconds;
    }
    if (auto date = parseHttpDate(value)) return *date > nowUnix ? *date - nowUnix : 0;
    return std::nullopt;
}

}  // namespace rport::plugins::acme
