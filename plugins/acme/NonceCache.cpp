#include "NonceCache.h"

#include "Base64Url.h"

namespace rport::plugins::acme {

void NonceCache::put(const std::string& nonce) {
    if (!isBase64UrlText(nonce) || nonce.size() > 512) return;
    _nonces.push_back(nonce);
    while (_nonces.size() > kCapacity) _nonces.pop_front();
}

std::optional<std::string> NonceCache::take() {
    if (_nonces.empty()) return std::nullopt;
    std::string n = std::move(_nonces.back());
    _nonces.pop_back();
    return n;
}

}  // namespace rport::plugins::acme
