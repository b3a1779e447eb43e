#include "config/ValueDecoding.h"

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <sstream>

#include "config/Text.h"

namespace rportd::config {
namespace {

[[noreturn]] void fail(const KeyLabel& label, const std::string& reason) {
    throw ConfigError(label.text + ": " + reason, label.where);
}

[[noreturn]] void wrongType(const KeyLabel& label, const std::string& expected,
                            const toml::node& value) {
    fail(label, "expected " + expected + ", got " + describeValue(value));
}

std::string formatFloat(double number) {
    if (std::isnan(number)) return "nan";
    if (std::isinf(number)) return number < 0 ? "-inf" : "inf";
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, number);
    std::string text(buffer, result.ptr);
    // Keep it recognisable as a float: 2.0 stays "2.0", not "2".
    if (text.find_first_of(".e") == std::string::npos) text += ".0";
    return text;
}

// Decimal integer with optional sign; the whole text must be consumed.
bool parseWholeInteger(const std::string& text, std::int64_t& out) {
    if (text.empty()) return false;
    const char* begin = text.c_str();
    if (*begin == '+') ++begin;
    const char* end = text.c_str() + text.size();
    const auto result = std::from_chars(begin, end, out);
    return result.ec == std::errc() && result.ptr == end;
}

bool parseWholeFloat(const std::string& text, double& out) {
    if (text.empty() || std::isspace(static_cast<unsigned char>(text[0]))) return false;
    errno = 0;
    char* end = nullptr;
    out = std::strtod(text.c_str(), &end);
    return errno == 0 && end == text.c_str() + text.size();
}

std::int64_t decodeInteger(const toml::node& value, const KeyLabel& label, std::int64_t lowest,
                           std::int64_t highest) {
    std::int64_t number = 0;
    if (const auto* integer = value.as_integer()) {
        number = integer->get();
    } else if (const auto* floating = value.as_floating_point()) {
        const double d = floating->get();
        // A whole float (3.0) is a fine integer; 2.5 is a mistake worth reporting.
        if (!std::isfinite(d) || std::floor(d) != d || std::fabs(d) > 9.0e18)
            wrongType(label, "an integer", value);
        number = static_cast<std::int64_t>(d);
    } else if (const auto* text = value.as_string()) {
        // Weak typing: an empty string is zero, a numeric string is its number.
        if (!text->get().empty() && !parseWholeInteger(text->get(), number))
            wrongType(label, "an integer", value);
    } else {
        wrongType(label, "an integer", value);
    }
    if (number < lowest || number > highest)
        fail(label, std::to_string(number) + " is out of range (" + std::to_string(lowest) + ".." +
                        std::to_string(highest) + ")");
    return number;
}

}  // namespace

std::string describeValue(const toml::node& value) {
    switch (value.type()) {
        case toml::node_type::string:
            return "string " + goQuote(*value.value<std::string>());
        case toml::node_type::integer:
            return "integer " + std::to_string(*value.value<std::int64_t>());
        case toml::node_type::floating_point:
            return "float " + formatFloat(*value.value<double>());
        case toml::node_type::boolean:
            return std::string("boolean ") + (*value.value<bool>() ? "true" : "false");
        case toml::node_type::array:
            return "an array";
        case toml::node_type::table:
            return "a table";
        case toml::node_type::date:
            return "a date";
        case toml::node_type::time:
            return "a time";
        case toml::node_type::date_time:
            return "a date-time";
        case toml::node_type::none:
            break;
    }
    return "nothing";
}

bool scalarToText(const toml::node& value, std::string& text) {
    switch (value.type()) {
        case toml::node_type::string:
            text = *value.value<std::string>();
            return true;
        case toml::node_type::integer:
            text = std::to_string(*value.value<std::int64_t>());
            return true;
        case toml::node_type::floating_point:
            text = formatFloat(*value.value<double>());
            return true;
        case toml::node_type::boolean:
            text = *value.value<bool>() ? "true" : "false";
            return true;
        case toml::node_type::date:
        case toml::node_type::time:
        case toml::node_type::date_time: {
            std::ostringstream out;
            value.visit([&out](const auto& node) { out << node; });
            text = out.str();
            return true;
        }
        default:
            return false;
    }
}

void decodeInto(const toml::node& value, const KeyLabel& label, std::string& out) {
    if (value.is_array() || value.is_table()) wrongType(label, "a string", value);
    scalarToText(value, out);
}

void decodeInto(const toml::node& value, const KeyLabel& label, bool& out) {
    if (const auto* flag = value.as_boolean()) {
        out = flag->get();
        return;
    }
    if (const auto* text = value.as_string()) {
        // The spellings Go's strconv.ParseBool accepts; "" is false under weak typing.
        const std::string& s = text->get();
        if (s == "true" || s == "True" || s == "TRUE" || s == "t" || s == "T" || s == "1") {
            out = true;
            return;
        }
        if (s.empty() || s == "false" || s == "False" || s == "FALSE" || s == "f" || s == "F" ||
            s == "0") {
            out = false;
            return;
        }
    }
    if (const auto* integer = value.as_integer();
        integer && (integer->get() == 0 || integer->get() == 1)) {
        out = integer->get() == 1;
        return;
    }
    wrongType(label, "a boolean", value);
}

void decodeInto(const toml::node& value, const KeyLabel& label, int& out) {
    out = static_cast<int>(decodeInteger(value, label, std::numeric_limits<int>::min(),
                                         std::numeric_limits<int>::max()));
}

void decodeInto(const toml::node& value, const KeyLabel& label, std::int64_t& out) {
    out = decodeInteger(value, label, std::numeric_limits<std::int64_t>::min(),
                        std::numeric_limits<std::int64_t>::max());
}

void decodeInto(const toml::node& value, const KeyLabel& label, double& out) {
    if (const auto* floating = value.as_floating_point()) {
        out = floating->get();
    } else if (const auto* integer = value.as_integer()) {
        out = static_cast<double>(integer->get());
    } else if (const auto* text = value.as_string()) {
        out = 0;
        if (!text->get().empty() && !parseWholeFloat(text->get(), out))
            wrongType(label, "a number", value);
    } else {
        wrongType(label, "a number", value);
    }
}

void decodeInto(const toml::node& value, const KeyLabel& label, Duration& out) {
    if (const auto* integer = value.as_integer()) {
        out = Duration(integer->get());  // a bare number counts nanoseconds, as in Go
        return;
    }
    if (const auto* text = value.as_string()) {
        try {
            out = parseGoDuration(text->get());
        } catch (const DurationSyntaxError& error) {
            fail(label,
                 std::string(error.what()) + " (expected e.g. \"90s\", \"5m\" or \"1h30m\")");
        }
        return;
    }
    wrongType(label, "a duration such as \"90s\"", value);
}

void decodeInto(const toml::node& value, const KeyLabel& label, WrittenDuration& out) {
    decodeInto(value, label, out.value);
    const auto* text = value.as_string();
    out.text = text ? text->get() : formatGoDuration(out.value);
}

void decodeInto(const toml::node& value, const KeyLabel& label, std::vector<std::string>& out) {
    if (const auto* text = value.as_string()) {
        // Weak typing: "a,b" or "[a, b]" in one string is a list too.
        std::string body = text->get();
        if (!body.empty() && body.front() == '[') body.erase(0, 1);
        if (!body.empty() && body.back() == ']') body.pop_back();
        if (trimBlanks(body).empty()) {
            out.clear();
            return;
        }
        try {
            out = splitCsvRecord(body);
        } catch (const std::invalid_argument& error) {
            fail(label, "cannot split " + goQuote(text->get()) + " at commas: " + error.what());
        }
        return;
    }
    const auto* array = value.as_array();
    if (!array) wrongType(label, "a list of strings", value);
    std::vector<std::string> items;
    for (const auto& element : *array) {
        std::string item;
        if (!scalarToText(element, item))
            fail(label,
                 "expected a list of strings, got an array containing " + describeValue(element));
        items.push_back(item);
    }
    out = std::move(items);
}

void decodeInto(const toml::node& value, const KeyLabel& label, LogLevel& out) {
    const auto* text = value.as_string();
    if (!text) wrongType(label, "a string", value);
    const auto level = parseLogLevel(text->get());
    if (!level) fail(label, "invalid log level: " + goQuote(text->get()));
    out = *level;
}

}  // namespace rportd::config
