#pragma once
// Makes rportd answer a challenge and stop again: HTTP-01 through the host's
// /.well-known/acme-challenge/ responder, TLS-ALPN-01 through the host's TLS
// listener with a certificate made for it. Remembers what is published so
// everything is withdrawn when an authorization is settled, an order fails,
// or the instance goes away.
#include <rport/plugin.hpp>
#include <string>
#include <vector>

#include "AcmeSettings.h"

namespace rport::plugins::acme {

class ChallengeResponder {
public:
    explicit ChallengeResponder(rport::sdk::Host host) : _host(host) {}

    // Throws AcmeFailure for a token that is not base64url, and
    // rport::sdk::Error with the host's code when rportd refuses
    // (RPORT_E_UNSUPPORTED: it cannot answer this type at all).
    void publish(ChallengeType type, const std::string& name, const std::string& token,
                 const std::string& keyAuthorization);
    void withdrawAll();
    bool anyPublished() const { return !_published.empty(); }

private:
    struct Published {
        ChallengeType type;
        std::string key;  // the token (HTTP-01) or the name (TLS-ALPN-01)
    };
    rport::sdk::Host _host;
    std::vector<Published> _published;
};

}  // namespace rport::plugins::acme
