#include "AcmeClient.h"

#include "AcmeFailure.h"
#include "Jws.h"
#include "LogText.h"
#include "TimeText.h"

namespace rport::plugins::acme {

AcmeClient::AcmeClient(std::string directoryUrl, const TransportOptions& options,
                       AcmeTransport::DebugLog debug)
    : _directoryUrl(std::move(directoryUrl)), _transport(options, std::move(debug)) {}

void AcmeClient::fetchDirectory() {
    const HttpResult r = _transport.get(_directoryUrl);
    if (!r.ok())
        throw AcmeFailure("the ACME directory " + _directoryUrl + " answered HTTP " +
                          std::to_string(r.status) + "; check directory_url");
    try {
        _directory = Directory::parse(r.body, _directoryUrl);
    } catch (const std::runtime_error& e) {
        throw AcmeFailure(e.what(), true);
    }
    _directoryReadAt = nowMs();
    _transport.setNewNonceUrl(_directory->newNonce);
}

bool AcmeClient::hasDirectory(int64_t now, int64_t maxAgeMs) const {
    return _directory && now - _directoryReadAt < maxAgeMs;
}

HttpResult AcmeClient::post(const std::string& url, const std::string& payload, bool withJwk,
                            const std::string& accept) {
    const AccountKey& key = *_key;
    const std::string kid = withJwk ? std::string() : _accountUrl;
    return _transport.post(
        url, [&](const std::string& nonce) { return signedRequest(key, kid, nonce, url, payload); },
        accept);
}

}  // namespace rport::plugins::acme
