// Session tickets under the host's key ring: resumption across certificate
// swaps and ring rotations, and the end of a ticket's life.
#include <cppunit/extensions/HelperMacros.h>

#include "TestCertificates.h"
#include "TlsTestPeer.h"
#include "tls/CertificateStore.h"
#include "tls/TicketKeyRing.h"

using namespace rport::test::tls;
using namespace rportd::tls;

namespace {

struct Server {
    std::shared_ptr<TicketKeyRing> ring;
    std::unique_ptr<CertificateStore> store;
};

Server serverWith(const IssuedCertificate& issued, std::shared_ptr<TicketKeyRing> ring) {
    Server server{ring, std::make_unique<CertificateStore>(TlsPolicy(), ring)};
    ServedCertificate::LoadResult loaded = server.store->load(issued.certificatePem, issued.keyPem);
    CPPUNIT_ASSERT_MESSAGE(loaded.error, loaded.certificate != nullptr);
    server.store->setCertificate("api", loaded.certificate);
    return server;
}

ClientOptions version(int maxVersion) {
    ClientOptions options;
    options.maxVersion = maxVersion;
    return options;
}

// A full handshake plus one echo (TLS 1.3 tickets arrive after the
// handshake; the echo makes the client read them), then the session.
SessionPtr freshSession(const CertificateStore& store, int maxVersion) {
    TlsPair pair = connectPair(store, version(maxVersion));
    handshakeOrFail(pair);
    CPPUNIT_ASSERT(!pair.server->sessionResumed());
    echoOnce(pair, "ticket please");
    SessionPtr session = pair.client->session();
    CPPUNIT_ASSERT(session != nullptr);
    CPPUNIT_ASSERT_EQUAL(1, SSL_SESSION_is_resumable(session.get()));
    return session;
}

struct Resumption {
    bool resumed = false;
    SessionPtr session;  // what the client holds afterwards
};

Resumption resume(const CertificateStore& store, SSL_SESSION* session, int maxVersion) {
    ClientOptions options = version(maxVersion);
    options.resume = session;
    TlsPair pair = connectPair(store, options);
    handshakeOrFail(pair);
    CPPUNIT_ASSERT_EQUAL(pair.server->sessionResumed(), SSL_session_reused(pair.client->ssl()) == 1);
    echoOnce(pair, "resumed?");
    return Resumption{pair.server->sessionResumed(), pair.client->session()};
}

std::string ticketOf(SSL_SESSION* session) {
    const unsigned char* ticket = nullptr;
    size_t length = 0;
    SSL_SESSION_get0_ticket(session, &ticket, &length);
    return std::string(reinterpret_cast<const char*>(ticket), length);
}

}  // namespace

class SessionTicketTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(SessionTicketTest);
    CPPUNIT_TEST(ringKeepsTheCurrentAndPreviousKeys);
    CPPUNIT_TEST(ringRotatesByAge);
    CPPUNIT_TEST(ticketResumesAfterACertificateSwapTls13);
    CPPUNIT_TEST(ticketResumesAfterACertificateSwapTls12);
    CPPUNIT_TEST(ticketSurvivesRotationsUntilItsKeyIsDropped);
    CPPUNIT_TEST(ticketUnderAnOlderKeyIsRenewed);
    CPPUNIT_TEST(everyResumptionLeavesAFreshTicketTls13);
    CPPUNIT_TEST(ticketFromAnotherServerIsNotAccepted);
    CPPUNIT_TEST_SUITE_END();

public:
    void ringKeepsTheCurrentAndPreviousKeys() {
        TicketKeyRing ring(std::chrono::hours(12), 2);
        TicketKeyRing::KeyName first = ring.currentKey().name;
        CPPUNIT_ASSERT_EQUAL(size_t(1), ring.keyCount());
        CPPUNIT_ASSERT(ring.find(first) && ring.find(first)->current);
        ring.rotate();
        TicketKeyRing::KeyName second = ring.currentKey().name;
        CPPUNIT_ASSERT(first != second);
        CPPUNIT_ASSERT(ring.find(first) && !ring.find(first)->current);
        CPPUNIT_ASSERT(ring.find(second)->current);
        ring.rotate();
        CPPUNIT_ASSERT(ring.find(first));
        ring.rotate();
        CPPUNIT_ASSERT_EQUAL(size_t(3), ring.keyCount());
        CPPUNIT_ASSERT(!ring.find(first));
        CPPUNIT_ASSERT(ring.find(second));
    }

    void ringRotatesByAge() {
        TicketKeyRing stale(std::chrono::seconds(0), 1);  // every key is already too old
        TicketKeyRing::KeyName first = stale.currentKey().name;
        CPPUNIT_ASSERT(first != stale.currentKey().name);
        CPPUNIT_ASSERT_EQUAL(size_t(2), stale.keyCount());

        TicketKeyRing fresh(std::chrono::hours(12), 1);
        CPPUNIT_ASSERT(fresh.currentKey().name == fresh.currentKey().name);
    }

    void ticketResumesAfterACertificateSwapTls13() {
        Server server = serverWith(testKit().ecdsa, std::make_shared<TicketKeyRing>());
        SessionPtr session = freshSession(*server.store, TLS1_3_VERSION);
        ServedCertificate::LoadResult renewed =
            server.store->load(testKit().ecdsaRenewed.certificatePem, testKit().ecdsaRenewed.keyPem);
        server.store->setCertificate("api", renewed.certificate);
        CPPUNIT_ASSERT(resume(*server.store, session.get(), TLS1_3_VERSION).resumed);
    }

    void ticketResumesAfterACertificateSwapTls12() {
        Server server = serverWith(testKit().ecdsa, std::make_shared<TicketKeyRing>());
        SessionPtr session = freshSession(*server.store, TLS1_2_VERSION);
        ServedCertificate::LoadResult renewed =
            server.store->load(testKit().ecdsaRenewed.certificatePem, testKit().ecdsaRenewed.keyPem);
        server.store->setCertificate("api", renewed.certificate);
        CPPUNIT_ASSERT(resume(*server.store, session.get(), TLS1_2_VERSION).resumed);
    }

    void ticketSurvivesRotationsUntilItsKeyIsDropped() {
        Server server = serverWith(testKit().ecdsa, std::make_shared<TicketKeyRing>(std::chrono::hours(12), 2));
        SessionPtr session = freshSession(*server.store, TLS1_3_VERSION);
        server.ring->rotate();
        CPPUNIT_ASSERT(resume(*server.store, session.get(), TLS1_3_VERSION).resumed);
        server.ring->rotate();
        CPPUNIT_ASSERT(resume(*server.store, session.get(), TLS1_3_VERSION).resumed);
        server.ring->rotate();  // the ticket's key is now beyond the two kept
        CPPUNIT_ASSERT(!resume(*server.store, session.get(), TLS1_3_VERSION).resumed);
    }

    void everyResumptionLeavesAFreshTicketTls13() {
        // A client that always offers its newest ticket (as OpenSSL's and
        // browsers do: TLS 1.3 tickets are single use) resumes every time.
        Server server = serverWith(testKit().ecdsa, std::make_shared<TicketKeyRing>());
        SessionPtr session = freshSession(*server.store, TLS1_3_VERSION);
        for (int i = 0; i < 5; ++i) {
            Resumption next = resume(*server.store, session.get(), TLS1_3_VERSION);
            CPPUNIT_ASSERT_MESSAGE("resumption " + std::to_string(i + 1), next.resumed);
            CPPUNIT_ASSERT(next.session);
            CPPUNIT_ASSERT(ticketOf(next.session.get()) != ticketOf(session.get()));
            session = std::move(next.session);
        }
    }

    void ticketUnderAnOlderKeyIsRenewed() {
        // TLS 1.2 sends a new ticket on resumption only when asked to, so the
        // callback's "renew" answer is visible in the client's session. We
        // always ask: TLS 1.3 clients use a ticket once, so every resumption
        // must leave them a fresh one.
        Server server = serverWith(testKit().ecdsa, std::make_shared<TicketKeyRing>());
        SessionPtr session = freshSession(*server.store, TLS1_2_VERSION);
        std::string original = ticketOf(session.get());
        CPPUNIT_ASSERT(!original.empty());

        Resumption underCurrentKey = resume(*server.store, session.get(), TLS1_2_VERSION);
        CPPUNIT_ASSERT(underCurrentKey.resumed);
        CPPUNIT_ASSERT(original != ticketOf(underCurrentKey.session.get()));

        server.ring->rotate();
        Resumption underOldKey = resume(*server.store, session.get(), TLS1_2_VERSION);
        CPPUNIT_ASSERT(underOldKey.resumed);
        std::string renewed = ticketOf(underOldKey.session.get());
        CPPUNIT_ASSERT(!renewed.empty());
        CPPUNIT_ASSERT(original != renewed);
        // The renewed ticket names the current key (the first 16 bytes).
        TicketKeyRing::KeyName current = server.ring->currentKey().name;
        CPPUNIT_ASSERT(std::string(current.begin(), current.end()) == renewed.substr(0, 16));
    }

    void ticketFromAnotherServerIsNotAccepted() {
        Server first = serverWith(testKit().ecdsa, std::make_shared<TicketKeyRing>());
        Server second = serverWith(testKit().ecdsa, std::make_shared<TicketKeyRing>());
        SessionPtr session = freshSession(*first.store, TLS1_3_VERSION);
        CPPUNIT_ASSERT(!resume(*second.store, session.get(), TLS1_3_VERSION).resumed);
        CPPUNIT_ASSERT(resume(*first.store, session.get(), TLS1_3_VERSION).resumed);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SessionTicketTest);
