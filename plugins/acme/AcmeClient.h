#pragma once
// What one ACME conversation needs beyond the transport: the directory (kept
// for a while, re-read for each new order after that), the account key and
// URL, and signing with the right protected header ("jwk" before the
// account exists, "kid" after). Used by the worker thread only, except
// abort().
#include <cstdint>
#include <optional>
#include <string>

#include "AccountKey.h"
#include "AcmeTransport.h"
#include "Directory.h"

namespace rport::plugins::acme {

class AcmeClient {
public:
    AcmeClient(std::string directoryUrl, const TransportOptions& options,
               AcmeTransport::DebugLog debug);

    // One GET of the directory; throws AcmeFailure or TransportError.
    void fetchDirectory();
    // Whether the directory was read less than maxAgeMs ago.
    bool hasDirectory(int64_t nowMs, int64_t maxAgeMs) const;
    const Directory& directory() const { return *_directory; }
    const std::string& directoryUrl() const { return _directoryUrl; }

    bool hasKey() const { return _key.has_value(); }
    const AccountKey& key() const { return *_key; }
    void setKey(AccountKey key) { _key = std::move(key); }
    const std::string& accountUrl() const { return _accountUrl; }
    void setAccountUrl(std::string url) { _accountUrl = std::move(url); }

    // A POST signed with the account key; withJwk: the header carries the
    // key instead of the account URL (newAccount). payload "" = POST-as-GET.
    HttpResult post(const std::string& url, const std::string& payload, bool withJwk = false,
                    const std::string& accept = "");
    HttpResult get(const std::string& url) { return _transport.get(url); }

    AcmeTransport& transport() { return _transport; }
    void abort() { _transport.abort(); }

private:
    std::string _directoryUrl;
    AcmeTransport _transport;
    std::optional<Directory> _directory;
    int64_t _directoryReadAt = 0;
    std::optional<AccountKey> _key;
    std::string _accountUrl;
};

}  // namespace rport::plugins::acme
