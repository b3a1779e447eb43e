#include "config/AcmeChallenges.h"

#include <algorithm>
#include <charconv>

#include "config/PluginSelection.h"
#include "config/Text.h"

namespace rportd::config {
namespace {

// The public port the CA connects to for TLS-ALPN-01 (RFC 8737 section 3).
constexpr int kTlsAlpnPort = 443;

// Preference order: TLS-ALPN-01 needs no listener beyond the API's.
constexpr std::string_view kPreferenceOrder[] = {kTlsAlpn01Challenge, kHttp01Challenge};

bool contains(const std::vector<std::string>& names, std::string_view name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

bool acmeServesApi(const Config& config) {
    return config.api.enable_acme && !config.api.address.empty();
}

bool acmeServesTunnels(const Config& config) { return config.server.tunnel_enable_acme; }

bool apiServesTls(const Config& config) {
    const auto& api = config.api;
    if (api.address.empty()) return false;
    const auto& chosen = config.plugins.api_cert;
    return api.enable_acme || !api.cert_file.empty() || !api.key_file.empty() ||
           (chosen && isExplicitSelection(*chosen));
}

std::optional<int> listenPort(const std::string& address) {
    const auto colon = address.rfind(':');
    if (colon == std::string::npos) return std::nullopt;
    // "[::1]" alone has colons but no port.
    const auto bracket = address.rfind(']');
    if (bracket != std::string::npos && bracket > colon) return std::nullopt;
    const char* begin = address.data() + colon + 1;
    const char* end = address.data() + address.size();
    int port = 0;
    const auto parsed = std::from_chars(begin, end, port);
    if (begin == end || parsed.ec != std::errc() || parsed.ptr != end || port < 0 || port > 65535)
        return std::nullopt;
    return port;
}

std::vector<std::string> detectedAcmeChallenges(const Config& config) {
    std::vector<std::string> found;
    if (apiServesTls(config) && listenPort(config.api.address) == kTlsAlpnPort)
        found.emplace_back(kTlsAlpn01Challenge);
    if (config.server.acme_http_port > 0) found.emplace_back(kHttp01Challenge);
    return found;
}

std::vector<std::string> acmeChallengesInForce(const Config& config) {
    if (config.acme.challenges.empty()) return detectedAcmeChallenges(config);
    std::vector<std::string> declared;
    for (const auto& name : config.acme.challenges)
        declared.push_back(toLowerAscii(trimBlanks(name)));
    std::vector<std::string> ordered;
    for (auto name : kPreferenceOrder) {
        if (contains(declared, name)) ordered.emplace_back(name);
    }
    return ordered;
}

}  // namespace rportd::config
