#pragma once
// The ACME directory (RFC 8555 §7.1.1): the server's resource URLs, read once
// per order (and for renewal information), never guessed.
#include <stdexcept>
#include <string>

namespace rport::plugins::acme {

struct Directory {
    std::string url;  // where it was read
    std::string newNonce;
    std::string newAccount;
    std::string newOrder;
    std::string revokeCert;
    std::string keyChange;
    std::string renewalInfo;  // RFC 9773 (ARI); "" when the CA offers none
    std::string termsOfService;
    std::string website;
    bool externalAccountRequired = false;

    // Throws std::runtime_error in plain words when the text is no directory.
    static Directory parse(const std::string& json, const std::string& url);
};

}  // namespace rport::plugins::acme
