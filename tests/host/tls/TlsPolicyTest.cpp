// The server profile seen from a client: which versions, suites, ALPN ids
// and renegotiation attempts a listener built with TlsPolicy accepts.
#include <cppunit/extensions/HelperMacros.h>
#include <openssl/err.h>
#include <poll.h>

#include "TestCertificates.h"
#include "TlsTestPeer.h"
#include "tls/CertificateStore.h"
#include "tls/TlsPolicy.h"

using namespace rport::test::tls;
using namespace rportd::tls;
using rportd::net::IoStatus;

namespace {

std::unique_ptr<CertificateStore> storeWith(const IssuedCertificate& issued, TlsPolicy policy = TlsPolicy()) {
    auto store = std::make_unique<CertificateStore>(std::move(policy));
    ServedCertificate::LoadResult loaded = store->load(issued.certificatePem, issued.keyPem);
    CPPUNIT_ASSERT_MESSAGE(loaded.error, loaded.certificate != nullptr);
    store->setCertificate("api", loaded.certificate);
    return store;
}

ClientOptions tls12Only() {
    ClientOptions options;
    options.minVersion = TLS1_2_VERSION;
    options.maxVersion = TLS1_2_VERSION;
    return options;
}

}  // namespace

class TlsPolicyTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(TlsPolicyTest);
    CPPUNIT_TEST(echoesOverTls13OnLoopbackTcp);
    CPPUNIT_TEST(echoesOverTls12WithEcdsa);
    CPPUNIT_TEST(echoesOverTls12WithRsa);
    CPPUNIT_TEST(minimumTls13RefusesATls12OnlyClient);
    CPPUNIT_TEST(refusesTls11);
    CPPUNIT_TEST(refusesSuitesWithoutAeadOrForwardSecrecy);
    CPPUNIT_TEST(negotiatesHttp11AlpnAndToleratesOtherOffers);
    CPPUNIT_TEST(alpnListIsConfigurable);
    CPPUNIT_TEST(refusesClientRenegotiation);
    CPPUNIT_TEST(refusesAnUnknownMinimumVersion);
    CPPUNIT_TEST(failsCleanlyWithoutAnyCertificate);
    CPPUNIT_TEST_SUITE_END();

public:
    void echoesOverTls13OnLoopbackTcp() {
        auto store = storeWith(testKit().ecdsa);
        TlsPair pair = connectPair(*store, ClientOptions(), true);
        handshakeOrFail(pair);
        CPPUNIT_ASSERT_EQUAL(std::string("TLSv1.3"), pair.server->protocolVersion());
        CPPUNIT_ASSERT(!pair.server->sessionResumed());
        echoOnce(pair, "hello over TLS 1.3");
        echoOnce(pair, std::string(100000, 'x'));  // several records each way
    }

    void echoesOverTls12WithEcdsa() {
        auto store = storeWith(testKit().ecdsa);
        TlsPair pair = connectPair(*store, tls12Only());
        handshakeOrFail(pair);
        CPPUNIT_ASSERT_EQUAL(std::string("TLSv1.2"), pair.server->protocolVersion());
        CPPUNIT_ASSERT(pair.server->cipherName().rfind("ECDHE-ECDSA-", 0) == 0);
        echoOnce(pair, "hello over TLS 1.2");
    }

    void echoesOverTls12WithRsa() {
        auto store = storeWith(testKit().rsa);
        TlsPair pair = connectPair(*store, tls12Only());
        handshakeOrFail(pair);
        CPPUNIT_ASSERT(pair.server->cipherName().rfind("ECDHE-RSA-", 0) == 0);
        CPPUNIT_ASSERT_EQUAL(std::string("2001"), pair.client->peerSerialHex());
        echoOnce(pair, "hello with RSA");
    }

    void minimumTls13RefusesATls12OnlyClient() {
        TlsPolicy policy;
        policy.minVersion = "1.3";
        auto store = storeWith(testKit().ecdsa, policy);
        TlsPair refused = connectPair(*store, tls12Only());
        HandshakeOutcome outcome = driveHandshake(refused);
        CPPUNIT_ASSERT(!outcome.succeeded());
        CPPUNIT_ASSERT_EQUAL(std::string("unsupported protocol"), outcome.serverFailure);

        TlsPair accepted = connectPair(*store, ClientOptions());
        handshakeOrFail(accepted);
        CPPUNIT_ASSERT_EQUAL(std::string("TLSv1.3"), accepted.server->protocolVersion());
    }

    void refusesTls11() {
        auto store = storeWith(testKit().ecdsa);
        ClientOptions options;
        options.minVersion = TLS1_1_VERSION;
        options.maxVersion = TLS1_1_VERSION;
        options.allowLegacy = true;
        TlsPair pair = connectPair(*store, options);
        HandshakeOutcome outcome = driveHandshake(pair);
        CPPUNIT_ASSERT(!outcome.succeeded());
        CPPUNIT_ASSERT_EQUAL(std::string("unsupported protocol"), outcome.serverFailure);
    }

    void refusesSuitesWithoutAeadOrForwardSecrecy() {
        auto store = storeWith(testKit().rsa);
        // CBC with SHA-1 MAC; GCM with static RSA key exchange (no forward secrecy);
        // CBC even with ECDHE.
        for (const char* suite : {"AES128-SHA", "AES128-GCM-SHA256", "ECDHE-RSA-AES128-SHA256"}) {
            ClientOptions options = tls12Only();
            options.allowLegacy = true;
            options.tls12Ciphers = std::string(suite) + ":@SECLEVEL=0";
            TlsPair pair = connectPair(*store, options);
            HandshakeOutcome outcome = driveHandshake(pair);
            CPPUNIT_ASSERT_MESSAGE(suite, !outcome.succeeded());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(suite, std::string("no shared cipher"), outcome.serverFailure);
        }
    }

    void negotiatesHttp11AlpnAndToleratesOtherOffers() {
        auto store = storeWith(testKit().ecdsa);
        ClientOptions options;
        options.alpn = {"h2", "http/1.1"};
        TlsPair offered = connectPair(*store, options);
        handshakeOrFail(offered);
        CPPUNIT_ASSERT_EQUAL(std::string("http/1.1"), offered.server->alpnProtocol());
        CPPUNIT_ASSERT_EQUAL(std::string("http/1.1"), offered.client->alpnProtocol());

        options.alpn = {"h2"};
        TlsPair unknown = connectPair(*store, options);
        handshakeOrFail(unknown);  // no ALPN agreed, but still connected
        CPPUNIT_ASSERT_EQUAL(std::string(), unknown.server->alpnProtocol());

        TlsPair none = connectPair(*store, ClientOptions());
        handshakeOrFail(none);
        CPPUNIT_ASSERT_EQUAL(std::string(), none.server->alpnProtocol());
    }

    void alpnListIsConfigurable() {
        TlsPolicy policy;
        // (acme-tls/1 is no example: the store answers it with challenge
        // certificates only, see AcmeChallengeTest.)
        policy.alpnProtocols = {"h2", "http/1.1"};
        auto store = storeWith(testKit().ecdsa, policy);
        ClientOptions options;
        options.alpn = {"h2"};
        TlsPair pair = connectPair(*store, options);
        handshakeOrFail(pair);
        CPPUNIT_ASSERT_EQUAL(std::string("h2"), pair.server->alpnProtocol());
    }

    void refusesClientRenegotiation() {
        auto store = storeWith(testKit().ecdsa);
        TlsPair pair = connectPair(*store, tls12Only());
        handshakeOrFail(pair);
        echoOnce(pair, "before");

        SSL* client = pair.client->ssl();
        CPPUNIT_ASSERT_EQUAL(1, SSL_renegotiate(client));
        // The client sends a new ClientHello; the server reads it while
        // waiting for data and answers no_renegotiation. The client must end
        // up failing, never with a second completed handshake.
        bool clientFailed = false;
        for (int round = 0; round < 50 && !clientFailed; ++round) {
            int step = pair.client->handshakeStep();
            CPPUNIT_ASSERT_MESSAGE("renegotiation completed", step != 1);
            if (step < 0) {
                clientFailed = true;
                break;
            }
            char buffer[64];
            rportd::net::IoResult result = pair.server->read(buffer, sizeof buffer);
            CPPUNIT_ASSERT(result.status != IoStatus::Done);
            if (result.status == IoStatus::Failed || result.status == IoStatus::Closed) break;
            CPPUNIT_ASSERT(waitFor(pair.client->fd(), POLLIN, 5000));
        }
        CPPUNIT_ASSERT_MESSAGE("the client was not refused", clientFailed);
        CPPUNIT_ASSERT_EQUAL(0, SSL_renegotiate_pending(pair.server->nativeHandle()));
        ERR_clear_error();
    }

    void refusesAnUnknownMinimumVersion() {
        TlsPolicy policy;
        policy.minVersion = "1.1";
        CPPUNIT_ASSERT(!validateTlsPolicy(policy).empty());
        CPPUNIT_ASSERT_THROW(CertificateStore store(policy), std::runtime_error);
        policy.minVersion = "1.3";
        CPPUNIT_ASSERT_EQUAL(std::string(), validateTlsPolicy(policy));
    }

    void failsCleanlyWithoutAnyCertificate() {
        CertificateStore store;
        TlsPair pair = connectPair(store, ClientOptions());
        HandshakeOutcome outcome = driveHandshake(pair);
        CPPUNIT_ASSERT(!outcome.succeeded());
        CPPUNIT_ASSERT(!outcome.timedOut);
        CPPUNIT_ASSERT_EQUAL(std::string("no certificate is configured"), outcome.serverFailure);
        // The client is told too (an alert), rather than left waiting.
        int step = 0;
        for (int round = 0; round < 10; ++round) {
            step = pair.client->handshakeStep();
            if (step != SSL_ERROR_WANT_READ) break;
            CPPUNIT_ASSERT(waitFor(pair.client->fd(), POLLIN, 5000));
        }
        CPPUNIT_ASSERT_EQUAL(-1, step);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TlsPolicyTest);
