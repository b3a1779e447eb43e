#include "util/TimeText.h"

#include <ctime>

namespace rportd::util {

namespace {

std::string format(int64_t unixSeconds, const char* pattern) {
    std::time_t t = static_cast<std::time_t>(unixSeconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char text[40];
    std::strftime(text, sizeof text, pattern, &tm);
    return text;
}

}  // namespace

std::string rfc3339Utc(int64_t unixSeconds) { return format(unixSeconds, "%Y-%m-%dT%H:%M:%SZ"); }

std::string readableUtc(int64_t unixSeconds) {
    return format(unixSeconds, "%Y-%m-%d %H:%M:%S UTC");
}

}  // namespace rportd::util
