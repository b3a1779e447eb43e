#include "app/PasswordHashing.h"

#include <rport/password.hpp>

namespace rportd::app {

std::optional<std::string> hashNewSecret(std::string_view plain) {
    return rport::sdk::password::hashBcrypt(plain, kBcryptCost, "$2y$");
}

}  // namespace rportd::app
