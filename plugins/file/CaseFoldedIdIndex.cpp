#include "CaseFoldedIdIndex.h"

#include <algorithm>
#include <rport/types.hpp>

namespace rport::plugins::file_auth {
namespace {

std::string fold(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = sdk::asciiLower(c);
    return out;
}

}  // namespace

std::optional<LiteralPattern> literalPatternOf(std::string_view pattern) {
    const size_t star = pattern.find('*');
    if (star == std::string_view::npos) {
        if (pattern.empty()) return std::nullopt;
        return LiteralPattern{fold(pattern), true};
    }
    if (star == 0 || star + 1 != pattern.size()) return std::nullopt;
    return LiteralPattern{fold(pattern.substr(0, star)), false};
}

CaseFoldedIdIndex::CaseFoldedIdIndex(const std::vector<std::string_view>& ids) {
    _keys.reserve(ids.size());
    for (size_t i = 0; i < ids.size(); ++i)
        _keys.emplace_back(fold(ids[i]), static_cast<uint32_t>(i));
    std::sort(_keys.begin(), _keys.end());
}

std::pair<std::vector<CaseFoldedIdIndex::Key>::const_iterator,
          std::vector<CaseFoldedIdIndex::Key>::const_iterator>
CaseFoldedIdIndex::range(const LiteralPattern& pattern) const {
    const std::string& literal = pattern.folded;
    auto first = std::lower_bound(_keys.begin(), _keys.end(), literal,
                                  [](const Key& k, const std::string& v) { return k.first < v; });
    auto last = std::partition_point(first, _keys.end(), [&](const Key& k) {
        return pattern.wholeId ? k.first == literal
                               : k.first.compare(0, literal.size(), literal) == 0;
    });
    return {first, last};
}

std::vector<uint32_t> CaseFoldedIdIndex::positionsMatching(const LiteralPattern& pattern) const {
    auto [first, last] = range(pattern);
    std::vector<uint32_t> positions;
    positions.reserve(static_cast<size_t>(last - first));
    for (auto it = first; it != last; ++it) positions.push_back(it->second);
    // Folded order differs from byte order ("B" < "a" but "b" > "a"), and
    // listings are in byte order.
    std::sort(positions.begin(), positions.end());
    return positions;
}

size_t CaseFoldedIdIndex::countMatching(const LiteralPattern& pattern) const {
    auto [first, last] = range(pattern);
    return static_cast<size_t>(last - first);
}

}  // namespace rport::plugins::file_auth
