#include "Certbot.h"

#include <sys/stat.h>

#include <stdexcept>

#include "PebbleServer.h"
#include "Subprocess.h"

namespace rport::test {

std::string CertbotResult::describe() const {
    return command + "\n-> exit " + std::to_string(exitCode) + " after " + std::to_string(seconds) +
           " s\n" + tail(output, 6000);
}

Certbot::Certbot(const PebbleServer& pebble)
    : Certbot(pebble.directoryUrl(), pebble.minicaPath()) {}

Certbot::Certbot(const std::string& directoryUrl, const std::string& caBundle)
    : _server(directoryUrl),
      _caBundle(caBundle),
      _configDir(_dir.file("config")),
      _workDir(_dir.file("work")),
      _logsDir(_dir.file("logs")) {
    for (const auto& d : {_configDir, _workDir, _logsDir})
        if (::mkdir(d.c_str(), 0700) != 0) throw std::runtime_error("Certbot: cannot create " + d);
}

bool Certbot::installed() { return toolInstalled("certbot"); }

CertbotResult Certbot::run(const std::vector<std::string>& args) {
    std::vector<std::string> argv{"certbot"};
    argv.insert(argv.end(), args.begin(), args.end());
    for (const std::string& a :
         {std::string("--config-dir"), _configDir, std::string("--work-dir"), _workDir,
          std::string("--logs-dir"), _logsDir, std::string("--server"), _server,
          std::string("--non-interactive")})
        argv.push_back(a);
    CertbotResult r;
    for (const auto& a : argv) r.command += (r.command.empty() ? "" : " ") + a;
    // certbot (python-requests) trusts this bundle only; no other variable
    // or system store matters for the connection to pebble.
    ProcessResult p =
        runProcess(argv, _dir.path(), {{"REQUESTS_CA_BUNDLE", _caBundle}}, _timeoutMs);
    r.exitCode = p.exitCode;
    r.output = std::move(p.output);
    r.seconds = p.seconds;
    return r;
}

CertbotResult Certbot::certonlyStandalone(const std::string& domain, uint16_t port,
                                          const std::vector<std::string>& extra) {
    std::vector<std::string> args{"certonly",
                                  "--agree-tos",
                                  "--register-unsafely-without-email",
                                  "--standalone",
                                  "--http-01-port",
                                  std::to_string(port),
                                  "--http-01-address",
                                  "127.0.0.1",
                                  "-d",
                                  domain};
    args.insert(args.end(), extra.begin(), extra.end());
    return run(args);
}

CertbotResult Certbot::certonlyWebroot(const std::string& domain, const std::string& webroot,
                                       const std::vector<std::string>& extra) {
    std::vector<std::string> args{"certonly",  "--agree-tos", "--register-unsafely-without-email",
                                  "--webroot", "-w",          webroot,
                                  "-d",        domain};
    args.insert(args.end(), extra.begin(), extra.end());
    return run(args);
}

CertbotResult Certbot::renew(const std::string& certName, const std::vector<std::string>& extra) {
    // Without --no-random-sleep-on-renew a non-interactive renew first
    // sleeps for up to several minutes.
    std::vector<std::string> args{"renew", "--force-renewal", "--no-random-sleep-on-renew"};
    if (!certName.empty()) {
        args.push_back("--cert-name");
        args.push_back(certName);
    }
    args.insert(args.end(), extra.begin(), extra.end());
    return run(args);
}

std::string Certbot::liveDir(const std::string& name) const { return _configDir + "/live/" + name; }
std::string Certbot::fullchainPath(const std::string& name) const {
    return liveDir(name) + "/fullchain.pem";
}
std::string Certbot::certPath(const std::string& name) const { return liveDir(name) + "/cert.pem"; }
std::string Certbot::chainPath(const std::string& name) const {
    return liveDir(name) + "/chain.pem";
}
std::string Certbot::privkeyPath(const std::string& name) const {
    return liveDir(name) + "/privkey.pem";
}
std::string Certbot::archiveDir(const std::string& name) const {
    return _configDir + "/archive/" + name;
}
std::string Certbot::renewalConfPath(const std::string& name) const {
    return _configDir + "/renewal/" + name + ".conf";
}

}  // namespace rport::test
