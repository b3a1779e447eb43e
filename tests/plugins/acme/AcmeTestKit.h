#pragma once
// What the acme plugin tests share: the built acme.so behind the SDK's fake
// host, driven by firing its timers in a loop as rportd's timer thread
// would; challenge responders on pebble's validation ports that answer from
// what the plugin published (HTTP-01 tokens, TLS-ALPN-01 certificates); a
// TCP listener that never answers; certificates made with OpenSSL.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <rport/testing.hpp>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "TempDir.h"

namespace rport::test::acme {

std::string pluginPath();

// One provider instance in a fake host. dataDir: shared by instances that
// play several rportd on one data_dir; "" = a directory of its own.
class Harness {
public:
    explicit Harness(std::string dataDir = "", uint32_t abiMinor = RPORT_ABI_MINOR);
    ~Harness();

    rport::sdk::testing::FakeHost host;

    // Creates the instance (throws rport::sdk::Error with the plugin's message).
    void create();
    void destroy() { provider.reset(); }
    std::unique_ptr<rport::sdk::CertClient> provider;

    // Fires due timers every few ms until done() or timeoutMs passed; the
    // plugin's worker runs meanwhile. Returns done().
    bool driveUntil(const std::function<bool()>& done, int timeoutMs);
    // Fires timers for a while regardless.
    void driveFor(int ms);

    std::optional<rport::sdk::CertBundle> current() const;
    std::string stateDir() const { return _dataDir + "/acme"; }
    const std::string& dataDir() const { return _dataDir; }

    size_t countLogs(int32_t level, const std::string& needle) const;
    size_t countLogs(const std::string& needle) const;
    // Every log line, one per line with its level, for failure messages.
    std::string logText() const;
    std::optional<rport::sdk::ProviderStatus> lastStatus() const;
    bool sawState(const std::string& state) const;

private:
    std::unique_ptr<TempDir> _ownDir;
    std::string _dataDir;
    rport::sdk::testing::LoadedPlugin _plugin;
};

// Answers pebble's HTTP-01 requests on 127.0.0.1:port from the tokens the
// hosts' plugins published.
class Http01Responder {
public:
    Http01Responder(uint16_t port, std::vector<rport::sdk::testing::FakeHost*> hosts);
    ~Http01Responder();
    int answered() const { return _answered; }

private:
    struct State;
    std::unique_ptr<State> _state;
    std::atomic<int> _answered{0};
};

// Answers pebble's TLS-ALPN-01 handshakes on 127.0.0.1:port with the
// certificate the host's plugin published for the requested name.
class TlsAlpnResponder {
public:
    TlsAlpnResponder(uint16_t port, rport::sdk::testing::FakeHost* host);
    ~TlsAlpnResponder();
    int answered() const { return _answered; }

private:
    void serve();
    rport::sdk::testing::FakeHost* _host;
    int _listener = -1;
    std::atomic<bool> _stop{false};
    std::atomic<int> _answered{0};
    std::thread _thread;
};

// Accepts TCP connections on 127.0.0.1 and never sends a byte: an ACME server
// that hangs.
class SilentServer {
public:
    SilentServer();
    ~SilentServer();
    uint16_t port() const { return _port; }
    int accepted() const { return _accepted; }

private:
    int _listener = -1;
    uint16_t _port = 0;
    std::atomic<bool> _stop{false};
    std::atomic<int> _accepted{0};
    std::vector<int> _connections;
    std::thread _thread;
};

// A scripted HTTPS server on 127.0.0.1 that plays an ACME CA: every request
// is recorded and answered by the handler; every answer carries a fresh
// Replay-Nonce. Its certificate (for "localhost") is in caPath().
struct FakeRequest {
    std::string method;
    std::string path;
    std::string body;
    // The decoded payload of a JWS body ("" for POST-as-GET or a non-JWS body).
    std::string payload() const;
};
struct FakeReply {
    using Headers = std::vector<std::pair<std::string, std::string>>;
    FakeReply(int s, std::string b, std::string type = "application/json", Headers h = {})
        : status(s), body(std::move(b)), contentType(std::move(type)), headers(std::move(h)) {}
    int status;
    std::string body;
    std::string contentType;
    Headers headers;
};
class FakeAcmeServer {
public:
    using Handler = std::function<FakeReply(const FakeRequest&)>;
    explicit FakeAcmeServer(Handler handler);
    ~FakeAcmeServer();
    uint16_t port() const { return _port; }
    std::string url(const std::string& path) const;
    const std::string& caPath() const { return _caPath; }
    std::vector<FakeRequest> requests() const;

private:
    struct State;
    std::unique_ptr<State> _state;
    uint16_t _port = 0;
    std::string _caPath;
};

// A self-signed certificate for name (P-256 key unless rsa), valid from
// now + fromSeconds to now + toSeconds; with an AKI when aki is not empty.
struct TestPair {
    std::string chainPem;
    std::string keyPem;
};
TestPair selfSigned(const std::string& name, long fromSeconds, long toSeconds, bool rsa = false,
                    const std::string& aki = "", const std::string& serialHex = "");

// Checks chainPem's leaf against the root file, the chain's other
// certificates as intermediates; "" when it verifies, else why not.
std::string verifyChain(const std::string& chainPem, const std::string& rootPemPath);
// The leaf's serial (upper-case hex) and its DNS names.
std::string leafSerial(const std::string& chainPem);
std::vector<std::string> leafDnsNames(const std::string& chainPem);
// "EC" or "RSA" and the curve or bit size, e.g. "EC prime256v1", "RSA 2048".
std::string keyDescription(std::string_view keyPem);
// The file's permission bits, -1 when it does not exist.
int fileMode(const std::string& path);

}  // namespace rport::test::acme
