#pragma once
// What the plugin needs to know about a certificate chain it got or stored:
// the leaf's validity, serial, names and Authority Key Identifier, whether a
// key belongs to it, and its ARI certificate id (RFC 9773 §4.1).
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace rport::plugins::acme {

struct CertificateInfo {
    int64_t notBefore = 0;  // Unix seconds
    int64_t notAfter = 0;
    std::string serialHex;              // upper case, for log lines
    std::string serialBytes;            // the INTEGER's content octets (DER, no tag or length)
    std::string authorityKeyId;         // keyIdentifier of the AKI extension; "" when absent
    std::vector<std::string> dnsNames;  // subjectAltName dNSName entries
    size_t chainLength = 0;             // certificates in the PEM text

    bool coversName(const std::string& name) const;
    bool expiredAt(int64_t unixSeconds) const { return unixSeconds >= notAfter; }
};

class CertificateError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The leaf (first certificate) of a PEM chain; throws CertificateError when
// there is none or the PEM is broken.
CertificateInfo inspectChain(const std::string& chainPem);

// Why a certificate just issued cannot be used at nowUnix ("" when it can):
// it expired already, or it starts more than kIssuedClockSkewSeconds from now.
constexpr int64_t kIssuedClockSkewSeconds = 5 * 60;
std::string issuedValidityProblem(const CertificateInfo& info, int64_t nowUnix);

// True when keyPem is the private key of the chain's leaf.
bool keyMatchesLeaf(std::string_view chainPem, std::string_view keyPem);

// base64url(AKI keyIdentifier) "." base64url(serial content octets); "" when
// the certificate has no AKI keyIdentifier.
std::string ariCertificateId(const CertificateInfo& info);

}  // namespace rport::plugins::acme
