#pragma once
// The certificate providers rportd runs, each bound to one source of a TLS
// certificate store: the provider's current certificate is parsed and
// checked here, then published for new handshakes. When a provider reports a
// change (cert_changed), the new pair is loaded completely before it
// replaces the old one; a pair that does not load is refused with one log
// line and the previous one keeps serving. What /status shows about each
// served name is kept here too.
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "plugin_host/CertBackend.h"
#include "tls/CertificateStore.h"

namespace rportd::certs {

struct CertificateStatus {
    std::string source;    // "api"
    std::string provider;  // the cert-provider backend: "files", "certbot", ...
    std::string expectedHost;
    // What the provider last reported about expectedHost (providers that
    // order certificates themselves, ABI 1.1); empty state when none did.
    rport::sdk::ProviderStatus reported;
    std::shared_ptr<const tls::ServedCertificate> certificate;  // null before the first one
    int64_t lastReload = 0;  // Unix seconds of the last swap (or the first load)
    std::string lastError;   // the last refusal or provider error line; "" if none
    int64_t lastErrorAt = 0;
};

class CertificateSources {
public:
    CertificateSources() = default;
    ~CertificateSources();  // detaches from the providers before they go
    CertificateSources(const CertificateSources&) = delete;
    CertificateSources& operator=(const CertificateSources&) = delete;

    // Whether a source may start without a certificate: only a provider
    // that says it is working on one (it reported a status) may.
    enum class Waiting { Refused, Allowed };

    // Serves `backend`'s certificate as `source` from `store` (each
    // listener has its own store). Throws std::runtime_error naming the
    // provider when it has no usable certificate now, unless `waiting`
    // allows it and the provider is obtaining one: the certificate is then
    // served when the provider reports it. Logs the warnings: expired or
    // expiring soon, `expectedHost` not covered.
    void add(const std::string& source, std::shared_ptr<plugin_host::CertBackend> backend,
             const std::string& expectedHost, tls::CertificateStore& store,
             Waiting waiting = Waiting::Refused);

    // SIGHUP: every provider re-reads now (asynchronously; changes arrive
    // through cert_changed like any other).
    void reloadAll();

    std::vector<CertificateStatus> status() const;

    // Warnings worth logging about a certificate about to be served (also
    // used by --check-config). Empty when there is nothing to say.
    // hostOrigin says where expectedHost comes from, for the advice.
    static std::vector<std::string> warningsFor(
        const tls::ServedCertificate& certificate, const std::string& expectedHost, int64_t now,
        const std::string& hostOrigin = "the host of [api] base_url");

private:
    struct Source {
        // One refresh at a time: the one that read current() last publishes
        // last, so an older pair never replaces a newer one.
        std::mutex refreshing;
        std::string name;
        tls::CertificateStore* store = nullptr;
        std::string expectedHost;
        std::shared_ptr<plugin_host::CertBackend> backend;
        std::shared_ptr<const tls::ServedCertificate> certificate;
        int64_t lastReload = 0;
        std::string lastError;
        int64_t lastErrorAt = 0;
    };

    // Reads the provider's current pair and publishes it. At start a failure
    // throws; later it is logged and the old pair stays.
    void refresh(Source& source, bool atStart, Waiting waiting = Waiting::Refused);

    mutable std::mutex _mutex;  // guards the sources' state; refresh runs on provider threads
    std::vector<std::unique_ptr<Source>> _sources;
};

}  // namespace rportd::certs
