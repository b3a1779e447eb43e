#include "config/Duration.h"

#include <cstdint>
#include <limits>

#include "config/Text.h"

namespace rportd::config {
namespace {

constexpr std::uint64_t kLimit = std::uint64_t{1} << 63;  // one past the largest positive value

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// Nanoseconds per unit; 0 when the unit is not known.
std::uint64_t unitInNanoseconds(std::string_view unit) {
    if (unit == "ns") return 1;
    if (unit == "us" || unit == "\xC2\xB5s" /* µ */ || unit == "\xCE\xBCs" /* μ */) return 1000;
    if (unit == "ms") return 1000 * 1000;
    if (unit == "s") return 1000 * 1000 * 1000;
    if (unit == "m") return std::uint64_t{60} * 1000 * 1000 * 1000;
    if (unit == "h") return std::uint64_t{3600} * 1000 * 1000 * 1000;
    return 0;
}

[[noreturn]] void reject(std::string_view whole) {
    throw DurationSyntaxError("invalid duration " + goQuote(whole));
}

// Appends the digits of `value` in decimal.
std::string digits(std::uint64_t value) { return std::to_string(value); }

// Writes `value` / 10^precision as a decimal fraction without trailing zeros;
// returns the integer part. Mirrors how Go prints sub-unit parts.
std::uint64_t splitFraction(std::uint64_t value, int precision, std::string& fraction) {
    std::string reversed;
    bool significant = false;
    for (int i = 0; i < precision; ++i) {
        const auto digit = value % 10;
        significant = significant || digit != 0;
        if (significant) reversed += static_cast<char>('0' + digit);
        value /= 10;
    }
    fraction.clear();
    if (significant) fraction = "." + std::string(reversed.rbegin(), reversed.rend());
    return value;
}

}  // namespace

Duration parseGoDuration(std::string_view text) {
    const std::string_view whole = text;
    bool negative = false;
    if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
        negative = text.front() == '-';
        text.remove_prefix(1);
    }
    if (text == "0") return Duration(0);
    if (text.empty()) reject(whole);

    std::uint64_t total = 0;
    while (!text.empty()) {
        if (!(text.front() == '.' || isDigit(text.front()))) reject(whole);

        std::uint64_t integerPart = 0;
        bool haveInteger = false;
        while (!text.empty() && isDigit(text.front())) {
            const auto digit = static_cast<std::uint64_t>(text.front() - '0');
            if (integerPart > (kLimit - 1 - digit) / 10) reject(whole);  // overflow
            integerPart = integerPart * 10 + digit;
            haveInteger = true;
            text.remove_prefix(1);
        }

        std::uint64_t fractionPart = 0;
        double fractionScale = 1;
        bool haveFraction = false;
        if (!text.empty() && text.front() == '.') {
            text.remove_prefix(1);
            bool saturated = false;
            while (!text.empty() && isDigit(text.front())) {
                const auto digit = static_cast<std::uint64_t>(text.front() - '0');
                // Digits beyond what 63 bits can hold cannot change the result.
                if (!saturated && fractionPart <= (kLimit - 1 - digit) / 10) {
                    fractionPart = fractionPart * 10 + digit;
                    fractionScale *= 10;
                } else {
                    saturated = true;
                }
                haveFraction = true;
                text.remove_prefix(1);
            }
        }
        if (!haveInteger && !haveFraction) reject(whole);

        std::size_t unitLength = 0;
        while (unitLength < text.size() && text[unitLength] != '.' && !isDigit(text[unitLength]))
            ++unitLength;
        if (unitLength == 0)
            throw DurationSyntaxError("missing unit in duration " + goQuote(whole));
        const std::string_view unitName = text.substr(0, unitLength);
        text.remove_prefix(unitLength);
        const std::uint64_t unit = unitInNanoseconds(unitName);
        if (unit == 0)
            throw DurationSyntaxError("unknown unit " + goQuote(unitName) + " in duration " +
                                      goQuote(whole));

        if (integerPart > kLimit / unit) reject(whole);
        std::uint64_t part = integerPart * unit;
        if (fractionPart > 0) {
            part += static_cast<std::uint64_t>(static_cast<double>(fractionPart) *
                                               (static_cast<double>(unit) / fractionScale));
            if (part > kLimit) reject(whole);
        }
        total += part;
        if (total > kLimit) reject(whole);
    }
    if (negative) {
        if (total == kLimit) return Duration(std::numeric_limits<std::int64_t>::min());
        return Duration(-static_cast<std::int64_t>(total));
    }
    if (total > kLimit - 1) reject(whole);
    return Duration(static_cast<std::int64_t>(total));
}

std::string formatGoDuration(Duration value) {
    const std::int64_t count = value.count();
    if (count == 0) return "0s";
    const bool negative = count < 0;
    // Unsigned negation is well defined even for the most negative value.
    std::uint64_t magnitude = negative ? std::uint64_t{0} - static_cast<std::uint64_t>(count)
                                       : static_cast<std::uint64_t>(count);
    std::string out;
    std::string fraction;
    if (magnitude < 1000ULL * 1000 * 1000) {
        int precision = 0;
        std::string unit;
        if (magnitude < 1000) {
            unit = "ns";
        } else if (magnitude < 1000 * 1000) {
            precision = 3;
            unit = "\xC2\xB5s";  // Go prints the micro sign
        } else {
            precision = 6;
            unit = "ms";
        }
        const auto whole = splitFraction(magnitude, precision, fraction);
        out = digits(whole) + fraction + unit;
    } else {
        const auto seconds = splitFraction(magnitude, 9, fraction);
        out = digits(seconds % 60) + fraction + "s";
        const auto minutes = seconds / 60;
        if (minutes > 0) {
            out = digits(minutes % 60) + "m" + out;
            const auto hours = minutes / 60;
            if (hours > 0) out = digits(hours) + "h" + out;
        }
    }
    return negative ? "-" + out : out;
}

}  // namespace rportd::config
