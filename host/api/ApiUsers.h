#pragma once
// The API's view of its users: who may call it and in which groups they are.
// The app implements this on top of the selected api-auth plugin.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace rportd::api {

inline constexpr const char* kAdministratorsGroup = "Administrators";

struct ApiUser {
    std::string username;
    std::vector<std::string> groups;

    // Exact, case-sensitive, as in the original.
    bool isAdministrator() const {
        return std::find(groups.begin(), groups.end(), kAdministratorsGroup) != groups.end();
    }
};

class ApiUserDirectory {
public:
    // PasswordExpired: right password, but the user must change it first.
    enum class Result { Authenticated, Rejected, PasswordExpired, Unavailable };

    virtual ~ApiUserDirectory() = default;
    // Checks a username and password; fills user on success.
    virtual Result authenticate(std::string_view username, std::string_view password,
                                ApiUser& user) = 0;
    // The user as the store knows it now, without a password (a bearer
    // token proved who it is): Authenticated and user filled, Rejected when
    // there is no such user any more, PasswordExpired, or Unavailable.
    virtual Result lookup(std::string_view username, ApiUser& user) = 0;
};

}  // namespace rportd::api
