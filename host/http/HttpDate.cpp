#include "http/HttpDate.h"

namespace rportd::http {

namespace {

void putTwoDigits(char* out, int value) {
    out[0] = static_cast<char>('0' + value / 10);
    out[1] = static_cast<char>('0' + value % 10);
}

}  // namespace

void formatHttpDate(std::time_t when, char* out) {
    // Written by hand rather than with strftime: the names must be English
    // whatever the process locale is.
    static const char kDays[] = "SunMonTueWedThuFriSat";
    static const char kMonths[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    std::tm t{};
    gmtime_r(&when, &t);
    char* p = out;
    for (int i = 0; i < 3; ++i) *p++ = kDays[t.tm_wday * 3 + i];
    *p++ = ',';
    *p++ = ' ';
    putTwoDigits(p, t.tm_mday);
    p += 2;
    *p++ = ' ';
    for (int i = 0; i < 3; ++i) *p++ = kMonths[t.tm_mon * 3 + i];
    *p++ = ' ';
    int year = (t.tm_year + 1900) % 10000;
    putTwoDigits(p, year / 100);
    putTwoDigits(p + 2, year % 100);
    p += 4;
    *p++ = ' ';
    putTwoDigits(p, t.tm_hour);
    p[2] = ':';
    putTwoDigits(p + 3, t.tm_min);
    p[5] = ':';
    putTwoDigits(p + 6, t.tm_sec);
    p += 8;
    *p++ = ' ';
    *p++ = 'G';
    *p++ = 'M';
    *p++ = 'T';
}

std::string_view currentHttpDate() {
    // Per thread, so no lock: each worker formats once per second.
    thread_local std::time_t cachedSecond = -1;
    thread_local char cached[kHttpDateLength];
    std::time_t now = std::time(nullptr);
    if (now != cachedSecond) {
        formatHttpDate(now, cached);
        cachedSecond = now;
    }
    return std::string_view(cached, kHttpDateLength);
}

}  // namespace rportd::http
