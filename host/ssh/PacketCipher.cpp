#include "ssh/PacketCipher.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cstring>
#include <stdexcept>

namespace rportd::ssh {
namespace {

constexpr CipherSpec kCiphers[] = {
    {"chacha20-poly1305@openssh.com", 64, 0},
    {"aes128-gcm@openssh.com", 16, 12},
    {"aes256-gcm@openssh.com", 32, 12},
};

struct CipherCtx {
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    CipherCtx() {
        if (!ctx) throw std::runtime_error("out of memory for a cipher context");
    }
    ~CipherCtx() { EVP_CIPHER_CTX_free(ctx); }
    CipherCtx(const CipherCtx&) = delete;
    CipherCtx& operator=(const CipherCtx&) = delete;
};

void check(int ok, const char* what) {
    if (ok != 1) throw std::runtime_error(std::string("OpenSSL failed to ") + what);
}

uint32_t bigEndian32(const unsigned char* b) {
    return (uint32_t(b[0]) << 24) | (uint32_t(b[1]) << 16) | (uint32_t(b[2]) << 8) | b[3];
}

class NullCipher final : public PacketCipher {
public:
    const char* name() const override { return "none"; }
    size_t blockSize() const override { return 8; }
    bool alignmentCountsLength() const override { return true; }
    size_t tagSize() const override { return 0; }
    uint32_t readLength(uint32_t, const unsigned char wire[4]) override {
        return bigEndian32(wire);
    }
    bool open(uint32_t, unsigned char*, size_t) override { return true; }
    void seal(uint32_t, std::string&) override {}
};

// RFC 5647 with OpenSSH's naming: the length is the additional authenticated
// data, the 12-byte nonce is a 4-byte fixed part and an 8-byte counter that
// grows by one per packet, whatever the sequence number is.
class AesGcmCipher final : public PacketCipher {
public:
    AesGcmCipher(const CipherSpec& spec, std::string_view key, std::string_view iv, bool encrypt)
        : _name(spec.name) {
        std::memcpy(_nonce, iv.data(), sizeof _nonce);
        const EVP_CIPHER* type = spec.keySize == 16 ? EVP_aes_128_gcm() : EVP_aes_256_gcm();
        check(EVP_CipherInit_ex(_ctx.ctx, type, nullptr,
                                reinterpret_cast<const unsigned char*>(key.data()), nullptr,
                                encrypt ? 1 : 0),
              "set up AES-GCM");
    }
    const char* name() const override { return _name; }
    size_t blockSize() const override { return 16; }
    size_t tagSize() const override { return 16; }
    uint32_t readLength(uint32_t, const unsigned char wire[4]) override {
        return bigEndian32(wire);
    }

    bool open(uint32_t, unsigned char* wire, size_t size) override {
        size_t bodySize = size - 4 - 16;
        int produced = 0;
        bool ok =
            EVP_CipherInit_ex(_ctx.ctx, nullptr, nullptr, nullptr, _nonce, 0) == 1 &&
            EVP_CipherUpdate(_ctx.ctx, nullptr, &produced, wire, 4) == 1 &&
            EVP_CipherUpdate(_ctx.ctx, wire + 4, &produced, wire + 4, static_cast<int>(bodySize)) ==
                1 &&
            EVP_CIPHER_CTX_ctrl(_ctx.ctx, EVP_CTRL_GCM_SET_TAG, 16, wire + 4 + bodySize) == 1 &&
            EVP_CipherFinal_ex(_ctx.ctx, wire + 4 + bodySize, &produced) == 1;
        advanceNonce();
        return ok;
    }

    void seal(uint32_t, std::string& packet) override {
        auto* bytes = reinterpret_cast<unsigned char*>(packet.data());
        size_t bodySize = packet.size() - 4;
        int produced = 0;
        check(EVP_CipherInit_ex(_ctx.ctx, nullptr, nullptr, nullptr, _nonce, 1), "start AES-GCM");
        check(EVP_CipherUpdate(_ctx.ctx, nullptr, &produced, bytes, 4), "add AES-GCM data");
        check(
            EVP_CipherUpdate(_ctx.ctx, bytes + 4, &produced, bytes + 4, static_cast<int>(bodySize)),
            "encrypt with AES-GCM");
        check(EVP_CipherFinal_ex(_ctx.ctx, bytes + 4 + bodySize, &produced), "finish AES-GCM");
        unsigned char tag[16];
        check(EVP_CIPHER_CTX_ctrl(_ctx.ctx, EVP_CTRL_GCM_GET_TAG, 16, tag), "read the AES-GCM tag");
        packet.append(reinterpret_cast<char*>(tag), 16);
        advanceNonce();
    }

private:
    void advanceNonce() {
        for (int i = 11; i >= 4; --i)
            if (++_nonce[i] != 0) break;
    }
    const char* _name;
    unsigned char _nonce[12];
    CipherCtx _ctx;
};

// OpenSSH's chacha20-poly1305 (PROTOCOL.chacha20poly1305): 64 bytes of key,
// the first half for the body and the Poly1305 key, the second half for the
// length; the nonce is the sequence number. OpenSSL's ChaCha20 takes a
// 16-byte block of counter and nonce whose layout matches the original
// 64-bit-counter variant for every counter this protocol reaches.
class ChaChaPolyCipher final : public PacketCipher {
public:
    explicit ChaChaPolyCipher(std::string_view key) {
        std::memcpy(_bodyKey, key.data(), 32);
        std::memcpy(_lengthKey, key.data() + 32, 32);
        _mac = EVP_MAC_fetch(nullptr, "POLY1305", nullptr);
        if (!_mac) throw std::runtime_error("OpenSSL has no Poly1305");
        _macCtx = EVP_MAC_CTX_new(_mac);
        if (!_macCtx) throw std::runtime_error("out of memory for a Poly1305 context");
    }
    ~ChaChaPolyCipher() override {
        EVP_MAC_CTX_free(_macCtx);
        EVP_MAC_free(_mac);
        OPENSSL_cleanse(_bodyKey, sizeof _bodyKey);
        OPENSSL_cleanse(_lengthKey, sizeof _lengthKey);
    }
    const char* name() const override { return "chacha20-poly1305@openssh.com"; }
    size_t blockSize() const override { return 8; }
    size_t tagSize() const override { return 16; }

    uint32_t readLength(uint32_t seq, const unsigned char wire[4]) override {
        unsigned char plain[4];
        crypt(_lengthKey, seq, 0, wire, plain, 4);
        return bigEndian32(plain);
    }

    bool open(uint32_t seq, unsigned char* wire, size_t size) override {
        size_t covered = size - 16;
        unsigned char tag[16];
        computeTag(seq, wire, covered, tag);
        if (CRYPTO_memcmp(tag, wire + covered, 16) != 0) return false;
        crypt(_lengthKey, seq, 0, wire, wire, 4);
        crypt(_bodyKey, seq, 1, wire + 4, wire + 4, covered - 4);
        return true;
    }

    void seal(uint32_t seq, std::string& packet) override {
        auto* bytes = reinterpret_cast<unsigned char*>(packet.data());
        crypt(_lengthKey, seq, 0, bytes, bytes, 4);
        crypt(_bodyKey, seq, 1, bytes + 4, bytes + 4, packet.size() - 4);
        unsigned char tag[16];
        computeTag(seq, bytes, packet.size(), tag);
        packet.append(reinterpret_cast<char*>(tag), 16);
    }

private:
    void crypt(const unsigned char* key, uint32_t seq, uint32_t counter, const unsigned char* in,
               unsigned char* out, size_t size) {
        unsigned char iv[16] = {};
        iv[0] = static_cast<unsigned char>(counter);     // little-endian block counter, low word
        iv[12] = static_cast<unsigned char>(seq >> 24);  // big-endian 64-bit sequence number
        iv[13] = static_cast<unsigned char>(seq >> 16);
        iv[14] = static_cast<unsigned char>(seq >> 8);
        iv[15] = static_cast<unsigned char>(seq);
        int produced = 0;
        check(EVP_CipherInit_ex(_ctx.ctx, EVP_chacha20(), nullptr, key, iv, 1), "set up ChaCha20");
        check(EVP_CipherUpdate(_ctx.ctx, out, &produced, in, static_cast<int>(size)),
              "run ChaCha20");
    }

    void computeTag(uint32_t seq, const unsigned char* data, size_t size, unsigned char tag[16]) {
        unsigned char zeros[32] = {};
        unsigned char polyKey[32];
        crypt(_bodyKey, seq, 0, zeros, polyKey, 32);
        size_t tagSize = 0;
        check(EVP_MAC_init(_macCtx, polyKey, 32, nullptr), "key Poly1305");
        check(EVP_MAC_update(_macCtx, data, size), "run Poly1305");
        check(EVP_MAC_final(_macCtx, tag, &tagSize, 16), "finish Poly1305");
        OPENSSL_cleanse(polyKey, sizeof polyKey);
    }

    unsigned char _bodyKey[32];
    unsigned char _lengthKey[32];
    EVP_MAC* _mac = nullptr;
    EVP_MAC_CTX* _macCtx = nullptr;
    CipherCtx _ctx;
};

}  // namespace

const CipherSpec* findCipher(std::string_view name) {
    for (const auto& spec : kCiphers)
        if (name == spec.name) return &spec;
    return nullptr;
}

const CipherSpec* offeredCiphers(size_t& count) {
    count = sizeof kCiphers / sizeof kCiphers[0];
    return kCiphers;
}

std::unique_ptr<PacketCipher> makeNullCipher() { return std::make_unique<NullCipher>(); }

std::unique_ptr<PacketCipher> makeCipher(const CipherSpec& spec, std::string_view key,
                                         std::string_view iv, bool encrypt) {
    if (key.size() < spec.keySize || iv.size() < spec.ivSize)
        throw std::runtime_error("short key material");
    if (std::string_view(spec.name).rfind("chacha20", 0) == 0)
        return std::make_unique<ChaChaPolyCipher>(key);
    return std::make_unique<AesGcmCipher>(spec, key, iv, encrypt);
}

}  // namespace rportd::ssh
