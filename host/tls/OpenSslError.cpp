#include "tls/OpenSslError.h"

#include <openssl/err.h>

namespace rportd::tls {

std::string takeOpenSslError(const std::string& fallback) {
    const char* data = nullptr;
    int flags = 0;
    unsigned long code = ERR_get_error_all(nullptr, nullptr, nullptr, &data, &flags);
    std::string reason;
    if (code != 0) {
        const char* text = ERR_reason_error_string(code);
        // Errors raised by our own callbacks carry their text as data and no
        // registered reason string.
        if (text != nullptr) {
            reason = text;
        } else if (data != nullptr && (flags & ERR_TXT_STRING) != 0 && *data != '\0') {
            reason = data;
        } else {
            reason = "OpenSSL error " + std::to_string(ERR_GET_REASON(code));
        }
    }
    ERR_clear_error();
    return reason.empty() ? fallback : reason;
}

}  // namespace rportd::tls
