#pragma once
// Finding entries by id in one version of a file: exact lookups and filtered,
// paged listings, whatever the entries are.
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <rport/types.hpp>
#include <string_view>
#include <vector>

#include "CaseFoldedIdIndex.h"
#include "IdLookupTable.h"

namespace rport::plugins::file_auth {

// Immutable after construction (the lazily built prefix index aside, which is
// guarded), so any number of threads may use it at once. Lookups are exact
// and case-sensitive; listings follow the SDK's filter rules.
class IdIndex {
public:
    // ids sorted in byte order, none twice. The views must outlive the index:
    // they point into the entries of the snapshot that owns it.
    explicit IdIndex(std::vector<std::string_view> ids);
    IdIndex(const IdIndex&) = delete;
    IdIndex& operator=(const IdIndex&) = delete;

    std::optional<uint32_t> find(std::string_view id) const noexcept;

    // The positions of the requested page, in byte order of ids, and the
    // number of all matches.
    struct Page {
        std::vector<uint32_t> positions;
        uint64_t total = 0;
    };
    Page list(const sdk::ListQuery& query) const;

private:
    // Positions worth testing against the query, ascending; nullopt = all.
    std::optional<std::vector<uint32_t>> narrowedCandidates(const sdk::ListQuery& query) const;
    // Built on the first listing that can use it: writes replace the whole
    // snapshot, and most versions are never listed by prefix.
    const CaseFoldedIdIndex& foldedIndex() const;

    std::vector<std::string_view> _ids;
    IdLookupTable _positionById;
    mutable std::once_flag _foldedIndexBuilt;
    mutable std::unique_ptr<CaseFoldedIdIndex> _foldedIndex;
};

}  // namespace rport::plugins::file_auth
