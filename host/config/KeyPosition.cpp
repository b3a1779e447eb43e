#include "config/KeyPosition.h"

namespace rportd::config {

SourcePosition positionOf(const ConfigSource& source, const std::string& dottedKey) {
    SourcePosition where;
    where.file = source.name;
    if (const auto found = source.key_lines.find(dottedKey); found != source.key_lines.end())
        where.line = found->second;
    return where;
}

void failAt(const Config& config, const std::string& dottedKey, const std::string& message) {
    throw ConfigError(message, positionOf(config.source, dottedKey));
}

}  // namespace rportd::config
