#include "config/TableEntries.h"

#include <algorithm>
#include <set>

#include "config/Text.h"

namespace rportd::config {

std::vector<TableEntry> tableEntries(const toml::table& table, const std::string& tableLabel,
                                     const std::string& sourceName) {
    struct Placed {
        TableEntry entry;
        int column;
    };
    std::vector<Placed> placed;
    for (const auto& [key, value] : table) {
        TableEntry entry;
        entry.written = std::string(key.str());
        entry.name = toLowerAscii(entry.written);
        entry.value = &value;
        entry.where = SourcePosition{sourceName, static_cast<int>(key.source().begin.line), 0};
        placed.push_back({entry, static_cast<int>(key.source().begin.column)});
    }
    std::stable_sort(placed.begin(), placed.end(), [](const Placed& a, const Placed& b) {
        if (a.entry.where.line != b.entry.where.line)
            return a.entry.where.line < b.entry.where.line;
        return a.column < b.column;
    });
    std::vector<TableEntry> entries;
    for (auto& p : placed) entries.push_back(std::move(p.entry));

    std::set<std::string> seen;
    for (const auto& entry : entries) {
        if (seen.insert(entry.name).second) continue;
        const auto& first = *std::find_if(entries.begin(), entries.end(), [&](const TableEntry& e) {
            return e.name == entry.name;
        });
        const std::string subject =
            tableLabel.empty() ? "[" + entry.name + "]" : tableLabel + " " + entry.name;
        throw ConfigError(subject + ": given twice (as " + goQuote(first.written) + " and " +
                              goQuote(entry.written) + "); key names are case-insensitive",
                          entry.where);
    }
    return entries;
}

std::string warningAt(const SourcePosition& where, const std::string& subject,
                      const std::string& text) {
    return singleLine(positionPrefix(where) + subject + ": " + text);
}

}  // namespace rportd::config
