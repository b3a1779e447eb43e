#include "auth/CredentialVerifier.h"

#include <rport/password.hpp>

#include "net/NonBlockingSection.h"

namespace rportd::auth {

using plugin_host::VerifyResult;

namespace {
bool isBcrypt(const rport::sdk::AuthRecord& r) {
    return r.secretKind == RPORT_SECRET_HASHED ||
           (r.secretKind == RPORT_SECRET_AUTO && rport::sdk::password::isBcryptHash(r.secret));
}
}  // namespace

VerifyResult CredentialVerifier::verify(std::string_view id, std::string_view secret,
                                        std::optional<rport::sdk::AuthRecord>* record) {
    if (_backend.offersVerify()) {
        VerifyResult result = _backend.verifySecret(id, secret);
        if (result == VerifyResult::Match && record) _backend.get(id, *record);
        return result;
    }

    std::optional<rport::sdk::AuthRecord> found;
    auto r = _backend.get(id, found);
    if (r.code == RPORT_E_NOT_FOUND) return VerifyResult::UnknownId;
    if (r.code == RPORT_E_UNAVAILABLE) return VerifyResult::Unavailable;
    if (!r.ok() || !found) return VerifyResult::Error;

    const bool cacheable = _cache && isBcrypt(*found);
    VerifyResult result;
    if (cacheable && _cache->contains(id, found->secret, secret)) {
        result = VerifyResult::Match;
    } else {
        // bcrypt takes tens of milliseconds: never on an event loop.
        if (isBcrypt(*found)) net::requireMayBlock();
        result = plugin_host::checkSecret(*found, secret);
        if (cacheable && result == VerifyResult::Match) _cache->remember(id, found->secret, secret);
    }
    if (result == VerifyResult::Match && record) *record = std::move(found);
    return result;
}

}  // namespace rportd::auth
