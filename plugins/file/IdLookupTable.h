#pragma once
// Exact id -> position lookups for one immutable snapshot, laid out for
// logins: a flat, open-addressed table whose slots hold the hash, the
// position and the id's own pointer and length, so a lookup touches one slot
// and then the id's characters (which sit with the entry the caller reads
// next). std::unordered_map needs a bucket, a node and the characters; with
// 100,000 credentials each of those is a cache miss, and that difference is
// what keeps a lookup under a microsecond.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace rport::plugins::file_auth {

class IdLookupTable {
public:
    // ids must be distinct and outlive the table.
    explicit IdLookupTable(const std::vector<std::string_view>& ids);

    std::optional<uint32_t> find(std::string_view id) const noexcept;

private:
    struct Slot {
        uint64_t hash = 0;
        const char* data = nullptr;  // null: empty slot
        uint32_t size = 0;
        uint32_t position = 0;
    };

    static uint64_t hashOf(std::string_view id) noexcept;

    std::vector<Slot> _slots;  // a power of two, at most half full
    uint64_t _mask = 0;
};

}  // namespace rport::plugins::file_auth
