#include "Duration.h"

namespace rport::plugins::acme {
namespace {

// Nanoseconds per unit.
std::optional<double> unitNanos(std::string_view unit) {
    if (unit == "ns") return 1.0;
    if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs") return 1e3;
    if (unit == "ms") return 1e6;
    if (unit == "s") return 1e9;
    if (unit == "m") return 60e9;
    if (unit == "h") return 3600e9;
    return std::nullopt;
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::optional<int64_t> parseDuration(std::string_view text) {
    if (text.empty()) return std::nullopt;
    if (text.front() == '+') text.remove_prefix(1);
    if (text == "0") return 0;
    if (text.empty()) return std::nullopt;
    double totalNanos = 0;
    while (!text.empty()) {
        size_t i = 0;
        while (i < text.size() && isDigit(text[i])) ++i;
        const size_t whole = i;
        size_t fractionDigits = 0;
        if (i < text.size() && text[i] == '.') {
            ++i;
            while (i < text.size() && isDigit(text[i])) ++i, ++fractionDigits;
        }
        if (whole == 0 && fractionDigits == 0) return std::nullopt;
        const double number = std::stod(std::string(text.substr(0, i)));
        size_t j = i;
        while (j < text.size() && !isDigit(text[j]) && text[j] != '.') ++j;
        const auto nanos = unitNanos(text.substr(i, j - i));
        if (!nanos) return std::nullopt;
        totalNanos += number * *nanos;
        if (totalNanos > 9.2e18) return std::nullopt;  // beyond int64 nanoseconds, as Go says
        text.remove_prefix(j);
    }
    return static_cast<int64_t>(totalNanos / 1e6);
}

std::string formatDuration(int64_t ms) {
    if (ms <= 0) return "0s";
    if (ms % 1000 != 0) return std::to_string(ms) + "ms";
    int64_t s = ms / 1000;
    std::string out;
    if (s >= 3600) {
        out += std::to_string(s / 3600) + "h";
        s %= 3600;
    }
    if (s >= 60) {
        out += std::to_string(s / 60) + "m";
        s %= 60;
    }
    if (s > 0) out += std::to_string(s) + "s";
    return out;
}

}  // namespace rport::plugins::acme
