// Loading one certificate generation from PEM: the errors an operator sees,
// the metadata /status shows, and which host names it covers.
#include <cppunit/extensions/HelperMacros.h>

#include <ctime>

#include "TestCertificates.h"
#include "TlsTestPeer.h"
#include "tls/ServedCertificate.h"

using namespace rport::test::tls;
using namespace rportd::tls;

namespace {

ServedCertificate::LoadResult load(const std::string& chainPem, const std::string& keyPem) {
    return ServedCertificate::fromPem(chainPem, keyPem, TlsPolicy(), std::make_shared<TicketKeyRing>());
}

std::shared_ptr<const ServedCertificate> loadOrFail(const IssuedCertificate& issued, const std::string& chainTail = "") {
    ServedCertificate::LoadResult loaded = load(issued.certificatePem + chainTail, issued.keyPem);
    CPPUNIT_ASSERT_MESSAGE(loaded.error, loaded.certificate != nullptr);
    CPPUNIT_ASSERT_EQUAL(std::string(), loaded.error);
    return loaded.certificate;
}

std::string loadError(const std::string& chainPem, const std::string& keyPem) {
    ServedCertificate::LoadResult loaded = load(chainPem, keyPem);
    CPPUNIT_ASSERT(loaded.certificate == nullptr);
    return loaded.error;
}

}  // namespace

class ServedCertificateTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ServedCertificateTest);
    CPPUNIT_TEST(describesTheLeaf);
    CPPUNIT_TEST(describesAChainAndSendsIt);
    CPPUNIT_TEST(loadsAnExpiredCertificateAndShowsItsDates);
    CPPUNIT_TEST(coversExactAndIpNames);
    CPPUNIT_TEST(wildcardCoversOneLabelOnly);
    CPPUNIT_TEST(refusesAKeyOfAnotherCertificate);
    CPPUNIT_TEST(refusesAnEncryptedKey);
    CPPUNIT_TEST(refusesTextWithoutCertificate);
    CPPUNIT_TEST(namesTheUnreadableChainCertificate);
    CPPUNIT_TEST(refusesAMissingOrDamagedKey);
    CPPUNIT_TEST_SUITE_END();

public:
    void describesTheLeaf() {
        auto served = loadOrFail(testKit().ecdsa);
        const CertificateInfo& info = served->info();
        CPPUNIT_ASSERT_EQUAL(std::string("localhost"), info.subjectCommonName);
        CPPUNIT_ASSERT_EQUAL(size_t(2), info.dnsNames.size());
        CPPUNIT_ASSERT_EQUAL(std::string("localhost"), info.dnsNames[0]);
        CPPUNIT_ASSERT_EQUAL(std::string("api.example.com"), info.dnsNames[1]);
        CPPUNIT_ASSERT_EQUAL(size_t(1), info.ipAddresses.size());
        CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1"), info.ipAddresses[0]);
        CPPUNIT_ASSERT_EQUAL(std::string("localhost"), info.issuer);  // self-signed
        CPPUNIT_ASSERT_EQUAL(std::string("1001"), info.serialHex);
        int64_t now = static_cast<int64_t>(std::time(nullptr));
        CPPUNIT_ASSERT(info.notBefore <= now - 3500 && info.notBefore >= now - 3700);
        CPPUNIT_ASSERT(info.notAfter >= now + 86400 - 3700 && info.notAfter <= now + 86400 - 3500);
        CPPUNIT_ASSERT_EQUAL(size_t(0), info.intermediateCount);
        CPPUNIT_ASSERT(served->context() != nullptr);
    }

    void describesAChainAndSendsIt() {
        auto served = loadOrFail(testKit().chained, testKit().authority.certificatePem);
        CPPUNIT_ASSERT_EQUAL(std::string("rportd Test CA"), served->info().issuer);
        CPPUNIT_ASSERT_EQUAL(size_t(1), served->info().intermediateCount);
        CPPUNIT_ASSERT_EQUAL(std::string("3001"), served->info().serialHex);

        CertificateStore store;
        store.setCertificate("api", served);
        TlsPair pair = connectPair(store, ClientOptions());
        handshakeOrFail(pair);
        CPPUNIT_ASSERT_EQUAL(size_t(2), pair.client->peerChainLength());  // leaf and intermediate
    }

    void loadsAnExpiredCertificateAndShowsItsDates() {
        // Serving an expired certificate beats serving none; /status shows the date.
        auto served = loadOrFail(testKit().expired);
        int64_t now = static_cast<int64_t>(std::time(nullptr));
        CPPUNIT_ASSERT(served->info().notAfter < now - 86000);
        CPPUNIT_ASSERT(served->info().notBefore < served->info().notAfter);
    }

    void coversExactAndIpNames() {
        auto served = loadOrFail(testKit().ecdsa);
        CPPUNIT_ASSERT(served->covers("api.example.com"));
        CPPUNIT_ASSERT(served->covers("API.Example.COM"));
        CPPUNIT_ASSERT(served->covers("api.example.com."));
        CPPUNIT_ASSERT(served->covers("127.0.0.1"));
        CPPUNIT_ASSERT(!served->covers("127.0.0.2"));
        CPPUNIT_ASSERT(!served->covers("example.com"));
        CPPUNIT_ASSERT(!served->covers("x.api.example.com"));
        CPPUNIT_ASSERT(!served->covers(""));
    }

    void wildcardCoversOneLabelOnly() {
        auto served = loadOrFail(testKit().wildcard);
        CPPUNIT_ASSERT(served->covers("a.tunnels.example.com"));
        CPPUNIT_ASSERT(served->covers("B.Tunnels.Example.Com"));
        CPPUNIT_ASSERT(!served->covers("tunnels.example.com"));
        CPPUNIT_ASSERT(!served->covers("a.b.tunnels.example.com"));
        CPPUNIT_ASSERT(!served->covers(".tunnels.example.com"));
        CPPUNIT_ASSERT(!served->covers("a.other.example.com"));
    }

    void refusesAKeyOfAnotherCertificate() {
        CPPUNIT_ASSERT_EQUAL(std::string("the key does not match the certificate"),
                             loadError(testKit().ecdsa.certificatePem, testKit().ecdsaRenewed.keyPem));
        // Another key type altogether.
        CPPUNIT_ASSERT_EQUAL(std::string("the key does not match the certificate"),
                             loadError(testKit().ecdsa.certificatePem, testKit().rsa.keyPem));
    }

    void refusesAnEncryptedKey() {
        CPPUNIT_ASSERT_EQUAL(std::string("the key must not be password protected"),
                             loadError(testKit().ecdsa.certificatePem, encryptedKeyPem(testKit().ecdsa.keyPem, "secret")));
    }

    void refusesTextWithoutCertificate() {
        CPPUNIT_ASSERT_EQUAL(std::string("no certificate in the PEM"), loadError("", testKit().ecdsa.keyPem));
        CPPUNIT_ASSERT_EQUAL(std::string("no certificate in the PEM"),
                             loadError("just some text\n", testKit().ecdsa.keyPem));
        // A key file given as the certificate file.
        CPPUNIT_ASSERT_EQUAL(std::string("no certificate in the PEM"),
                             loadError(testKit().ecdsa.keyPem, testKit().ecdsa.keyPem));
    }

    void namesTheUnreadableChainCertificate() {
        std::string damaged = testKit().authority.certificatePem;
        damaged.replace(damaged.find('\n') + 10, 8, "!!!!!!!!");  // breaks the base64 of its first line
        CPPUNIT_ASSERT_EQUAL(std::string("unreadable chain certificate #2"),
                             loadError(testKit().chained.certificatePem + damaged, testKit().chained.keyPem));
        std::string damagedLeaf = testKit().ecdsa.certificatePem;
        damagedLeaf.replace(damagedLeaf.find('\n') + 10, 8, "!!!!!!!!");
        CPPUNIT_ASSERT_EQUAL(std::string("unreadable chain certificate #1"),
                             loadError(damagedLeaf, testKit().ecdsa.keyPem));
    }

    void refusesAMissingOrDamagedKey() {
        CPPUNIT_ASSERT_EQUAL(std::string("no private key in the PEM"), loadError(testKit().ecdsa.certificatePem, ""));
        std::string damaged = testKit().ecdsa.keyPem;
        damaged.replace(damaged.find('\n') + 5, 8, "!!!!!!!!");
        CPPUNIT_ASSERT_EQUAL(std::string("unreadable private key"), loadError(testKit().ecdsa.certificatePem, damaged));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ServedCertificateTest);
