#pragma once
// A throwaway ACME CA for tests: pebble plus pebble-challtestsrv as its DNS
// server, everything on 127.0.0.1 only, in a scratch directory that goes
// away with the object.
//
// - pebble-challtestsrv serves DNS on 127.0.0.1:<free port> (UDP and TCP),
//   answering 127.0.0.1 to every A query and nothing to AAAA; its own
//   HTTP-01, HTTPS and TLS-ALPN-01 challenge servers are turned off. pebble
//   uses it as its only resolver, so no name lookup leaves the machine.
// - pebble serves ACME at https://127.0.0.1:<port>/dir and its management
//   API on another loopback port, with a certificate from a mini CA made
//   with the openssl CLI at every start (clients trust minicaPath()).
// - The validation authority connects to 127.0.0.1:httpPort() for HTTP-01
//   and 127.0.0.1:tlsPort() for TLS-ALPN-01: the challenge listener under
//   test (certbot --standalone, a webroot file server, rportd) goes there.
// - pebble makes a new root and intermediate at every start; rootPath() and
//   intermediatePath() hold them so that issued certificates can be verified.
//
// The destructor stops both processes (SIGTERM, then SIGKILL); they also
// die with the test process.
#include <sys/types.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "TempDir.h"

namespace rport::test {

struct PebbleOptions {
    // Where the validation authority connects for HTTP-01 / TLS-ALPN-01
    // (always 127.0.0.1, since every name resolves there). 0: a port that
    // is free now, see httpPort() / tlsPort().
    uint16_t httpPort = 0;
    uint16_t tlsPort = 0;
    // PEBBLE_VA_ALWAYS_VALID=1: every challenge passes without a connection.
    bool vaAlwaysValid = false;
    // PEBBLE_CHAIN_LENGTH when > 0 (pebble's default: root + 1 intermediate).
    int chainLength = 0;
    // PEBBLE_WFE_NONCEREJECT: the percentage of good nonces pebble refuses
    // with badNonce (pebble's own default is 5; 0 here so that tests which
    // do not care see no retries; -1 leaves pebble's default).
    int nonceRejectPercent = 0;
    // certificateValidityPeriod in seconds; 0: pebble's default (5 years).
    uint64_t certificateValiditySeconds = 0;
    // externalAccountBindingRequired, and the key ids with their base64url
    // HMAC keys that pebble accepts.
    bool externalAccountBindingRequired = false;
    std::vector<std::pair<std::string, std::string>> externalAccountMacKeys;
    // Give up (and throw with the logs) when /dir does not answer by then.
    int startTimeoutMs = 30000;
};

class PebbleServer {
public:
    // Starts both servers and waits until /dir answers, then fetches the
    // roots. Retries with new ports when one was taken in the meantime.
    // Throws std::runtime_error with the servers' logs on failure, or when
    // the programs are missing (check installed() first to skip instead).
    explicit PebbleServer(const PebbleOptions& options = PebbleOptions());
    ~PebbleServer();
    PebbleServer(const PebbleServer&) = delete;
    PebbleServer& operator=(const PebbleServer&) = delete;

    // True when pebble, pebble-challtestsrv and openssl are on PATH.
    static bool installed();
    // Why not, for a skip message ("" when installed).
    static std::string missingReason();

    // https://127.0.0.1:<port>/dir, for certbot --server.
    std::string directoryUrl() const;
    uint16_t acmePort() const { return _acmePort; }
    uint16_t managementPort() const { return _managementPort; }
    uint16_t dnsPort() const { return _dnsPort; }
    uint16_t httpPort() const { return _options.httpPort; }
    uint16_t tlsPort() const { return _options.tlsPort; }

    // The mini CA that signed pebble's own HTTPS certificate: what ACME
    // clients must trust (REQUESTS_CA_BUNDLE for certbot).
    const std::string& minicaPath() const { return _minica; }
    // PEM files fetched from the management API (/roots/0, /intermediates/0):
    // the root that issued certificates chain to, and the intermediate.
    const std::string& rootPath() const { return _root; }
    const std::string& intermediatePath() const { return _intermediate; }

    // GET on the management API (e.g. "/roots/0", "/cert-status-by-serial/.."):
    // the body; throws unless the status is 200.
    std::string managementGet(const std::string& path) const;

    // Seconds from the first spawn until /dir answered and the roots were saved.
    double startSeconds() const { return _startSeconds; }
    // Scratch directory (configs, certificates, logs).
    const std::string& dir() const { return _dir.path(); }
    // Tail of pebble's and pebble-challtestsrv's output.
    std::string log() const;

    pid_t pebblePid() const { return _pebblePid; }
    pid_t challtestsrvPid() const { return _dnsPid; }
    bool running() const { return _pebblePid > 0; }
    // Stops both processes; idempotent.
    void stop();
    // Stops and starts both again on the same ports: a CA back from an
    // outage, with a new root and no memory of accounts or orders.
    void restart();

private:
    void makeMiniCa();
    bool tryStart(std::string& error, bool samePorts = false);
    void fetchRoots();

    TempDir _dir;
    PebbleOptions _options;
    std::string _minica, _serverCert, _serverKey, _root, _intermediate;
    uint16_t _acmePort = 0, _managementPort = 0, _dnsPort = 0, _dnsManagementPort = 0;
    pid_t _pebblePid = -1, _dnsPid = -1;
    double _startSeconds = 0;
};

// One HTTPS GET to 127.0.0.1:port that verifies the server's certificate
// against caFile (and that it is valid for IP 127.0.0.1). Returns the HTTP
// status (0 when the connection or handshake failed) and fills body; error
// gets the reason on failure. No name resolution is involved.
int httpsGetLoopback(uint16_t port, const std::string& path, const std::string& caFile,
                     std::string& body, std::string* error = nullptr);

}  // namespace rport::test
