#pragma once
// The server's TLS profile: which protocol versions, suites, groups and
// features every listener context gets. One place, so the base context and
// every certificate generation agree (they are swapped mid-handshake).
#include <openssl/ssl.h>

#include <string>
#include <vector>

namespace rportd::tls {

struct TlsPolicy {
    // Lowest accepted protocol: "1.2" or "1.3". 1.2 by default because
    // reverse proxies (nginx upstreams) often still speak only 1.2.
    std::string minVersion = "1.2";
    // ALPN ids we accept, in our order of preference. A client offering none
    // of them still connects, without ALPN. TLS-ALPN-01 challenge contexts
    // accept "acme-tls/1" alone (CertificateStore::loadAcmeChallenge).
    std::vector<std::string> alpnProtocols = {"http/1.1"};
};

// Empty when the policy is usable, else why not (for the config error).
std::string validateTlsPolicy(const TlsPolicy& policy);

// Applies the profile to a fresh server SSL_CTX: TLS 1.2/1.3 only, AEAD
// suites with forward secrecy, X25519/P-256/P-384, no renegotiation, no
// compression, session tickets on, partial writes, buffers released while
// idle, ALPN selection. False (with `error` set) if OpenSSL refused a setting.
bool applyTlsPolicy(SSL_CTX* ctx, const TlsPolicy& policy, std::string& error);

}  // namespace rportd::tls
