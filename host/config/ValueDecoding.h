#pragma once
// Turns one TOML value into one C++ field, with the original server's weak
// typing: "true" for a bool, "42" for a number, "a,b" for a list of strings.
// Every failure is a ConfigError that names the key and its line.
#include <toml++/toml.h>

#include <cstdint>
#include <string>
#include <vector>

#include "config/Config.h"
#include "config/ConfigError.h"

namespace rportd::config {

// How a key is named in messages ("[server] ban_time") and where it was written.
struct KeyLabel {
    std::string text;
    SourcePosition where;
};

// "string \"abc\"", "integer 5", "boolean true", "array", "table", ...
std::string describeValue(const toml::node& value);

// Text of a scalar as written in TOML terms: strings as they are, numbers in
// decimal, booleans as true/false, dates/times in TOML form. False for arrays/tables.
bool scalarToText(const toml::node& value, std::string& text);

void decodeInto(const toml::node& value, const KeyLabel& label, std::string& out);
void decodeInto(const toml::node& value, const KeyLabel& label, bool& out);
void decodeInto(const toml::node& value, const KeyLabel& label, int& out);
void decodeInto(const toml::node& value, const KeyLabel& label, std::int64_t& out);
void decodeInto(const toml::node& value, const KeyLabel& label, double& out);
void decodeInto(const toml::node& value, const KeyLabel& label, Duration& out);
// As Duration; the text is the string as written, or Go's rendering of a bare
// number of nanoseconds ("1m0s").
void decodeInto(const toml::node& value, const KeyLabel& label, WrittenDuration& out);
void decodeInto(const toml::node& value, const KeyLabel& label, std::vector<std::string>& out);
void decodeInto(const toml::node& value, const KeyLabel& label, LogLevel& out);

}  // namespace rportd::config
