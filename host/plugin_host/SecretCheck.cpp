#include "plugin_host/SecretCheck.h"

#include <rport/password.hpp>

namespace rportd::plugin_host {

namespace {

namespace password = rport::sdk::password;

VerifyResult checkBcrypt(std::string_view hash, std::string_view presented, std::string* why) {
    switch (password::verifyHash(hash, presented)) {
        case password::Verdict::Match:
            return VerifyResult::Match;
        case password::Verdict::Mismatch:
            return VerifyResult::Mismatch;
        case password::Verdict::Unsupported:
            break;
    }
    if (why) *why = "the stored secret is not a supported bcrypt hash";
    return VerifyResult::Error;
}

VerifyResult checkPlain(std::string_view stored, std::string_view presented) {
    if (stored.empty()) return VerifyResult::Mismatch;
    return password::constantTimeEqual(stored, presented) ? VerifyResult::Match
                                                          : VerifyResult::Mismatch;
}

}  // namespace

const char* toString(VerifyResult result) noexcept {
    switch (result) {
        case VerifyResult::Match:
            return "match";
        case VerifyResult::Mismatch:
            return "mismatch";
        case VerifyResult::UnknownId:
            return "unknown id";
        case VerifyResult::Unavailable:
            return "unavailable";
        case VerifyResult::Error:
            return "error";
    }
    return "?";
}

VerifyResult checkSecret(const rport::sdk::AuthRecord& record, std::string_view presented,
                         std::string* why) {
    switch (record.secretKind) {
        case RPORT_SECRET_HASHED:
            return checkBcrypt(record.secret, presented, why);
        case RPORT_SECRET_AUTO:
            if (password::isBcryptHash(record.secret))
                return checkBcrypt(record.secret, presented, why);
            return checkPlain(record.secret, presented);
        case RPORT_SECRET_PLAIN:
            return checkPlain(record.secret, presented);
        case RPORT_SECRET_WITHHELD:
            if (why) *why = "the backend withholds secrets but offers no verify";
            return VerifyResult::Error;
        default:
            if (why) *why = "unknown secret kind " + std::to_string(record.secretKind);
            return VerifyResult::Error;
    }
}

}  // namespace rportd::plugin_host
