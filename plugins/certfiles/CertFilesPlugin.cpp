// The "certfiles" plugin: two certificate providers that serve a pair of PEM
// files from memory and reload it when the files change.
//   files    cert_file + key_file anywhere
//   certbot  a certbot lineage (<config_dir>/live/<name>/), with advice about
//            how certbot will renew it
#include <rport/plugin.hpp>

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "CertbotLineage.h"
#include "FileStamp.h"
#include "WatchedPair.h"

namespace rport::plugins::certfiles {
namespace {

using rport::sdk::Error;
using rport::sdk::Host;

std::string fileSetting(const Host& host, const std::string& key) {
    const auto value = host.setting(key);
    if (!value) throw Error(RPORT_E_INVALID, "missing setting '" + key + "'");
    if (value->empty()) throw Error(RPORT_E_INVALID, "setting '" + key + "' is empty");
    return *value;
}

long numberSetting(const Host& host, const std::string& key, long fallback, long lowest, long highest) {
    const auto value = host.setting(key);
    if (!value || value->empty()) return fallback;
    char* end = nullptr;
    errno = 0;
    const long n = std::strtol(value->c_str(), &end, 10);
    if (errno != 0 || *end != '\0' || n < lowest || n > highest)
        throw Error(RPORT_E_INVALID, "setting '" + key + "' must be a whole number from " + std::to_string(lowest) +
                                         " to " + std::to_string(highest) + ", got \"" + *value + "\"");
    return n;
}

WatchedPair::Options watchOptions(const Host& host, std::string cert, std::string key) {
    WatchedPair::Options o;
    o.certPath = std::move(cert);
    o.keyPath = std::move(key);
    o.useInotify = host.flag("inotify", true);
    o.checkIntervalMs = static_cast<uint32_t>(numberSetting(host, "check_interval_ms", 2000, 0, 86400000));
    return o;
}

void warnAboutKeyPermissions(const Host& host, const std::string& keyPath) {
    if (auto warning = keyPermissionWarning(keyPath)) host.warning(*warning);
}

class FilesProvider : public rport::sdk::CertProvider {
public:
    explicit FilesProvider(Host host)
        : _pair(host, watchOptions(host, fileSetting(host, "cert_file"), fileSetting(host, "key_file"))) {
        warnAboutKeyPermissions(host, fileSetting(host, "key_file"));
    }
    rport::sdk::CertBundle current() override { return _pair.current(); }
    void renewNow() override { _pair.renewNow(); }

private:
    WatchedPair _pair;
};

struct CertbotSetup {
    LineageLocation where;
    std::string certPath;
    std::string keyPath;
    int acmeHttpPort = 0;
    std::string challengeWebroot;
};

CertbotSetup certbotSetup(const Host& host) {
    CertbotSetup s;
    const auto lineage = host.setting("lineage");
    const auto certFile = host.setting("cert_file");
    if (certFile && !certFile->empty()) {
        const auto where = lineageFromPath(*certFile);
        if (!where)
            throw Error(RPORT_E_INVALID, "cert_file " + *certFile +
                                             " does not lie in a certbot directory <config_dir>/live/<name>/; "
                                             "use the 'files' provider for certificates elsewhere");
        if (lineage && !lineage->empty() && *lineage != where->name)
            throw Error(RPORT_E_INVALID, "setting 'lineage' (\"" + *lineage + "\") does not match cert_file " +
                                             *certFile + " (lineage \"" + where->name + "\")");
        s.where = *where;
        s.certPath = *certFile;
        s.keyPath = fileSetting(host, "key_file");
    } else if (lineage && !lineage->empty()) {
        if (lineage->find('/') != std::string::npos || *lineage == "." || *lineage == "..")
            throw Error(RPORT_E_INVALID, "setting 'lineage' must be a certbot certificate name such as "
                                         "rport.example.com, got \"" + *lineage + "\"");
        const auto configDir = host.setting("config_dir");
        s.where = LineageLocation{configDir && !configDir->empty() ? *configDir : "/etc/letsencrypt", *lineage};
        s.certPath = livePath(s.where, "fullchain.pem");
        s.keyPath = livePath(s.where, "privkey.pem");
    } else {
        throw Error(RPORT_E_INVALID,
                    "missing setting 'lineage' (the certbot certificate name, e.g. rport.example.com), or "
                    "'cert_file' and 'key_file' in <config_dir>/live/<name>/");
    }
    s.acmeHttpPort = static_cast<int>(numberSetting(host, "acme_http_port", 0, 0, 65535));
    if (auto webroot = host.setting("challenge_webroot")) s.challengeWebroot = *webroot;
    return s;
}

// certbot also runs every executable in renewal-hooks/{pre,deploy,post}/.
void adviseAboutHookScripts(const Host& host, const LineageLocation& where) {
    const std::string base = (where.configDir == "/" ? std::string() : where.configDir) + "/renewal-hooks/";
    for (const char* phase : {"pre", "deploy", "post"}) {
        const std::string dir = base + phase;
        DIR* d = ::opendir(dir.c_str());
        if (!d) continue;
        while (const dirent* entry = ::readdir(d)) {
            const std::string path = dir + "/" + entry->d_name;
            struct stat st {};
            if (entry->d_name[0] == '.' || ::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) ||
                st.st_size > 65536)
                continue;
            std::ifstream in(path);
            std::ostringstream text;
            text << in.rdbuf();
            if (restartsRportd(text.str()))
                host.info(path + ": this certbot " + phase +
                          " hook mentions rport; restarting rportd for a renewal is not needed: rportd notices the "
                          "renewed certificate and reloads it by itself");
        }
        ::closedir(d);
    }
}

void adviseAboutRenewal(const Host& host, const CertbotSetup& s, const CertPair& pair) {
    const std::string confPath = renewalConfPath(s.where);
    std::ifstream in(confPath);
    if (!in) {
        const int error = errno;
        if (error == ENOENT)
            host.warning(confPath + " does not exist: " + livePath(s.where, "") +
                         " is not a certbot lineage (or certbot's config_dir is elsewhere), so certbot will not "
                         "renew this certificate; rportd still reloads it whenever the files change");
        else
            host.warning("cannot read " + confPath + " (" + std::strerror(error) +
                         "): cannot check how certbot will renew this certificate");
        return;
    }
    std::ostringstream text;
    text << in.rdbuf();
    RenewalContext context;
    context.confPath = confPath;
    context.lineage = s.where.name;
    context.acmeHttpPort = s.acmeHttpPort;
    context.challengeWebroot = s.challengeWebroot;
    context.domains = pair.dnsNames;
    for (const Advice& a : adviseOnRenewal(parseRenewalConf(text.str()), context)) host.log(a.level, a.text);
    adviseAboutHookScripts(host, s.where);
}

class CertbotProvider : public rport::sdk::CertProvider {
public:
    explicit CertbotProvider(Host host) : CertbotProvider(host, certbotSetup(host)) {}
    rport::sdk::CertBundle current() override { return _pair.current(); }
    void renewNow() override { _pair.renewNow(); }

private:
    CertbotProvider(Host host, CertbotSetup setup)
        : _setup(std::move(setup)), _pair(host, watchOptions(host, _setup.certPath, _setup.keyPath)) {
        warnAboutKeyPermissions(host, _setup.keyPath);
        adviseAboutRenewal(host, _setup, _pair.initial());
    }

    CertbotSetup _setup;
    WatchedPair _pair;
};

}  // namespace
}  // namespace rport::plugins::certfiles

RPORT_PLUGIN("certfiles", "1.0.0",
             rport::sdk::certBackend<rport::plugins::certfiles::FilesProvider>("files", RPORT_BACKEND_THREADSAFE),
             rport::sdk::certBackend<rport::plugins::certfiles::CertbotProvider>("certbot",
                                                                                 RPORT_BACKEND_THREADSAFE))
