#include "util/TimeText.h"

#include <ctime>

namespace rportd::util {

namespace {

constexpr int64_t kNanosPerSecond = 1000000000;

std::string format(int64_t unixSeconds, const char* pattern) {
    std::time_t t = static_cast<std::time_t>(unixSeconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char text[40];
    std::strftime(text, sizeof text, pattern, &tm);
    return text;
}

// Seconds rounded towards the past, so that times before 1970 keep a
// fraction in [0, 1e9).
void split(int64_t unixNanos, int64_t& seconds, int64_t& nanos) {
    seconds = unixNanos / kNanosPerSecond;
    nanos = unixNanos % kNanosPerSecond;
    if (nanos < 0) {
        nanos += kNanosPerSecond;
        --seconds;
    }
}

std::string nineDigits(int64_t nanos) {
    std::string digits = std::to_string(nanos);
    return std::string(9 - digits.size(), '0') + digits;
}

bool digitsAt(std::string_view s, size_t at, size_t count, int& out) {
    if (at + count > s.size()) return false;
    out = 0;
    for (size_t k = 0; k < count; ++k) {
        char c = s[at + k];
        if (c < '0' || c > '9') return false;
        out = out * 10 + (c - '0');
    }
    return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
// days_from_civil), so that no time zone state is involved.
int64_t daysFromCivil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

}  // namespace

std::string rfc3339Utc(int64_t unixSeconds) { return format(unixSeconds, "%Y-%m-%dT%H:%M:%SZ"); }

std::string readableUtc(int64_t unixSeconds) {
    return format(unixSeconds, "%Y-%m-%d %H:%M:%S UTC");
}

std::string rfc3339NanoUtc(int64_t unixNanos) {
    int64_t seconds, nanos;
    split(unixNanos, seconds, nanos);
    std::string out = format(seconds, "%Y-%m-%dT%H:%M:%S");
    if (nanos != 0) {
        std::string fraction = nineDigits(nanos);
        fraction.erase(fraction.find_last_not_of('0') + 1);
        out += "." + fraction;
    }
    return out + "Z";
}

std::string sqliteTimeUtc(int64_t unixNanos) {
    int64_t seconds, nanos;
    split(unixNanos, seconds, nanos);
    std::string out = format(seconds, "%Y-%m-%d %H:%M:%S");
    if (nanos != 0) {
        std::string fraction = nineDigits(nanos);
        fraction.erase(fraction.find_last_not_of('0') + 1);
        out += "." + fraction;
    }
    return out + "+00:00";
}

std::optional<int64_t> parseTimeText(std::string_view s) {
    int year, month, day, hour, minute, second;
    if (!digitsAt(s, 0, 4, year) || s.size() < 19 || s[4] != '-' || !digitsAt(s, 5, 2, month) ||
        s[7] != '-' || !digitsAt(s, 8, 2, day) || (s[10] != ' ' && s[10] != 'T') ||
        !digitsAt(s, 11, 2, hour) || s[13] != ':' || !digitsAt(s, 14, 2, minute) || s[16] != ':' ||
        !digitsAt(s, 17, 2, second))
        return std::nullopt;
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
        return std::nullopt;
    size_t i = 19;
    int64_t nanos = 0;
    if (i < s.size() && s[i] == '.') {
        ++i;
        size_t digits = 0;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
            if (digits < 9) nanos = nanos * 10 + (s[i] - '0');
            ++digits;
            ++i;
        }
        if (digits == 0) return std::nullopt;
        for (size_t k = digits; k < 9; ++k) nanos *= 10;
    }
    int64_t offsetSeconds = 0;
    if (i < s.size()) {
        if (s[i] == 'Z' && i + 1 == s.size()) {
            ++i;
        } else if ((s[i] == '+' || s[i] == '-') && i + 6 == s.size() && s[i + 3] == ':') {
            int oh, om;
            if (!digitsAt(s, i + 1, 2, oh) || !digitsAt(s, i + 4, 2, om)) return std::nullopt;
            offsetSeconds = (oh * 3600 + om * 60) * (s[i] == '+' ? 1 : -1);
            i = s.size();
        } else {
            return std::nullopt;
        }
    }
    int64_t seconds =
        daysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 +
        hour * 3600 + minute * 60 + second - offsetSeconds;
    return seconds * kNanosPerSecond + nanos;
}

}  // namespace rportd::util
