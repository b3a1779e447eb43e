#pragma once
// The other end for rportd_tls tests: an OpenSSL client on a non-blocking
// socket, a server TlsTransport on the peer socket, and poll()-driven helpers
// that move bytes between them from one thread (no sleeps, 5 s deadlines).
#include <openssl/ssl.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tls/CertificateStore.h"
#include "tls/TlsTransport.h"

namespace rport::test::tls {

struct SessionFree {
    void operator()(SSL_SESSION* session) const { SSL_SESSION_free(session); }
};
using SessionPtr = std::unique_ptr<SSL_SESSION, SessionFree>;

struct ClientOptions {
    int minVersion = TLS1_2_VERSION;
    int maxVersion = TLS1_3_VERSION;
    std::string tls12Ciphers;  // "" keeps OpenSSL's default list
    std::string serverName;    // SNI; "" sends none
    std::vector<std::string> alpn;
    SSL_SESSION* resume = nullptr;  // offered for resumption; not owned
    // Security level 0, so the client really offers TLS 1.1 or weak suites
    // instead of refusing them itself before anything reaches the server.
    bool allowLegacy = false;
};

class TlsTestClient {
public:
    TlsTestClient(int fd, const ClientOptions& options);  // takes the fd
    ~TlsTestClient();
    TlsTestClient(const TlsTestClient&) = delete;
    TlsTestClient& operator=(const TlsTestClient&) = delete;

    int fd() const { return _fd; }
    SSL* ssl() const { return _ssl; }
    // One non-blocking step: 1 when done, SSL_ERROR_WANT_READ/WRITE, or -1
    // on a fatal error (then lastError holds OpenSSL's reason).
    int handshakeStep();
    std::string peerSerialHex() const;
    size_t peerChainLength() const;
    std::string alpnProtocol() const;
    // The digest in the peer certificate's acmeIdentifier extension (RFC
    // 8737), "" when it has none.
    std::string peerAcmeIdentifier() const;
    SessionPtr session() const;  // for a later resumption
    std::string lastError;

private:
    int _fd;
    SSL_CTX* _ctx = nullptr;
    SSL* _ssl = nullptr;
};

struct TlsPair {
    std::unique_ptr<rportd::tls::TlsTransport> server;
    std::unique_ptr<TlsTestClient> client;
};

// Over a socketpair, or over 127.0.0.1 TCP when `overTcp`.
TlsPair connectPair(const rportd::tls::CertificateStore& store, const ClientOptions& options, bool overTcp = false);

struct HandshakeOutcome {
    bool serverDone = false;
    bool clientDone = false;
    bool timedOut = false;
    std::string serverFailure;
    std::string clientFailure;
    bool succeeded() const { return serverDone && clientDone; }
};
HandshakeOutcome driveHandshake(TlsPair& pair);
// Asserts the handshake succeeds.
void handshakeOrFail(TlsPair& pair);

// Waits until `fd` has one of `events`; false on timeout.
bool waitFor(int fd, short events, int timeoutMs = 5000);

// Assert-on-failure transfer helpers.
void clientSend(TlsTestClient& client, std::string_view data);
std::string clientReceive(TlsTestClient& client, size_t size);
void serverSend(rportd::tls::TlsTransport& server, std::string_view data);
std::string serverReceive(rportd::tls::TlsTransport& server, size_t size);
// Client sends `message`, the server echoes it, the client checks it.
void echoOnce(TlsPair& pair, const std::string& message);

}  // namespace rport::test::tls
