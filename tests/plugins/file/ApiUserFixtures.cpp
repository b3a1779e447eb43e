#include "ApiUserFixtures.h"

#include <Poco/JSON/Parser.h>

#include <fstream>
#include <rport/password.hpp>
#include <sstream>
#include <stdexcept>

namespace rport::test::file_plugin {

std::string bcryptOf(const std::string& password, const char* prefix) {
    auto hash = sdk::password::hashBcrypt(password, 4, prefix);
    if (!hash) throw std::runtime_error(std::string("cannot make a ") + prefix + " hash");
    return *hash;
}

std::string userJson(const std::string& username, const std::string& password,
                     const std::vector<std::string>& groups, const std::string& extraFields) {
    std::string list;
    for (const auto& g : groups) list += (list.empty() ? "\"" : ", \"") + g + "\"";
    std::string out = "{\"username\": \"" + username + "\", \"password\": \"" + password +
                      "\", \"groups\": [" + list + "]";
    if (!extraFields.empty()) out += ", " + extraFields;
    return out + "}";
}

std::string usersJson(const std::vector<std::string>& users) {
    std::string out = "[";
    for (size_t i = 0; i < users.size(); ++i) out += (i ? ",\n " : "\n ") + users[i];
    return out + "\n]\n";
}

sdk::AuthRecord userRecord(const std::string& username, const std::string& secret,
                           const std::vector<std::string>& groups, uint32_t kind) {
    sdk::AuthRecord r;
    r.id = username;
    r.secret = secret;
    r.secretKind = kind;
    r.groups = groups;
    return r;
}

std::optional<std::string> attributeOf(const sdk::AuthRecord& record, const std::string& key) {
    for (const auto& [k, v] : record.attributes)
        if (k == key) return v;
    return std::nullopt;
}

Poco::JSON::Array::Ptr readUsersFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return Poco::JSON::Parser().parse(text.str()).extract<Poco::JSON::Array::Ptr>();
}

}  // namespace rport::test::file_plugin
