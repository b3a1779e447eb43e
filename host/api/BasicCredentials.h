#pragma once
// The user name and password of an "Authorization: Basic ..." header.
#include <optional>
#include <string>
#include <string_view>

namespace rportd::api {

struct BasicCredentials {
    std::string username;
    std::string password;
};

// nullopt unless the header is "Basic <base64 of user:password>" (scheme
// case-insensitive); the password is everything after the first colon.
std::optional<BasicCredentials> parseBasicAuthorization(std::string_view header);

}  // namespace rportd::api
