#include "ApiUserParser.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <rport/password.hpp>
#include <unordered_set>

#include "JsonParse.h"
#include "JsonTreeBuilder.h"
#include "Whitespace.h"

namespace rport::plugins::file_auth {
namespace {

using Poco::Dynamic::Var;

bool isArray(const Var& v) { return v.type() == typeid(Poco::JSON::Array::Ptr); }
bool isObject(const Var& v) { return v.type() == typeid(Poco::JSON::Object::Ptr); }

// The JSON type of a value, for messages.
std::string kindOf(const Var& v) {
    if (v.isEmpty()) return "null";
    if (v.isString()) return "a string";
    if (v.isBoolean()) return "a boolean";
    if (v.isNumeric()) return "a number";
    if (isArray(v)) return "an array";
    if (isObject(v)) return "an object";
    return "an unexpected value";
}

// White space as JSON defines it: what may surround a document.
bool isBlank(std::string_view text) {
    return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// Reads the fields of one entry; every problem names the entry by its
// 1-based position, since its username may be the very thing that is wrong.
class EntryReader {
public:
    EntryReader(const Poco::JSON::Object& object, size_t number)
        : _object(object), _where("entry #" + std::to_string(number)) {}

    [[noreturn]] void fail(const std::string& problem) const {
        throw FileFormatError(_where + ": " + problem);
    }

    // "" when the field is absent or null.
    std::string text(const char* field) const {
        const Var& v = _object.get(field);
        if (v.isEmpty()) return {};
        if (!v.isString()) fail(quotedField(field) + " must be a string, found " + kindOf(v));
        return v.extract<std::string>();
    }

    // false when the field is absent or null.
    bool flag(const char* field) const {
        const Var& v = _object.get(field);
        if (v.isEmpty()) return false;
        if (!v.isBoolean()) fail(quotedField(field) + " must be true or false, found " + kindOf(v));
        return v.extract<bool>();
    }

    // Empty when the field is absent or null.
    std::vector<std::string> texts(const char* field) const {
        const Var& v = _object.get(field);
        if (v.isEmpty()) return {};
        if (!isArray(v))
            fail(quotedField(field) + " must be an array of strings, found " + kindOf(v));
        std::vector<std::string> out;
        for (const Var& item : *v.extract<Poco::JSON::Array::Ptr>()) {
            if (!item.isString())
                fail(quotedField(field) + " must hold only strings, found " + kindOf(item));
            out.push_back(item.extract<std::string>());
        }
        return out;
    }

private:
    static std::string quotedField(const char* field) { return std::string("\"") + field + "\""; }

    const Poco::JSON::Object& _object;
    const std::string _where;
};

ApiUser readUser(const EntryReader& entry) {
    ApiUser user;
    user.username = std::string(trimSpace(entry.text("username")));
    user.passwordHash = std::string(trimSpace(entry.text("password")));
    user.groups = entry.texts("groups");
    user.passwordExpired = entry.flag("password_expired");
    user.twoFaSendTo = entry.text("two_fa_send_to");
    user.totpSecret = entry.text("totp_secret");
    if (user.username.empty()) entry.fail("username can not be empty");
    if (user.passwordHash.empty()) entry.fail("password can not be empty");
    // The original accepts only "$2y$". "$2b$" and "$2a$" name the same
    // algorithm and are what most bcrypt libraries (and the host's
    // password_hash service) write; such a hash should not need its prefix
    // edited by hand before it is accepted.
    if (!sdk::password::isBcryptHash(user.passwordHash))
        throw FileFormatError("username \"" + user.username +
                              "\": require passwords to be bcrypt hashed (use rportd "
                              "--hash-password)");
    return user;
}

}  // namespace

std::vector<ApiUser> parseApiUserText(const std::string& text) {
    if (isBlank(std::string_view(text).substr(byteOrderMarkLength(text)))) return {};

    // A tree is fine here: users files hold tens of users, not 100,000 entries.
    Poco::SharedPtr<JsonTreeBuilder> builder(new JsonTreeBuilder);
    parseJsonText(text, builder);
    const Var document = builder->document();
    if (document.isEmpty()) return {};  // JSON null: no users, like the original
    if (!isArray(document))
        throw FileFormatError("the top level must be a JSON array of users, found " +
                              kindOf(document));

    const auto& items = *document.extract<Poco::JSON::Array::Ptr>();
    std::vector<ApiUser> users;
    users.reserve(items.size());
    std::unordered_set<std::string> seen;
    for (size_t i = 0; i < items.size(); ++i) {
        const Var& item = items.get(static_cast<unsigned>(i));
        if (!isObject(item))
            throw FileFormatError("entry #" + std::to_string(i + 1) +
                                  ": must be a JSON object, found " + kindOf(item));
        ApiUser user = readUser(EntryReader(*item.extract<Poco::JSON::Object::Ptr>(), i + 1));
        if (!seen.insert(user.username).second)
            throw FileFormatError("non unique username: \"" + user.username + "\"");
        users.push_back(std::move(user));
    }
    std::sort(users.begin(), users.end(),
              [](const ApiUser& a, const ApiUser& b) { return a.username < b.username; });
    return users;
}

}  // namespace rport::plugins::file_auth
