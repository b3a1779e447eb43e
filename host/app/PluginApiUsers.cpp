#include "app/PluginApiUsers.h"

#include <Poco/Logger.h>

namespace rportd::app {

using plugin_host::VerifyResult;

namespace {
void fill(api::ApiUser& user, rport::sdk::AuthRecord& record) {
    user.username = std::move(record.id);
    user.groups = std::move(record.groups);
}
}  // namespace

api::ApiUserDirectory::Result PluginApiUsers::authenticate(std::string_view username, std::string_view password,
                                                           api::ApiUser& user) {
    std::optional<rport::sdk::AuthRecord> record;
    if (_backend.offersVerify()) {
        switch (_backend.verifySecret(username, password)) {
            case VerifyResult::Match: break;
            case VerifyResult::Unavailable: return Result::Unavailable;
            default: return Result::Rejected;
        }
        // The groups still come from the record.
        auto r = _backend.get(username, record);
        if (r.code == RPORT_E_UNAVAILABLE) return Result::Unavailable;
        if (!r.ok() || !record) return Result::Rejected;
        fill(user, *record);
        return Result::Authenticated;
    }

    // One call instead of verify + get: read the record, check it here.
    auto r = _backend.get(username, record);
    if (r.code == RPORT_E_NOT_FOUND) return Result::Rejected;
    if (!r.ok()) {
        // A store that fails (or is down) must not look like a wrong password:
        // report it as unavailable, and fail closed.
        Poco::Logger::get("api-listener")
            .error("api-auth plugin \"%s\": lookup failed: %s", _backend.name(), r.message);
        return Result::Unavailable;
    }
    std::string why;
    switch (plugin_host::checkSecret(*record, password, &why)) {
        case VerifyResult::Match: fill(user, *record); return Result::Authenticated;
        case VerifyResult::Error:
            Poco::Logger::get("api-listener")
                .error("api-auth plugin \"%s\": cannot check user \"%s\": %s", _backend.name(),
                       std::string(username), why);
            return Result::Rejected;
        default: return Result::Rejected;
    }
}

}  // namespace rportd::app
