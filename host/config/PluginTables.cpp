#include "config/PluginTables.h"

#include <set>

#include "config/PluginSelection.h"
#include "config/Text.h"
#include "config/ValueDecoding.h"

namespace rportd::config {
namespace {

// Plugins receive flat key/value text; an array becomes "a,b,c".
std::string settingText(const toml::node& value, const KeyLabel& label) {
    std::string text;
    if (scalarToText(value, text)) return text;
    if (value.is_table())
        throw ConfigError(label.text + ": nested tables are not supported in plugin settings",
                          label.where);
    std::string joined;
    bool first = true;
    for (const auto& element : *value.as_array()) {
        std::string item;
        if (!scalarToText(element, item))
            throw ConfigError(label.text +
                                  ": a plugin setting list may hold only plain values, "
                                  "got " +
                                  describeValue(element),
                              label.where);
        joined += (first ? "" : ",") + item;
        first = false;
    }
    return joined;
}

}  // namespace

void PluginTables::decodePluginsSection(const TableEntry& section, Config& config,
                                        std::vector<std::string>& warnings) {
    const auto* table = section.value->as_table();
    if (!table)
        throw ConfigError("[plugins]: expected a table, got " + describeValue(*section.value),
                          section.where);
    for (const auto& entry : tableEntries(*table, "[plugins]", section.where.file)) {
        const KeyLabel label{"[plugins] " + entry.name, entry.where};
        if (entry.name == "dir") {
            decodeInto(*entry.value, label, config.plugins.dir);
        } else if (roleFromName(entry.name)) {
            std::string plugin;
            decodeInto(*entry.value, label, plugin);
            if (plugin.empty())
                throw ConfigError(label.text + ": plugin name must not be empty", entry.where);
            if (!isValidPluginName(plugin))
                throw ConfigError(label.text + ": invalid plugin name " + goQuote(plugin) +
                                      ": use only letters, digits, '.', '_' and '-'",
                                  entry.where);
            _choices[entry.name] = Choice{plugin, entry.where};
        } else {
            warnings.push_back(warningAt(entry.where, label.text, "unknown key, ignored"));
            continue;
        }
        config.source.key_lines["plugins." + entry.name] = entry.where.line;
    }
}

void PluginTables::decodeSettingsTables(const TableEntry& section) {
    const auto* table = section.value->as_table();
    if (!table)
        throw ConfigError(
            "[plugin]: expected tables like [plugin.NAME], got " + describeValue(*section.value),
            section.where);
    for (const auto& named : tableEntries(*table, "[plugin]", section.where.file)) {
        const std::string tableLabel = "[plugin." + named.written + "]";
        const auto* settingsTable = named.value->as_table();
        if (!settingsTable)
            throw ConfigError("[plugin] " + named.written + ": expected a table [plugin." +
                                  named.written + "] of settings, got " +
                                  describeValue(*named.value),
                              named.where);
        SettingsTable settings{named.written, named.where, {}};
        for (const auto& entry : tableEntries(*settingsTable, tableLabel, section.where.file)) {
            const KeyLabel label{tableLabel + " " + entry.name, entry.where};
            settings.settings.emplace_back(entry.name, settingText(*entry.value, label));
        }
        _settings[named.name] = std::move(settings);
    }
}

void PluginTables::applyTo(Config& config, std::vector<std::string>& warnings) const {
    std::set<std::string> used;
    for (const auto& [roleKey, choice] : _choices) {
        PluginSelection selection{choice.plugin, "[plugins] " + roleKey, {}};
        // Table names went through the same lower-casing as every other key.
        if (const auto found = _settings.find(toLowerAscii(choice.plugin));
            found != _settings.end()) {
            selection.settings = found->second.settings;
            used.insert(found->first);
        }
        selectionSlot(config.plugins, *roleFromName(roleKey)) = std::move(selection);
    }
    for (const auto& [name, table] : _settings) {
        if (used.count(name)) continue;
        warnings.push_back(warningAt(table.where, "[plugin." + table.written + "]",
                                     "no role in [plugins] selects plugin " +
                                         goQuote(table.written) + ", settings ignored"));
    }
}

}  // namespace rportd::config
