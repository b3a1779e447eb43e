#pragma once
// Runs the real certbot against a PebbleServer, with its own config, work
// and logs directories in a scratch directory (nothing under /etc/letsencrypt
// is read or written), non-interactive, without an account e-mail, trusting
// pebble's mini CA through REQUESTS_CA_BUNDLE. Every call is timed.
#include <cstdint>
#include <string>
#include <vector>

#include "TempDir.h"

namespace rport::test {

class PebbleServer;

struct CertbotResult {
    int exitCode = -1;    // -1: killed after the timeout
    std::string output;   // certbot's stdout and stderr
    double seconds = 0;   // wall time of the call
    std::string command;  // the command line, for messages
    bool ok() const { return exitCode == 0; }
    // command, exit code and output: for assertion messages.
    std::string describe() const;
};

class Certbot {
public:
    // Talks to pebble.directoryUrl(), trusting pebble.minicaPath().
    explicit Certbot(const PebbleServer& pebble);
    Certbot(const std::string& directoryUrl, const std::string& caBundle);
    Certbot(const Certbot&) = delete;
    Certbot& operator=(const Certbot&) = delete;

    // True when certbot is on PATH.
    static bool installed();

    // certbot certonly --standalone: certbot itself answers HTTP-01 on
    // 127.0.0.1:port while it runs. Default key (ECDSA P-256) unless extra
    // says otherwise (e.g. {"--key-type", "rsa"}).
    CertbotResult certonlyStandalone(const std::string& domain, uint16_t port,
                                     const std::vector<std::string>& extra = {});
    // certbot certonly --webroot -w webroot: certbot writes the token under
    // webroot/.well-known/acme-challenge/ and whatever serves webroot on
    // pebble's httpPort() answers the validation.
    CertbotResult certonlyWebroot(const std::string& domain, const std::string& webroot,
                                  const std::vector<std::string>& extra = {});
    // certbot renew --force-renewal (every lineage, or only certName), with
    // no random sleep first.
    CertbotResult renew(const std::string& certName = "",
                        const std::vector<std::string>& extra = {});
    // Any certbot subcommand with this object's directories, server, CA
    // bundle and --non-interactive added.
    CertbotResult run(const std::vector<std::string>& args);

    void setTimeoutMs(int ms) { _timeoutMs = ms; }

    const std::string& configDir() const { return _configDir; }
    const std::string& workDir() const { return _workDir; }
    const std::string& logsDir() const { return _logsDir; }
    // config/live/NAME/... (symlinks to the newest archive files).
    std::string liveDir(const std::string& name) const;
    std::string fullchainPath(const std::string& name) const;
    std::string certPath(const std::string& name) const;
    std::string chainPath(const std::string& name) const;
    std::string privkeyPath(const std::string& name) const;
    // config/archive/NAME/ (cert1.pem, privkey1.pem, cert2.pem, ...).
    std::string archiveDir(const std::string& name) const;
    // config/renewal/NAME.conf.
    std::string renewalConfPath(const std::string& name) const;

private:
    TempDir _dir;
    std::string _server, _caBundle, _configDir, _workDir, _logsDir;
    int _timeoutMs = 180000;
};

}  // namespace rport::test
