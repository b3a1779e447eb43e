#include "IdIndex.h"

#include <algorithm>

namespace rport::plugins::file_auth {

IdIndex::IdIndex(std::vector<std::string_view> ids) : _ids(std::move(ids)), _positionById(_ids) {}

std::optional<uint32_t> IdIndex::find(std::string_view id) const noexcept { return _positionById.find(id); }

const CaseFoldedIdIndex& IdIndex::foldedIndex() const {
    std::call_once(_foldedIndexBuilt,
                   [this] { _foldedIndex = std::make_unique<CaseFoldedIdIndex>(_ids); });
    return *_foldedIndex;
}

// Conditions are AND-ed, so any one of them that is a plain prefix (or whole
// id) bounds the candidates; the narrowest such range wins. An OR condition
// only qualifies when it has a single pattern. Candidates are still checked
// against the full query afterwards, so the index only saves work.
std::optional<std::vector<uint32_t>> IdIndex::narrowedCandidates(
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

IdIndex::Page IdIndex::list(const sdk::ListQuery& query) const {
    Page page;
    if (query.conditions.empty()) {
        // Everything matches: the page is a slice, no need to look at the rest.
        page.total = _ids.size();
        const size_t first = static_cast<size_t>(std::min<uint64_t>(query.offset, _ids.size()));
        const size_t count =
            static_cast<size_t>(std::min<uint64_t>(query.limit, _ids.size() - first));
        page.positions.reserve(count);
        for (size_t i = first; i < first + count; ++i)
            page.positions.push_back(static_cast<uint32_t>(i));
        return page;
    }
    auto consider = [&](uint32_t position) {
        if (!sdk::matches(query, _ids[position])) return;
        if (page.total >= query.offset && page.positions.size() < query.limit)
            page.positions.push_back(position);
        ++page.total;
    };
    if (auto candidates = narrowedCandidates(query)) {
        for (uint32_t position : *candidates) consider(position);
    } else {
        for (size_t i = 0; i < _ids.size(); ++i) consider(static_cast<uint32_t>(i));
    }
    return page;
}

}  // namespace rport::plugins::file_auth
