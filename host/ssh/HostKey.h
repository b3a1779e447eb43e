#pragma once
// The SSH host key of the client listener: ECDSA P-256, like the original rportd.
//
// rport clients pin the server by the MD5 fingerprint of this key, so a key derived
// from `[server] key_seed` must come out bit for bit as the original derives it; that
// is what lets clients move to this server without touching their configuration.
#include <openssl/types.h>

#include <memory>
#include <string>
#include <string_view>

namespace rportd::ssh {

class HostKey {
public:
    // The original's derivation from `[server] key_seed`. An empty seed is refused
    // (std::invalid_argument): the original takes it to mean "random key", and a key
    // derived from "" would be one anybody can compute.
    static HostKey fromSeed(std::string_view seed);
    // A fresh key from OpenSSL's random generator.
    static HostKey generate();
    // The key kept in a file (PEM; written as PKCS#8, read in any form OpenSSL knows):
    // loaded when the file exists, otherwise generated and written atomically with mode
    // 0600. `created` tells which happened. An unreadable or invalid file throws
    // std::runtime_error naming the path and is never replaced.
    static HostKey loadOrCreate(const std::string& path, bool* created = nullptr);

    static constexpr const char* algorithm = "ecdsa-sha2-nistp256";

    HostKey(HostKey&&) noexcept = default;
    HostKey& operator=(HostKey&&) noexcept = default;
    ~HostKey() = default;

    // SSH wire form (RFC 5656 §3.1): string algorithm, string "nistp256", string Q with
    // Q the uncompressed 65-byte point.
    const std::string& publicBlob() const { return _publicBlob; }
    // MD5 of the blob as "ab:1d:...": what rport clients pin.
    std::string fingerprintMd5() const;
    // "SHA256:<base64 without padding>", as OpenSSH prints it.
    std::string fingerprintSha256() const;
    // "ecdsa-sha2-nistp256 AAAA..." (authorized_keys / known_hosts form, no comment).
    std::string openSshPublicLine() const;
    // SSH signature blob (RFC 5656 §3.1.2): string algorithm, string(mpint r, mpint s),
    // ECDSA over SHA-256(data).
    std::string sign(std::string_view data) const;
    // PEM PKCS#8 of the private key (what loadOrCreate writes).
    std::string privatePem() const;

private:
    struct PkeyFree {
        void operator()(EVP_PKEY* key) const;
    };
    explicit HostKey(EVP_PKEY* key);  // takes ownership; checks it is a P-256 key

    std::unique_ptr<EVP_PKEY, PkeyFree> _key;
    std::string _publicBlob;
};

// Checks a signature blob as HostKey::sign makes it against a public blob. Any malformed
// input is a plain `false`: both come from the network on the client side.
bool verifyHostSignature(std::string_view publicBlob, std::string_view data,
                         std::string_view signatureBlob);

}  // namespace rportd::ssh
