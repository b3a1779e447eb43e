#pragma once
// Protection of SSH packets in one direction: the AEAD ciphers the server
// offers (AES-GCM per RFC 5647 as OpenSSH names it, and OpenSSH's
// chacha20-poly1305) and the null protection in force before the first
// NEWKEYS. Only AEAD ciphers are offered, so no separate MAC exists here.
//
// A packet on the wire is: uint32 packet_length, then packet_length bytes
// (padding_length, payload, padding), then the tag. The length is sent in
// the clear by AES-GCM (it is the AAD), encrypted by chacha20-poly1305 with
// its own key, and plain with no protection.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace rportd::ssh {

class PacketCipher {
public:
    virtual ~PacketCipher() = default;

    // The name negotiated in KEXINIT.
    virtual const char* name() const = 0;
    // packet_length must be a multiple of this...
    virtual size_t blockSize() const = 0;
    // ...counting the 4 length bytes too (true only without protection).
    virtual bool alignmentCountsLength() const { return false; }
    virtual size_t tagSize() const = 0;

    // The packet_length field of the packet with sequence number `seq`, from
    // its first 4 bytes on the wire. Not yet authenticated: bound-check it.
    virtual uint32_t readLength(uint32_t seq, const unsigned char wire[4]) = 0;

    // Authenticates and decrypts a whole packet (4 + length + tag bytes) in
    // place; afterwards wire[4 .. 4+length) holds the plaintext body. False
    // when the tag does not match.
    virtual bool open(uint32_t seq, unsigned char* wire, size_t size) = 0;

    // Encrypts a packet whose 4 + length bytes are in `packet` and appends
    // the tag.
    virtual void seal(uint32_t seq, std::string& packet) = 0;
};

// Key and IV sizes a negotiated cipher needs from the key derivation.
struct CipherSpec {
    const char* name;
    size_t keySize;
    size_t ivSize;
};

// The ciphers offered, in order of preference; nullptr when unknown.
const CipherSpec* findCipher(std::string_view name);
// Comma-free list of the names, for KEXINIT.
const CipherSpec* offeredCiphers(size_t& count);

std::unique_ptr<PacketCipher> makeNullCipher();
// Throws std::runtime_error when OpenSSL cannot set the cipher up.
std::unique_ptr<PacketCipher> makeCipher(const CipherSpec& spec, std::string_view key,
                                         std::string_view iv, bool encrypt);

}  // namespace rportd::ssh
