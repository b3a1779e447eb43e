#include "OpenSsl.h"

#include <openssl/err.h>

namespace rport::plugins::acme {

std::string opensslFailure(const std::string& what) {
    std::string reasons;
    while (unsigned long e = ERR_get_error()) {
        char buf[256];
        ERR_error_string_n(e, buf, sizeof buf);
        if (!reasons.empty()) reasons += "; ";
        reasons += buf;
    }
    return reasons.empty() ? what : what + ": " + reasons;
}

void throwOpenSsl(const std::string& what) { throw CryptoError(opensslFailure(what)); }

Bio readBio(std::string_view text) {
    Bio bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
    if (!bio) throwOpenSsl("BIO_new_mem_buf");
    return bio;
}

std::string bioText(BIO* bio) {
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    return n > 0 && data ? std::string(data, static_cast<size_t>(n)) : std::string();
}

std::string sha256(const std::string& data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr) != 1)
        throwOpenSsl("SHA-256");
    return std::string(reinterpret_cast<const char*>(digest), len);
}

}  // namespace rport::plugins::acme
