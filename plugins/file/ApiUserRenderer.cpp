#include "ApiUserRenderer.h"

#include "JsonString.h"

namespace rport::plugins::file_auth {
namespace {

// Levels: 1 = a user object in the array, 2 = its fields, 3 = its groups.
void indent(std::string& out, int level) { out.append(static_cast<size_t>(level), ' '); }

void appendField(std::string& out, const char* name) {
    out += ",\n";
    indent(out, 2);
    out += '"';
    out += name;
    out += "\": ";
}

void appendGroups(std::string& out, const std::vector<std::string>& groups) {
    if (groups.empty()) {
        out += "[]";
        return;
    }
    out += "[\n";
    for (size_t i = 0; i < groups.size(); ++i) {
        indent(out, 3);
        appendJsonString(out, groups[i]);
        out += i + 1 < groups.size() ? ",\n" : "\n";
    }
    indent(out, 2);
    out += ']';
}

void appendUser(std::string& out, const ApiUser& user) {
    indent(out, 1);
    out += "{\n";
    indent(out, 2);
    out += "\"username\": ";
    appendJsonString(out, user.username);
    appendField(out, "password");
    appendJsonString(out, user.passwordHash);
    appendField(out, "groups");
    appendGroups(out, user.groups);
    appendField(out, "password_expired");
    out += user.passwordExpired ? "true" : "false";
    if (!user.twoFaSendTo.empty()) {
        appendField(out, "two_fa_send_to");
        appendJsonString(out, user.twoFaSendTo);
    }
    if (!user.totpSecret.empty()) {
        appendField(out, "totp_secret");
        appendJsonString(out, user.totpSecret);
    }
    out += '\n';
    indent(out, 1);
    out += '}';
}

}  // namespace

std::string renderApiUserText(const std::vector<ApiUser>& users) {
    if (users.empty()) return "[]\n";
    std::string out = "[\n";
    for (size_t i = 0; i < users.size(); ++i) {
        appendUser(out, users[i]);
        out += i + 1 < users.size() ? ",\n" : "\n";
    }
    out += "]\n";
    return out;
}

}  // namespace rport::plugins::file_auth
