#include "AcmeSettings.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>
#include <string_view>

#include "Base64Url.h"
#include "Duration.h"

namespace rport::plugins::acme {
namespace {

using rport::sdk::Error;

std::string trim(std::string s) {
    const auto notSpace = [](unsigned char c) { return !std::isspace(c); };
    s.erase(s.begin(), std::find_if(s.begin(), s.end(), notSpace));
    s.erase(std::find_if(s.rbegin(), s.rend(), notSpace).base(), s.end());
    return s;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

[[noreturn]] void refuse(const std::string& message) { throw Error(RPORT_E_INVALID, message); }

std::string optional(const rport::sdk::Host& host, const char* key) {
    auto v = host.setting(key);
    return v ? trim(*v) : std::string();
}

bool isIpAddress(const std::string& text) {
    std::string t = text;
    if (t.size() > 2 && t.front() == '[' && t.back() == ']') t = t.substr(1, t.size() - 2);
    unsigned char buf[16];
    return inet_pton(AF_INET, t.c_str(), buf) == 1 || inet_pton(AF_INET6, t.c_str(), buf) == 1;
}

int64_t durationSetting(const rport::sdk::Host& host, const char* key, int64_t fallback) {
    const std::string text = optional(host, key);
    if (text.empty()) return fallback;
    const auto ms = parseDuration(text);
    if (!ms || *ms <= 0)
        refuse(std::string("setting '") + key +
               "' must be a positive duration such as \"30s\", \"10m\" or \"6h\", got \"" + text +
               "\"");
    return *ms;
}

}  // namespace

const char* challengeTypeName(ChallengeType type) {
    return type == ChallengeType::Http01 ? "http-01" : "tls-alpn-01";
}

bool AcmeSettings::offers(ChallengeType type) const {
    return std::find(challenges.begin(), challenges.end(), type) != challenges.end();
}

std::string dnsNameProblem(const std::string& name) {
    if (name.empty()) return "it is empty";
    if (isIpAddress(name))
        return "it is an IP address; ACME certificates from public CAs are for DNS names, so use "
               "the DNS name "
               "clients connect to";
    if (name.find('*') != std::string::npos)
        return "wildcard names need the dns-01 challenge, which this provider does not offer";
    if (name.size() > 253) return "it is longer than 253 characters";
    if (name.find('.') == std::string::npos)
        return "it has no dot; a CA issues only for fully qualified names such as "
               "rport.example.com";
    size_t labelStart = 0;
    for (size_t i = 0; i <= name.size(); ++i) {
        if (i == name.size() || name[i] == '.') {
            const size_t len = i - labelStart;
            if (len == 0) return "it has an empty label (two dots in a row, or a dot at the start)";
            if (len > 63) return "a label is longer than 63 characters";
            if (name[labelStart] == '-' || name[i - 1] == '-')
                return "a label starts or ends with '-'";
            labelStart = i + 1;
            continue;
        }
        const char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return std::string("it contains '") + c +
                   "'; only letters, digits, '-' and '.' are allowed";
    }
    return "";
}

AcmeSettings AcmeSettings::read(const rport::sdk::Host& host, bool canTlsAlpn01) {
    AcmeSettings s;

    const auto hostSetting = host.setting("host");
    if (!hostSetting)
        refuse(
            "missing setting 'host': the DNS name to get a certificate for, e.g. host = "
            "\"rport.example.com\"");
    s.name = lower(trim(*hostSetting));
    if (!s.name.empty() && s.name.back() == '.') s.name.pop_back();
    const std::string why = dnsNameProblem(s.name);
    if (!why.empty())
        refuse("setting 'host' (\"" + trim(*hostSetting) + "\") cannot be used: " + why);

    s.directoryUrl = optional(host, "directory_url");
    if (s.directoryUrl.empty()) s.directoryUrl = kLetsEncrypt;
    if (s.directoryUrl.compare(0, 8, "https://") != 0 || s.directoryUrl.size() <= 8)
        refuse("setting 'directory_url' must be an https:// URL of an ACME directory, got \"" +
               s.directoryUrl + "\"");

    s.email = optional(host, "email");
    if (s.email.compare(0, 7, "mailto:") == 0) s.email = s.email.substr(7);
    if (!s.email.empty()) {
        const size_t at = s.email.find('@');
        if (at == std::string::npos || at == 0 || at + 1 == s.email.size() ||
            s.email.find_first_of(" ,;<>\"\t") != std::string::npos)
            refuse("setting 'email' must be one address such as admin@example.com, got \"" +
                   s.email + "\"");
    }

    s.caBundle = optional(host, "ca_bundle");
    if (!s.caBundle.empty()) {
        std::ifstream in(s.caBundle);
        std::stringstream text;
        text << in.rdbuf();
        if (!in) refuse("setting 'ca_bundle': cannot read \"" + s.caBundle + "\"");
        if (text.str().find("-----BEGIN CERTIFICATE-----") == std::string::npos)
            refuse("setting 'ca_bundle': \"" + s.caBundle + "\" holds no PEM certificate");
    }

    s.eabKid = optional(host, "eab_kid");
    const std::string macText = optional(host, "eab_hmac_key");
    if (s.eabKid.empty() != macText.empty())
        refuse(
            "settings 'eab_kid' and 'eab_hmac_key' go together: set both (as the CA gave them) or "
            "neither");
    if (!macText.empty()) {
        // rportd's own validation accepts padded base64 ("...=="), and some
        // CAs show the key that way: up to two trailing '=' are dropped.
        std::string_view unpadded(macText);
        for (int i = 0; i < 2 && !unpadded.empty() && unpadded.back() == '='; ++i)
            unpadded.remove_suffix(1);
        auto mac = base64UrlDecode(unpadded);
        if (!mac || mac->empty())
            refuse(
                "setting 'eab_hmac_key' must be the base64url text the CA gave (letters, digits, "
                "'-' and '_', at most two '=' at the end)");
        s.eabMacKey = *mac;
    }

    const std::string challengesText = optional(host, "challenges");
    if (challengesText.empty()) {
        s.challenges.push_back(ChallengeType::Http01);
        if (canTlsAlpn01) s.challenges.push_back(ChallengeType::TlsAlpn01);
    } else {
        std::stringstream list(challengesText);
        std::string item;
        while (std::getline(list, item, ',')) {
            item = lower(trim(item));
            if (item.empty()) continue;
            ChallengeType t;
            if (item == "http-01")
                t = ChallengeType::Http01;
            else if (item == "tls-alpn-01")
                t = ChallengeType::TlsAlpn01;
            else
                refuse("setting 'challenges': unknown challenge \"" + item +
                       "\"; this provider answers \"http-01\" and \"tls-alpn-01\"");
            if (!s.offers(t)) s.challenges.push_back(t);
        }
        if (s.challenges.empty())
            refuse(
                "setting 'challenges' lists no challenge; use \"http-01\", \"tls-alpn-01\" or "
                "both");
    }

    s.retryMinMs = durationSetting(host, "retry_min", s.retryMinMs);
    s.retryMaxMs = durationSetting(host, "retry_max", s.retryMaxMs);
    if (s.retryMaxMs < s.retryMinMs)
        refuse("setting 'retry_max' (" + formatDuration(s.retryMaxMs) +
               ") is shorter than 'retry_min' (" + formatDuration(s.retryMinMs) + ")");

    const std::string keyType = lower(optional(host, "key_type"));
    if (keyType.empty() || keyType == "ecdsa")
        s.keyType = KeyType::EcdsaP256;
    else if (keyType == "rsa")
        s.keyType = KeyType::Rsa2048;
    else
        refuse("setting 'key_type' must be \"ecdsa\" (P-256) or \"rsa\" (RSA 2048), got \"" +
               keyType + "\"");

    s.httpPort = optional(host, "acme_http_port");
    if (s.httpPort.empty()) s.httpPort = optional(host, "http_port");
    return s;
}

}  // namespace rport::plugins::acme
