#include "TimeText.h"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <vector>

namespace rport::plugins::acme {
namespace {

bool digits(std::string_view s, size_t pos, size_t count, int& out) {
    if (pos + count > s.size()) return false;
    int v = 0;
    for (size_t i = pos; i < pos + count; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (s[i] - '0');
    }
    out = v;
    return true;
}

int monthFromName(std::string_view name) {
    static const char* const names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (int i = 0; i < 12; ++i)
        if (name == names[i]) return i + 1;
    return 0;
}

// Splits on spaces, dropping empty fields (asctime pads the day with a space).
std::vector<std::string_view> fields(std::string_view s) {
    std::vector<std::string_view> out;
    size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && s[i] == ' ') ++i;
        size_t j = i;
        while (j < s.size() && s[j] != ' ') ++j;
        if (j > i) out.push_back(s.substr(i, j - i));
        i = j;
    }
    return out;
}

bool clock(std::string_view s, int& h, int& m, int& sec) {
    return s.size() == 8 && s[2] == ':' && s[5] == ':' && digits(s, 0, 2, h) &&
           digits(s, 3, 2, m) && digits(s, 6, 2, sec);
}

}  // namespace

int64_t nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string utcText(int64_t unixSeconds) {
    const time_t t = static_cast<time_t>(unixSeconds);
    struct tm tm {};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::optional<int64_t> unixFromUtc(int year, int month, int day, int hour, int minute, int second) {
    if (year < 1970 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 ||
        minute > 59 || second > 60)
        return std::nullopt;
    struct tm tm {};
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    tm.tm_sec = second == 60 ? 59 : second;  // a leap second counts as the second before
    return static_cast<int64_t>(timegm(&tm));
}

std::optional<int64_t> parseRfc3339(std::string_view s) {
    int year, month, day, hour, minute, second;
    if (s.size() < 20 || !digits(s, 0, 4, year) || s[4] != '-' || !digits(s, 5, 2, month) ||
        s[7] != '-' || !digits(s, 8, 2, day) || (s[10] != 'T' && s[10] != 't') ||
        !digits(s, 11, 2, hour) || s[13] != ':' || !digits(s, 14, 2, minute) || s[16] != ':' ||
        !digits(s, 17, 2, second))
        return std::nullopt;
    size_t pos = 19;
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        const size_t start = pos;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
        if (pos == start) return std::nullopt;
    }
    auto base = unixFromUtc(year, month, day, hour, minute, second);
    if (!base || pos >= s.size()) return std::nullopt;
    if ((s[pos] == 'Z' || s[pos] == 'z') && pos + 1 == s.size()) return base;
    int oh, om;
    if ((s[pos] == '+' || s[pos] == '-') && pos + 6 == s.size() && digits(s, pos + 1, 2, oh) &&
        s[pos + 3] == ':' && digits(s, pos + 4, 2, om)) {
        const int64_t offset = (oh * 60 + om) * 60;
        return s[pos] == '+' ? *base - offset : *base + offset;
    }
    return std::nullopt;
}

std::optional<int64_t> parseHttpDate(std::string_view s) {
    const auto f = fields(s);
    int h, m, sec, day, year;
    // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
    if (f.size() == 6 && f[0].size() == 4 && f[0][3] == ',' && f[5] == "GMT" && f[1].size() == 2 &&
        digits(f[1], 0, 2, day) && f[3].size() == 4 && digits(f[3], 0, 4, year) &&
        clock(f[4], h, m, sec)) {
        const int month = monthFromName(f[2]);
        return month ? unixFromUtc(year, month, day, h, m, sec) : std::nullopt;
    }
    // RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT"; two-digit years are taken
    // within 50 years of now, as RFC 9110 asks (all of them after 1970 here).
    if (f.size() == 4 && f[0].size() > 1 && f[0].back() == ',' && f[3] == "GMT" &&
        f[1].size() == 9 && f[1][2] == '-' && f[1][6] == '-' && digits(f[1], 0, 2, day) &&
        digits(f[1], 7, 2, year) && clock(f[2], h, m, sec)) {
        const int month = monthFromName(f[1].substr(3, 3));
        if (!month) return std::nullopt;
        const time_t now = time(nullptr);
        struct tm tm {};
        gmtime_r(&now, &tm);
        const int thisYear = tm.tm_year + 1900;
        int full = thisYear - thisYear % 100 + year;
        if (full > thisYear + 50) full -= 100;
        return unixFromUtc(full, month, day, h, m, sec);
    }
    // asctime: "Sun Nov  6 08:49:37 1994"
    if (f.size() == 5 && f[0].size() == 3 && f[2].size() <= 2 &&
        digits(f[2], 0, f[2].size(), day) && f[4].size() == 4 && digits(f[4], 0, 4, year) &&
        clock(f[3], h, m, sec)) {
        const int month = monthFromName(f[1]);
        return month ? unixFromUtc(year, month, day, h, m, sec) : std::nullopt;
    }
    return std::nullopt;
}

}  // namespace rport::plugins::acme
