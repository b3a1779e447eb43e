#include "TlsTestPeer.h"

#include <arpa/inet.h>
#include <cppunit/extensions/HelperMacros.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>

namespace rport::test::tls {

using rportd::net::IoResult;
using rportd::net::IoStatus;
using rportd::tls::TlsTransport;

namespace {

std::string openSslReason() {
    unsigned long code = ERR_get_error();
    ERR_clear_error();
    const char* reason = code != 0 ? ERR_reason_error_string(code) : nullptr;
    return reason != nullptr ? reason : "no OpenSSL error queued";
}

void makeNonBlocking(int fd) {
    int flags = fcntl(fd, F_GETFL, 0);
    fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

void tcpPair(int& serverFd, int& clientFd) {
    int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (listener < 0 || ::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listener, 1) != 0 || ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        throw std::runtime_error("cannot listen on 127.0.0.1");
    }
    clientFd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (::connect(clientFd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        throw std::runtime_error("cannot connect to 127.0.0.1");
    }
    serverFd = ::accept(listener, nullptr, nullptr);
    ::close(listener);
    if (serverFd < 0) throw std::runtime_error("accept failed");
    makeNonBlocking(serverFd);
    makeNonBlocking(clientFd);
}

std::vector<unsigned char> alpnWire(const std::vector<std::string>& ids) {
    std::vector<unsigned char> wire;
    for (const std::string& id : ids) {
        wire.push_back(static_cast<unsigned char>(id.size()));
        wire.insert(wire.end(), id.begin(), id.end());
    }
    return wire;
}

short pollEventsFor(IoStatus status) {
    return status == IoStatus::WantWrite ? POLLOUT : POLLIN;
}

short pollEventsFor(int sslError) {
    return sslError == SSL_ERROR_WANT_WRITE ? POLLOUT : POLLIN;
}

}  // namespace

TlsTestClient::TlsTestClient(int fd, const ClientOptions& options) : _fd(fd) {
    _ctx = SSL_CTX_new(TLS_client_method());
    if (_ctx == nullptr) throw std::runtime_error("SSL_CTX_new failed");
    if (options.allowLegacy) {
        SSL_CTX_set_security_level(_ctx, 0);
        SSL_CTX_set_cipher_list(_ctx, "ALL:@SECLEVEL=0");
    }
    SSL_CTX_set_min_proto_version(_ctx, options.minVersion);
    SSL_CTX_set_max_proto_version(_ctx, options.maxVersion);
    if (!options.tls12Ciphers.empty() && SSL_CTX_set_cipher_list(_ctx, options.tls12Ciphers.c_str()) != 1) {
        throw std::runtime_error("client cipher list refused: " + options.tls12Ciphers);
    }
    _ssl = SSL_new(_ctx);
    SSL_set_fd(_ssl, fd);
    SSL_set_connect_state(_ssl);
    if (!options.serverName.empty()) SSL_set_tlsext_host_name(_ssl, options.serverName.c_str());
    if (!options.alpn.empty()) {
        std::vector<unsigned char> wire = alpnWire(options.alpn);
        SSL_set_alpn_protos(_ssl, wire.data(), static_cast<unsigned int>(wire.size()));
    }
    if (options.resume != nullptr) SSL_set_session(_ssl, options.resume);
}

TlsTestClient::~TlsTestClient() {
    // Like a well-behaved client: without close_notify, OpenSSL marks the
    // session not resumable when the SSL is freed, and tickets would be lost.
    if (SSL_is_init_finished(_ssl)) SSL_shutdown(_ssl);
    ERR_clear_error();
    SSL_free(_ssl);
    SSL_CTX_free(_ctx);
    ::close(_fd);
}

int TlsTestClient::handshakeStep() {
    ERR_clear_error();
    int result = SSL_do_handshake(_ssl);
    if (result == 1) return 1;
    int error = SSL_get_error(_ssl, result);
    if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) return error;
    lastError = openSslReason();
    return -1;
}

std::string TlsTestClient::peerSerialHex() const {
    X509* peer = SSL_get0_peer_certificate(_ssl);
    if (peer == nullptr) return std::string();
    BIGNUM* number = ASN1_INTEGER_to_BN(X509_get0_serialNumber(peer), nullptr);
    char* hex = BN_bn2hex(number);
    std::string result = hex;
    OPENSSL_free(hex);
    BN_free(number);
    return result;
}

size_t TlsTestClient::peerChainLength() const {
    STACK_OF(X509)* chain = SSL_get_peer_cert_chain(_ssl);
    return chain != nullptr ? static_cast<size_t>(sk_X509_num(chain)) : 0;
}

std::string TlsTestClient::alpnProtocol() const {
    const unsigned char* data = nullptr;
    unsigned int length = 0;
    SSL_get0_alpn_selected(_ssl, &data, &length);
    return data != nullptr ? std::string(reinterpret_cast<const char*>(data), length) : std::string();
}

std::string TlsTestClient::peerAcmeIdentifier() const {
    X509* peer = SSL_get0_peer_certificate(_ssl);
    ASN1_OBJECT* oid = OBJ_txt2obj("1.3.6.1.5.5.7.1.31", 1);
    const int at = peer != nullptr && oid != nullptr ? X509_get_ext_by_OBJ(peer, oid, -1) : -1;
    ASN1_OBJECT_free(oid);
    if (at < 0) return std::string();
    const ASN1_OCTET_STRING* value = X509_EXTENSION_get_data(X509_get_ext(peer, at));
    const std::string der(reinterpret_cast<const char*>(ASN1_STRING_get0_data(value)),
                          static_cast<size_t>(ASN1_STRING_length(value)));
    // The DER of an OCTET STRING: tag, length, the digest.
    return der.size() > 2 ? der.substr(2) : std::string();
}

SessionPtr TlsTestClient::session() const {
    return SessionPtr(SSL_get1_session(_ssl));
}

TlsPair connectPair(const rportd::tls::CertificateStore& store, const ClientOptions& options, bool overTcp) {
    int serverFd = -1;
    int clientFd = -1;
    if (overTcp) {
        tcpPair(serverFd, clientFd);
    } else {
        int fds[2];
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds) != 0) throw std::runtime_error("socketpair");
        serverFd = fds[0];
        clientFd = fds[1];
    }
    TlsPair pair;
    pair.server = std::make_unique<TlsTransport>(serverFd, store);
    pair.client = std::make_unique<TlsTestClient>(clientFd, options);
    return pair;
}

bool waitFor(int fd, short events, int timeoutMs) {
    pollfd entry{fd, events, 0};
    int ready;
    do {
        ready = ::poll(&entry, 1, timeoutMs);
    } while (ready < 0 && errno == EINTR);
    return ready > 0;
}

HandshakeOutcome driveHandshake(TlsPair& pair) {
    HandshakeOutcome outcome;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    for (;;) {
        short serverEvents = 0;
        short clientEvents = 0;
        if (!outcome.serverDone) {
            IoResult result = pair.server->handshake();
            if (result.status == IoStatus::Done) {
                outcome.serverDone = true;
            } else if (result.status == IoStatus::Failed) {
                outcome.serverFailure = pair.server->handshakeFailure();
                return outcome;
            } else {
                serverEvents = pollEventsFor(result.status);
            }
        }
        if (!outcome.clientDone) {
            int step = pair.client->handshakeStep();
            if (step == 1) {
                outcome.clientDone = true;
            } else if (step < 0) {
                outcome.clientFailure = pair.client->lastError;
                return outcome;
            } else {
                clientEvents = pollEventsFor(step);
            }
        }
        if (outcome.serverDone && outcome.clientDone) return outcome;

        pollfd entries[2] = {{pair.server->fd(), serverEvents, 0}, {pair.client->fd(), clientEvents, 0}};
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0 || ::poll(entries, 2, static_cast<int>(left.count())) == 0) {
            outcome.timedOut = true;
            return outcome;
        }
    }
}

void handshakeOrFail(TlsPair& pair) {
    HandshakeOutcome outcome = driveHandshake(pair);
    CPPUNIT_ASSERT_MESSAGE("server: " + outcome.serverFailure + " client: " + outcome.clientFailure +
                               (outcome.timedOut ? " (timed out)" : ""),
                           outcome.succeeded());
}

void clientSend(TlsTestClient& client, std::string_view data) {
    size_t sent = 0;
    while (sent < data.size()) {
        size_t written = 0;
        int result = SSL_write_ex(client.ssl(), data.data() + sent, data.size() - sent, &written);
        if (result == 1) {
            sent += written;
            continue;
        }
        int error = SSL_get_error(client.ssl(), result);
        CPPUNIT_ASSERT_MESSAGE("client write failed: " + openSslReason(),
                               error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE);
        CPPUNIT_ASSERT_MESSAGE("client write timed out", waitFor(client.fd(), pollEventsFor(error)));
    }
}

std::string clientReceive(TlsTestClient& client, size_t size) {
    std::string received;
    char buffer[16384];
    while (received.size() < size) {
        size_t got = 0;
        int result = SSL_read_ex(client.ssl(), buffer, std::min(sizeof buffer, size - received.size()), &got);
        if (result == 1) {
            received.append(buffer, got);
            continue;
        }
        int error = SSL_get_error(client.ssl(), result);
        CPPUNIT_ASSERT_MESSAGE("client read failed: " + openSslReason(),
                               error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE);
        CPPUNIT_ASSERT_MESSAGE("client read timed out", waitFor(client.fd(), pollEventsFor(error)));
    }
    return received;
}

void serverSend(TlsTransport& server, std::string_view data) {
    size_t sent = 0;
    while (sent < data.size()) {
        IoResult result = server.write(data.data() + sent, data.size() - sent);
        CPPUNIT_ASSERT_MESSAGE("server write failed: " + server.lastError(),
                               result.status == IoStatus::Done || result.status == IoStatus::WantRead ||
                                   result.status == IoStatus::WantWrite);
        if (result.status == IoStatus::Done) {
            sent += result.bytes;
        } else {
            CPPUNIT_ASSERT_MESSAGE("server write timed out", waitFor(server.fd(), pollEventsFor(result.status)));
        }
    }
}

std::string serverReceive(TlsTransport& server, size_t size) {
    std::string received;
    char buffer[16384];
    while (received.size() < size) {
        IoResult result = server.read(buffer, std::min(sizeof buffer, size - received.size()));
        CPPUNIT_ASSERT_MESSAGE("server read failed: " + server.lastError(),
                               result.status == IoStatus::Done || result.status == IoStatus::WantRead ||
                                   result.status == IoStatus::WantWrite);
        if (result.status == IoStatus::Done) {
            received.append(buffer, result.bytes);
        } else {
            CPPUNIT_ASSERT_MESSAGE("server read timed out", waitFor(server.fd(), pollEventsFor(result.status)));
        }
    }
    return received;
}

void echoOnce(TlsPair& pair, const std::string& message) {
    clientSend(*pair.client, message);
    std::string atServer = serverReceive(*pair.server, message.size());
    CPPUNIT_ASSERT_EQUAL(message, atServer);
    serverSend(*pair.server, atServer);
    CPPUNIT_ASSERT_EQUAL(message, clientReceive(*pair.client, message.size()));
}

}  // namespace rport::test::tls
