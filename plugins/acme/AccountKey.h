#pragma once
// The ACME account key: EC P-256, signing with ES256. Everything the server
// learns about the key goes through here: its JWK, its RFC 7638 thumbprint
// (part of every key authorization) and signatures (acme-client's acctproc
// keeps this behind one small interface too).
#include <string>
#include <string_view>

#include "PrivateKey.h"

namespace rport::plugins::acme {

class AccountKey {
public:
    static AccountKey generate();
    // Throws CryptoError unless pem holds an EC P-256 private key.
    static AccountKey fromPem(std::string_view pem);

    rport::sdk::SecretString pem() const { return _key.pem(); }
    // {"crv":"P-256","kty":"EC","x":"…","y":"…"}: the required members in
    // lexicographic order without whitespace, so it is also the input of
    // the thumbprint.
    const std::string& jwk() const { return _jwk; }
    // base64url(SHA-256(jwk)), RFC 7638.
    std::string thumbprint() const;
    // ES256 (RFC 7518 §3.4): the 64-byte r||s form, not DER.
    std::string sign(std::string_view data) const;

private:
    explicit AccountKey(PrivateKey key);
    PrivateKey _key;
    std::string _jwk;
};

// base64url(SHA-256(canonicalJwk)): the thumbprint of a JWK already written
// in RFC 7638's canonical form.
std::string jwkThumbprint(const std::string& canonicalJwk);

}  // namespace rport::plugins::acme
