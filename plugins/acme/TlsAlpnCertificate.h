#pragma once
// The self-signed certificate that answers a TLS-ALPN-01 challenge (RFC 8737
// §3): a fresh P-256 key, one subjectAltName dNSName (the name being
// validated) and the critical id-pe-acmeIdentifier extension (OID
// 1.3.6.1.5.5.7.1.31) whose value is the DER OCTET STRING of
// SHA-256(key authorization).
#include <rport/secret.hpp>
#include <string>

namespace rport::plugins::acme {

struct TlsAlpnCertificate {
    std::string certPem;
    rport::sdk::SecretString keyPem;
};

constexpr const char* kAcmeIdentifierOid = "1.3.6.1.5.5.7.1.31";

TlsAlpnCertificate makeTlsAlpnCertificate(const std::string& name,
                                          const std::string& keyAuthorization);

}  // namespace rport::plugins::acme
