// TlsTransport as the connection sees it: non-blocking reads and writes with
// their WantRead/WantWrite answers, orderly and abrupt closes, the answer to
// plain HTTP on the TLS port, and the socket's ownership.
#include <cppunit/extensions/HelperMacros.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "TestCertificates.h"
#include "TlsTestPeer.h"
#include "tls/CertificateStore.h"
#include "tls/PlainHttpProbe.h"
#include "tls/TlsTransport.h"

using namespace rport::test::tls;
using namespace rportd::tls;
using rportd::net::IoResult;
using rportd::net::IoStatus;

namespace {

std::unique_ptr<CertificateStore> ecdsaStore() {
    auto store = std::make_unique<CertificateStore>();
    ServedCertificate::LoadResult loaded = store->load(testKit().ecdsa.certificatePem, testKit().ecdsa.keyPem);
    CPPUNIT_ASSERT_MESSAGE(loaded.error, loaded.certificate != nullptr);
    store->setCertificate("api", loaded.certificate);
    return store;
}

// A server transport on one end of a socketpair; the raw other end is `peer`.
std::unique_ptr<TlsTransport> rawPair(const CertificateStore& store, int& peer) {
    int fds[2];
    CPPUNIT_ASSERT_EQUAL(0, ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds));
    peer = fds[1];
    return std::make_unique<TlsTransport>(fds[0], store);
}

void sendRaw(int fd, const std::string& bytes) {
    CPPUNIT_ASSERT_EQUAL(static_cast<ssize_t>(bytes.size()), ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL));
}

// Reads whatever the client can decrypt right now without waiting.
void drainClient(TlsTestClient& client, std::string& into) {
    char buffer[16384];
    for (;;) {
        size_t got = 0;
        if (SSL_read_ex(client.ssl(), buffer, sizeof buffer, &got) == 1) {
            into.append(buffer, got);
            continue;
        }
        int error = SSL_get_error(client.ssl(), 0);
        CPPUNIT_ASSERT(error == SSL_ERROR_WANT_READ);
        return;
    }
}

}  // namespace

class TlsTransportIoTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(TlsTransportIoTest);
    CPPUNIT_TEST(answersPlainHttpWithA400);
    CPPUNIT_TEST(recognisesHttpRequestLines);
    CPPUNIT_TEST(refusesOtherNonTlsBytesSilently);
    CPPUNIT_TEST(waitsForTheFirstBytes);
    CPPUNIT_TEST(reportsAPeerLeavingBeforeTheHandshake);
    CPPUNIT_TEST(readWantsReadWhenNothingArrived);
    CPPUNIT_TEST(largeWriteProgressesInPartsThroughATinySocketBuffer);
    CPPUNIT_TEST(closeNotifyReadsAsClosed);
    CPPUNIT_TEST(eofWithoutCloseNotifyReadsAsClosed);
    CPPUNIT_TEST(shutdownWriteSendsCloseNotifyThenFin);
    CPPUNIT_TEST(closesItsSocket);
    CPPUNIT_TEST(saysReadsAreNotDrainedWhenShort);
    CPPUNIT_TEST_SUITE_END();

public:
    void answersPlainHttpWithA400() {
        auto store = ecdsaStore();
        int peer = -1;
        auto server = rawPair(*store, peer);
        sendRaw(peer, "GET /api/v1/status HTTP/1.1\r\nHost: localhost:3000\r\n\r\n");
        IoResult result = server->handshake();
        CPPUNIT_ASSERT(result.status == IoStatus::Failed);
        CPPUNIT_ASSERT_EQUAL(std::string("plain HTTP request on the TLS port"), server->handshakeFailure());

        std::string response(server->earlyResponse());
        const std::string body =
            R"({"errors":[{"code":"ERR_CODE_BAD_REQUEST","title":"Client sent an HTTP request to an HTTPS server.","detail":""}]})";
        CPPUNIT_ASSERT(response.rfind("HTTP/1.1 400 Bad Request\r\n", 0) == 0);
        CPPUNIT_ASSERT(response.find("\r\nContent-Type: application/json\r\n") != std::string::npos);
        CPPUNIT_ASSERT(response.find("\r\nConnection: close\r\n") != std::string::npos);
        CPPUNIT_ASSERT(response.find("\r\nContent-Length: " + std::to_string(body.size()) + "\r\n") != std::string::npos);
        size_t headEnd = response.find("\r\n\r\n");
        CPPUNIT_ASSERT(headEnd != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(body, response.substr(headEnd + 4));
        CPPUNIT_ASSERT(server->handshake().status == IoStatus::Failed);  // stays failed
        ::close(peer);
    }

    void recognisesHttpRequestLines() {
        CPPUNIT_ASSERT(looksLikePlainHttp("GET / HTTP/1.1\r\n"));
        CPPUNIT_ASSERT(looksLikePlainHttp("OPTIONS * HTTP/1.1"));
        CPPUNIT_ASSERT(looksLikePlainHttp("PRI * HTTP/2.0"));
        CPPUNIT_ASSERT(looksLikePlainHttp("POS"));  // the rest has not arrived yet
        CPPUNIT_ASSERT(!looksLikePlainHttp(""));
        CPPUNIT_ASSERT(!looksLikePlainHttp(" GET /"));
        CPPUNIT_ASSERT(!looksLikePlainHttp("get / HTTP/1.1"));
        CPPUNIT_ASSERT(!looksLikePlainHttp("GET/ HTTP/1.1"));
        CPPUNIT_ASSERT(!looksLikePlainHttp("SSH-2.0-OpenSSH_9.2"));
        CPPUNIT_ASSERT(!looksLikePlainHttp(std::string(30, 'A') + " /"));
    }

    void refusesOtherNonTlsBytesSilently() {
        auto store = ecdsaStore();
        int peer = -1;
        auto server = rawPair(*store, peer);
        sendRaw(peer, "SSH-2.0-OpenSSH_9.2\r\n");
        CPPUNIT_ASSERT(server->handshake().status == IoStatus::Failed);
        CPPUNIT_ASSERT_EQUAL(std::string("not a TLS handshake"), server->handshakeFailure());
        CPPUNIT_ASSERT(server->earlyResponse().empty());
        ::close(peer);
    }

    void waitsForTheFirstBytes() {
        auto store = ecdsaStore();
        int peer = -1;
        auto server = rawPair(*store, peer);
        CPPUNIT_ASSERT(server->handshake().status == IoStatus::WantRead);
        CPPUNIT_ASSERT(server->handshake().status == IoStatus::WantRead);
        sendRaw(peer, "HEAD / HTTP/1.0\r\n\r\n");
        CPPUNIT_ASSERT(server->handshake().status == IoStatus::Failed);
        CPPUNIT_ASSERT_EQUAL(std::string("plain HTTP request on the TLS port"), server->handshakeFailure());
        ::close(peer);
    }

    void reportsAPeerLeavingBeforeTheHandshake() {
        auto store = ecdsaStore();
        int peer = -1;
        auto server = rawPair(*store, peer);
        ::close(peer);
        CPPUNIT_ASSERT(server->handshake().status == IoStatus::Failed);
        CPPUNIT_ASSERT_EQUAL(std::string("connection closed before the TLS handshake"), server->handshakeFailure());

        // Leaving in the middle: a ClientHello record header, then EOF.
        auto halfway = rawPair(*store, peer);
        sendRaw(peer, std::string("\x16\x03\x01\x00\x80", 5));
        ::shutdown(peer, SHUT_WR);
        IoResult result = halfway->handshake();
        CPPUNIT_ASSERT(result.status == IoStatus::Failed);
        CPPUNIT_ASSERT_EQUAL(std::string("connection closed during the TLS handshake"), halfway->handshakeFailure());
        ::close(peer);
    }

    void readWantsReadWhenNothingArrived() {
        auto store = ecdsaStore();
        TlsPair pair = connectPair(*store, ClientOptions());
        handshakeOrFail(pair);
        char buffer[256];
        // TLS 1.3 tickets travel after the handshake; the client side reads them
        // here, the server side has nothing to read.
        CPPUNIT_ASSERT(pair.server->read(buffer, sizeof buffer).status == IoStatus::WantRead);
        clientSend(*pair.client, "ping");
        CPPUNIT_ASSERT(waitFor(pair.server->fd(), POLLIN));
        IoResult result = pair.server->read(buffer, sizeof buffer);
        CPPUNIT_ASSERT(result.status == IoStatus::Done);
        CPPUNIT_ASSERT_EQUAL(std::string("ping"), std::string(buffer, result.bytes));
        CPPUNIT_ASSERT(pair.server->read(buffer, sizeof buffer).status == IoStatus::WantRead);
    }

    void largeWriteProgressesInPartsThroughATinySocketBuffer() {
        // Smaller than one TLS record: every record leaves the socket in pieces.
        WriteStatistics tiny = writeMegabyteThroughSendBuffer(4096);
        CPPUNIT_ASSERT(tiny.wantWrites > 10);
        CPPUNIT_ASSERT(tiny.roundsWithClientProgress > 10);
        // A few records fit: writes complete partially, a record or so at a time.
        WriteStatistics medium = writeMegabyteThroughSendBuffer(32768);
        CPPUNIT_ASSERT(medium.wantWrites > 0);
        CPPUNIT_ASSERT(medium.partialWrites > 0);
    }

    struct WriteStatistics {
        int wantWrites = 0;
        int partialWrites = 0;           // Done with fewer bytes than offered
        int roundsWithClientProgress = 0;  // WantWrite rounds after which the client got more
    };

    static WriteStatistics writeMegabyteThroughSendBuffer(int sendBufferSize) {
        auto store = ecdsaStore();
        TlsPair pair = connectPair(*store, ClientOptions());
        handshakeOrFail(pair);
        CPPUNIT_ASSERT_EQUAL(0, ::setsockopt(pair.server->fd(), SOL_SOCKET, SO_SNDBUF, &sendBufferSize,
                                             sizeof sendBufferSize));

        std::string payload(1 << 20, '\0');
        for (size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<char>('a' + i % 26);
        std::string received;
        WriteStatistics statistics;
        size_t sent = 0;
        while (sent < payload.size()) {
            // The retry contract: after WantWrite, the same bytes from the same
            // place. OpenSSL then counts what earlier attempts already took.
            IoResult result = pair.server->write(payload.data() + sent, payload.size() - sent);
            if (result.status == IoStatus::Done) {
                CPPUNIT_ASSERT(result.bytes > 0 && result.bytes <= payload.size() - sent);
                if (result.bytes < payload.size() - sent) ++statistics.partialWrites;
                sent += result.bytes;
                continue;
            }
            CPPUNIT_ASSERT(result.status == IoStatus::WantWrite);
            ++statistics.wantWrites;
            // The client frees socket space; then wait for writability.
            size_t before = received.size();
            CPPUNIT_ASSERT(waitFor(pair.client->fd(), POLLIN));
            drainClient(*pair.client, received);
            if (received.size() > before) ++statistics.roundsWithClientProgress;
            CPPUNIT_ASSERT(waitFor(pair.server->fd(), POLLOUT));
        }
        while (received.size() < payload.size()) {
            CPPUNIT_ASSERT(waitFor(pair.client->fd(), POLLIN));
            drainClient(*pair.client, received);
        }
        CPPUNIT_ASSERT(payload == received);
        return statistics;
    }

    void closeNotifyReadsAsClosed() {
        auto store = ecdsaStore();
        TlsPair pair = connectPair(*store, ClientOptions());
        handshakeOrFail(pair);
        echoOnce(pair, "bye soon");
        SSL_shutdown(pair.client->ssl());
        CPPUNIT_ASSERT(waitFor(pair.server->fd(), POLLIN));
        char buffer[64];
        IoResult result = pair.server->read(buffer, sizeof buffer);
        CPPUNIT_ASSERT(result.status == IoStatus::Closed);
        CPPUNIT_ASSERT(pair.server->shutdownWrite().status == IoStatus::Done);
    }

    void eofWithoutCloseNotifyReadsAsClosed() {
        auto store = ecdsaStore();
        TlsPair pair = connectPair(*store, ClientOptions());
        handshakeOrFail(pair);
        echoOnce(pair, "gone without a word");
        ::shutdown(pair.client->fd(), SHUT_WR);  // FIN, no close_notify
        CPPUNIT_ASSERT(waitFor(pair.server->fd(), POLLIN));
        char buffer[64];
        CPPUNIT_ASSERT(pair.server->read(buffer, sizeof buffer).status == IoStatus::Closed);
        CPPUNIT_ASSERT(pair.server->shutdownWrite().status == IoStatus::Done);
    }

    void shutdownWriteSendsCloseNotifyThenFin() {
        auto store = ecdsaStore();
        TlsPair pair = connectPair(*store, ClientOptions());
        handshakeOrFail(pair);
        echoOnce(pair, "last words");
        CPPUNIT_ASSERT(pair.server->shutdownWrite().status == IoStatus::Done);
        CPPUNIT_ASSERT(pair.server->shutdownWrite().status == IoStatus::Done);  // idempotent

        char buffer[64];
        size_t got = 0;
        int error = SSL_ERROR_WANT_READ;
        while (error == SSL_ERROR_WANT_READ) {
            CPPUNIT_ASSERT(waitFor(pair.client->fd(), POLLIN));
            error = SSL_get_error(pair.client->ssl(), SSL_read_ex(pair.client->ssl(), buffer, sizeof buffer, &got));
        }
        CPPUNIT_ASSERT_EQUAL(SSL_ERROR_ZERO_RETURN, error);  // close_notify
        CPPUNIT_ASSERT_EQUAL(ssize_t(0), ::recv(pair.client->fd(), buffer, sizeof buffer, 0));  // then FIN

        // Our side is closed, the client's is not: it may still send.
        clientSend(*pair.client, "after your close");
        CPPUNIT_ASSERT_EQUAL(std::string("after your close"), serverReceive(*pair.server, 16));
    }

    void closesItsSocket() {
        auto store = ecdsaStore();
        int peer = -1;
        auto server = rawPair(*store, peer);
        int fd = server->fd();
        CPPUNIT_ASSERT(::fcntl(fd, F_GETFD) != -1);
        server.reset();
        CPPUNIT_ASSERT_EQUAL(-1, ::fcntl(fd, F_GETFD));
        CPPUNIT_ASSERT_EQUAL(EBADF, errno);
        ::close(peer);
    }

    void saysReadsAreNotDrainedWhenShort() {
        auto store = ecdsaStore();
        int peer = -1;
        auto server = rawPair(*store, peer);
        CPPUNIT_ASSERT(!server->shortReadMeansDrained());
        ::close(peer);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TlsTransportIoTest);
