#pragma once
// certbot's layout, as far as this plugin needs it:
//   <config_dir>/live/<name>/{fullchain,privkey}.pem -> ../../archive/<name>/*N.pem
//   <config_dir>/renewal/<name>.conf
// and what its renewal configuration says about how renewals will run.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rport::plugins::certfiles {

struct LineageLocation {
    std::string configDir;  // e.g. /etc/letsencrypt
    std::string name;       // e.g. rport.example.com
};

// From a path of the form <config_dir>/live/<name>/<file>; nullopt when the
// path has another shape. Only the text is looked at.
std::optional<LineageLocation> lineageFromPath(std::string_view path);

std::string livePath(const LineageLocation& l, std::string_view file);  // <config_dir>/live/<name>/<file>
std::string renewalConfPath(const LineageLocation& l);                  // <config_dir>/renewal/<name>.conf

// A renewal configuration file: "key = value" lines, optionally under
// "[section]" (or "[[section]]") headers; '#' starts a comment line.
// Top-level keys have the section "".
struct RenewalConf {
    std::map<std::string, std::map<std::string, std::string>> sections;

    // The value, or "" when absent.
    std::string get(const std::string& section, const std::string& key) const;
};

RenewalConf parseRenewalConf(std::string_view text);

struct Advice {
    int level;  // RPORT_LOG_*
    std::string text;
};

struct RenewalContext {
    std::string confPath;
    std::string lineage;
    int acmeHttpPort = 0;              // the port rportd answers HTTP-01 on; 0 = none
    std::string challengeWebroot;      // rportd's challenge webroot; "" = not known
    std::vector<std::string> domains;  // DNS names of the current certificate
};

// What to tell the user about the way certbot will renew this lineage:
// a standalone authenticator on the port rportd holds (renewal fails), a
// webroot that rportd does not serve, hooks that restart rportd (unneeded).
std::vector<Advice> adviseOnRenewal(const RenewalConf& conf, const RenewalContext& context);

// Whether a certbot hook command restarts or signals rportd (and so is not
// needed: rportd reloads renewed certificates by itself).
bool restartsRportd(std::string_view command);

}  // namespace rport::plugins::certfiles
