#include "ssh/KeyExchange.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <vector>

#include "ssh/HostKey.h"
#include "ssh/PacketLayer.h"
#include "ssh/SshMessages.h"
#include "ssh/SshWire.h"

namespace rportd::ssh {
namespace {

const std::vector<std::string> kKexAlgorithms = {
    "curve25519-sha256", "curve25519-sha256@libssh.org", "ecdh-sha2-nistp256"};
// Never used: every offered cipher is an AEAD, and with an AEAD cipher the
// MAC choice is ignored (OpenSSH, Go and ssh2 agree). A list is still sent
// because some clients refuse an empty one.
const std::vector<std::string> kMacAlgorithms = {"hmac-sha2-256-etm@openssh.com", "hmac-sha2-256"};

std::vector<std::string> cipherNames() {
    size_t count = 0;
    const CipherSpec* specs = offeredCiphers(count);
    std::vector<std::string> names;
    for (size_t i = 0; i < count; ++i) names.emplace_back(specs[i].name);
    return names;
}

std::string firstCommon(const std::vector<std::string>& client,
                        const std::vector<std::string>& server, const char* category) {
    for (const auto& name : client)
        for (const auto& offered : server)
            if (name == offered) return name;
    throw ProtocolError(kKeyExchangeFailed, std::string("no common ") + category + " algorithm");
}

struct PkeyDeleter {
    void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyDeleter>;
struct PkeyCtxDeleter {
    void operator()(EVP_PKEY_CTX* ctx) const { EVP_PKEY_CTX_free(ctx); }
};
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxDeleter>;

// Our ephemeral key pair and the peer's public key, for one exchange.
struct EphemeralPair {
    Pkey ours;
    Pkey theirs;
    std::string ourPublic;
};

EphemeralPair x25519(std::string_view clientPublic) {
    if (clientPublic.size() != 32)
        throw ProtocolError(kKeyExchangeFailed, "X25519 public key is not 32 bytes");
    EphemeralPair pair;
    pair.ours.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "X25519"));
    pair.theirs.reset(EVP_PKEY_new_raw_public_key(
        EVP_PKEY_X25519, nullptr, reinterpret_cast<const unsigned char*>(clientPublic.data()), 32));
    if (!pair.ours || !pair.theirs)
        throw ProtocolError(kKeyExchangeFailed, "X25519 key setup failed");
    unsigned char raw[32];
    size_t size = sizeof raw;
    if (EVP_PKEY_get_raw_public_key(pair.ours.get(), raw, &size) != 1)
        throw ProtocolError(kKeyExchangeFailed, "X25519 public key unavailable");
    pair.ourPublic.assign(reinterpret_cast<char*>(raw), size);
    return pair;
}

EphemeralPair nistp256(std::string_view clientPublic) {
    // Uncompressed points only, as RFC 5656 §3.1 allows and every client sends.
    if (clientPublic.size() != 65 || clientPublic[0] != 0x04)
        throw ProtocolError(kKeyExchangeFailed, "P-256 public key is not an uncompressed point");
    EphemeralPair pair;
    pair.ours.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    if (!pair.ours) throw ProtocolError(kKeyExchangeFailed, "P-256 key generation failed");
    unsigned char point[65];
    size_t size = 0;
    if (EVP_PKEY_get_octet_string_param(pair.ours.get(), OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point,
                                        sizeof point, &size) != 1 ||
        size != 65)
        throw ProtocolError(kKeyExchangeFailed, "P-256 public key unavailable");
    pair.ourPublic.assign(reinterpret_cast<char*>(point), size);

    // Importing checks that the point lies on the curve (an invalid-curve
    // attack would otherwise leak bits of our ephemeral key).
    PkeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
    char group[] = "prime256v1";
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0),
        OSSL_PARAM_construct_octet_string(
            OSSL_PKEY_PARAM_PUB_KEY, const_cast<char*>(clientPublic.data()), clientPublic.size()),
        OSSL_PARAM_construct_end()};
    EVP_PKEY* theirs = nullptr;
    if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
        EVP_PKEY_fromdata(ctx.get(), &theirs, EVP_PKEY_PUBLIC_KEY, params) != 1)
        throw ProtocolError(kKeyExchangeFailed, "P-256 public key is not on the curve");
    pair.theirs.reset(theirs);
    PkeyCtx check(EVP_PKEY_CTX_new_from_pkey(nullptr, pair.theirs.get(), nullptr));
    if (!check || EVP_PKEY_public_check(check.get()) != 1)
        throw ProtocolError(kKeyExchangeFailed, "P-256 public key is invalid");
    return pair;
}

std::string derive(const EphemeralPair& pair) {
    PkeyCtx ctx(EVP_PKEY_CTX_new(pair.ours.get(), nullptr));
    size_t size = 0;
    if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 ||
        EVP_PKEY_derive_set_peer(ctx.get(), pair.theirs.get()) != 1 ||
        EVP_PKEY_derive(ctx.get(), nullptr, &size) != 1)
        throw ProtocolError(kKeyExchangeFailed, "key agreement failed");
    std::string secret(size, '\0');
    if (EVP_PKEY_derive(ctx.get(), reinterpret_cast<unsigned char*>(secret.data()), &size) != 1)
        throw ProtocolError(kKeyExchangeFailed, "key agreement failed");
    secret.resize(size);
    // RFC 8731 §3: an all-zero X25519 result means a low-order peer key.
    bool allZero = true;
    for (char c : secret) allZero = allZero && c == 0;
    if (allZero) throw ProtocolError(kKeyExchangeFailed, "key agreement produced zero");
    return secret;
}

std::string sha256(std::string_view data) {
    unsigned char digest[32];
    unsigned int size = 0;
    if (EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("SHA-256 failed");
    return std::string(reinterpret_cast<char*>(digest), size);
}

}  // namespace

std::string buildServerKexInit(bool initial) {
    unsigned char cookie[16];
    if (RAND_bytes(cookie, sizeof cookie) != 1)
        throw std::runtime_error("no random bytes for KEXINIT");
    std::vector<std::string> kex = kKexAlgorithms;
    if (initial) kex.emplace_back(kStrictKexServer);
    std::vector<std::string> ciphers = cipherNames();
    WireWriter w;
    w.byte(kKexInit).raw(std::string_view(reinterpret_cast<char*>(cookie), sizeof cookie));
    w.nameList(kex).nameList({HostKey::algorithm});
    w.nameList(ciphers).nameList(ciphers);
    w.nameList(kMacAlgorithms).nameList(kMacAlgorithms);
    w.nameList({"none"}).nameList({"none"});
    w.nameList({}).nameList({});
    w.boolean(false).uint32(0);
    return w.take();
}

Negotiated negotiate(std::string_view clientKexInit, bool initial) {
    WireReader r(clientKexInit);
    r.byte();
    r.raw(16);
    auto kex = r.nameList();
    auto hostKeys = r.nameList();
    auto ciphersCs = r.nameList();
    auto ciphersSc = r.nameList();
    r.nameList();  // MACs: irrelevant with AEAD ciphers
    r.nameList();
    auto compressionCs = r.nameList();
    auto compressionSc = r.nameList();
    r.nameList();  // languages
    r.nameList();
    bool guessFollows = r.boolean();
    r.uint32();  // reserved

    Negotiated chosen;
    chosen.kex = firstCommon(kex, kKexAlgorithms, "key exchange");
    std::string hostKey = firstCommon(hostKeys, {HostKey::algorithm}, "host key");
    std::vector<std::string> ciphers = cipherNames();
    chosen.clientToServer = findCipher(firstCommon(ciphersCs, ciphers, "client-to-server cipher"));
    chosen.serverToClient = findCipher(firstCommon(ciphersSc, ciphers, "server-to-client cipher"));
    firstCommon(compressionCs, {"none"}, "compression");
    firstCommon(compressionSc, {"none"}, "compression");
    if (initial)
        for (const auto& name : kex) chosen.strict = chosen.strict || name == kStrictKexClient;
    // RFC 4253 §7: a guess is right when the client's first choices are
    // the negotiated ones; otherwise its guessed packet must be ignored.
    chosen.wrongGuessFollows =
        guessFollows && (kex.front() != chosen.kex || hostKeys.front() != hostKey);
    return chosen;
}

EcdhExchange::EcdhExchange(const Negotiated& chosen, const HostKey& hostKey, const Inputs& inputs,
                           std::string_view clientPublic)
    : _chosen(chosen) {
    EphemeralPair pair =
        chosen.kex == "ecdh-sha2-nistp256" ? nistp256(clientPublic) : x25519(clientPublic);
    std::string secret = derive(pair);
    _sharedSecret = WireWriter().mpintFromUnsigned(secret).take();
    OPENSSL_cleanse(secret.data(), secret.size());

    WireWriter h;
    h.string(inputs.clientVersion).string(inputs.serverVersion);
    h.string(inputs.clientKexInit).string(inputs.serverKexInit);
    h.string(hostKey.publicBlob()).string(clientPublic).string(pair.ourPublic);
    h.raw(_sharedSecret);
    _hash = sha256(h.buffer());

    WireWriter reply;
    reply.byte(kKexEcdhReply)
        .string(hostKey.publicBlob())
        .string(pair.ourPublic)
        .string(hostKey.sign(_hash));
    _reply = reply.take();
}

std::string EcdhExchange::deriveKey(char letter, std::string_view sessionId, size_t size) const {
    // RFC 4253 §7.2: K1 = HASH(K || H || letter || session_id), then extend
    // with HASH(K || H || K1 || ... ) until long enough.
    std::string key = sha256(WireWriter(_sharedSecret)
                                 .raw(_hash)
                                 .byte(static_cast<uint8_t>(letter))
                                 .raw(sessionId)
                                 .take());
    while (key.size() < size) key += sha256(WireWriter(_sharedSecret).raw(_hash).raw(key).take());
    key.resize(size);
    return key;
}

std::unique_ptr<PacketCipher> EcdhExchange::incomingCipher(std::string_view sessionId) const {
    const CipherSpec& spec = *_chosen.clientToServer;
    return makeCipher(spec, deriveKey('C', sessionId, spec.keySize),
                      deriveKey('A', sessionId, spec.ivSize), false);
}

std::unique_ptr<PacketCipher> EcdhExchange::outgoingCipher(std::string_view sessionId) const {
    const CipherSpec& spec = *_chosen.serverToClient;
    return makeCipher(spec, deriveKey('D', sessionId, spec.keySize),
                      deriveKey('B', sessionId, spec.ivSize), true);
}

}  // namespace rportd::ssh
