#include "PebbleServer.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <set>
#include <stdexcept>
#include <thread>

#include "Subprocess.h"

namespace rport::test {

namespace {

using Clock = std::chrono::steady_clock;

constexpr int kStartAttempts = 3;
constexpr int kStopGraceMs = 10000;

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string opensslError() {
    unsigned long e = ERR_get_error();
    if (e == 0) return "";
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    ERR_clear_error();
    return buf;
}

// Splits a raw HTTP/1.0 response into status and body.
int parseResponse(const std::string& raw, std::string& body) {
    // "HTTP/1.x NNN reason\r\n"
    if (raw.compare(0, 5, "HTTP/") != 0) return 0;
    size_t space = raw.find(' ');
    if (space == std::string::npos || raw.size() < space + 4) return 0;
    int status = std::atoi(raw.substr(space + 1, 3).c_str());
    size_t headEnd = raw.find("\r\n\r\n");
    body = headEnd == std::string::npos ? "" : raw.substr(headEnd + 4);
    return status;
}

// The distinct free loopback ports, udp for the first one (DNS).
std::vector<uint16_t> distinctPorts(size_t n, const std::set<uint16_t>& taken) {
    std::set<uint16_t> used = taken;
    std::vector<uint16_t> ports;
    while (ports.size() < n) {
        uint16_t p = freeLoopbackPort(ports.empty());
        if (used.insert(p).second) ports.push_back(p);
    }
    return ports;
}

}  // namespace

int httpsGetLoopback(uint16_t port, const std::string& path, const std::string& caFile,
                     std::string& body, std::string* error) {
    auto fail = [&](const std::string& why) {
        if (error) *error = why;
        return 0;
    };
    std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx(SSL_CTX_new(TLS_client_method()),
                                                          SSL_CTX_free);
    if (!ctx) return fail("SSL_CTX_new: " + opensslError());
    if (SSL_CTX_load_verify_locations(ctx.get(), caFile.c_str(), nullptr) != 1)
        return fail("cannot load " + caFile + ": " + opensslError());
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);

    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return fail("socket() failed");
    std::unique_ptr<int, void (*)(int*)> closer(&fd, [](int* f) { ::close(*f); });
    timeval tv{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(port);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
        return fail("connection refused on 127.0.0.1:" + std::to_string(port));

    std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(ctx.get()), SSL_free);
    if (!ssl) return fail("SSL_new: " + opensslError());
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl.get()), "127.0.0.1");
    SSL_set_fd(ssl.get(), fd);
    if (SSL_connect(ssl.get()) != 1) {
        long verify = SSL_get_verify_result(ssl.get());
        return fail("TLS handshake failed: " + opensslError() +
                    (verify != X509_V_OK
                         ? std::string(" (verify: ") + X509_verify_cert_error_string(verify) + ")"
                         : ""));
    }
    // HTTP/1.0: the server closes after the response, no chunked encoding.
    const std::string request = "GET " + path +
                                " HTTP/1.0\r\nHost: 127.0.0.1:" + std::to_string(port) +
                                "\r\nAccept: */*\r\n\r\n";
    if (SSL_write(ssl.get(), request.data(), static_cast<int>(request.size())) <= 0)
        return fail("write failed: " + opensslError());
    std::string raw;
    char buf[16384];
    for (;;) {
        int n = SSL_read(ssl.get(), buf, sizeof buf);
        if (n <= 0) break;
        raw.append(buf, static_cast<size_t>(n));
    }
    ERR_clear_error();
    int status = parseResponse(raw, body);
    if (status == 0) return fail("no HTTP response (" + std::to_string(raw.size()) + " bytes)");
    return status;
}

bool PebbleServer::installed() { return missingReason().empty(); }

std::string PebbleServer::missingReason() {
    std::string missing;
    for (const char* tool : {"pebble", "pebble-challtestsrv", "openssl"})
        if (!toolInstalled(tool)) missing += std::string(missing.empty() ? "" : ", ") + tool;
    if (missing.empty()) return "";
    return "not installed: " + missing +
           " (apt-get install pebble openssl, or scripts/install-deps.sh)";
}

PebbleServer::PebbleServer(const PebbleOptions& options) : _options(options) {
    if (!installed()) throw std::runtime_error("PebbleServer: " + missingReason());
    auto start = Clock::now();
    makeMiniCa();
    std::set<uint16_t> fixed;
    for (uint16_t* p : {&_options.httpPort, &_options.tlsPort}) {
        while (*p == 0 || fixed.count(*p)) *p = freeLoopbackPort();
        fixed.insert(*p);
    }
    std::string errors;
    for (int attempt = 1; attempt <= kStartAttempts; ++attempt) {
        std::string error;
        if (tryStart(error)) {
            try {
                fetchRoots();
            } catch (...) {
                stop();  // no destructor runs when the constructor throws
                throw;
            }
            _startSeconds = secondsSince(start);
            return;
        }
        errors += "attempt " + std::to_string(attempt) + ": " + error + "\n";
        stop();
    }
    throw std::runtime_error("pebble did not start:\n" + errors + log());
}

PebbleServer::~PebbleServer() { stop(); }

std::string PebbleServer::directoryUrl() const {
    return "https://127.0.0.1:" + std::to_string(_acmePort) + "/dir";
}

void PebbleServer::makeMiniCa() {
    const std::string d = _dir.path();
    _minica = d + "/minica.pem";
    _serverCert = d + "/pebble-cert.pem";
    _serverKey = d + "/pebble-key.pem";
    _root = d + "/pebble-root.pem";
    _intermediate = d + "/pebble-intermediate.pem";
    const std::string caKey = d + "/minica.key.pem", csr = d + "/pebble.csr";
    const std::string ext = _dir.write("pebble-cert.ext",
                                       "subjectAltName=DNS:localhost,DNS:pebble,IP:127.0.0.1\n"
                                       "basicConstraints=critical,CA:FALSE\n"
                                       "keyUsage=critical,digitalSignature\n"
                                       "extendedKeyUsage=serverAuth\n"
                                       "subjectKeyIdentifier=hash\n"
                                       "authorityKeyIdentifier=keyid\n");
    const std::vector<std::vector<std::string>> steps{
        {"openssl",
         "req",
         "-x509",
         "-newkey",
         "ec",
         "-pkeyopt",
         "ec_paramgen_curve:P-256",
         "-nodes",
         "-keyout",
         caKey,
         "-out",
         _minica,
         "-days",
         "3650",
         "-subj",
         "/CN=rportd test pebble minica",
         "-addext",
         "basicConstraints=critical,CA:TRUE",
         "-addext",
         "keyUsage=critical,keyCertSign,cRLSign"},
        {"openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
         "-keyout", _serverKey, "-out", csr, "-subj", "/CN=localhost"},
        {"openssl", "x509", "-req", "-in", csr, "-CA", _minica, "-CAkey", caKey, "-CAcreateserial",
         "-out", _serverCert, "-days", "30", "-extfile", ext},
    };
    for (const auto& step : steps) {
        ProcessResult r = runProcess(step, d, {}, 30000);
        if (r.exitCode != 0)
            throw std::runtime_error("PebbleServer: openssl " + step[1] + " failed (" +
                                     std::to_string(r.exitCode) + "): " + r.output);
    }
}

bool PebbleServer::tryStart(std::string& error, bool samePorts) {
    if (!samePorts) {
        std::vector<uint16_t> ports = distinctPorts(4, {_options.httpPort, _options.tlsPort});
        _dnsPort = ports[0];
        _dnsManagementPort = ports[1];
        _acmePort = ports[2];
        _managementPort = ports[3];
    }
    const std::string d = _dir.path();
    const auto loopback = [](uint16_t p) { return "127.0.0.1:" + std::to_string(p); };

    // DNS only; the challenge servers it would otherwise open on every
    // interface (:5001, :5002, :5003) are turned off.
    _dnsPid = spawnProcess({"pebble-challtestsrv", "-defaultIPv4", "127.0.0.1", "-defaultIPv6", "",
                            "-dns01", loopback(_dnsPort), "-http01", "", "-https01", "",
                            "-tlsalpn01", "", "-management", loopback(_dnsManagementPort)},
                           d + "/challtestsrv.log");

    std::string macKeys;
    if (!_options.externalAccountMacKeys.empty()) {
        macKeys = "    \"externalAccountMACKeys\": {";
        for (size_t i = 0; i < _options.externalAccountMacKeys.size(); ++i)
            macKeys += std::string(i ? ", " : "") + "\"" +
                       _options.externalAccountMacKeys[i].first + "\": \"" +
                       _options.externalAccountMacKeys[i].second + "\"";
        macKeys += "},\n";
    }
    const std::string config =
        _dir.write("pebble-config.json",
                   "{\n  \"pebble\": {\n"
                   "    \"listenAddress\": \"" +
                       loopback(_acmePort) +
                       "\",\n"
                       "    \"managementListenAddress\": \"" +
                       loopback(_managementPort) +
                       "\",\n"
                       "    \"certificate\": \"" +
                       _serverCert +
                       "\",\n"
                       "    \"privateKey\": \"" +
                       _serverKey +
                       "\",\n"
                       "    \"httpPort\": " +
                       std::to_string(_options.httpPort) +
                       ",\n"
                       "    \"tlsPort\": " +
                       std::to_string(_options.tlsPort) +
                       ",\n"
                       "    \"ocspResponderURL\": \"\",\n" +
                       (_options.certificateValiditySeconds > 0
                            ? "    \"certificateValidityPeriod\": " +
                                  std::to_string(_options.certificateValiditySeconds) + ",\n"
                            : std::string()) +
                       macKeys + "    \"externalAccountBindingRequired\": " +
                       (_options.externalAccountBindingRequired ? "true" : "false") + "\n  }\n}\n");

    auto deadline = Clock::now() + std::chrono::milliseconds(_options.startTimeoutMs);
    int code = 0;
    // The management port opens once the DNS servers are up.
    while (!tcpPortOpen(_dnsManagementPort) || !tcpPortOpen(_dnsPort)) {
        if (exited(_dnsPid, &code)) {
            _dnsPid = -1;
            error = "pebble-challtestsrv exited with " + std::to_string(code);
            return false;
        }
        if (Clock::now() > deadline) {
            error = "pebble-challtestsrv did not open its ports";
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }

    EnvVars env{{"PEBBLE_VA_NOSLEEP", "1"}, {"PEBBLE_AUTHZREUSE", "0"}};
    if (_options.nonceRejectPercent >= 0)
        env.emplace_back("PEBBLE_WFE_NONCEREJECT", std::to_string(_options.nonceRejectPercent));
    if (_options.vaAlwaysValid) env.emplace_back("PEBBLE_VA_ALWAYS_VALID", "1");
    if (_options.chainLength > 0)
        env.emplace_back("PEBBLE_CHAIN_LENGTH", std::to_string(_options.chainLength));
    _pebblePid = spawnProcess({"pebble", "-config", config, "-dnsserver", loopback(_dnsPort)},
                              d + "/pebble.log", env, d);
    std::string lastError;
    for (;;) {
        if (exited(_pebblePid, &code)) {
            _pebblePid = -1;
            error = "pebble exited with " + std::to_string(code);
            return false;
        }
        std::string body;
        if (httpsGetLoopback(_acmePort, "/dir", _minica, body, &lastError) == 200 &&
            body.find("newAccount") != std::string::npos)
            return true;
        if (Clock::now() > deadline) {
            error = "no answer from " + directoryUrl() + " (" + lastError + ")";
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

std::string PebbleServer::managementGet(const std::string& path) const {
    std::string body, error;
    int status = httpsGetLoopback(_managementPort, path, _minica, body, &error);
    if (status != 200)
        throw std::runtime_error("pebble management GET " + path + ": " +
                                 (status ? "status " + std::to_string(status) : error));
    return body;
}

void PebbleServer::fetchRoots() {
    _dir.write("pebble-root.pem", managementGet("/roots/0"));
    _dir.write("pebble-intermediate.pem", managementGet("/intermediates/0"));
    if (readFile(_root).find("BEGIN CERTIFICATE") == std::string::npos)
        throw std::runtime_error("pebble /roots/0 returned no certificate");
}

void PebbleServer::restart() {
    stop();
    std::string error;
    if (!tryStart(error, true)) {
        stop();
        throw std::runtime_error("pebble did not restart: " + error + "\n" + log());
    }
    fetchRoots();
}

void PebbleServer::stop() {
    if (_pebblePid > 0) terminateProcess(_pebblePid, kStopGraceMs);
    if (_dnsPid > 0) terminateProcess(_dnsPid, kStopGraceMs);
    _pebblePid = _dnsPid = -1;
}

std::string PebbleServer::log() const {
    return "--- pebble-challtestsrv ---\n" + tail(readFile(_dir.file("challtestsrv.log")), 2000) +
           "\n--- pebble ---\n" + tail(readFile(_dir.file("pebble.log")), 4000);
}

}  // namespace rport::test
