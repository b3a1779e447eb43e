#pragma once
// The keys of one TOML table, lower-cased (key names are case-insensitive, as
// in the original) and in file order (so the first problem in the file is the
// one reported, and warnings read top to bottom).
#include <toml++/toml.h>

#include <string>
#include <vector>

#include "config/ConfigError.h"

namespace rportd::config {

struct TableEntry {
    std::string name;     // lower case
    std::string written;  // as in the file
    const toml::node* value = nullptr;
    SourcePosition where;
};

// `tableLabel` names the table in messages ("[server]", or "" for the top level).
// Two keys that differ only in case are an error naming both spellings.
std::vector<TableEntry> tableEntries(const toml::table& table, const std::string& tableLabel,
                                     const std::string& sourceName);

// "file:line: <subject>: <text>" for the warnings list.
std::string warningAt(const SourcePosition& where, const std::string& subject,
                      const std::string& text);

}  // namespace rportd::config
