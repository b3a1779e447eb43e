#pragma once
// Which ACME challenges rportd can answer, decided from the listeners that
// are configured, because a challenge the CA cannot reach fails only at the
// first issuance or, worse, at a renewal months later:
//
//   http-01      the CA fetches http://NAME/.well-known/acme-challenge/ on
//                public port 80, answered on [server] acme_http_port;
//   tls-alpn-01  the CA opens TLS to NAME on public port 443 offering the
//                ALPN protocol acme-tls/1, answered by the API's TLS listener.
//
// [acme] challenges overrides the detection, for setups where a public port
// is forwarded to another local one (443 to an API on 3000, say).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/Config.h"

namespace rportd::config {

inline constexpr std::string_view kHttp01Challenge = "http-01";
inline constexpr std::string_view kTlsAlpn01Challenge = "tls-alpn-01";

// The API's certificate comes from ACME: [api] enable_acme with the API on.
bool acmeServesApi(const Config& config);
// The tunnel proxy's certificate comes from ACME: [server] tunnel_enable_acme.
bool acmeServesTunnels(const Config& config);

// The API is on and speaks TLS (enable_acme, cert_file/key_file or an
// explicit [plugins] api_cert), so it can answer TLS-ALPN-01.
bool apiServesTls(const Config& config);

// The port of a listen address ("0.0.0.0:443", "[::]:443", ":443"), or
// nullopt when it has none that parses.
std::optional<int> listenPort(const std::string& address);

// What the listeners can answer without being told: tls-alpn-01 when the API
// serves TLS on port 443, http-01 when acme_http_port is set.
std::vector<std::string> detectedAcmeChallenges(const Config& config);

// The challenges the ACME client is to use, in the order it should prefer
// them: [acme] challenges when set, else the detected ones. tls-alpn-01 comes
// first because it needs no port beyond the API's own. Only known names,
// lower case, each once.
std::vector<std::string> acmeChallengesInForce(const Config& config);

}  // namespace rportd::config
