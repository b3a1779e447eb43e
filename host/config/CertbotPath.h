#pragma once
// Whether a certificate path is a certbot lineage's live/ file, so that the
// classic `[api] cert_file` can select the "certbot" provider instead of
// "files". (The certbot plugin derives the same from its settings on its own:
// host code and plugin code share nothing but the SDK.)
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace rportd::config {

struct CertbotLineagePath {
    std::string configDir;    // e.g. /etc/letsencrypt
    std::string name;         // e.g. rport.example.com
    std::string renewalConf;  // <configDir>/renewal/<name>.conf
};

// From the text alone: a path <configDir>/live/<name>/<file>, or nullopt.
std::optional<CertbotLineagePath> certbotLineageOfPath(std::string_view certPath);

// As above, and only when isFile(renewalConf) says certbot manages that name.
std::optional<CertbotLineagePath> certbotLineageOf(std::string_view certPath,
                                                   const std::function<bool(const std::string&)>& isFile);

// The same, asking the file system (stat, symlinks followed).
std::optional<CertbotLineagePath> certbotLineageOnDisk(std::string_view certPath);

}  // namespace rportd::config
