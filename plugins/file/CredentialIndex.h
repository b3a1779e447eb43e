#pragma once
// An immutable, in-memory view of one version of the client-auth file.
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <rport/types.hpp>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "CaseFoldedIdIndex.h"
#include "Credential.h"

namespace rport::plugins::file_auth {

// Built once per file version and never changed afterwards, so any number of
// threads may read it while a newer version is being prepared. Lookups are
// exact and case-sensitive; listings follow the SDK's filter rules.
class CredentialIndex {
public:
    // entries must be sorted by id in byte order with no id twice.
    explicit CredentialIndex(std::vector<Credential> entries);
    // The lookup table points into the entries, so the object stays where it is.
    CredentialIndex(const CredentialIndex&) = delete;
    CredentialIndex& operator=(const CredentialIndex&) = delete;

    const Credential* find(std::string_view id) const noexcept;
    const std::vector<Credential>& entries() const noexcept { return _entries; }
    size_t size() const noexcept { return _entries.size(); }

    // The requested page in byte order of ids, and the number of all matches.
    sdk::ListPage list(const sdk::ListQuery& query) const;

private:
    // Positions worth testing against the query, ascending; nullopt = all.
    std::optional<std::vector<uint32_t>> narrowedCandidates(const sdk::ListQuery& query) const;
    // Built on the first listing that can use it: writes replace the whole
    // index, and most versions are never listed by prefix.
    const CaseFoldedIdIndex& foldedIndex() const;

    std::vector<Credential> _entries;
    std::unordered_map<std::string_view, uint32_t> _positionById;
    mutable std::once_flag _foldedIndexBuilt;
    mutable std::unique_ptr<CaseFoldedIdIndex> _foldedIndex;
};

// The record the host receives for an entry.
sdk::AuthRecord recordOf(const Credential& c);

}  // namespace rport::plugins::file_auth
