#pragma once
// One certificate generation as the listener serves it: the chain and key
// parsed once into a ready SSL_CTX, plus what /status shows about it.
// Immutable; held as shared_ptr<const ServedCertificate>. When the last
// holder lets go the SSL_CTX is released, but a connection that started on
// it keeps it alive through OpenSSL's own reference (SSL_set_SSL_CTX takes one).
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tls/OpenSslHandles.h"
#include "tls/TicketKeyRing.h"
#include "tls/TlsPolicy.h"

namespace rportd::tls {

struct CertificateInfo {
    std::string subjectCommonName;         // "" when the subject has no CN
    std::vector<std::string> dnsNames;     // SAN dNSName entries, lower case
    std::vector<std::string> ipAddresses;  // SAN iPAddress entries, as inet_ntop writes them
    std::string issuer;                    // the issuer's CN, else its one-line DN
    std::string serialHex;                 // upper-case hex, no leading "0x"
    int64_t notBefore = 0;                 // Unix seconds
    int64_t notAfter = 0;
    size_t intermediateCount = 0;          // chain certificates sent after the leaf
};

class ServedCertificate {
public:
    struct LoadResult {
        std::shared_ptr<const ServedCertificate> certificate;  // null on failure
        std::string error;                                     // why, for the operator
    };

    // `chainPem`: the leaf first, then intermediates (a certbot fullchain.pem).
    // `keyPem`: the unencrypted private key of the leaf.
    static LoadResult fromPem(std::string_view chainPem, std::string_view keyPem, const TlsPolicy& policy,
                              const std::shared_ptr<TicketKeyRing>& ring);

    // The context a handshake switches to when it picks this generation.
    SSL_CTX* context() const { return _context.get(); }
    const CertificateInfo& info() const { return _info; }

    // Whether a client asking for `hostName` would accept this certificate:
    // a DNS SAN equal to it (case-insensitive, trailing dot ignored), a
    // "*.parent" SAN when the name is exactly one label under parent, or an
    // IP SAN equal to an address literal. The subject CN is not consulted,
    // as clients no longer do.
    bool covers(std::string_view hostName) const;

    ServedCertificate(SslCtxPtr context, CertificateInfo info);  // use fromPem()

private:
    SslCtxPtr _context;
    CertificateInfo _info;
};

// Host name matching shared with the certificate store's index.
std::string normalizeHostName(std::string_view hostName);  // lower case, no trailing dot
std::string canonicalIpAddress(std::string_view text);     // "" if `text` is no IP literal
std::string wildcardFor(std::string_view normalizedHostName);  // "*.b.c" for "a.b.c", "" if none

}  // namespace rportd::tls
