#include "AcmeTestKit.h"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <mutex>
#include <stdexcept>

namespace rport::test::acme {

std::string pluginPath() { return ACME_PLUGIN_PATH; }

// ---- Harness ------------------------------------------------------------------------

Harness::Harness(std::string dataDir, uint32_t abiMinor) : host(abiMinor) {
    if (dataDir.empty()) {
        _ownDir = std::make_unique<TempDir>();
        _dataDir = _ownDir->path();
    } else {
        _dataDir = std::move(dataDir);
    }
    host.dataDir = _dataDir;
    _plugin = host.open(pluginPath());
}

Harness::~Harness() {
    provider.reset();
    // ACME_TEST_LOGS=1 prints what every instance logged and reported.
    if (const char* v = std::getenv("ACME_TEST_LOGS"); v && *v == '1') {
        std::cerr << "\n--- plugin log ---\n" << logText();
        for (const auto& s : host.statusReports())
            std::cerr << "status " << s.state << " | " << s.detail << " | error: " << s.lastError
                      << " | next " << s.nextAttempt << " | not_after " << s.notAfter << "\n";
    }
}

void Harness::create() { provider = host.createCert(_plugin, "acme"); }

bool Harness::driveUntil(const std::function<bool()>& done, int timeoutMs) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    for (;;) {
        if (done()) return true;
        if (std::chrono::steady_clock::now() > deadline) return done();
        host.fireTimers();
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
}

void Harness::driveFor(int ms) {
    driveUntil([] { return false; }, ms);
}

std::optional<rport::sdk::CertBundle> Harness::current() const {
    std::optional<rport::sdk::CertBundle> b;
    if (!provider || !provider->current(b).ok()) return std::nullopt;
    return b;
}

size_t Harness::countLogs(int32_t level, const std::string& needle) const {
    size_t n = 0;
    for (const auto& l : host.logs())
        if (l.level == level && l.text.find(needle) != std::string::npos) ++n;
    return n;
}

size_t Harness::countLogs(const std::string& needle) const {
    size_t n = 0;
    for (const auto& l : host.logs())
        if (l.text.find(needle) != std::string::npos) ++n;
    return n;
}

std::string Harness::logText() const {
    static const char* const levels[] = {"?", "ERROR", "WARN", "INFO", "DEBUG"};
    std::string out;
    for (const auto& l : host.logs())
        out +=
            std::string(levels[l.level >= 1 && l.level <= 4 ? l.level : 0]) + " " + l.text + "\n";
    return out;
}

std::optional<rport::sdk::ProviderStatus> Harness::lastStatus() const {
    auto all = host.statusReports();
    if (all.empty()) return std::nullopt;
    return all.back();
}

bool Harness::sawState(const std::string& state) const {
    for (const auto& s : host.statusReports())
        if (s.state == state) return true;
    return false;
}

// ---- Http01Responder ------------------------------------------------------------------

namespace {

class TokenHandler : public Poco::Net::HTTPRequestHandler {
public:
    TokenHandler(const std::vector<rport::sdk::testing::FakeHost*>& hosts,
                 std::atomic<int>& answered)
        : _hosts(hosts), _answered(answered) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override {
        const std::string prefix = "/.well-known/acme-challenge/";
        const std::string uri = request.getURI();
        if (uri.compare(0, prefix.size(), prefix) == 0) {
            const std::string token = uri.substr(prefix.size());
            for (auto* host : _hosts) {
                const auto tokens = host->http01Tokens();
                auto it = tokens.find(token);
                if (it == tokens.end()) continue;
                ++_answered;
                response.setContentType("text/plain");
                response.sendBuffer(it->second.data(), it->second.size());
                return;
            }
        }
        response.setStatus(Poco::Net::HTTPResponse::HTTP_NOT_FOUND);
        response.sendBuffer("not found", 9);
    }

private:
    const std::vector<rport::sdk::testing::FakeHost*>& _hosts;
    std::atomic<int>& _answered;
};

class TokenHandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    TokenHandlerFactory(const std::vector<rport::sdk::testing::FakeHost*>& hosts,
                        std::atomic<int>& answered)
        : _hosts(hosts), _answered(answered) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest&) override {
        return new TokenHandler(_hosts, _answered);
    }

private:
    const std::vector<rport::sdk::testing::FakeHost*>& _hosts;
    std::atomic<int>& _answered;
};

}  // namespace

struct Http01Responder::State {
    std::vector<rport::sdk::testing::FakeHost*> hosts;
    std::unique_ptr<Poco::Net::HTTPServer> server;
};

Http01Responder::Http01Responder(uint16_t port, std::vector<rport::sdk::testing::FakeHost*> hosts)
    : _state(std::make_unique<State>()) {
    _state->hosts = std::move(hosts);
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", port), 64);
    _state->server = std::make_unique<Poco::Net::HTTPServer>(
        new TokenHandlerFactory(_state->hosts, _answered), socket, new Poco::Net::HTTPServerParams);
    _state->server->start();
}

Http01Responder::~Http01Responder() { _state->server->stopAll(true); }

// ---- TlsAlpnResponder -----------------------------------------------------------------

namespace {

int listenLoopback(uint16_t port, uint16_t* bound) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error("socket() failed");
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(port);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 64) != 0) {
        ::close(fd);
        throw std::runtime_error("cannot listen on 127.0.0.1:" + std::to_string(port) + ": " +
                                 std::strerror(errno));
    }
    if (bound) {
        socklen_t len = sizeof addr;
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
        *bound = ntohs(addr.sin_port);
    }
    return fd;
}

// Waits up to 100 ms for a connection; -1 when none came.
int acceptSome(int listener) {
    pollfd p{listener, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) return -1;
    return ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
}

int selectAcmeTls(SSL*, const unsigned char** out, unsigned char* outlen, const unsigned char* in,
                  unsigned int inlen, void*) {
    static const unsigned char wanted[] =
        "\x0a"
        "acme-tls/1";
    unsigned char* selected = nullptr;
    unsigned char selectedLen = 0;
    if (SSL_select_next_proto(&selected, &selectedLen, wanted, sizeof wanted - 1, in, inlen) !=
        OPENSSL_NPN_NEGOTIATED)
        return SSL_TLSEXT_ERR_ALERT_FATAL;
    *out = selected;
    *outlen = selectedLen;
    return SSL_TLSEXT_ERR_OK;
}

int pickCertificate(SSL* ssl, int*, void* arg) {
    auto* host = static_cast<rport::sdk::testing::FakeHost*>(arg);
    const char* name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
    if (!name) return SSL_TLSEXT_ERR_ALERT_FATAL;
    const auto pairs = host->tlsAlpn01();
    auto it = pairs.find(name);
    if (it == pairs.end()) return SSL_TLSEXT_ERR_ALERT_FATAL;
    BIO* certBio =
        BIO_new_mem_buf(it->second.first.data(), static_cast<int>(it->second.first.size()));
    BIO* keyBio =
        BIO_new_mem_buf(it->second.second.data(), static_cast<int>(it->second.second.size()));
    X509* cert = PEM_read_bio_X509(certBio, nullptr, nullptr, nullptr);
    EVP_PKEY* key = PEM_read_bio_PrivateKey(keyBio, nullptr, nullptr, nullptr);
    BIO_free(certBio);
    BIO_free(keyBio);
    const bool ok =
        cert && key && SSL_use_certificate(ssl, cert) == 1 && SSL_use_PrivateKey(ssl, key) == 1;
    X509_free(cert);
    EVP_PKEY_free(key);
    return ok ? SSL_TLSEXT_ERR_OK : SSL_TLSEXT_ERR_ALERT_FATAL;
}

}  // namespace

TlsAlpnResponder::TlsAlpnResponder(uint16_t port, rport::sdk::testing::FakeHost* host)
    : _host(host) {
    _listener = listenLoopback(port, nullptr);
    _thread = std::thread([this] { serve(); });
}

TlsAlpnResponder::~TlsAlpnResponder() {
    _stop = true;
    _thread.join();
    ::close(_listener);
}

void TlsAlpnResponder::serve() {
    SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_alpn_select_cb(ctx, selectAcmeTls, nullptr);
    SSL_CTX_set_tlsext_servername_callback(ctx, pickCertificate);
    SSL_CTX_set_tlsext_servername_arg(ctx, _host);
    while (!_stop) {
        const int fd = acceptSome(_listener);
        if (fd < 0) continue;
        timeval tv{5, 0};
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        SSL* ssl = SSL_new(ctx);
        SSL_set_fd(ssl, fd);
        if (SSL_accept(ssl) == 1) {
            ++_answered;
            SSL_shutdown(ssl);
        }
        ERR_clear_error();
        SSL_free(ssl);
        ::close(fd);
    }
    SSL_CTX_free(ctx);
}

// ---- SilentServer -----------------------------------------------------------------------

SilentServer::SilentServer() {
    _listener = listenLoopback(0, &_port);
    _thread = std::thread([this] {
        while (!_stop) {
            const int fd = acceptSome(_listener);
            if (fd < 0) continue;
            _connections.push_back(fd);
            ++_accepted;
        }
    });
}

SilentServer::~SilentServer() {
    _stop = true;
    _thread.join();
    for (int fd : _connections) ::close(fd);
    ::close(_listener);
}

// ---- FakeAcmeServer -------------------------------------------------------------------

std::string FakeRequest::payload() const {
    static const std::string alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const std::string key = "\"payload\":\"";
    const size_t at = body.find(key);
    if (at == std::string::npos) return "";
    std::string out;
    uint32_t buffer = 0;
    int bits = 0;
    for (size_t i = at + key.size(); i < body.size() && body[i] != '"'; ++i) {
        buffer = (buffer << 6) | static_cast<uint32_t>(alphabet.find(body[i]) & 63);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += char((buffer >> bits) & 0xFF);
        }
    }
    return out;
}

namespace {

class ScriptedHandler : public Poco::Net::HTTPRequestHandler {
public:
    ScriptedHandler(std::function<FakeReply(const FakeRequest&)> handle)
        : _handle(std::move(handle)) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override {
        FakeRequest r;
        r.method = request.getMethod();
        r.path = request.getURI();
        Poco::StreamCopier::copyToString(request.stream(), r.body);
        const FakeReply reply = _handle(r);
        response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
        response.setContentType(reply.contentType);
        static std::atomic<int> nonce{0};
        response.set("Replay-Nonce", "fakeNonce" + std::to_string(++nonce));
        for (const auto& [k, v] : reply.headers) response.set(k, v);
        response.sendBuffer(reply.body.data(), reply.body.size());
    }

private:
    std::function<FakeReply(const FakeRequest&)> _handle;
};

class ScriptedFactory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit ScriptedFactory(std::function<FakeReply(const FakeRequest&)> handle)
        : _handle(std::move(handle)) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest&) override {
        return new ScriptedHandler(_handle);
    }

private:
    std::function<FakeReply(const FakeRequest&)> _handle;
};

}  // namespace

struct FakeAcmeServer::State {
    TempDir dir;
    std::mutex mutex;
    std::vector<FakeRequest> requests;
    Handler handler;
    std::unique_ptr<Poco::Net::HTTPServer> server;
};

FakeAcmeServer::FakeAcmeServer(Handler handler) : _state(std::make_unique<State>()) {
    _state->handler = std::move(handler);
    const TestPair pair = selfSigned("localhost", -3600, 86400);
    _caPath = _state->dir.write("cert.pem", pair.chainPem);
    const std::string keyPath = _state->dir.write("key.pem", pair.keyPem, 0600);
    Poco::Net::Context::Params params;
    params.certificateFile = _caPath;
    params.privateKeyFile = keyPath;
    params.verificationMode = Poco::Net::Context::VERIFY_NONE;
    Poco::Net::Context::Ptr context =
        new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, params);
    Poco::Net::SecureServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0), 64, context);
    _port = socket.address().port();
    State* state = _state.get();
    auto record = [state](const FakeRequest& r) {
        {
            std::lock_guard<std::mutex> lock(state->mutex);
            state->requests.push_back(r);
        }
        return state->handler(r);
    };
    _state->server = std::make_unique<Poco::Net::HTTPServer>(new ScriptedFactory(record), socket,
                                                             new Poco::Net::HTTPServerParams);
    _state->server->start();
}

FakeAcmeServer::~FakeAcmeServer() { _state->server->stopAll(true); }

std::string FakeAcmeServer::url(const std::string& path) const {
    return "https://127.0.0.1:" + std::to_string(_port) + path;
}

std::vector<FakeRequest> FakeAcmeServer::requests() const {
    std::lock_guard<std::mutex> lock(_state->mutex);
    return _state->requests;
}

// ---- certificates ---------------------------------------------------------------------------

namespace {

std::string pemOf(X509* cert) {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(bio, cert);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    std::string out(data, static_cast<size_t>(n));
    BIO_free(bio);
    return out;
}

std::string pemOf(EVP_PKEY* key) {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    std::string out(data, static_cast<size_t>(n));
    BIO_free(bio);
    return out;
}

std::vector<X509*> readAll(const std::string& pem) {
    std::vector<X509*> out;
    BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    while (X509* c = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr)) out.push_back(c);
    BIO_free(bio);
    ERR_clear_error();
    return out;
}

}  // namespace

TestPair selfSigned(const std::string& name, long fromSeconds, long toSeconds, bool rsa,
                    const std::string& aki, const std::string& serialHex) {
    EVP_PKEY* key = rsa ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(2048))
                        : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
    X509* cert = X509_new();
    X509_set_version(cert, 2);
    BIGNUM* serial = nullptr;
    BN_hex2bn(&serial, serialHex.empty() ? "0A1B2C3D4E5F" : serialHex.c_str());
    BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(cert));
    BN_free(serial);
    X509_gmtime_adj(X509_getm_notBefore(cert), fromSeconds);
    X509_gmtime_adj(X509_getm_notAfter(cert), toSeconds);
    X509_NAME* subject = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(name.c_str()), -1, -1, 0);
    X509_set_issuer_name(cert, subject);
    X509_set_pubkey(cert, key);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    X509_EXTENSION* san =
        X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, ("DNS:" + name).c_str());
    X509_add_ext(cert, san, -1);
    X509_EXTENSION_free(san);
    if (!aki.empty()) {
        AUTHORITY_KEYID* akid = AUTHORITY_KEYID_new();
        akid->keyid = ASN1_OCTET_STRING_new();
        ASN1_OCTET_STRING_set(akid->keyid, reinterpret_cast<const unsigned char*>(aki.data()),
                              static_cast<int>(aki.size()));
        X509_EXTENSION* ext = X509V3_EXT_i2d(NID_authority_key_identifier, 0, akid);
        X509_add_ext(cert, ext, -1);
        X509_EXTENSION_free(ext);
        AUTHORITY_KEYID_free(akid);
    }
    X509_sign(cert, key, EVP_sha256());
    TestPair pair{pemOf(cert), pemOf(key)};
    X509_free(cert);
    EVP_PKEY_free(key);
    return pair;
}

std::string verifyChain(const std::string& chainPem, const std::string& rootPemPath) {
    std::vector<X509*> chain = readAll(chainPem);
    if (chain.empty()) return "no certificate in the chain";
    X509_STORE* store = X509_STORE_new();
    X509_STORE_load_file(store, rootPemPath.c_str());
    STACK_OF(X509)* untrusted = sk_X509_new_null();
    for (size_t i = 1; i < chain.size(); ++i) sk_X509_push(untrusted, chain[i]);
    X509_STORE_CTX* ctx = X509_STORE_CTX_new();
    X509_STORE_CTX_init(ctx, store, chain[0], untrusted);
    const int ok = X509_verify_cert(ctx);
    std::string why = ok == 1 ? "" : X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx));
    X509_STORE_CTX_free(ctx);
    sk_X509_free(untrusted);
    X509_STORE_free(store);
    for (X509* c : chain) X509_free(c);
    ERR_clear_error();
    return why;
}

std::string leafSerial(const std::string& chainPem) {
    std::vector<X509*> chain = readAll(chainPem);
    if (chain.empty()) return "";
    BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(chain[0]), nullptr);
    char* hex = BN_bn2hex(bn);
    std::string out = hex;
    OPENSSL_free(hex);
    BN_free(bn);
    for (X509* c : chain) X509_free(c);
    return out;
}

std::vector<std::string> leafDnsNames(const std::string& chainPem) {
    std::vector<std::string> out;
    std::vector<X509*> chain = readAll(chainPem);
    if (chain.empty()) return out;
    auto* names = static_cast<GENERAL_NAMES*>(
        X509_get_ext_d2i(chain[0], NID_subject_alt_name, nullptr, nullptr));
    for (int i = 0; names && i < sk_GENERAL_NAME_num(names); ++i) {
        const GENERAL_NAME* gn = sk_GENERAL_NAME_value(names, i);
        if (gn->type == GEN_DNS)
            out.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(gn->d.dNSName)),
                             static_cast<size_t>(ASN1_STRING_length(gn->d.dNSName)));
    }
    GENERAL_NAMES_free(names);
    for (X509* c : chain) X509_free(c);
    return out;
}

std::string keyDescription(std::string_view keyPem) {
    BIO* bio = BIO_new_mem_buf(keyPem.data(), static_cast<int>(keyPem.size()));
    EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    if (!key) return "none";
    std::string out;
    if (EVP_PKEY_is_a(key, "EC")) {
        char group[64] = {0};
        size_t len = 0;
        EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &len);
        out = std::string("EC ") + group;
    } else if (EVP_PKEY_is_a(key, "RSA")) {
        out = "RSA " + std::to_string(EVP_PKEY_get_bits(key));
    } else {
        out = "other";
    }
    EVP_PKEY_free(key);
    return out;
}

int fileMode(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return -1;
    return static_cast<int>(st.st_mode & 07777);
}

}  // namespace rport::test::acme
