// TLS-ALPN-01 (RFC 8737) through the certificate store: a real OpenSSL
// client offering acme-tls/1 gets the challenge certificate published for
// its SNI name, an ordinary client the ordinary one; acme-tls/1 for a name
// without a challenge is refused, also while the store has no certificate
// at all; and the connection of a validation is closed after the handshake.
#include <arpa/inet.h>
#include <cppunit/extensions/HelperMacros.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "TestCertificates.h"
#include "TlsTestPeer.h"
#include "net/Server.h"
#include "tls/CertificateStore.h"
#include "tls/TlsTransport.h"

using namespace rport::test::tls;
using namespace rportd::tls;

namespace {

const std::string kDigest(32, '\x3c');
const std::string kNoChallenge = "acme-tls/1 offered, but no TLS-ALPN-01 challenge is published for the name";

std::shared_ptr<const ServedCertificate> loadOrdinary(const CertificateStore& store, const IssuedCertificate& issued) {
    ServedCertificate::LoadResult loaded = store.load(issued.certificatePem, issued.keyPem);
    CPPUNIT_ASSERT_MESSAGE(loaded.error, loaded.certificate != nullptr);
    return loaded.certificate;
}

std::shared_ptr<const ServedCertificate> loadChallenge(const CertificateStore& store, const std::string& name,
                                                       long serial) {
    IssuedCertificate issued = acmeChallengeCertificate(name, kDigest, serial);
    ServedCertificate::LoadResult loaded = store.loadAcmeChallenge(issued.certificatePem, issued.keyPem);
    CPPUNIT_ASSERT_MESSAGE(loaded.error, loaded.certificate != nullptr);
    return loaded.certificate;
}

ClientOptions client(const std::string& sniName, std::vector<std::string> alpn, int maxVersion = TLS1_3_VERSION) {
    ClientOptions options;
    options.serverName = sniName;
    options.alpn = std::move(alpn);
    options.maxVersion = maxVersion;
    return options;
}

ClientOptions acmeClient(const std::string& sniName, int maxVersion = TLS1_3_VERSION) {
    return client(sniName, {"acme-tls/1"}, maxVersion);
}

// What the server said when it refused the handshake.
std::string refusal(const CertificateStore& store, const ClientOptions& options) {
    TlsPair pair = connectPair(store, options);
    HandshakeOutcome outcome = driveHandshake(pair);
    CPPUNIT_ASSERT_MESSAGE("the handshake was not refused", !outcome.succeeded());
    return outcome.serverFailure;
}

// The reason the client gives after the server refused its handshake: the alert.
std::string alertSeenByClient(const CertificateStore& store, const ClientOptions& options) {
    TlsPair pair = connectPair(store, options);
    CPPUNIT_ASSERT(!driveHandshake(pair).succeeded());
    for (int step = pair.client->handshakeStep(); step != -1; step = pair.client->handshakeStep()) {
        CPPUNIT_ASSERT_MESSAGE("the client finished a refused handshake", step != 1);
        CPPUNIT_ASSERT(waitFor(pair.client->fd(), POLLIN));
    }
    return pair.client->lastError;
}

// A connected, non-blocking TCP socket to 127.0.0.1:port.
int connectTcp(uint16_t port) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
        throw std::runtime_error("cannot connect to 127.0.0.1");
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL, 0) | O_NONBLOCK);
    return fd;
}

// The client's side of a handshake with a server running on its own threads.
bool clientHandshake(TlsTestClient& client) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (std::chrono::steady_clock::now() < end) {
        int step = client.handshakeStep();
        if (step == 1) return true;
        if (step < 0) return false;
        waitFor(client.fd(), step == SSL_ERROR_WANT_WRITE ? POLLOUT : POLLIN, 1000);
    }
    return false;
}

// SSL_get_error of the client's next read: SSL_ERROR_ZERO_RETURN once the
// server closed with close_notify; SSL_ERROR_NONE when data arrived.
int nextReadOutcome(TlsTestClient& client) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    char byte;
    while (std::chrono::steady_clock::now() < end) {
        size_t got = 0;
        int result = SSL_read_ex(client.ssl(), &byte, 1, &got);
        if (result == 1) return SSL_ERROR_NONE;
        int error = SSL_get_error(client.ssl(), result);
        if (error != SSL_ERROR_WANT_READ) return error;
        waitFor(client.fd(), POLLIN, 1000);
    }
    return SSL_ERROR_WANT_READ;
}

// Notes whether it was ever opened; never sends anything.
class OpenedSession : public rportd::net::Session {
public:
    explicit OpenedSession(std::atomic<int>& opened) : _opened(opened) {}
    void onOpen(rportd::net::Connection&) override { ++_opened; }
    size_t onInput(rportd::net::Connection&, const char*, size_t size) override { return size; }

private:
    std::atomic<int>& _opened;
};

struct LogLines {
    std::mutex mutex;
    std::vector<std::pair<rportd::net::LogLevel, std::string>> lines;

    size_t count(rportd::net::LogLevel level, const std::string& part) {
        std::lock_guard<std::mutex> lock(mutex);
        size_t found = 0;
        for (const auto& [l, text] : lines) found += l == level && text.find(part) != std::string::npos;
        return found;
    }
    size_t atLeast(rportd::net::LogLevel level) {
        std::lock_guard<std::mutex> lock(mutex);
        size_t found = 0;
        for (const auto& line : lines) found += line.first >= level;
        return found;
    }
};

template <typename F>
bool eventually(F condition) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!condition()) {
        if (std::chrono::steady_clock::now() >= end) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return true;
}

}  // namespace

class AcmeChallengeTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(AcmeChallengeTest);
    CPPUNIT_TEST(acmeClientGetsTheChallengeOthersTheOrdinaryCertificate);
    CPPUNIT_TEST(namesAreComparedLikeSniNames);
    CPPUNIT_TEST(acmeTlsForAnUnpublishedNameIsRefused);
    CPPUNIT_TEST(challengesAreAnsweredWhileTheStoreHasNoCertificate);
    CPPUNIT_TEST(removedChallengeIsRefusedAgain);
    CPPUNIT_TEST(republishingReplacesTheChallenge);
    CPPUNIT_TEST(validationIsNeverResumedNorGivenATicket);
    CPPUNIT_TEST(onlyChallengeCertificatesAreAccepted);
    CPPUNIT_TEST(validationConnectionIsClosedAfterTheHandshake);
    CPPUNIT_TEST_SUITE_END();

public:
    void acmeClientGetsTheChallengeOthersTheOrdinaryCertificate() {
        CertificateStore store;
        store.setCertificate("api", loadOrdinary(store, testKit().ecdsa));  // api.example.com, serial 1001
        store.setAcmeChallenge("api.example.com", loadChallenge(store, "api.example.com", 0xac01));

        for (int version : {TLS1_3_VERSION, TLS1_2_VERSION}) {
            TlsPair acme = connectPair(store, acmeClient("api.example.com", version));
            handshakeOrFail(acme);
            CPPUNIT_ASSERT_EQUAL(std::string("AC01"), acme.client->peerSerialHex());
            CPPUNIT_ASSERT(acme.client->peerAcmeIdentifier() == kDigest);
            CPPUNIT_ASSERT_EQUAL(std::string("acme-tls/1"), acme.client->alpnProtocol());
            CPPUNIT_ASSERT_EQUAL(std::string("an ACME TLS-ALPN-01 validation (acme-tls/1)"),
                                 acme.server->handshakeOnlyExchange());
            // No application data on a validation.
            char buffer[16];
            CPPUNIT_ASSERT(acme.server->read(buffer, sizeof buffer).status == rportd::net::IoStatus::Failed);
            CPPUNIT_ASSERT(acme.server->write("x", 1).status == rportd::net::IoStatus::Failed);
        }

        // The same name without acme-tls/1: the ordinary certificate, an ordinary connection.
        for (const auto& alpn : {std::vector<std::string>{"http/1.1"}, std::vector<std::string>{}}) {
            TlsPair ordinary = connectPair(store, client("api.example.com", alpn));
            handshakeOrFail(ordinary);
            CPPUNIT_ASSERT_EQUAL(std::string("1001"), ordinary.client->peerSerialHex());
            CPPUNIT_ASSERT_EQUAL(std::string(), ordinary.client->peerAcmeIdentifier());
            CPPUNIT_ASSERT_EQUAL(std::string(), ordinary.server->handshakeOnlyExchange());
            echoOnce(ordinary, "still HTTPS");
        }
    }

    void namesAreComparedLikeSniNames() {
        CertificateStore store;
        store.setAcmeChallenge("API.Example.COM.", loadChallenge(store, "api.example.com", 0xac02));
        CPPUNIT_ASSERT(store.acmeChallenge("api.example.com") != nullptr);
        CPPUNIT_ASSERT(store.acmeChallenge("api.EXAMPLE.com.") != nullptr);
        CPPUNIT_ASSERT(store.acmeChallenge("other.example.com") == nullptr);
        CPPUNIT_ASSERT(store.acmeChallenge("") == nullptr);
        TlsPair acme = connectPair(store, acmeClient("Api.Example.Com"));
        handshakeOrFail(acme);
        CPPUNIT_ASSERT_EQUAL(std::string("AC02"), acme.client->peerSerialHex());
    }

    void acmeTlsForAnUnpublishedNameIsRefused() {
        CertificateStore store;
        // b.example.com has an ordinary certificate: acme-tls/1 must still not get it.
        store.setCertificate("api", loadOrdinary(store, issueCertificate([] {
                                                     CertificateSpec spec;
                                                     spec.dnsNames = {"b.example.com"};
                                                     spec.serial = 0xb001;
                                                     return spec;
                                                 }())));
        store.setAcmeChallenge("a.example.com", loadChallenge(store, "a.example.com", 0xac03));
        CPPUNIT_ASSERT_EQUAL(kNoChallenge, refusal(store, acmeClient("b.example.com")));
        CPPUNIT_ASSERT_EQUAL(std::string("tlsv1 alert no application protocol"),
                             alertSeenByClient(store, acmeClient("b.example.com")));
        CPPUNIT_ASSERT_EQUAL(kNoChallenge, refusal(store, acmeClient("")));  // no SNI at all
        // acme-tls/1 among other protocols is still a validation attempt.
        CPPUNIT_ASSERT_EQUAL(kNoChallenge, refusal(store, client("b.example.com", {"http/1.1", "acme-tls/1"})));
        TlsPair ordinary = connectPair(store, client("b.example.com", {"http/1.1"}));
        handshakeOrFail(ordinary);
        CPPUNIT_ASSERT_EQUAL(std::string("B001"), ordinary.client->peerSerialHex());
    }

    void challengesAreAnsweredWhileTheStoreHasNoCertificate() {
        // Before the first ACME certificate arrives the API's store is empty.
        CertificateStore store;
        CPPUNIT_ASSERT_EQUAL(std::string("no certificate is configured"),
                             refusal(store, client("api.example.com", {"http/1.1"})));
        CPPUNIT_ASSERT_EQUAL(kNoChallenge, refusal(store, acmeClient("api.example.com")));
        store.setAcmeChallenge("api.example.com", loadChallenge(store, "api.example.com", 0xac04));
        TlsPair acme = connectPair(store, acmeClient("api.example.com"));
        handshakeOrFail(acme);
        CPPUNIT_ASSERT_EQUAL(std::string("AC04"), acme.client->peerSerialHex());
        // Publishing a challenge gives ordinary clients nothing.
        CPPUNIT_ASSERT_EQUAL(std::string("no certificate is configured"),
                             refusal(store, client("api.example.com", {"http/1.1"})));
        CPPUNIT_ASSERT(store.snapshot().empty());
    }

    void removedChallengeIsRefusedAgain() {
        CertificateStore store;
        store.setAcmeChallenge("api.example.com", loadChallenge(store, "api.example.com", 0xac05));
        store.setAcmeChallenge("tunnels.example.com", loadChallenge(store, "tunnels.example.com", 0xac06));
        store.removeAcmeChallenge("API.example.com");
        CPPUNIT_ASSERT_EQUAL(kNoChallenge, refusal(store, acmeClient("api.example.com")));
        // Other names keep theirs; removing an unknown name changes nothing.
        store.removeAcmeChallenge("unknown.example.com");
        TlsPair acme = connectPair(store, acmeClient("tunnels.example.com"));
        handshakeOrFail(acme);
        CPPUNIT_ASSERT_EQUAL(std::string("AC06"), acme.client->peerSerialHex());
    }

    void republishingReplacesTheChallenge() {
        CertificateStore store;
        store.setCertificate("api", loadOrdinary(store, testKit().ecdsa));
        store.setAcmeChallenge("api.example.com", loadChallenge(store, "api.example.com", 0xac07));
        store.setAcmeChallenge("api.example.com", loadChallenge(store, "api.example.com", 0xac08));
        TlsPair acme = connectPair(store, acmeClient("api.example.com"));
        handshakeOrFail(acme);
        CPPUNIT_ASSERT_EQUAL(std::string("AC08"), acme.client->peerSerialHex());
        // Ordinary certificates come and go without touching the challenges.
        store.setCertificate("api", loadOrdinary(store, testKit().ecdsaRenewed));
        store.removeSource("api");
        CPPUNIT_ASSERT(store.acmeChallenge("api.example.com") != nullptr);
    }

    void validationIsNeverResumedNorGivenATicket() {
        CertificateStore store;
        store.setCertificate("api", loadOrdinary(store, testKit().ecdsa));
        store.setAcmeChallenge("api.example.com", loadChallenge(store, "api.example.com", 0xac09));
        for (int version : {TLS1_3_VERSION, TLS1_2_VERSION}) {
            // A ticket from an ordinary connection...
            TlsPair ordinary = connectPair(store, client("api.example.com", {"http/1.1"}, version));
            handshakeOrFail(ordinary);
            echoOnce(ordinary, "ticket please");
            SessionPtr session = ordinary.client->session();
            CPPUNIT_ASSERT_EQUAL(1, SSL_SESSION_is_resumable(session.get()));
            // ...does not spare a validation the full handshake with the challenge certificate.
            ClientOptions options = acmeClient("api.example.com", version);
            options.resume = session.get();
            TlsPair acme = connectPair(store, options);
            handshakeOrFail(acme);
            CPPUNIT_ASSERT(!acme.server->sessionResumed());
            CPPUNIT_ASSERT_EQUAL(std::string("AC09"), acme.client->peerSerialHex());
            CPPUNIT_ASSERT(SSL_get_options(acme.server->nativeHandle()) & SSL_OP_NO_TICKET);
            CPPUNIT_ASSERT_EQUAL(size_t(0), SSL_get_num_tickets(acme.server->nativeHandle()));
        }
    }

    void onlyChallengeCertificatesAreAccepted() {
        CertificateStore store;
        ServedCertificate::LoadResult ordinary =
            store.loadAcmeChallenge(testKit().ecdsa.certificatePem, testKit().ecdsa.keyPem);
        CPPUNIT_ASSERT(ordinary.certificate == nullptr);
        CPPUNIT_ASSERT_EQUAL(std::string("the certificate carries no acmeIdentifier extension (RFC 8737)"),
                             ordinary.error);
        IssuedCertificate challenge = acmeChallengeCertificate("api.example.com", kDigest, 0xac0a);
        ServedCertificate::LoadResult mismatched =
            store.loadAcmeChallenge(challenge.certificatePem, testKit().ecdsa.keyPem);
        CPPUNIT_ASSERT_EQUAL(std::string("the key does not match the certificate"), mismatched.error);
        CPPUNIT_ASSERT_THROW(store.setAcmeChallenge("", loadChallenge(store, "api.example.com", 1)),
                             std::invalid_argument);
        CPPUNIT_ASSERT_THROW(store.setAcmeChallenge("api.example.com", nullptr), std::invalid_argument);
    }

    void validationConnectionIsClosedAfterTheHandshake() {
        CertificateStore store;
        store.setCertificate("api", loadOrdinary(store, testKit().ecdsa));
        store.setAcmeChallenge("api.example.com", loadChallenge(store, "api.example.com", 0xac0b));
        auto log = std::make_shared<LogLines>();
        std::atomic<int> opened{0};
        rportd::net::ServerOptions options;
        options.loops = 1;
        options.blockingThreads = 1;
        options.log = [log](rportd::net::LogLevel level, const std::string& line) {
            std::lock_guard<std::mutex> lock(log->mutex);
            log->lines.emplace_back(level, line);
        };
        rportd::net::Server server(options);
        rportd::net::ListenerSpec spec;
        spec.name = "api";
        spec.makeTransport = [&store](int fd) { return std::make_unique<TlsTransport>(fd, store); };
        spec.makeSession = [&opened](rportd::net::Connection&) { return std::make_unique<OpenedSession>(opened); };
        const uint16_t port = server.listen("127.0.0.1:0", std::move(spec));
        server.start();

        TlsTestClient acme(connectTcp(port), acmeClient("api.example.com"));
        CPPUNIT_ASSERT_MESSAGE(acme.lastError, clientHandshake(acme));
        CPPUNIT_ASSERT_EQUAL(std::string("AC0B"), acme.peerSerialHex());
        // The server closes in order (close_notify) without waiting for the client.
        CPPUNIT_ASSERT_EQUAL(SSL_ERROR_ZERO_RETURN, nextReadOutcome(acme));
        CPPUNIT_ASSERT(eventually([&] { return server.openConnections() == 0; }));
        CPPUNIT_ASSERT_EQUAL(0, opened.load());
        CPPUNIT_ASSERT_EQUAL(size_t(1), log->count(rportd::net::LogLevel::Debug,
                                                   " was an ACME TLS-ALPN-01 validation (acme-tls/1); closing"));
        CPPUNIT_ASSERT_EQUAL(size_t(0), log->atLeast(rportd::net::LogLevel::Warning));

        // An ordinary client on the same listener reaches its session.
        TlsTestClient ordinary(connectTcp(port), client("api.example.com", {"http/1.1"}));
        CPPUNIT_ASSERT_MESSAGE(ordinary.lastError, clientHandshake(ordinary));
        CPPUNIT_ASSERT(eventually([&] { return opened.load() == 1; }));
        server.stop(std::chrono::milliseconds(500));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AcmeChallengeTest);
