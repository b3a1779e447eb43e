#pragma once
// One SSH key exchange, server side (RFC 4253 §7-8, RFC 5656, RFC 8731):
// the KEXINIT the server offers, the choice of algorithms from the client's
// KEXINIT, the ephemeral ECDH (X25519 or NIST P-256), the exchange hash
// signed with the host key, and the keys derived from it.
#include <memory>
#include <string>
#include <string_view>

#include "ssh/PacketCipher.h"

namespace rportd::ssh {

class HostKey;

// Names that only signal a feature in the KEXINIT key-exchange list.
inline constexpr std::string_view kStrictKexClient = "kex-strict-c-v00@openssh.com";
inline constexpr std::string_view kStrictKexServer = "kex-strict-s-v00@openssh.com";

struct Negotiated {
    std::string kex;  // "curve25519-sha256" (either name) or "ecdh-sha2-nistp256"
    const CipherSpec* clientToServer = nullptr;
    const CipherSpec* serverToClient = nullptr;
    bool strict = false;             // both sides agreed on strict key exchange
    bool wrongGuessFollows = false;  // the client guessed wrong: drop its next kex packet
};

// The server's KEXINIT payload, message number included. The strict
// key-exchange marker is only sent in the first one, as OpenSSH does.
std::string buildServerKexInit(bool initial);

// Picks the algorithms (the client's first choice that the server offers) or
// throws ProtocolError naming the category that has nothing in common.
Negotiated negotiate(std::string_view clientKexInit, bool initial);

// The client's ephemeral key in, the reply and the new keys out.
class EcdhExchange {
public:
    struct Inputs {
        std::string_view clientVersion;  // without CR LF
        std::string_view serverVersion;
        std::string_view clientKexInit;  // payloads, message number included
        std::string_view serverKexInit;
    };

    // Throws ProtocolError on a malformed or invalid client public key.
    EcdhExchange(const Negotiated& chosen, const HostKey& hostKey, const Inputs& inputs,
                 std::string_view clientPublic);

    // The KEX_ECDH_REPLY payload.
    const std::string& reply() const { return _reply; }
    const std::string& exchangeHash() const { return _hash; }

    // Packet protection for each direction; `sessionId` is the first
    // exchange hash of the connection.
    std::unique_ptr<PacketCipher> incomingCipher(std::string_view sessionId) const;
    std::unique_ptr<PacketCipher> outgoingCipher(std::string_view sessionId) const;

private:
    std::string deriveKey(char letter, std::string_view sessionId, size_t size) const;

    Negotiated _chosen;
    std::string _sharedSecret;  // as an mpint, ready for hashing
    std::string _hash;
    std::string _reply;
};

}  // namespace rportd::ssh
