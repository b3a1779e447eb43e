#include "app/PluginApiUsers.h"

#include <Poco/Logger.h>

#include "net/NonBlockingSection.h"
#include "util/QuotedText.h"

namespace rportd::app {

using plugin_host::VerifyResult;

bool answersFromMemory(const plugin_host::AuthBackend& backend) {
    // The built-in static and file stores keep every record in memory; any
    // other store (a database, a third party's plugin) may wait on I/O.
    return backend.pluginName() == "static" || backend.pluginName() == "file";
}

namespace {

bool passwordExpired(const rport::sdk::AuthRecord& record) {
    for (const auto& [key, value] : record.attributes)
        if (key == "password_expired" && value == "true") return true;
    return false;
}

}  // namespace

api::ApiUserDirectory::Result PluginApiUsers::authenticate(std::string_view username,
                                                           std::string_view password,
                                                           api::ApiUser& user) {
    std::shared_ptr<plugin_host::AuthBackend> backend = _slot.get();
    if (!answersFromMemory(*backend)) net::requireMayBlock();
    auth::CredentialVerifier verifier(*backend, _cache);
    std::optional<rport::sdk::AuthRecord> record;
    switch (verifier.verify(username, password, &record)) {
        case VerifyResult::Match:
            if (record && passwordExpired(*record)) return Result::PasswordExpired;
            user.username = std::string(username);
            user.groups = record ? std::move(record->groups) : std::vector<std::string>{};
            return Result::Authenticated;
        case VerifyResult::Unavailable:
            // A store that is down must not look like a wrong password.
            return Result::Unavailable;
        case VerifyResult::Error:
            Poco::Logger::get("api-listener")
                .error("api-auth plugin \"%s\": cannot check user %s", backend->name(),
                       util::quotedForLog(username));
            return Result::Rejected;
        default:
            return Result::Rejected;
    }
}

api::ApiUserDirectory::Result PluginApiUsers::lookup(std::string_view username,
                                                     api::ApiUser& user) {
    std::shared_ptr<plugin_host::AuthBackend> backend = _slot.get();
    if (!answersFromMemory(*backend)) net::requireMayBlock();
    std::optional<rport::sdk::AuthRecord> record;
    rport::sdk::CallResult result = backend->get(username, record);
    if (result.code == RPORT_E_UNAVAILABLE) return Result::Unavailable;
    if (result.code == RPORT_E_NOT_FOUND || (result.ok() && !record)) return Result::Rejected;
    if (!result.ok()) {
        Poco::Logger::get("api-listener")
            .error("api-auth plugin \"%s\": cannot look up user %s: %s", backend->name(),
                   util::quotedForLog(username), result.message);
        return Result::Rejected;
    }
    if (passwordExpired(*record)) return Result::PasswordExpired;
    user.username = std::string(username);
    user.groups = std::move(record->groups);
    return Result::Authenticated;
}

}  // namespace rportd::app
