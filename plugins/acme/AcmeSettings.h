#pragma once
// The acme provider's settings, read and checked once at create(): anything
// wrong refuses the instance with a message that names the setting and says
// what would be right. Unknown settings are ignored (rportd passes extras
// such as acme_http_port and challenge_webroot to every certificate provider).
#include <cstdint>
#include <rport/plugin.hpp>
#include <string>
#include <vector>

#include "PrivateKey.h"

namespace rport::plugins::acme {

enum class ChallengeType { Http01, TlsAlpn01 };

// "http-01", "tls-alpn-01"
const char* challengeTypeName(ChallengeType type);

struct AcmeSettings {
    static constexpr const char* kLetsEncrypt = "https://acme-v02.api.letsencrypt.org/directory";

    std::string name;                       // host: the DNS name, lower case, no trailing dot
    std::string directoryUrl;               // directory_url
    std::string email;                      // email, without "mailto:"; "" = no contact
    std::string caBundle;                   // ca_bundle
    std::string eabKid;                     // eab_kid
    std::string eabMacKey;                  // eab_hmac_key, decoded
    std::vector<ChallengeType> challenges;  // challenges, in order of preference
    int64_t retryMinMs = 60 * 1000;         // retry_min
    int64_t retryMaxMs = 6 * 3600 * 1000;   // retry_max
    KeyType keyType = KeyType::EcdsaP256;   // key_type
    std::string httpPort;                   // acme_http_port (or http_port), for advice only

    bool offers(ChallengeType type) const;
    bool hasEab() const { return !eabKid.empty(); }

    // Throws rport::sdk::Error(RPORT_E_INVALID, ...) for a bad value.
    // canTlsAlpn01: whether the host can answer TLS-ALPN-01, which decides
    // the default of challenges.
    static AcmeSettings read(const rport::sdk::Host& host, bool canTlsAlpn01);
};

// Empty when name is a DNS name this provider can order, else why not.
std::string dnsNameProblem(const std::string& name);

}  // namespace rport::plugins::acme
