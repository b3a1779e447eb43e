#pragma once
// Decoding of our own sections: [plugins] (which plugin fills which role, and
// where plugins live) and [plugin.NAME] (settings handed to plugin NAME).
#include <toml++/toml.h>

#include <map>
#include <string>
#include <vector>

#include "config/Config.h"
#include "config/TableEntries.h"

namespace rportd::config {

class PluginTables {
public:
    // The [plugins] table: `dir` and the four role keys.
    void decodePluginsSection(const TableEntry& section, Config& config,
                              std::vector<std::string>& warnings);
    // The [plugin] table, i.e. every [plugin.NAME] in the file.
    void decodeSettingsTables(const TableEntry& section);

    // Fills the explicitly chosen roles of config.plugins with their settings
    // and warns about [plugin.NAME] tables that no role selects.
    void applyTo(Config& config, std::vector<std::string>& warnings) const;

private:
    struct Choice {
        std::string plugin;
        SourcePosition where;
    };
    struct SettingsTable {
        std::string written;  // NAME as in the file
        SourcePosition where;
        std::vector<std::pair<std::string, std::string>> settings;
    };
    std::map<std::string, Choice> _choices;          // role name -> choice
    std::map<std::string, SettingsTable> _settings;  // lower-case NAME -> table
};

}  // namespace rportd::config
