#include "IdLookupTable.h"

#include <cstring>
#include <functional>

namespace rport::plugins::file_auth {

uint64_t IdLookupTable::hashOf(std::string_view id) noexcept {
    // libstdc++'s string hash (murmur-style) spreads ids well; the final mix
    // keeps similar ids ("client-00001", "client-00002") apart in the low bits
    // that pick the slot.
    uint64_t h = std::hash<std::string_view>{}(id);
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

IdLookupTable::IdLookupTable(const std::vector<std::string_view>& ids) {
    size_t capacity = 16;
    while (capacity < ids.size() * 2) capacity *= 2;
    _slots.resize(capacity);
    _mask = capacity - 1;
    for (size_t i = 0; i < ids.size(); ++i) {
        const uint64_t h = hashOf(ids[i]);
        for (uint64_t at = h & _mask;; at = (at + 1) & _mask) {
            if (_slots[at].data) continue;
            _slots[at] = Slot{h, ids[i].data() ? ids[i].data() : "", static_cast<uint32_t>(ids[i].size()),
                              static_cast<uint32_t>(i)};
            break;
        }
    }
}

std::optional<uint32_t> IdLookupTable::find(std::string_view id) const noexcept {
    const uint64_t h = hashOf(id);
    for (uint64_t at = h & _mask;; at = (at + 1) & _mask) {
        const Slot& slot = _slots[at];
        if (!slot.data) return std::nullopt;  // at most half full: an empty slot always ends the probe
        if (slot.hash == h && slot.size == id.size() && std::memcmp(slot.data, id.data(), id.size()) == 0)
            return slot.position;
    }
}

}  // namespace rport::plugins::file_auth
