#include "auth/VerificationCache.h"

#include <Poco/HMACEngine.h>
#include <Poco/RandomStream.h>
#include <Poco/SHA2Engine.h>

#include <stdexcept>

namespace rportd::auth {

namespace {
// Poco's HMACEngine needs the block and digest sizes as constants, which
// SHA2Engine (unlike SHA1Engine) does not declare. Using Foundation's SHA-256
// keeps OpenSSL out of the host until TLS needs it.
class Sha256ForHmac : public Poco::SHA2Engine {
public:
    enum { BLOCK_SIZE = 64, DIGEST_SIZE = 32 };
    Sha256ForHmac() : Poco::SHA2Engine(Poco::SHA2Engine::SHA_256) {}
};
}  // namespace

VerificationCache::VerificationCache(Options options) : _options(options) {
    // /dev/urandom through Poco; a short read would leave a predictable key.
    Poco::RandomInputStream random;
    random.read(reinterpret_cast<char*>(_hmacKey), sizeof _hmacKey);
    if (random.gcount() != static_cast<std::streamsize>(sizeof _hmacKey))
        throw std::runtime_error("no randomness for the login cache key");
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
    Poco::HMACEngine<Sha256ForHmac> hmac(reinterpret_cast<const char*>(_hmacKey), sizeof _hmacKey);
    hmac.update(message);
    const Poco::DigestEngine::Digest& mac = hmac.digest();
    return std::string(mac.begin(), mac.end());
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
