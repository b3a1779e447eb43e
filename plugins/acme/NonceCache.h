#pragma once
// Anti-replay nonces (RFC 8555 §6.5) kept from every response's
// Replay-Nonce, so a fresh one is fetched from newNonce only when none is
// left. Each nonce is used once; the newest is used first because servers
// expire old ones.
#include <deque>
#include <optional>
#include <string>

namespace rport::plugins::acme {

class NonceCache {
public:
    static constexpr size_t kCapacity = 8;

    // Ignores values that are not base64url (RFC 8555 §6.5.1).
    void put(const std::string& nonce);
    std::optional<std::string> take();
    void clear() { _nonces.clear(); }
    size_t size() const { return _nonces.size(); }

private:
    std::deque<std::string> _nonces;
};

}  // namespace rport::plugins::acme
