#pragma once
// Finds ids by a case-insensitive prefix (or whole id) without scanning them all.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rport::plugins::file_auth {

// A list pattern the index can answer: "abc*" (prefix) or "abc" (whole id).
struct LiteralPattern {
    std::string folded;  // the literal part, ASCII-lowercased like the SDK's matcher
    bool wholeId = false;
};

// The pattern as a literal prefix or whole id, or nullopt when it has a '*'
// anywhere but at the end or no literal part at all ("*", "a*b").
std::optional<LiteralPattern> literalPatternOf(std::string_view pattern);

// Every id lowercased (ASCII only, exactly what rport::sdk::wildcardMatch
// ignores) and sorted, so all ids sharing a folded prefix sit side by side.
class CaseFoldedIdIndex {
public:
    explicit CaseFoldedIdIndex(const std::vector<std::string_view>& ids);

    // Positions (into the ids the index was built from) of the ids the
    // pattern matches, ascending, i.e. in the ids' own order.
    std::vector<uint32_t> positionsMatching(const LiteralPattern& pattern) const;
    // How many ids the pattern matches, without collecting them.
    size_t countMatching(const LiteralPattern& pattern) const;

private:
    using Key = std::pair<std::string, uint32_t>;  // folded id, position
    std::pair<std::vector<Key>::const_iterator, std::vector<Key>::const_iterator> range(
        const LiteralPattern& pattern) const;

    std::vector<Key> _keys;
};

}  // namespace rport::plugins::file_auth
