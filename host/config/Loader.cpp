// Loading rportd.conf: file -> TOML -> typed Config (weak typing, key catalog) -> validate().
#include <fcntl.h>
#include <toml++/toml.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "config/Config.h"
#include "config/DeprecatedKeys.h"
#include "config/KeyCatalog.h"
#include "config/PluginTables.h"
#include "config/TableEntries.h"
#include "config/Text.h"

namespace rportd::config {
namespace {

std::string readWholeFile(const std::string& path) {
    auto fail = [&path](int error) {
        throw ConfigError("cannot read config file " + goQuote(path) + ": " + std::strerror(error));
    };
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) fail(errno);
    std::string text;
    char buffer[8192];
    while (true) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n == 0) break;
        if (n < 0) {
            if (errno == EINTR) continue;
            const int error = errno;  // e.g. EISDIR for a directory
            ::close(fd);
            fail(error);
        }
        text.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return text;
}

toml::table parseToml(const std::string& text, const std::string& sourceName) {
    try {
        return toml::parse(std::string_view(text), std::string_view(sourceName));
    } catch (const toml::parse_error& error) {
        const auto& begin = error.source().begin;
        throw ConfigError(std::string(error.description()),
                          SourcePosition{sourceName, static_cast<int>(begin.line),
                                         static_cast<int>(begin.column)});
    }
}

class Decoder {
public:
    Decoder(Config& config, std::vector<std::string>& warnings)
        : _config(config), _warnings(warnings) {}

    void decode(const toml::table& root) {
        for (const auto& section : tableEntries(root, "", _config.source.name)) {
            if (section.name == "plugins") {
                _plugins.decodePluginsSection(section, _config, _warnings);
            } else if (section.name == "plugin") {
                _plugins.decodeSettingsTables(section);
            } else if (const auto* spec = findSection(section.name)) {
                decodeKnownSection(*spec, section);
            } else if (section.value->is_table()) {
                warn(section.where, "[" + section.written + "]", "unknown section, ignored");
            } else {
                warn(section.where, section.written, "key outside of any section, ignored");
            }
        }
        _plugins.applyTo(_config, _warnings);
        _deprecated.applyTo(_config, _warnings);
    }

private:
    void decodeKnownSection(const SectionSpec& spec, const TableEntry& section) {
        const std::string sectionLabel = "[" + section.name + "]";
        const auto* table = section.value->as_table();
        if (!table) {
            // A section we would ignore anyway is not worth stopping for.
            if (!spec.supported) {
                warn(section.where, sectionLabel,
                     "expected a table; not supported by this "
                     "rportd yet, ignored");
                return;
            }
            throw ConfigError(
                sectionLabel + ": expected a table, got " + describeValue(*section.value),
                section.where);
        }
        for (const auto& entry : tableEntries(*table, sectionLabel, _config.source.name)) {
            const KeyLabel label{sectionLabel + " " + entry.name, entry.where};
            const KeySpec* key = findKey(spec, entry.name);
            if (!key) {
                warn(entry.where, label.text, "unknown key, ignored");
            } else if (key->kind == KeyKind::Unsupported) {
                warn(entry.where, label.text, "not supported by this rportd yet, ignored");
            } else if (key->kind == KeyKind::Deprecated) {
                _deprecated.decode(entry.name, *entry.value, label);
            } else {
                key->apply(_config, *entry.value, label);
                _config.source.key_lines[section.name + "." + entry.name] = entry.where.line;
            }
        }
    }

    void warn(const SourcePosition& where, const std::string& subject, const std::string& text) {
        _warnings.push_back(warningAt(where, subject, text));
    }

    Config& _config;
    std::vector<std::string>& _warnings;
    PluginTables _plugins;
    DeprecatedKeys _deprecated;
};

}  // namespace

Config decodeConfigText(const std::string& text, const std::string& sourceName,
                        std::vector<std::string>& warnings) {
    const toml::table root = parseToml(text, sourceName);
    Config config;
    config.source.name = sourceName;
    Decoder(config, warnings).decode(root);
    return config;
}

Config loadConfigText(const std::string& text, const std::string& sourceName,
                      std::vector<std::string>& warnings) {
    Config config = decodeConfigText(text, sourceName, warnings);
    validate(config, warnings);
    return config;
}

Config loadConfigFile(const std::string& path, std::vector<std::string>& warnings) {
    return loadConfigText(readWholeFile(path), path, warnings);
}

}  // namespace rportd::config
