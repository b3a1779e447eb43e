#pragma once
// What the TLS listener serves. Each source (one per configured provider:
// "api" for the manual files, later an ACME account, ...) publishes its
// current certificate generation here; every handshake picks one by the SNI
// name of its ClientHello. Swapping a generation never touches connections
// already running: they keep the SSL_CTX they started with.
//
// Every SSL is created on a base context that holds no certificate. Its
// ClientHello callback reads the SNI itself and switches the SSL to the
// chosen generation's context. (The servername callback runs too late to
// change the certificate in some TLS 1.3 paths.)
//
// The store must outlive every connection created on its base context: the
// callback reaches it through a plain pointer. The server owns both.
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tls/OpenSslHandles.h"
#include "tls/ServedCertificate.h"
#include "tls/TicketKeyRing.h"
#include "tls/TlsPolicy.h"

namespace rportd::tls {

class CertificateStore {
public:
    struct Entry {
        std::string source;
        std::shared_ptr<const ServedCertificate> certificate;
    };

    // Throws std::runtime_error if the policy is unusable (a config error).
    explicit CertificateStore(TlsPolicy policy = TlsPolicy(),
                              std::shared_ptr<TicketKeyRing> ticketKeys = std::make_shared<TicketKeyRing>());
    ~CertificateStore();
    CertificateStore(const CertificateStore&) = delete;
    CertificateStore& operator=(const CertificateStore&) = delete;

    // Parses a generation with this store's policy and ticket keys.
    ServedCertificate::LoadResult load(std::string_view chainPem, std::string_view keyPem) const;

    // Publishes `certificate` as the current generation of `source`,
    // replacing the previous one at once for new handshakes.
    void setCertificate(const std::string& source, std::shared_ptr<const ServedCertificate> certificate);
    void removeSource(const std::string& source);
    // The source that answers names nobody covers and clients without SNI.
    // Until chosen (or while it has no certificate), the first source set.
    void setDefaultSource(const std::string& source);

    // ACME TLS-ALPN-01 (RFC 8737). A handshake whose ClientHello offers the
    // ALPN protocol "acme-tls/1" gets the challenge certificate published for
    // its SNI name, and nothing else: without one it is refused, never served
    // an ordinary certificate. Only an ACME CA offers acme-tls/1, so ordinary
    // handshakes are not touched, and challenges are answered while the
    // store has no ordinary certificate yet (before the first ACME one).
    //
    // Parses a challenge certificate with this store's policy, acme-tls/1 as
    // the only ALPN protocol and no session tickets; the leaf must carry the
    // critical acmeIdentifier extension.
    ServedCertificate::LoadResult loadAcmeChallenge(std::string_view certificatePem,
                                                    std::string_view keyPem) const;
    // Publishes `certificate` (from loadAcmeChallenge) for handshakes that
    // ask for `name`, compared like SNI names (case-insensitive, without a
    // trailing dot); replaces what `name` had. Throws std::invalid_argument
    // for an empty name or a null certificate.
    void setAcmeChallenge(const std::string& name, std::shared_ptr<const ServedCertificate> certificate);
    void removeAcmeChallenge(const std::string& name);
    // The challenge certificate published for `sniName`, or null.
    std::shared_ptr<const ServedCertificate> acmeChallenge(std::string_view sniName) const;

    // The generation to serve for `sniName` ("" when the client sent none):
    // an exact DNS or IP SAN match, then a wildcard match, then the default.
    // Null only if no certificate was ever set.
    std::shared_ptr<const ServedCertificate> select(std::string_view sniName) const;
    // Every source with its current generation, in the order first set (/status).
    std::vector<Entry> snapshot() const;

    // The certificate-less context every connection's SSL is created on.
    SSL_CTX* baseContext() const { return _base.get(); }
    const TlsPolicy& policy() const { return _policy; }
    const std::shared_ptr<TicketKeyRing>& ticketKeys() const { return _ticketKeys; }

private:
    using ChallengeMap = std::unordered_map<std::string, std::shared_ptr<const ServedCertificate>>;

    // Immutable once published; handshakes read it without locking a mutex.
    struct Table {
        std::vector<Entry> entries;
        std::string defaultSource;
        // Exact DNS names, canonical IP addresses and "*.parent" patterns.
        std::unordered_map<std::string, std::shared_ptr<const ServedCertificate>> byName;
        std::shared_ptr<const ServedCertificate> fallback;
        ChallengeMap acmeChallenges;  // TLS-ALPN-01 certificates by normalised name
    };

    void publish(std::vector<Entry> entries, std::string defaultSource, ChallengeMap acmeChallenges);

    const TlsPolicy _policy;
    const std::shared_ptr<TicketKeyRing> _ticketKeys;
    SslCtxPtr _base;
    std::mutex _writeMutex;  // serialises writers; readers use the atomic snapshot
    std::shared_ptr<const Table> _table;
};

}  // namespace rportd::tls
