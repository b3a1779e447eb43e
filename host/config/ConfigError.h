#pragma once
// The one exception type of the config module: a single line that names the
// file position (when known) and the key, so `rportd` can print it as is.
#include <stdexcept>
#include <string>

namespace rportd::config {

// Where something sits in a config source. line/column are 1-based; 0 = unknown.
struct SourcePosition {
    std::string file;
    int line = 0;
    int column = 0;
};

class ConfigError : public std::runtime_error {
public:
    explicit ConfigError(const std::string& message);
    ConfigError(const std::string& message, const SourcePosition& where);

    // The text without the "file:line: " prefix.
    const std::string& message() const { return _message; }
    const SourcePosition& where() const { return _where; }

private:
    std::string _message;
    SourcePosition _where;
};

// The text with its line breaks made spaces. Messages and warnings stay one
// line each even when they quote a parser description that spans several or
// a key whose quoted name has a line break in it ("a\nb" = 1), which would
// otherwise start a line of its own in the log.
std::string singleLine(std::string text);

// "file:line: " or "file:line:column: ", or "" when the line is unknown.
std::string positionPrefix(const SourcePosition& where);

}  // namespace rportd::config
