#include "certs/CertificateSources.h"

#include <Poco/Logger.h>

#include <ctime>
#include <stdexcept>

#include "util/TimeText.h"

namespace rportd::certs {

namespace {

// Let's Encrypt certificates live 90 days and certbot renews 30 days before
// the end: a certificate this close to expiry means renewal is not working.
constexpr int64_t kExpiryWarningSeconds = 14 * 24 * 3600;

Poco::Logger& logger() { return Poco::Logger::get("tls"); }

int64_t unixNow() { return static_cast<int64_t>(std::time(nullptr)); }

std::string describe(const tls::CertificateInfo& info) {
    std::string names;
    for (const auto& n : info.dnsNames) names += (names.empty() ? "" : ",") + n;
    for (const auto& n : info.ipAddresses) names += (names.empty() ? "" : ",") + n;
    return "serial " + info.serialHex + ", names " + (names.empty() ? "none" : names) +
           ", issuer \"" + info.issuer + "\", expires " + util::readableUtc(info.notAfter);
}

}  // namespace

CertificateSources::~CertificateSources() {
    for (auto& source : _sources) source->backend->onCertChanged({});
}

std::vector<std::string> CertificateSources::warningsFor(const tls::ServedCertificate& certificate,
                                                         const std::string& expectedHost,
                                                         int64_t now,
                                                         const std::string& hostOrigin) {
    std::vector<std::string> warnings;
    const auto& info = certificate.info();
    if (info.notAfter <= now) {
        warnings.push_back("the certificate (serial " + info.serialHex + ") expired on " +
                           util::readableUtc(info.notAfter) + "; clients will refuse it");
    } else if (info.notAfter - now <= kExpiryWarningSeconds) {
        warnings.push_back("the certificate (serial " + info.serialHex + ") expires on " +
                           util::readableUtc(info.notAfter) +
                           ", in less than 14 days; check that its renewal works");
    }
    if (info.notBefore > now)
        warnings.push_back("the certificate (serial " + info.serialHex + ") is not valid before " +
                           util::readableUtc(info.notBefore));
    if (!expectedHost.empty() && !certificate.covers(expectedHost))
        warnings.push_back(
            "the certificate (serial " + info.serialHex + ") does not cover \"" + expectedHost +
            "\", " + hostOrigin + "; clients that check the name will refuse it");
    return warnings;
}

void CertificateSources::add(const std::string& name,
                             std::shared_ptr<plugin_host::CertBackend> backend,
                             const std::string& expectedHost, tls::CertificateStore& store,
                             Waiting waiting) {
    auto source = std::make_unique<Source>();
    source->name = name;
    source->store = &store;
    source->expectedHost = expectedHost;
    source->backend = std::move(backend);
    Source* raw = source.get();
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _sources.push_back(std::move(source));
    }
    // The handler first: a provider that is ordering may report its first
    // certificate at any moment, even before refresh() below returns.
    raw->backend->onCertChanged([this, raw] { refresh(*raw, false); });
    refresh(*raw, true, waiting);
}

void CertificateSources::refresh(Source& source, bool atStart, Waiting waiting) {
    std::lock_guard<std::mutex> oneAtATime(source.refreshing);
    std::optional<rport::sdk::CertBundle> bundle;
    rport::sdk::CallResult result = source.backend->current(bundle);
    std::string error;
    std::shared_ptr<const tls::ServedCertificate> loaded;
    if (!result.ok() && result.code == RPORT_E_UNAVAILABLE && atStart &&
        waiting == Waiting::Allowed && !source.backend->providerStatuses().empty()) {
        logger().information(
            "%s: provider \"%s\" is obtaining the first certificate; until it arrives, TLS "
            "handshakes on this listener are refused",
            source.name, source.backend->name());
        return;
    }
    if (!result.ok() || !bundle) {
        error = "certificate provider \"" + source.backend->name() + "\" has no certificate" +
                (result.message.empty() ? std::string() : ": " + result.message);
    } else {
        auto load = source.store->load(bundle->chainPem, bundle->keyPem);
        if (!load.certificate) {
            error = "certificate provider \"" + source.backend->name() +
                    "\" offered a certificate that cannot be used: " + load.error;
        } else {
            loaded = std::move(load.certificate);
        }
    }

    std::lock_guard<std::mutex> lock(_mutex);
    if (!loaded) {
        if (atStart && !source.certificate) throw std::runtime_error(error);
        source.lastError = error;
        source.lastErrorAt = unixNow();
        logger().error("%s; still serving the previous certificate", error);
        return;
    }
    if (source.certificate && source.certificate->info().serialHex == loaded->info().serialHex &&
        source.certificate->info().notAfter == loaded->info().notAfter)
        return;  // the same certificate again (a SIGHUP, a touched file)
    source.store->setCertificate(source.name, loaded);
    source.certificate = loaded;
    source.lastReload = unixNow();
    logger().information("%s: serving %s from provider \"%s\"", source.name,
                         describe(loaded->info()), source.backend->name());
    // The tunnel source's name is [server] tunnel_host; every other one's
    // is the host of [api] base_url.
    const std::string hostOrigin =
        source.name == "tunnel" ? "[server] tunnel_host" : "the host of [api] base_url";
    for (const auto& warning : warningsFor(*loaded, source.expectedHost, unixNow(), hostOrigin))
        logger().warning("%s: %s", source.name, warning);
}

void CertificateSources::reloadAll() {
    std::vector<Source*> sources;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        for (auto& source : _sources) sources.push_back(source.get());
    }
    // A provider that can re-read reports through cert_changed; one that
    // cannot is simply asked for its current pair again.
    for (Source* source : sources) {
        if (source->backend->canRenew()) {
            source->backend->renewNow();
        } else {
            refresh(*source, false);
        }
    }
}

std::vector<CertificateStatus> CertificateSources::status() const {
    std::lock_guard<std::mutex> lock(_mutex);
    std::vector<CertificateStatus> out;
    for (const auto& source : _sources) {
        CertificateStatus s;
        s.source = source->name;
        s.provider = source->backend->name();
        s.expectedHost = source->expectedHost;
        s.certificate = source->certificate;
        s.lastReload = source->lastReload;
        s.lastError = source->lastError;
        s.lastErrorAt = source->lastErrorAt;
        // The provider's own reports (a half-written pair it ignored) count too.
        auto [providerError, at] = source->backend->lastLoggedError();
        if (at > s.lastErrorAt) {
            s.lastError = providerError;
            s.lastErrorAt = at;
        }
        for (auto& reported : source->backend->providerStatuses()) {
            if (s.reported.state.empty() || reported.name == source->expectedHost)
                s.reported = std::move(reported);
        }
        if (!s.reported.lastError.empty() && s.reported.lastErrorAt >= s.lastErrorAt) {
            s.lastError = s.reported.lastError;
            s.lastErrorAt = s.reported.lastErrorAt;
        }
        out.push_back(std::move(s));
    }
    return out;
}

}  // namespace rportd::certs
