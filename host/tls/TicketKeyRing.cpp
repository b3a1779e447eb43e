#include "tls/TicketKeyRing.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace rportd::tls {

namespace {

void freeRingHolder(void*, void* ptr, CRYPTO_EX_DATA*, int, long, void*) {
    delete static_cast<std::shared_ptr<TicketKeyRing>*>(ptr);
}

int ringIndex() {
    static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, freeRingHolder);
    return index;
}

void fillRandom(unsigned char* bytes, size_t size) {
    // No fallback: tickets under a predictable key would let anyone resume.
    if (RAND_bytes(bytes, static_cast<int>(size)) != 1) throw std::runtime_error("RAND_bytes failed");
}

bool setMacKey(EVP_MAC_CTX* mac, const TicketKeyRing::Key& key) {
    char digest[] = "SHA256";
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_octet_string(OSSL_MAC_PARAM_KEY, const_cast<unsigned char*>(key.macKey.data()),
                                          key.macKey.size()),
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
        OSSL_PARAM_construct_end(),
    };
    return EVP_MAC_CTX_set_params(mac, params) == 1;
}

// OpenSSL's contract: encrypting, fill the name and IV and return 1 (or <0
// to send no ticket); decrypting, return 0 for an unknown key (full
// handshake), 1 to accept, 2 to accept and issue a fresh ticket.
int ticketKeyCallback(SSL* ssl, unsigned char keyName[16], unsigned char* iv, EVP_CIPHER_CTX* cipher,
                      EVP_MAC_CTX* mac, int encrypt) {
    auto* holder = static_cast<std::shared_ptr<TicketKeyRing>*>(SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), ringIndex()));
    if (holder == nullptr || !*holder) return encrypt ? -1 : 0;
    TicketKeyRing& ring = **holder;
    const EVP_CIPHER* aes = EVP_aes_256_cbc();
    const int ivLength = EVP_CIPHER_get_iv_length(aes);

    if (encrypt) {
        TicketKeyRing::Key key;
        try {
            key = ring.currentKey();
        } catch (const std::exception&) {
            return -1;
        }
        if (RAND_bytes(iv, ivLength) != 1) return -1;
        std::memcpy(keyName, key.name.data(), key.name.size());
        if (EVP_EncryptInit_ex(cipher, aes, nullptr, key.cipherKey.data(), iv) != 1) return -1;
        return setMacKey(mac, key) ? 1 : -1;
    }

    TicketKeyRing::KeyName name;
    std::memcpy(name.data(), keyName, name.size());
    std::optional<TicketKeyRing::Found> found = ring.find(name);
    if (!found) return 0;
    if (EVP_DecryptInit_ex(cipher, aes, nullptr, found->key.cipherKey.data(), iv) != 1) return -1;
    if (!setMacKey(mac, found->key)) return -1;
    // Always 2 (accept and issue a fresh ticket): TLS 1.3 clients use a
    // ticket once (RFC 8446 C.4, and OpenSSL's client does), so a resumed
    // connection that got no new ticket makes the next connection a full
    // handshake. A fresh ticket also moves clients off older keys.
    return 2;
}

}  // namespace

TicketKeyRing::TicketKeyRing(std::chrono::seconds rotationPeriod, size_t keptPreviousKeys)
    : _rotationPeriod(rotationPeriod), _keptPreviousKeys(keptPreviousKeys) {
    rotateLocked(Clock::now());
}

TicketKeyRing::Key TicketKeyRing::currentKey() {
    Clock::time_point now = Clock::now();
    std::lock_guard<std::mutex> lock(_mutex);
    if (now - _keys.front().createdAt >= _rotationPeriod) rotateLocked(now);
    return _keys.front();
}

std::optional<TicketKeyRing::Found> TicketKeyRing::find(const KeyName& name) const {
    std::lock_guard<std::mutex> lock(_mutex);
    for (size_t i = 0; i < _keys.size(); ++i) {
        if (_keys[i].name == name) return Found{_keys[i], i == 0};
    }
    return std::nullopt;
}

void TicketKeyRing::rotate() {
    std::lock_guard<std::mutex> lock(_mutex);
    rotateLocked(Clock::now());
}

size_t TicketKeyRing::keyCount() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return _keys.size();
}

void TicketKeyRing::rotateLocked(Clock::time_point now) {
    Key key;
    fillRandom(key.name.data(), key.name.size());
    fillRandom(key.cipherKey.data(), key.cipherKey.size());
    fillRandom(key.macKey.data(), key.macKey.size());
    key.createdAt = now;
    _keys.push_front(key);
    while (_keys.size() > _keptPreviousKeys + 1) {
        // Overwrite before freeing: retired keys must not linger in memory.
        OPENSSL_cleanse(&_keys.back(), sizeof(Key));
        _keys.pop_back();
    }
}

bool TicketKeyRing::attach(SSL_CTX* ctx, const std::shared_ptr<TicketKeyRing>& ring) {
    auto* holder = new std::shared_ptr<TicketKeyRing>(ring);
    if (SSL_CTX_set_ex_data(ctx, ringIndex(), holder) != 1) {
        delete holder;
        return false;
    }
    return SSL_CTX_set_tlsext_ticket_key_evp_cb(ctx, ticketKeyCallback) == 1;
}

}  // namespace rportd::tls
