#pragma once
// How rportd hashes secrets it is given (API writes, --hash-password):
// bcrypt in the $2y$ form, which the original rportd, PHP and htpasswd read too.
#include <optional>
#include <string>
#include <string_view>

namespace rportd::app {

inline constexpr unsigned long kBcryptCost = 10;

std::optional<std::string> hashNewSecret(std::string_view plain);

}  // namespace rportd::app
