#include "config/ConfigError.h"

namespace rportd::config {
std::string singleLine(std::string text) {
    for (char& c : text) {
        if (c == '\n' || c == '\r') c = ' ';
    }
    return text;
}

std::string positionPrefix(const SourcePosition& where) {
    if (where.line <= 0) return {};
    std::string prefix = where.file + ":" + std::to_string(where.line);
    if (where.column > 0) prefix += ":" + std::to_string(where.column);
    return prefix + ": ";
}

ConfigError::ConfigError(const std::string& message)
    : std::runtime_error(singleLine(message)), _message(singleLine(message)) {}

ConfigError::ConfigError(const std::string& message, const SourcePosition& where)
    : std::runtime_error(singleLine(positionPrefix(where) + message)),
      _message(singleLine(message)),
      _where(where) {}

}  // namespace rportd::config
