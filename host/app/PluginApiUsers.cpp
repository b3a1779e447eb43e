#include "app/PluginApiUsers.h"

#include <Poco/Logger.h>

#include "net/NonBlockingSection.h"

namespace rportd::app {

using plugin_host::VerifyResult;

bool answersFromMemory(const plugin_host::AuthBackend& backend) {
    // The built-in static and file stores keep every record in memory; any
    // other store (a database, a third party's plugin) may wait on I/O.
    return backend.pluginName() == "static" || backend.pluginName() == "file";
}

api::ApiUserDirectory::Result PluginApiUsers::authenticate(std::string_view username, std::string_view password,
                                                           api::ApiUser& user) {
    std::shared_ptr<plugin_host::AuthBackend> backend = _slot.get();
    if (!answersFromMemory(*backend)) net::requireMayBlock();
    auth::CredentialVerifier verifier(*backend, _cache);
    std::optional<rport::sdk::AuthRecord> record;
    switch (verifier.verify(username, password, &record)) {
        case VerifyResult::Match:
            if (record)
                for (const auto& [key, value] : record->attributes)
                    if (key == "password_expired" && value == "true") return Result::PasswordExpired;
            user.username = std::string(username);
            user.groups = record ? std::move(record->groups) : std::vector<std::string>{};
            return Result::Authenticated;
        case VerifyResult::Unavailable:
            // A store that is down must not look like a wrong password.
            return Result::Unavailable;
        case VerifyResult::Error:
            Poco::Logger::get("api-listener")
                .error("api-auth plugin \"%s\": cannot check user \"%s\"", backend->name(), std::string(username));
            return Result::Rejected;
        default: return Result::Rejected;
    }
}

}  // namespace rportd::app
