#pragma once
// API users from the selected api-auth plugin (whichever instance is current:
// SIGHUP may replace it), checked through the credential verifier with its
// bcrypt cache.
#include "api/ApiUsers.h"
#include "app/BackendSlot.h"
#include "auth/CredentialVerifier.h"

namespace rportd::app {

// Whether a store answers from memory, so that a lookup may run on an event loop.
bool answersFromMemory(const plugin_host::AuthBackend& backend);

class PluginApiUsers : public api::ApiUserDirectory {
public:
    PluginApiUsers(const BackendSlot<plugin_host::AuthBackend>& slot,
                   auth::VerificationCache* cache)
        : _slot(slot), _cache(cache) {}
    Result authenticate(std::string_view username, std::string_view password,
                        api::ApiUser& user) override;
    Result lookup(std::string_view username, api::ApiUser& user) override;

private:
    const BackendSlot<plugin_host::AuthBackend>& _slot;
    auth::VerificationCache* _cache;
};

}  // namespace rportd::app
