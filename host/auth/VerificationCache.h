#pragma once
// Remembers recent successful bcrypt checks so a reconnect storm costs one
// bcrypt per credential instead of one per login.
//
// The key is an HMAC (random per-process key) over the id, the stored hash and
// the presented secret, so:
//   - neither secret is kept in memory in a usable form;
//   - a changed entry (new hash) can never hit an old line: the stored hash
//     is part of the key, and forget(id) drops the old lines at once;
//   - a deleted entry is never accepted: callers look the entry up first and
//     only consult the cache for its current hash.
// Lines live at most ttl and at most capacity lines are kept (oldest first out).
#include <chrono>
#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace rportd::auth {

class VerificationCache {
public:
    struct Options {
        size_t capacity = 10000;
        std::chrono::seconds ttl{300};
    };

    VerificationCache() : VerificationCache(Options{}) {}
    explicit VerificationCache(Options options);

    bool contains(std::string_view id, std::string_view storedHash, std::string_view presented);
    void remember(std::string_view id, std::string_view storedHash, std::string_view presented);
    void forget(std::string_view id);
    void clear();

    size_t size() const;
    uint64_t hits() const;
    uint64_t misses() const;

private:
    using Clock = std::chrono::steady_clock;
    struct Line {
        std::string id;
        Clock::time_point expires;
        std::list<std::string>::iterator age;  // position in _byAge
    };

    std::string keyOf(std::string_view id, std::string_view storedHash, std::string_view presented) const;
    void eraseLocked(std::unordered_map<std::string, Line>::iterator it);

    Options _options;
    unsigned char _hmacKey[32];
    mutable std::mutex _mutex;
    std::unordered_map<std::string, Line> _lines;
    std::list<std::string> _byAge;  // oldest first
    uint64_t _hits = 0;
    uint64_t _misses = 0;
};

}  // namespace rportd::auth
