// Validation step of ours, after the original's: the [acme] section, whether
// the CA can reach a challenge rportd answers, and the ACME state directory.
// Every impossible setup is refused here, at start and by --check-config,
// rather than at the first issuance or a renewal months later.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "config/AcmeChallenges.h"
#include "config/AcmeStateDir.h"
#include "config/KeyPosition.h"
#include "config/TableEntries.h"
#include "config/Text.h"
#include "config/UrlCheck.h"
#include "config/ValidationSteps.h"

namespace rportd::config {
namespace {

// A CA bundle larger than this is not a bundle.
constexpr std::size_t kMaxCaBundleBytes = 16 * 1024 * 1024;
// Waits shorter than this between attempts would only hammer the CA.
constexpr Duration kShortestRetry = std::chrono::seconds(1);

[[noreturn]] void failKey(const Config& config, const std::string& key,
                          const std::string& problem) {
    failAt(config, "acme." + key, "[acme] " + key + ": " + problem);
}

void checkDirectoryUrl(const Config& config) {
    const std::string& url = config.acme.directory_url;
    std::string error;
    const auto parts = parseUrl(url, error);
    if (!parts || parts->scheme != "https" || hostWithoutPort(parts->host).empty())
        failKey(config, "directory_url",
                "must be an https URL, got " + goQuote(url) +
                    " (Let's Encrypt: " + std::string(kLetsEncryptDirectoryUrl) +
                    ", its staging: " + std::string(kLetsEncryptStagingDirectoryUrl) + ")");
}

// The shape only: name@domain, nothing a mail header or an ACME contact URL
// would misread. Whether the CA likes the domain is the CA's call.
bool looksLikeEmail(const std::string& text) {
    const auto at = text.find('@');
    if (at == std::string::npos || at == 0 || text.find('@', at + 1) != std::string::npos)
        return false;
    for (std::size_t i = 0; i < at; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c <= 0x20 || c >= 0x7f || std::strchr("\"(),:;<>[\\]", c) != nullptr) return false;
    }
    const std::string domain = text.substr(at + 1);
    return domain.find('.') != std::string::npos && isDnsName(domain);
}

void checkEmail(const Config& config) {
    const std::string& email = config.acme.email;
    if (!email.empty() && !looksLikeEmail(email))
        failKey(config, "email",
                goQuote(email) + " is not an e-mail address (expected e.g. admin@example.com)");
}

// The bundle is read by the ACME client when it first calls the CA; reading
// it now names a missing or wrong file before anything runs.
void checkCaBundle(const Config& config) {
    const std::string& path = config.acme.ca_bundle;
    if (path.empty()) return;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) failKey(config, "ca_bundle", "cannot read " + path + ": " + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        failKey(config, "ca_bundle", path + " is not a regular file");
    }
    std::string text;
    char buffer[8192];
    ssize_t n = 0;
    while (text.size() < kMaxCaBundleBytes && (n = ::read(fd, buffer, sizeof buffer)) != 0) {
        if (n < 0) {
            if (errno == EINTR) continue;
            const int error = errno;
            ::close(fd);
            failKey(config, "ca_bundle", "cannot read " + path + ": " + std::strerror(error));
        }
        text.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    if (text.find("-----BEGIN CERTIFICATE-----") == std::string::npos)
        failKey(config, "ca_bundle", path + " holds no PEM certificate");
}

// RFC 4648 section 5, as CAs show EAB keys: letters, digits, '-' and '_'.
// Padding is not part of base64url in ACME (RFC 7515), but a copied key
// that carries it is still the same key.
bool isBase64Url(const std::string& text) {
    std::size_t end = text.size();
    while (end > 0 && text.size() - end < 2 && text[end - 1] == '=') --end;
    if (end == 0 || end % 4 == 1) return false;
    return std::all_of(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(end), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '_';
    });
}

void checkExternalAccountBinding(const Config& config) {
    const auto& acme = config.acme;
    if (!acme.eab_kid.empty() && acme.eab_hmac_key.empty())
        failKey(config, "eab_kid", "when 'eab_kid' is set, 'eab_hmac_key' must be set as well");
    if (acme.eab_kid.empty() && !acme.eab_hmac_key.empty())
        failKey(config, "eab_hmac_key",
                "when 'eab_hmac_key' is set, 'eab_kid' must be set as well");
    // The key is a secret: the message describes it, never quotes it.
    if (!acme.eab_hmac_key.empty() && !isBase64Url(acme.eab_hmac_key))
        failKey(config, "eab_hmac_key",
                "not a base64url key (letters, digits, '-' and '_'): copy the HMAC key exactly as "
                "the CA shows it");
}

// "port 3000", or the address itself when it has no port to name.
std::string apiPortText(const Config& config) {
    const auto port = listenPort(config.api.address);
    return port ? "port " + std::to_string(*port) : goQuote(config.api.address);
}

// Each declared challenge must be one rportd can answer at all.
void checkDeclaredChallenges(const Config& config) {
    for (const auto& written : config.acme.challenges) {
        const std::string name = toLowerAscii(trimBlanks(written));
        if (name == kHttp01Challenge) {
            if (config.server.acme_http_port <= 0)
                failKey(
                    config, "challenges",
                    "http-01 is answered on [server] acme_http_port, which is off (0): set it to "
                    "the port public port 80 reaches");
        } else if (name == kTlsAlpn01Challenge) {
            if (config.api.address.empty())
                failKey(
                    config, "challenges",
                    "tls-alpn-01 is answered by the API's TLS listener, and the API is off: set "
                    "[api] address (reached on public port 443)");
            if (!apiServesTls(config))
                failKey(config, "challenges",
                        "tls-alpn-01 is answered by the API's TLS listener, and the API on " +
                            apiPortText(config) +
                            " serves plain HTTP: give it a certificate ([api] enable_acme, or "
                            "cert_file and key_file)");
        } else {
            failKey(config, "challenges",
                    "unknown challenge " + goQuote(written) +
                        ": expected \"http-01\" or \"tls-alpn-01\"");
        }
    }
}

void checkRetryWaits(const Config& config) {
    const auto& acme = config.acme;
    if (acme.retry_min.value < kShortestRetry)
        failKey(config, "retry_min",
                "must be at least " + formatGoDuration(kShortestRetry) + ", got " +
                    goQuote(acme.retry_min.text));
    if (acme.retry_min.value > acme.retry_max.value)
        failKey(config, "retry_min",
                goQuote(acme.retry_min.text) + " is longer than retry_max " +
                    goQuote(acme.retry_max.text));
}

void checkKeyType(const Config& config) {
    const std::string& type = config.acme.key_type;
    if (type != "ecdsa" && type != "rsa")
        failKey(config, "key_type", "expected \"ecdsa\" or \"rsa\", got " + goQuote(type));
}

// Why the API cannot answer TLS-ALPN-01 as configured, and what would change that.
struct TlsAlpnObstacle {
    std::string why;
    std::string remedy;
};

TlsAlpnObstacle tlsAlpnObstacle(const Config& config) {
    if (config.api.address.empty())
        return {"the API is off (no [api] address)", "serve the API over HTTPS on port 443"};
    if (!apiServesTls(config))
        return {"the API on " + apiPortText(config) + " serves plain HTTP",
                "serve the API over HTTPS on port 443"};
    return {"the API listens on " + apiPortText(config) + ", not 443",
            "let the API listen on port 443, or, if public port 443 is forwarded to " +
                apiPortText(config) + ", set [acme] challenges = [\"tls-alpn-01\"]"};
}

void requireReachableChallenge(const Config& config, const std::string& dottedKey,
                               const std::string& label) {
    if (!acmeChallengesInForce(config).empty()) return;
    const TlsAlpnObstacle obstacle = tlsAlpnObstacle(config);
    failAt(config, dottedKey,
           label +
               ": no ACME challenge can reach rportd: HTTP-01 is answered on [server] "
               "acme_http_port, which is off (" +
               std::to_string(config.server.acme_http_port) +
               "), and the CA connects to public port 80 for it; TLS-ALPN-01 is answered by the "
               "API's TLS listener, which the CA reaches on public port 443, and " +
               obstacle.why +
               ". Set acme_http_port (80, or the port public port 80 is forwarded to), or " +
               obstacle.remedy);
}

void checkStateDir(const Config& config) {
    const std::string problem = acmeStateDirProblem(config.server.data_dir);
    if (!problem.empty())
        failAt(config, "server.data_dir",
               "[server] data_dir: the ACME client cannot keep its keys and certificates there: " +
                   problem);
}

// [acme] written while nothing uses it: a warning at its first key, as for
// other settings nothing reads.
void warnUnused(const Config& config, std::vector<std::string>& warnings) {
    int firstLine = 0;
    for (const auto& [key, line] : config.source.key_lines) {
        if (key.rfind("acme.", 0) == 0 && (firstLine == 0 || line < firstLine)) firstLine = line;
    }
    if (firstLine == 0) return;
    warnings.push_back(warningAt(SourcePosition{config.source.name, firstLine, 0}, "[acme]",
                                 "neither [api] enable_acme (with an [api] address) nor [server] "
                                 "tunnel_enable_acme is set, ignored"));
}

}  // namespace

void checkAcme(const Config& config, std::vector<std::string>& warnings) {
    const bool forApi = acmeServesApi(config);
    const bool forTunnels = acmeServesTunnels(config);
    if (!forApi && !forTunnels) return warnUnused(config, warnings);

    checkDirectoryUrl(config);
    checkEmail(config);
    checkCaBundle(config);
    checkExternalAccountBinding(config);
    checkDeclaredChallenges(config);
    checkRetryWaits(config);
    checkKeyType(config);
    if (forApi) requireReachableChallenge(config, "api.enable_acme", "[api] enable_acme");
    if (forTunnels)
        requireReachableChallenge(config, "server.tunnel_enable_acme",
                                  "[server] tunnel_enable_acme");
    checkStateDir(config);
}

}  // namespace rportd::config
