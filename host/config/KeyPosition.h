#pragma once
// Finds where a key was written, so validation errors can start with file:line.
#include <string>

#include "config/Config.h"
#include "config/ConfigError.h"

namespace rportd::config {

// `dottedKey` is "section.key" in lower case, e.g. "server.auth". Line 0 when
// the key was not in the source (a default, or a hand-built Config).
SourcePosition positionOf(const ConfigSource& source, const std::string& dottedKey);

// Throws ConfigError(message) located at the key.
[[noreturn]] void failAt(const Config& config, const std::string& dottedKey,
                         const std::string& message);

}  // namespace rportd::config
