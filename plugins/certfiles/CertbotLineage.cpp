#include "CertbotLineage.h"

#include <rport/plugin.h>

#include <algorithm>
#include <cctype>

namespace rport::plugins::certfiles {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string withoutTrailingSlashes(std::string_view path) {
    std::string p(path);
    while (p.size() > 1 && p.back() == '/') p.pop_back();
    return p;
}

std::vector<std::string> splitList(std::string_view text) {
    std::vector<std::string> items;
    size_t start = 0;
    while (start <= text.size()) {
        const size_t comma = text.find(',', start);
        const std::string_view item =
            trim(text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
        if (!item.empty()) items.push_back(withoutTrailingSlashes(item));
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return items;
}

std::string joinDomains(const std::vector<std::string>& domains) {
    if (domains.empty()) return "-d <domain>";
    std::string text;
    for (const auto& d : domains) text += (text.empty() ? "-d " : " -d ") + d;
    return text;
}

}  // namespace

bool restartsRportd(std::string_view command) {
    // A hook that only fixes permissions may well mention rport (a group
    // name); only one that restarts or signals rportd is unnecessary.
    const std::string text = lower(command);
    if (text.find("rport") == std::string::npos) return false;
    for (const char* verb : {"restart", "reload", "stop", "start", "kill", "hup"})
        if (text.find(verb) != std::string::npos) return true;
    return false;
}

std::optional<LineageLocation> lineageFromPath(std::string_view path) {
    if (path.empty()) return std::nullopt;
    const bool absolute = path.front() == '/';
    std::vector<std::string_view> parts;
    size_t start = 0;
    while (start <= path.size()) {
        const size_t slash = path.find('/', start);
        const std::string_view part =
            path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
        if (!part.empty() && part != ".") parts.push_back(part);
        if (slash == std::string_view::npos) break;
        start = slash + 1;
    }
    // ... live / <name> / <file>
    if (parts.size() < 3) return std::nullopt;
    const std::string_view file = parts[parts.size() - 1];
    const std::string_view name = parts[parts.size() - 2];
    if (parts[parts.size() - 3] != "live" || name == ".." || file == "..") return std::nullopt;
    std::string dir = absolute ? "/" : "";
    for (size_t i = 0; i + 3 < parts.size(); ++i) {
        if (!dir.empty() && dir.back() != '/') dir += '/';
        dir += parts[i];
    }
    if (dir.empty()) dir = ".";
    return LineageLocation{dir, std::string(name)};
}

std::string livePath(const LineageLocation& l, std::string_view file) {
    const std::string base = l.configDir == "/" ? "" : l.configDir;
    return base + "/live/" + l.name + "/" + std::string(file);
}

std::string renewalConfPath(const LineageLocation& l) {
    const std::string base = l.configDir == "/" ? "" : l.configDir;
    return base + "/renewal/" + l.name + ".conf";
}

std::string RenewalConf::get(const std::string& section, const std::string& key) const {
    const auto s = sections.find(section);
    if (s == sections.end()) return {};
    const auto v = s->second.find(key);
    return v == s->second.end() ? std::string() : v->second;
}

RenewalConf parseRenewalConf(std::string_view text) {
    RenewalConf conf;
    std::string section;
    size_t start = 0;
    while (start < text.size()) {
        const size_t newline = text.find('\n', start);
        const std::string_view line =
            trim(text.substr(start, newline == std::string_view::npos ? std::string_view::npos : newline - start));
        start = newline == std::string_view::npos ? text.size() : newline + 1;
        if (line.empty() || line.front() == '#' || line.front() == ';') continue;
        if (line.front() == '[') {
            std::string_view name = line;
            while (!name.empty() && name.front() == '[') name.remove_prefix(1);
            while (!name.empty() && name.back() == ']') name.remove_suffix(1);
            section = std::string(trim(name));
            conf.sections[section];
            continue;
        }
        const size_t eq = line.find('=');
        if (eq == std::string_view::npos) continue;
        conf.sections[section][std::string(trim(line.substr(0, eq)))] = std::string(trim(line.substr(eq + 1)));
    }
    return conf;
}

std::vector<Advice> adviseOnRenewal(const RenewalConf& conf, const RenewalContext& c) {
    std::vector<Advice> advice;
    const std::string authenticator = lower(conf.get("renewalparams", "authenticator"));
    const std::string webroot = c.challengeWebroot.empty() ? std::string("<rportd's challenge webroot>")
                                                           : withoutTrailingSlashes(c.challengeWebroot);
    const std::string port = std::to_string(c.acmeHttpPort);

    if (authenticator == "standalone") {
        const std::string configured = conf.get("renewalparams", "http01_port");
        int standalonePort = 80;
        if (!configured.empty() && std::all_of(configured.begin(), configured.end(),
                        [](unsigned char ch) { return std::isdigit(ch) != 0; }) &&
            configured.size() < 6)
            standalonePort = std::stoi(configured);
        if (c.acmeHttpPort != 0 && standalonePort == c.acmeHttpPort)
            advice.push_back(
                {RPORT_LOG_WARNING,
                 c.confPath + ": certbot renews \"" + c.lineage +
                     "\" with its standalone server, which must bind port " + port +
                     ", but rportd holds that port for ACME challenges (acme_http_port = " + port +
                     "): the renewal will fail. Switch the lineage to webroot: certbot reconfigure --cert-name " +
                     c.lineage + " --webroot -w " + webroot +
                     " (certbot 2.3 or later; with older certbot: certbot certonly --cert-name " + c.lineage +
                     " --webroot -w " + webroot + " " + joinDomains(c.domains) +
                     " --force-renewal, or set 'authenticator = webroot' and 'webroot_path = " + webroot +
                     ",' under [renewalparams] in " + c.confPath + ")"});
    } else if (authenticator == "webroot") {
        if (c.acmeHttpPort == 80 && !c.challengeWebroot.empty()) {
            std::vector<std::string> paths = splitList(conf.get("renewalparams", "webroot_path"));
            const auto map = conf.sections.find("webroot_map");
            if (map != conf.sections.end())
                for (const auto& [domain, dir] : map->second) {
                    (void)domain;
                    for (auto& p : splitList(dir)) paths.push_back(p);
                }
            if (std::find(paths.begin(), paths.end(), webroot) == paths.end())
                advice.push_back(
                    {RPORT_LOG_WARNING,
                     c.confPath + ": certbot renews \"" + c.lineage +
                         "\" by writing challenges into a webroot other than rportd's (" + webroot +
                         "), while rportd answers ACME challenges on port 80: the renewal will fail. Use "
                         "rportd's webroot: certbot reconfigure --cert-name " +
                         c.lineage + " --webroot -w " + webroot + " (certbot 2.3 or later; with older certbot: set "
                         "'webroot_path = " + webroot + ",' under [renewalparams] and remove [[webroot_map]] in " +
                         c.confPath + ")"});
        }
    } else if (authenticator == "manual" && conf.get("renewalparams", "manual_auth_hook").empty()) {
        advice.push_back({RPORT_LOG_WARNING, c.confPath + ": certbot obtained \"" + c.lineage +
                                                 "\" manually without an auth hook, so 'certbot renew' cannot "
                                                 "renew it unattended; renew it by hand before it expires"});
    }

    for (const char* key : {"pre_hook", "post_hook", "renew_hook", "deploy_hook"}) {
        const std::string command = conf.get("renewalparams", key);
        if (command.empty() || !restartsRportd(command)) continue;
        advice.push_back({RPORT_LOG_INFO, c.confPath + ": the " + key + " \"" + command +
                                              "\" is not needed: rportd notices the renewed certificate and "
                                              "reloads it by itself, without a restart"});
    }
    return advice;
}

}  // namespace rport::plugins::certfiles
