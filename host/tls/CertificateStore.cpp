#include "tls/CertificateStore.h"

#include <openssl/err.h>

#include <atomic>
#include <stdexcept>

#include "tls/AcmeTlsAlpn.h"
#include "tls/ServerContext.h"

namespace rportd::tls {

namespace {

// The host_name entry of a server_name extension body (RFC 6066 section 3),
// or "" if there is none or the body is malformed (OpenSSL rejects malformed
// extensions itself right after this callback).
std::string_view serverNameFromExtension(const unsigned char* body, size_t size) {
    if (size < 2) return std::string_view();
    size_t listSize = (static_cast<size_t>(body[0]) << 8) | body[1];
    if (listSize != size - 2) return std::string_view();
    size_t at = 2;
    while (at + 3 <= size) {
        unsigned char type = body[at];
        size_t nameSize = (static_cast<size_t>(body[at + 1]) << 8) | body[at + 2];
        at += 3;
        if (at + nameSize > size) return std::string_view();
        if (type == TLSEXT_NAMETYPE_host_name) {
            return std::string_view(reinterpret_cast<const char*>(body + at), nameSize);
        }
        at += nameSize;
    }
    return std::string_view();
}

bool offersAcmeTlsAlpn(SSL* ssl) {
    const unsigned char* body = nullptr;
    size_t size = 0;
    return SSL_client_hello_get0_ext(ssl, TLSEXT_TYPE_application_layer_protocol_negotiation, &body, &size) == 1 &&
           alpnExtensionOffers(body, size, kAcmeTlsAlpnProtocol);
}

// A TLS-ALPN-01 validation gets the challenge certificate or a refusal,
// never an ordinary certificate under the acme-tls/1 protocol.
int answerAcmeChallenge(SSL* ssl, int* alert, const std::shared_ptr<const ServedCertificate>& challenge) {
    if (!challenge) {
        ERR_raise_data(ERR_LIB_USER, 1, "acme-tls/1 offered, but no TLS-ALPN-01 challenge is published for the name");
        *alert = SSL_AD_NO_APPLICATION_PROTOCOL;
        return SSL_CLIENT_HELLO_ERROR;
    }
    if (SSL_set_SSL_CTX(ssl, challenge->context()) == nullptr) {
        *alert = SSL_AD_INTERNAL_ERROR;
        return SSL_CLIENT_HELLO_ERROR;
    }
    // One full handshake and nothing else: no ticket issued, none accepted
    // (a resumed handshake would not even show the certificate). The
    // extensions are parsed after this callback, so this still applies.
    SSL_set_options(ssl, SSL_OP_NO_TICKET);
    SSL_set_num_tickets(ssl, 0);
    return SSL_CLIENT_HELLO_SUCCESS;
}

int chooseCertificate(SSL* ssl, int* alert, void* arg) {
    const auto* store = static_cast<const CertificateStore*>(arg);
    const unsigned char* body = nullptr;
    size_t size = 0;
    std::string_view sniName;
    if (SSL_client_hello_get0_ext(ssl, TLSEXT_TYPE_server_name, &body, &size) == 1) {
        sniName = serverNameFromExtension(body, size);
    }
    if (offersAcmeTlsAlpn(ssl)) return answerAcmeChallenge(ssl, alert, store->acmeChallenge(sniName));
    std::shared_ptr<const ServedCertificate> chosen = store->select(sniName);
    if (!chosen) {
        // Our own text, so the transport's failure line says what is wrong.
        ERR_raise_data(ERR_LIB_USER, 1, "no certificate is configured");
        *alert = SSL_AD_HANDSHAKE_FAILURE;
        return SSL_CLIENT_HELLO_ERROR;
    }
    // Takes its own reference on the context: the connection keeps this
    // generation alive even if it is swapped out and released meanwhile.
    if (SSL_set_SSL_CTX(ssl, chosen->context()) == nullptr) {
        *alert = SSL_AD_INTERNAL_ERROR;
        return SSL_CLIENT_HELLO_ERROR;
    }
    return SSL_CLIENT_HELLO_SUCCESS;
}

}  // namespace

CertificateStore::CertificateStore(TlsPolicy policy, std::shared_ptr<TicketKeyRing> ticketKeys)
    : _policy(std::move(policy)), _ticketKeys(std::move(ticketKeys)), _table(std::make_shared<const Table>()) {
    std::string error;
    _base = newServerContext(_policy, _ticketKeys, error);
    if (!_base) throw std::runtime_error(error);
    SSL_CTX_set_client_hello_cb(_base.get(), chooseCertificate, this);
}

CertificateStore::~CertificateStore() = default;

ServedCertificate::LoadResult CertificateStore::load(std::string_view chainPem, std::string_view keyPem) const {
    return ServedCertificate::fromPem(chainPem, keyPem, _policy, _ticketKeys);
}

ServedCertificate::LoadResult CertificateStore::loadAcmeChallenge(std::string_view certificatePem,
                                                                  std::string_view keyPem) const {
    TlsPolicy challengePolicy = _policy;
    challengePolicy.alpnProtocols = {std::string(kAcmeTlsAlpnProtocol)};
    // No ticket keys: a validation is never resumed (see answerAcmeChallenge).
    ServedCertificate::LoadResult loaded = ServedCertificate::fromPem(certificatePem, keyPem, challengePolicy, nullptr);
    if (!loaded.certificate) return loaded;
    std::string problem = acmeIdentifierProblem(SSL_CTX_get0_certificate(loaded.certificate->context()));
    if (!problem.empty()) return {nullptr, problem};
    return loaded;
}

void CertificateStore::setAcmeChallenge(const std::string& name, std::shared_ptr<const ServedCertificate> certificate) {
    std::string key = normalizeHostName(name);
    if (key.empty()) throw std::invalid_argument("a TLS-ALPN-01 challenge needs a name");
    if (!certificate) throw std::invalid_argument("a TLS-ALPN-01 challenge needs a certificate");
    std::lock_guard<std::mutex> lock(_writeMutex);
    std::shared_ptr<const Table> current = std::atomic_load(&_table);
    ChallengeMap challenges = current->acmeChallenges;
    challenges[key] = std::move(certificate);
    publish(current->entries, current->defaultSource, std::move(challenges));
}

void CertificateStore::removeAcmeChallenge(const std::string& name) {
    std::lock_guard<std::mutex> lock(_writeMutex);
    std::shared_ptr<const Table> current = std::atomic_load(&_table);
    ChallengeMap challenges = current->acmeChallenges;
    if (challenges.erase(normalizeHostName(name)) == 0) return;
    publish(current->entries, current->defaultSource, std::move(challenges));
}

std::shared_ptr<const ServedCertificate> CertificateStore::acmeChallenge(std::string_view sniName) const {
    std::shared_ptr<const Table> table = std::atomic_load(&_table);
    if (sniName.empty() || table->acmeChallenges.empty()) return nullptr;
    auto found = table->acmeChallenges.find(normalizeHostName(sniName));
    return found != table->acmeChallenges.end() ? found->second : nullptr;
}

void CertificateStore::setCertificate(const std::string& source, std::shared_ptr<const ServedCertificate> certificate) {
    std::lock_guard<std::mutex> lock(_writeMutex);
    std::shared_ptr<const Table> current = std::atomic_load(&_table);
    std::vector<Entry> entries = current->entries;
    bool replaced = false;
    for (Entry& entry : entries) {
        if (entry.source == source) {
            entry.certificate = certificate;
            replaced = true;
        }
    }
    if (!replaced) entries.push_back(Entry{source, std::move(certificate)});
    publish(std::move(entries), current->defaultSource, current->acmeChallenges);
}

void CertificateStore::removeSource(const std::string& source) {
    std::lock_guard<std::mutex> lock(_writeMutex);
    std::shared_ptr<const Table> current = std::atomic_load(&_table);
    std::vector<Entry> entries;
    for (const Entry& entry : current->entries) {
        if (entry.source != source) entries.push_back(entry);
    }
    publish(std::move(entries), current->defaultSource, current->acmeChallenges);
}

void CertificateStore::setDefaultSource(const std::string& source) {
    std::lock_guard<std::mutex> lock(_writeMutex);
    std::shared_ptr<const Table> current = std::atomic_load(&_table);
    publish(current->entries, source, current->acmeChallenges);
}

void CertificateStore::publish(std::vector<Entry> entries, std::string defaultSource, ChallengeMap acmeChallenges) {
    auto table = std::make_shared<Table>();
    table->entries = std::move(entries);
    table->defaultSource = std::move(defaultSource);
    table->acmeChallenges = std::move(acmeChallenges);
    for (const Entry& entry : table->entries) {
        if (!entry.certificate) continue;
        if (!table->fallback) table->fallback = entry.certificate;
        if (entry.source == table->defaultSource) table->fallback = entry.certificate;
        // emplace keeps the first claim: an earlier source wins a shared name.
        for (const std::string& name : entry.certificate->info().dnsNames) table->byName.emplace(name, entry.certificate);
        for (const std::string& ip : entry.certificate->info().ipAddresses) table->byName.emplace(ip, entry.certificate);
    }
    std::atomic_store(&_table, std::shared_ptr<const Table>(std::move(table)));
}

std::shared_ptr<const ServedCertificate> CertificateStore::select(std::string_view sniName) const {
    std::shared_ptr<const Table> table = std::atomic_load(&_table);
    if (sniName.empty() || table->byName.empty()) return table->fallback;
    std::string ip = canonicalIpAddress(sniName);
    std::string name = ip.empty() ? normalizeHostName(sniName) : ip;
    auto exact = table->byName.find(name);
    if (exact != table->byName.end()) return exact->second;
    if (ip.empty()) {
        std::string wildcard = wildcardFor(name);
        if (!wildcard.empty()) {
            auto matched = table->byName.find(wildcard);
            if (matched != table->byName.end()) return matched->second;
        }
    }
    return table->fallback;
}

std::vector<CertificateStore::Entry> CertificateStore::snapshot() const {
    return std::atomic_load(&_table)->entries;
}

}  // namespace rportd::tls
