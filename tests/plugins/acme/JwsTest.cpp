// The account key and JWS: ES256 signatures in the 64-byte r||s form that
// OpenSSL verifies, the JWK and its RFC 7638 thumbprint (against the RFC's
// own example and against the openssl CLI for a fixed key), the protected
// header with "jwk" or "kid", POST-as-GET, and External Account Binding.
#include <cppunit/extensions/HelperMacros.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>

#include "AccountKey.h"
#include "Base64Url.h"
#include "JsonReader.h"
#include "Jws.h"
#include "Skip.h"
#include "Subprocess.h"
#include "TempDir.h"

using namespace rport::plugins::acme;

namespace {

// A P-256 key made once with `openssl ecparam -genkey | openssl pkcs8 -topk8 -nocrypt`.
const char* const kFixedKeyPem =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg82lNUHmivY1h7P9g\n"
    "/QK/Ehc+V3jrysp6s7rHRnxV1IyhRANCAASRIQFOrgOnQr9rL/XVHnbDrnl27G9B\n"
    "TyqhHK39JFZD2tMX9fFSeOwAm1m7apcGaOR4Z3ULVOk1q3SnQghMjWkB\n"
    "-----END PRIVATE KEY-----\n";

// Verifies a raw r||s ES256 signature with the key in pem.
bool verifiesEs256(std::string_view keyPem, const std::string& data, const std::string& raw) {
    if (raw.size() != 64) return false;
    BIO* bio = BIO_new_mem_buf(keyPem.data(), static_cast<int>(keyPem.size()));
    EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    ECDSA_SIG* sig = ECDSA_SIG_new();
    ECDSA_SIG_set0(sig, BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), 32, nullptr),
                   BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()) + 32, 32, nullptr));
    unsigned char* der = nullptr;
    const int derLen = i2d_ECDSA_SIG(sig, &der);
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    const bool ok =
        EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
        EVP_DigestVerify(ctx, der, static_cast<size_t>(derLen),
                         reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
    EVP_MD_CTX_free(ctx);
    OPENSSL_free(der);
    ECDSA_SIG_free(sig);
    EVP_PKEY_free(key);
    return ok;
}

std::string decoded(const std::string& b64) {
    auto d = base64UrlDecode(b64);
    CPPUNIT_ASSERT_MESSAGE("not base64url: " + b64, d.has_value());
    return *d;
}

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    return s;
}

}  // namespace

class JwsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(JwsTest);
    CPPUNIT_TEST(signatureIsRawAndVerifies);
    CPPUNIT_TEST(thumbprintOfTheRfc7638Example);
    CPPUNIT_TEST(jwkAndThumbprintMatchTheOpensslCli);
    CPPUNIT_TEST(keyRoundTripsThroughPem);
    CPPUNIT_TEST(refusesOtherKeys);
    CPPUNIT_TEST(headerCarriesJwkBeforeTheAccountExists);
    CPPUNIT_TEST(headerCarriesKidAfterwards);
    CPPUNIT_TEST(postAsGetHasAnEmptyPayload);
    CPPUNIT_TEST(externalAccountBindingShape);
    CPPUNIT_TEST(hmacSha256Rfc4231);
    CPPUNIT_TEST_SUITE_END();

public:
    void signatureIsRawAndVerifies() {
        const AccountKey key = AccountKey::generate();
        for (int i = 0; i < 20; ++i) {
            const std::string data = "eyJhbGciOiJFUzI1NiJ9." + std::to_string(i);
            const std::string sig = key.sign(data);
            CPPUNIT_ASSERT_EQUAL(size_t(64), sig.size());
            CPPUNIT_ASSERT(verifiesEs256(key.pem(), data, sig));
            CPPUNIT_ASSERT(!verifiesEs256(key.pem(), data + "x", sig));
        }
    }

    void thumbprintOfTheRfc7638Example() {
        // RFC 7638 §3.1: the canonical JSON of its RSA example key, and the
        // thumbprint the RFC gives for it.
        const std::string canonical =
            "{\"e\":\"AQAB\",\"kty\":\"RSA\",\"n\":"
            "\"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7"
            "aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_"
            "RN5w6Cf0h4QyQ5v-65YGjQR0_"
            "FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-"
            "bFTWhAI4vMQFh6WeZu0fM4lFd"
            "2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw\"}";
        CPPUNIT_ASSERT_EQUAL(std::string("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"),
                             jwkThumbprint(canonical));
    }

    void jwkAndThumbprintMatchTheOpensslCli() {
        if (!rport::test::toolInstalled("openssl"))
            return rport::test::skipTest("openssl CLI not installed");
        rport::test::TempDir dir;
        const std::string keyFile = dir.write("key.pem", kFixedKeyPem, 0600);
        // The public point is the last 64 bytes of the SPKI (04 || x || y).
        const std::string b64url = " | openssl base64 -A | tr '+/' '-_' | tr -d '='";
        const std::string spki =
            "openssl pkey -in " + keyFile + " -pubout -outform DER 2>/dev/null | tail -c 64";
        const std::string x = trimmed(rport::test::shellOutput(spki + " | head -c 32" + b64url));
        const std::string y = trimmed(rport::test::shellOutput(spki + " | tail -c 32" + b64url));
        CPPUNIT_ASSERT_EQUAL(size_t(43), x.size());
        const std::string thumbprint = trimmed(rport::test::shellOutput(
            "printf '{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"%s\",\"y\":\"%s\"}' " + x + " " + y +
            " | openssl dgst -sha256 -binary" + b64url));

        const AccountKey key = AccountKey::fromPem(kFixedKeyPem);
        CPPUNIT_ASSERT_EQUAL(
            "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + x + "\",\"y\":\"" + y + "\"}",
            key.jwk());
        CPPUNIT_ASSERT_EQUAL(thumbprint, key.thumbprint());
        // And the value itself, so a broken CLI cannot make both sides agree on nonsense.
        CPPUNIT_ASSERT_EQUAL(std::string("FYRrKhoMTYvGOsU6oYZmkH64Kxq6VV8sM_L23xdkUTM"),
                             key.thumbprint());
    }

    void keyRoundTripsThroughPem() {
        const AccountKey key = AccountKey::generate();
        const AccountKey again = AccountKey::fromPem(key.pem());
        CPPUNIT_ASSERT_EQUAL(key.jwk(), again.jwk());
        CPPUNIT_ASSERT(key.pem().view().find("-----BEGIN PRIVATE KEY-----") == 0);
        CPPUNIT_ASSERT(AccountKey::generate().jwk() != key.jwk());
    }

    void refusesOtherKeys() {
        EVP_PKEY* rsa = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(2048));
        BIO* bio = BIO_new(BIO_s_mem());
        PEM_write_bio_PrivateKey(bio, rsa, nullptr, nullptr, 0, nullptr, nullptr);
        char* data = nullptr;
        const long n = BIO_get_mem_data(bio, &data);
        const std::string pem(data, static_cast<size_t>(n));
        BIO_free(bio);
        EVP_PKEY_free(rsa);
        CPPUNIT_ASSERT_THROW(AccountKey::fromPem(pem), std::exception);
        CPPUNIT_ASSERT_THROW(AccountKey::fromPem("not a key"), std::exception);
    }

    void headerCarriesJwkBeforeTheAccountExists() {
        const AccountKey key = AccountKey::generate();
        const std::string body = signedRequest(key, "", "nonce-1", "https://ca.test/new-account",
                                               "{\"termsOfServiceAgreed\":true}");
        const auto jws = parseJsonObject(body, "jws");
        CPPUNIT_ASSERT_EQUAL(size_t(3), jws->size());
        const std::string protectedB64 = stringMember(jws, "protected");
        const std::string payloadB64 = stringMember(jws, "payload");
        CPPUNIT_ASSERT_EQUAL("{\"alg\":\"ES256\",\"jwk\":" + key.jwk() +
                                 ",\"nonce\":\"nonce-1\",\"url\":\"https://ca.test/new-account\"}",
                             decoded(protectedB64));
        CPPUNIT_ASSERT_EQUAL(std::string("{\"termsOfServiceAgreed\":true}"), decoded(payloadB64));
        CPPUNIT_ASSERT(verifiesEs256(key.pem(), protectedB64 + "." + payloadB64,
                                     decoded(stringMember(jws, "signature"))));
    }

    void headerCarriesKidAfterwards() {
        const AccountKey key = AccountKey::generate();
        const std::string body =
            signedRequest(key, "https://ca.test/acct/7", "n2", "https://ca.test/new-order", "{}");
        const auto jws = parseJsonObject(body, "jws");
        const std::string header = decoded(stringMember(jws, "protected"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("{\"alg\":\"ES256\",\"kid\":\"https://ca.test/acct/"
                        "7\",\"nonce\":\"n2\",\"url\":\"https://ca.test/new-order\"}"),
            header);
        CPPUNIT_ASSERT(header.find("jwk") == std::string::npos);
    }

    void postAsGetHasAnEmptyPayload() {
        const AccountKey key = AccountKey::generate();
        const auto jws = parseJsonObject(
            signedRequest(key, "https://ca.test/acct/7", "n3", "https://ca.test/order/1", ""),
            "jws");
        CPPUNIT_ASSERT(jws->has("payload"));
        CPPUNIT_ASSERT_EQUAL(std::string(""), stringMember(jws, "payload"));
        CPPUNIT_ASSERT(verifiesEs256(key.pem(), stringMember(jws, "protected") + ".",
                                     decoded(stringMember(jws, "signature"))));
    }

    void externalAccountBindingShape() {
        const AccountKey key = AccountKey::generate();
        const std::string macKey = "0123456789abcdef0123456789abcdef";
        const auto eab = parseJsonObject(
            externalAccountBinding(key, "kid-1", macKey, "https://ca.test/new-account"), "eab");
        const std::string protectedB64 = stringMember(eab, "protected");
        const std::string payloadB64 = stringMember(eab, "payload");
        // HS256 with the CA's key id and the newAccount URL; no nonce.
        CPPUNIT_ASSERT_EQUAL(
            std::string(
                "{\"alg\":\"HS256\",\"kid\":\"kid-1\",\"url\":\"https://ca.test/new-account\"}"),
            decoded(protectedB64));
        CPPUNIT_ASSERT_EQUAL(key.jwk(), decoded(payloadB64));
        unsigned char mac[32];
        unsigned int macLen = 0;
        const std::string input = protectedB64 + "." + payloadB64;
        HMAC(EVP_sha256(), macKey.data(), static_cast<int>(macKey.size()),
             reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &macLen);
        CPPUNIT_ASSERT_EQUAL(std::string(reinterpret_cast<const char*>(mac), macLen),
                             decoded(stringMember(eab, "signature")));
    }

    void hmacSha256Rfc4231() {
        // RFC 4231 test case 2.
        const std::string mac = hmacSha256("Jefe", "what do ya want for nothing?");
        static const char hex[] = "0123456789abcdef";
        std::string text;
        for (unsigned char c : mac) {
            text += hex[c >> 4];
            text += hex[c & 15];
        }
        CPPUNIT_ASSERT_EQUAL(
            std::string("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"), text);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(JwsTest);
