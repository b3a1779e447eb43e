#pragma once
// ACME TLS-ALPN-01 (RFC 8737) on the wire. The CA validates a name by
// opening TLS to it on port 443 with "acme-tls/1" as its only ALPN protocol
// and checking the self-signed certificate it is given for a critical
// acmeIdentifier extension that holds the SHA-256 of the key authorization.
// Nothing follows the handshake. The store (CertificateStore) decides which
// certificate such a handshake gets; this file only reads and checks.
#include <openssl/x509.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace rportd::tls {

inline constexpr std::string_view kAcmeTlsAlpnProtocol = "acme-tls/1";

// Whether the body of a ClientHello's ALPN extension (RFC 7301 section 3.1:
// a two-byte list length, then length-prefixed protocol names) lists
// `protocol`. A malformed body lists nothing; reading never leaves it.
bool alpnExtensionOffers(const unsigned char* body, size_t size, std::string_view protocol);

// "" when `leaf` carries the acmeIdentifier extension as RFC 8737 section 3
// requires (critical, the DER of an OCTET STRING of 32 bytes), else what is
// wrong, for the operator.
std::string acmeIdentifierProblem(const X509* leaf);

}  // namespace rportd::tls
