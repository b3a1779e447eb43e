#pragma once
// Session-ticket keys owned by the host instead of by an SSL_CTX, so a ticket
// stays valid across certificate swaps (every swap builds a new SSL_CTX).
// One current key encrypts new tickets; a few previous keys still decrypt
// older ones, and such a ticket is renewed under the current key. With the
// defaults (rotate every 12 h, keep 2 previous keys) a ticket lives 24-36 h.
#include <openssl/ssl.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>

namespace rportd::tls {

class TicketKeyRing {
public:
    using Clock = std::chrono::steady_clock;
    using KeyName = std::array<unsigned char, 16>;  // the ticket's key_name field

    struct Key {
        KeyName name;
        std::array<unsigned char, 32> cipherKey;  // AES-256-CBC
        std::array<unsigned char, 32> macKey;     // HMAC-SHA256
        Clock::time_point createdAt;
    };

    struct Found {
        Key key;
        bool current;  // false: the ticket should be reissued under the current key
    };

    explicit TicketKeyRing(std::chrono::seconds rotationPeriod = std::chrono::hours(12),
                           size_t keptPreviousKeys = 2);
    TicketKeyRing(const TicketKeyRing&) = delete;
    TicketKeyRing& operator=(const TicketKeyRing&) = delete;

    // The key for new tickets, after rotating if the current one is too old.
    Key currentKey();
    // The key a presented ticket names, if still kept.
    std::optional<Found> find(const KeyName& name) const;
    // Makes a fresh current key and drops keys beyond the kept ones.
    void rotate();
    size_t keyCount() const;

    // Makes `ctx` encrypt and decrypt tickets with `ring`. The context keeps
    // the ring alive (a connection may outlive the server object that made it).
    static bool attach(SSL_CTX* ctx, const std::shared_ptr<TicketKeyRing>& ring);

private:
    void rotateLocked(Clock::time_point now);

    const Clock::duration _rotationPeriod;
    const size_t _keptPreviousKeys;
    mutable std::mutex _mutex;
    std::deque<Key> _keys;  // front: current, then older ones
};

}  // namespace rportd::tls
