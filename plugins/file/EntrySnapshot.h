#pragma once
// One version of a file's entries, ready for lookups and listings.
#include <rport/types.hpp>
#include <string_view>
#include <utility>
#include <vector>

#include "FileFormat.h"
#include "IdIndex.h"

namespace rport::plugins::file_auth {

// Entry is any type with two free functions beside it: idOf(entry), the id it
// is found by, and recordOf(entry), what the host receives for it. Built once
// per file version and never changed, so readers need no lock; a newer
// version is prepared aside and swapped in whole.
template <class Entry>
class EntrySnapshot final : public EntrySet {
public:
    // entries sorted by id in byte order, no id twice.
    explicit EntrySnapshot(std::vector<Entry> entries)
        : _entries(std::move(entries)), _index(idsOf(_entries)) {}
    // The index points into the entries, so the object stays where it is.
    EntrySnapshot(const EntrySnapshot&) = delete;
    EntrySnapshot& operator=(const EntrySnapshot&) = delete;

    size_t size() const noexcept override { return _entries.size(); }
    const std::vector<Entry>& entries() const noexcept { return _entries; }

    const Entry* find(std::string_view id) const noexcept {
        const auto position = _index.find(id);
        return position ? &_entries[*position] : nullptr;
    }

    sdk::ListPage list(const sdk::ListQuery& query) const {
        IdIndex::Page found = _index.list(query);
        sdk::ListPage page;
        page.total = found.total;
        page.records.reserve(found.positions.size());
        for (uint32_t position : found.positions)
            page.records.push_back(recordOf(_entries[position]));
        return page;
    }

private:
    static std::vector<std::string_view> idsOf(const std::vector<Entry>& entries) {
        std::vector<std::string_view> ids;
        ids.reserve(entries.size());
        for (const auto& e : entries) ids.emplace_back(idOf(e));
        return ids;
    }

    const std::vector<Entry> _entries;
    const IdIndex _index;
};

}  // namespace rport::plugins::file_auth
