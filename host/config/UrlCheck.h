#pragma once
// URL and host-name checks with the acceptance rules (and error texts) of the
// Go functions the original server used, so a config that passed there passes
// here and a rejected one is rejected with the same explanation.
#include <optional>
#include <string>

namespace rportd::config {

struct UrlParts {
    std::string scheme;  // lower case
    std::string host;    // as written, may carry ":port" (Go's URL.Host)
    std::string path;
};

// Like Go's url.Parse: relative references allowed. Returns the parts, or
// nullopt and sets `error` to e.g. `parse "x": invalid port ":p" after host`.
std::optional<UrlParts> parseUrl(const std::string& text, std::string& error);

// Like Go's url.ParseRequestURI: an absolute URI or an absolute path.
std::optional<UrlParts> parseRequestUri(const std::string& text, std::string& error);

// The rule for `[server] url` and `pairing_url`: http or https with a host.
// Returns "" when fine, else e.g. "invalid url ftp:x: schema must be http or https".
std::string checkHttpUrl(const std::string& text);

// `host` of a URL without the port and without IPv6 brackets (Go's Hostname()).
std::string hostWithoutPort(const std::string& host);

bool isIpAddress(const std::string& text);
// A DNS name in the permissive sense of govalidator's IsDNSName (labels of
// letters, digits, '_' and '-'; an IP address is not a DNS name).
bool isDnsName(const std::string& text);

}  // namespace rportd::config
