#pragma once
// Certificates and keys made with OpenSSL at test time: nothing to expire in
// the repository, and every test gets exactly the names and dates it needs.
#include <string>
#include <vector>

namespace rport::test::tls {

enum class KeyKind { EcdsaP256, Rsa2048 };

struct CertificateSpec {
    std::string commonName = "localhost";
    std::vector<std::string> dnsNames;
    std::vector<std::string> ipAddresses;
    long serial = 1;
    KeyKind keyKind = KeyKind::EcdsaP256;
    long validFromSeconds = -3600;  // relative to now
    long validForSeconds = 86400;
    bool certificateAuthority = false;
    // TLS-ALPN-01 (RFC 8737): the SHA-256 of a key authorization (32 raw
    // bytes), carried in the acmeIdentifier extension; empty: none.
    std::string acmeIdentifier;
    bool acmeIdentifierCritical = true;
};

struct IssuedCertificate {
    std::string certificatePem;
    std::string keyPem;
};

// Self-signed when `issuer` is null, else signed by it (a CA from this function).
IssuedCertificate issueCertificate(const CertificateSpec& spec, const IssuedCertificate* issuer = nullptr);

// A TLS-ALPN-01 challenge certificate as an ACME client makes it: self-signed,
// `name` as its only DNS name, `digest` (32 bytes) in the acmeIdentifier extension.
IssuedCertificate acmeChallengeCertificate(const std::string& name, const std::string& digest, long serial);

// The same key as PKCS#8 PEM encrypted under `password`.
std::string encryptedKeyPem(const std::string& keyPem, const std::string& password);

// The certificates most tests share, made once per test program (RSA keys
// take a while). Serials are distinct so a client can tell which was served.
struct TestKit {
    IssuedCertificate ecdsa;        // serial 1001: localhost, api.example.com, 127.0.0.1
    IssuedCertificate ecdsaRenewed; // serial 1002: same names, a new key (a renewal)
    IssuedCertificate rsa;          // serial 2001: RSA 2048, localhost, rsa.example.com
    IssuedCertificate authority;    // serial 3000: a CA
    IssuedCertificate chained;      // serial 3001: chain.example.com, issued by `authority`
    IssuedCertificate wildcard;     // serial 4001: *.tunnels.example.com
    IssuedCertificate expired;      // serial 5001: expired.example.com, expired a day ago
};
const TestKit& testKit();

}  // namespace rport::test::tls
