#pragma once
// Checks an id and secret against a credential store: the store's own
// verify() when it has one, otherwise its record compared here, with bcrypt
// results cached (VerificationCache). Fails closed: a store that is down or
// a record that cannot be checked never matches.
#include <optional>
#include <string_view>

#include "auth/VerificationCache.h"
#include "plugin_host/AuthBackend.h"

namespace rportd::auth {

class CredentialVerifier {
public:
    // cache may be null (no caching).
    CredentialVerifier(plugin_host::AuthBackend& backend, VerificationCache* cache) : _backend(backend), _cache(cache) {}

    // record, when given, receives the entry on a match (e.g. for its groups).
    plugin_host::VerifyResult verify(std::string_view id, std::string_view secret,
                                     std::optional<rport::sdk::AuthRecord>* record = nullptr);

private:
    plugin_host::AuthBackend& _backend;
    VerificationCache* _cache;
};

}  // namespace rportd::auth
