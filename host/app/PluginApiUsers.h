#pragma once
// API users from the selected api-auth plugin, checked through the shared
// credential verifier (bcrypt results cached).
#include "api/ApiUsers.h"
#include "auth/CredentialVerifier.h"

namespace rportd::app {

class PluginApiUsers : public api::ApiUserDirectory {
public:
    PluginApiUsers(plugin_host::AuthBackend& backend, auth::VerificationCache* cache)
        : _backend(backend), _verifier(backend, cache) {}
    Result authenticate(std::string_view username, std::string_view password, api::ApiUser& user) override;

private:
    plugin_host::AuthBackend& _backend;
    auth::CredentialVerifier _verifier;
};

}  // namespace rportd::app
