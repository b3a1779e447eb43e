#include "auth/VerificationCache.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <stdexcept>

namespace rportd::auth {

VerificationCache::VerificationCache(Options options) : _options(options) {
    if (RAND_bytes(_hmacKey, sizeof _hmacKey) != 1) throw std::runtime_error("no randomness for the login cache key");
}

std::string VerificationCache::keyOf(std::string_view id, std::string_view storedHash,
                                     std::string_view presented) const {
    // Length-prefixed fields, so ("ab","c") and ("a","bc") never collide.
    std::string message;
    message.reserve(id.size() + storedHash.size() + presented.size() + 24);
    for (std::string_view part : {id, storedHash, presented}) {
        uint64_t n = part.size();
        message.append(reinterpret_cast<const char*>(&n), sizeof n);
        message.append(part);
    }
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int macLen = 0;
    HMAC(EVP_sha256(), _hmacKey, sizeof _hmacKey, reinterpret_cast<const unsigned char*>(message.data()),
         message.size(), mac, &macLen);
    return std::string(reinterpret_cast<const char*>(mac), macLen);
}

void VerificationCache::eraseLocked(std::unordered_map<std::string, Line>::iterator it) {
    _byAge.erase(it->second.age);
    _lines.erase(it);
}

bool VerificationCache::contains(std::string_view id, std::string_view storedHash, std::string_view presented) {
    std::string key = keyOf(id, storedHash, presented);
    std::lock_guard<std::mutex> g(_mutex);
    auto it = _lines.find(key);
    if (it == _lines.end()) {
        ++_misses;
        return false;
    }
    if (Clock::now() >= it->second.expires) {
        eraseLocked(it);
        ++_misses;
        return false;
    }
    ++_hits;
    return true;
}

void VerificationCache::remember(std::string_view id, std::string_view storedHash, std::string_view presented) {
    if (_options.capacity == 0) return;
    std::string key = keyOf(id, storedHash, presented);
    std::lock_guard<std::mutex> g(_mutex);
    auto it = _lines.find(key);
    if (it != _lines.end()) eraseLocked(it);
    while (_lines.size() >= _options.capacity) eraseLocked(_lines.find(_byAge.front()));
    _byAge.push_back(key);
    _lines.emplace(key, Line{std::string(id), Clock::now() + _options.ttl, std::prev(_byAge.end())});
}

void VerificationCache::forget(std::string_view id) {
    std::lock_guard<std::mutex> g(_mutex);
    for (auto it = _lines.begin(); it != _lines.end();) {
        auto next = std::next(it);
        if (it->second.id == id) eraseLocked(it);
        it = next;
    }
}

void VerificationCache::clear() {
    std::lock_guard<std::mutex> g(_mutex);
    _lines.clear();
    _byAge.clear();
}

size_t VerificationCache::size() const {
    std::lock_guard<std::mutex> g(_mutex);
    return _lines.size();
}

uint64_t VerificationCache::hits() const {
    std::lock_guard<std::mutex> g(_mutex);
    return _hits;
}

uint64_t VerificationCache::misses() const {
    std::lock_guard<std::mutex> g(_mutex);
    return _misses;
}

}  // namespace rportd::auth
