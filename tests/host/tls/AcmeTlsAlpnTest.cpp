// Reading a ClientHello's ALPN list for acme-tls/1 (bounded, malformed lists
// offer nothing) and checking a challenge certificate's acmeIdentifier.
#include <cppunit/extensions/HelperMacros.h>
#include <openssl/pem.h>

#include "TestCertificates.h"
#include "tls/AcmeTlsAlpn.h"
#include "tls/OpenSslHandles.h"

using namespace rport::test::tls;
using namespace rportd::tls;

namespace {

using Bytes = std::vector<unsigned char>;

// The extension body for `ids`: a two-byte length, then length-prefixed names.
Bytes alpnBody(const std::vector<std::string>& ids) {
    Bytes body(2, 0);  // the list length, filled in below
    for (const std::string& id : ids) {
        body.push_back(static_cast<unsigned char>(id.size()));
        for (char c : id) body.push_back(static_cast<unsigned char>(c));
    }
    body[0] = static_cast<unsigned char>((body.size() - 2) >> 8);
    body[1] = static_cast<unsigned char>((body.size() - 2) & 0xff);
    return body;
}

bool offers(const Bytes& body) { return alpnExtensionOffers(body.data(), body.size(), kAcmeTlsAlpnProtocol); }

X509Ptr leafOf(const IssuedCertificate& issued) {
    BioPtr bio(BIO_new_mem_buf(issued.certificatePem.data(), static_cast<int>(issued.certificatePem.size())));
    return X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

const std::string kDigest(32, '\x5a');

}  // namespace

class AcmeTlsAlpnTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(AcmeTlsAlpnTest);
    CPPUNIT_TEST(findsAcmeTlsInTheList);
    CPPUNIT_TEST(otherProtocolsAreNotAcmeTls);
    CPPUNIT_TEST(malformedListsOfferNothing);
    CPPUNIT_TEST(challengeCertificateWithItsIdentifier);
    CPPUNIT_TEST(identifierProblemsAreNamed);
    CPPUNIT_TEST_SUITE_END();

public:
    void findsAcmeTlsInTheList() {
        CPPUNIT_ASSERT(offers(alpnBody({"acme-tls/1"})));
        CPPUNIT_ASSERT(offers(alpnBody({"h2", "http/1.1", "acme-tls/1"})));
    }

    void otherProtocolsAreNotAcmeTls() {
        CPPUNIT_ASSERT(!offers(alpnBody({"h2", "http/1.1"})));
        CPPUNIT_ASSERT(!offers(alpnBody({"acme-tls/10"})));
        CPPUNIT_ASSERT(!offers(alpnBody({"acme-tls/"})));
        CPPUNIT_ASSERT(!offers(alpnBody({"ACME-TLS/1"})));  // ALPN ids are compared byte for byte
    }

    void malformedListsOfferNothing() {
        CPPUNIT_ASSERT(!alpnExtensionOffers(nullptr, 0, kAcmeTlsAlpnProtocol));
        CPPUNIT_ASSERT(!offers(Bytes{}));
        CPPUNIT_ASSERT(!offers(Bytes{0x00}));
        Bytes body = alpnBody({"acme-tls/1"});
        // The list length disagrees with the extension's.
        Bytes longer = body;
        longer.push_back(0x00);
        CPPUNIT_ASSERT(!offers(longer));
        Bytes shorter(body.begin(), body.end() - 1);
        CPPUNIT_ASSERT(!offers(shorter));
        // A name running past the end, hiding acme-tls/1 in what follows.
        Bytes overrun{0x00, 0x0c, 0x40, 10, 'a', 'c', 'm', 'e', '-', 't', 'l', 's', '/', '1'};
        CPPUNIT_ASSERT(!offers(overrun));
        // An empty name is malformed (RFC 7301: names are 1..255 bytes).
        Bytes empty{0x00, 0x0c, 0x00, 10, 'a', 'c', 'm', 'e', '-', 't', 'l', 's', '/', '1'};
        CPPUNIT_ASSERT(!offers(empty));
    }

    void challengeCertificateWithItsIdentifier() {
        IssuedCertificate challenge = acmeChallengeCertificate("api.example.com", kDigest, 0xac01);
        X509Ptr leaf = leafOf(challenge);
        CPPUNIT_ASSERT_EQUAL(std::string(), acmeIdentifierProblem(leaf.get()));
    }

    void identifierProblemsAreNamed() {
        CPPUNIT_ASSERT_EQUAL(std::string("the certificate carries no acmeIdentifier extension (RFC 8737)"),
                             acmeIdentifierProblem(leafOf(testKit().ecdsa).get()));
        CertificateSpec spec;
        spec.dnsNames = {"api.example.com"};
        spec.acmeIdentifier = kDigest;
        spec.acmeIdentifierCritical = false;
        CPPUNIT_ASSERT_EQUAL(std::string("the acmeIdentifier extension is not critical"),
                             acmeIdentifierProblem(leafOf(issueCertificate(spec)).get()));
        spec.acmeIdentifierCritical = true;
        spec.acmeIdentifier = std::string(20, '\x01');  // a SHA-1 length
        CPPUNIT_ASSERT_EQUAL(std::string("the acmeIdentifier extension does not hold a SHA-256 digest"),
                             acmeIdentifierProblem(leafOf(issueCertificate(spec)).get()));
        CPPUNIT_ASSERT_EQUAL(std::string("no certificate"), acmeIdentifierProblem(nullptr));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AcmeTlsAlpnTest);
