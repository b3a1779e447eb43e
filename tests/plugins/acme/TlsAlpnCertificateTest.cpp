// The TLS-ALPN-01 answer (RFC 8737 §3): self-signed, a fresh P-256 key, one
// dNSName, and the critical acmeIdentifier extension holding the DER OCTET
// STRING of SHA-256(key authorization).
#include <cppunit/extensions/HelperMacros.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "AcmeTestKit.h"
#include "TlsAlpnCertificate.h"

using namespace rport::plugins::acme;

namespace {

struct Parsed {
    X509* cert = nullptr;
    EVP_PKEY* key = nullptr;
    ~Parsed() {
        X509_free(cert);
        EVP_PKEY_free(key);
    }
};

void parse(const TlsAlpnCertificate& c, Parsed& out) {
    BIO* b = BIO_new_mem_buf(c.certPem.data(), static_cast<int>(c.certPem.size()));
    out.cert = PEM_read_bio_X509(b, nullptr, nullptr, nullptr);
    BIO_free(b);
    b = BIO_new_mem_buf(c.keyPem.data(), static_cast<int>(c.keyPem.size()));
    out.key = PEM_read_bio_PrivateKey(b, nullptr, nullptr, nullptr);
    BIO_free(b);
    CPPUNIT_ASSERT(out.cert && out.key);
}

std::string sha256Of(const std::string& text) {
    unsigned char digest[32];
    unsigned int len = 0;
    EVP_Digest(text.data(), text.size(), digest, &len, EVP_sha256(), nullptr);
    return std::string(reinterpret_cast<const char*>(digest), len);
}

}  // namespace

class TlsAlpnCertificateTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(TlsAlpnCertificateTest);
    CPPUNIT_TEST(acmeIdentifierIsCriticalAndHoldsTheDigest);
    CPPUNIT_TEST(oneDnsNameAndSelfSigned);
    CPPUNIT_TEST(freshKeyEachTime);
    CPPUNIT_TEST_SUITE_END();

public:
    void acmeIdentifierIsCriticalAndHoldsTheDigest() {
        const std::string keyAuthorization =
            "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA.thumbprint";
        const auto c = makeTlsAlpnCertificate("alpn.example.com", keyAuthorization);
        Parsed p;
        parse(c, p);
        ASN1_OBJECT* oid = OBJ_txt2obj("1.3.6.1.5.5.7.1.31", 1);
        const int index = X509_get_ext_by_OBJ(p.cert, oid, -1);
        ASN1_OBJECT_free(oid);
        CPPUNIT_ASSERT(index >= 0);
        X509_EXTENSION* ext = X509_get_ext(p.cert, index);
        CPPUNIT_ASSERT_EQUAL(1, X509_EXTENSION_get_critical(ext));
        const ASN1_OCTET_STRING* value = X509_EXTENSION_get_data(ext);
        const std::string der(reinterpret_cast<const char*>(ASN1_STRING_get0_data(value)),
                              static_cast<size_t>(ASN1_STRING_length(value)));
        CPPUNIT_ASSERT_EQUAL(std::string("\x04\x20", 2) + sha256Of(keyAuthorization), der);
        // Exactly once.
        CPPUNIT_ASSERT_EQUAL(-1,
                             X509_get_ext_by_OBJ(p.cert, X509_EXTENSION_get_object(ext), index));
    }

    void oneDnsNameAndSelfSigned() {
        const auto c = makeTlsAlpnCertificate("alpn.example.com", "t.k");
        CPPUNIT_ASSERT(rport::test::acme::leafDnsNames(c.certPem) ==
                       std::vector<std::string>{"alpn.example.com"});
        CPPUNIT_ASSERT_EQUAL(std::string("EC prime256v1"),
                             rport::test::acme::keyDescription(c.keyPem));
        Parsed p;
        parse(c, p);
        CPPUNIT_ASSERT_EQUAL(1, X509_check_private_key(p.cert, p.key));
        CPPUNIT_ASSERT_EQUAL(1, X509_verify(p.cert, p.key));
        CPPUNIT_ASSERT_EQUAL(
            0, X509_NAME_cmp(X509_get_subject_name(p.cert), X509_get_issuer_name(p.cert)));
        CPPUNIT_ASSERT(X509_cmp_current_time(X509_get0_notBefore(p.cert)) < 0);
        CPPUNIT_ASSERT(X509_cmp_current_time(X509_get0_notAfter(p.cert)) > 0);
    }

    void freshKeyEachTime() {
        const auto a = makeTlsAlpnCertificate("alpn.example.com", "t.k");
        const auto b = makeTlsAlpnCertificate("alpn.example.com", "t.k");
        CPPUNIT_ASSERT(a.keyPem != b.keyPem);
        CPPUNIT_ASSERT(a.certPem != b.certPem);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TlsAlpnCertificateTest);
