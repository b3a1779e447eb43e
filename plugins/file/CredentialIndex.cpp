#include "CredentialIndex.h"

#include <algorithm>
#include <optional>

namespace rport::plugins::file_auth {

CredentialIndex::CredentialIndex(std::vector<Credential> entries) : _entries(std::move(entries)) {
    _positionById.reserve(_entries.size());
    for (size_t i = 0; i < _entries.size(); ++i)
        _positionById.emplace(std::string_view(_entries[i].id), static_cast<uint32_t>(i));
}

sdk::AuthRecord recordOf(const Credential& c) {
    sdk::AuthRecord r;
    r.id = c.id;
    r.secret = c.secret;
    r.secretKind =
        RPORT_SECRET_AUTO;  // the host checks bcrypt entries with crypt, others in constant time
    return r;
}

const Credential* CredentialIndex::find(std::string_view id) const noexcept {
    auto it = _positionById.find(id);
    return it == _positionById.end() ? nullptr : &_entries[it->second];
}

const CaseFoldedIdIndex& CredentialIndex::foldedIndex() const {
    std::call_once(_foldedIndexBuilt,
                   [this] { _foldedIndex = std::make_unique<CaseFoldedIdIndex>(_entries); });
    return *_foldedIndex;
}

// Conditions are AND-ed, so any one of them that is a plain prefix (or whole
// id) bounds the candidates; the narrowest such range wins. An OR condition
// only qualifies when it has a single pattern. Candidates are still checked
// against the full query afterwards, so the index only saves work.
std::optional<std::vector<uint32_t>> CredentialIndex::narrowedCandidates(
    const sdk::ListQuery& query) const {
    std::optional<LiteralPattern> best;
    size_t bestCount = 0;
    for (const auto& condition : query.conditions) {
        if (condition.patterns.empty() || (!condition.all && condition.patterns.size() != 1))
            continue;
        for (const auto& pattern : condition.patterns) {
            auto literal = literalPatternOf(pattern);
            if (!literal) continue;
            const size_t count = foldedIndex().countMatching(*literal);
            if (!best || count < bestCount) {
                best = std::move(literal);
                bestCount = count;
            }
        }
    }
    if (!best) return std::nullopt;
    return foldedIndex().positionsMatching(*best);
}

sdk::ListPage CredentialIndex::list(const sdk::ListQuery& query) const {
    sdk::ListPage page;
    if (query.conditions.empty()) {
        // Everything matches: the page is a slice, no need to look at the rest.
        page.total = _entries.size();
        const size_t first = static_cast<size_t>(std::min<uint64_t>(query.offset, _entries.size()));
        const size_t count =
            static_cast<size_t>(std::min<uint64_t>(query.limit, _entries.size() - first));
        page.records.reserve(count);
        for (size_t i = first; i < first + count; ++i)
            page.records.push_back(recordOf(_entries[i]));
        return page;
    }
    auto consider = [&](const Credential& c) {
        if (!sdk::matches(query, c.id)) return;
        if (page.total >= query.offset && page.records.size() < query.limit)
            page.records.push_back(recordOf(c));
        ++page.total;
    };
    if (auto candidates = narrowedCandidates(query)) {
        for (uint32_t position : *candidates) consider(_entries[position]);
    } else {
        for (const auto& c : _entries) consider(c);
    }
    return page;
}

}  // namespace rport::plugins::file_auth
