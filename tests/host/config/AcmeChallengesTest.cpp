// Which ACME challenges the configured listeners can answer, and the order
// the acme plugin is told to prefer them in.
#include <cppunit/extensions/HelperMacros.h>

#include "ConfigTestSupport.h"
#include "config/AcmeChallenges.h"

namespace rportd::config::test {
namespace {

using Names = std::vector<std::string>;

// A decoded, not validated, config: the detection only reads fields.
Config decoded(const std::string& text) {
    std::vector<std::string> warnings;
    return decodeConfigText(kMinimalConfig + text, "rportd.conf", warnings);
}

}  // namespace

class AcmeChallengesTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(AcmeChallengesTest);
    CPPUNIT_TEST(portOfListenAddresses);
    CPPUNIT_TEST(whoUsesAcme);
    CPPUNIT_TEST(apiTlsFromAnyCertificateSource);
    CPPUNIT_TEST(http01FromTheChallengeListener);
    CPPUNIT_TEST(tlsAlpn01FromAnHttpsApiOn443);
    CPPUNIT_TEST(declaredChallengesOverrideDetectionInPreferenceOrder);
    CPPUNIT_TEST_SUITE_END();

public:
    void portOfListenAddresses() {
        CPPUNIT_ASSERT(listenPort("0.0.0.0:443") == 443);
        CPPUNIT_ASSERT(listenPort(":3000") == 3000);
        CPPUNIT_ASSERT(listenPort("[::]:443") == 443);
        CPPUNIT_ASSERT(listenPort("rport.example.com:8443") == 8443);
        CPPUNIT_ASSERT(!listenPort("localhost").has_value());
        CPPUNIT_ASSERT(!listenPort("[::1]").has_value());
        CPPUNIT_ASSERT(!listenPort("host:").has_value());
        CPPUNIT_ASSERT(!listenPort("host:https").has_value());
        CPPUNIT_ASSERT(!listenPort("host:70000").has_value());
    }

    void whoUsesAcme() {
        CPPUNIT_ASSERT(!acmeServesApi(decoded("")));
        // enable_acme without an API address has nothing to serve.
        CPPUNIT_ASSERT(!acmeServesApi(decoded("[api]\nenable_acme = true\n")));
        CPPUNIT_ASSERT(acmeServesApi(decoded("[api]\naddress = \":443\"\nenable_acme = true\n")));
        CPPUNIT_ASSERT(!acmeServesTunnels(decoded("")));
        CPPUNIT_ASSERT(acmeServesTunnels(decoded("tunnel_enable_acme = true\n")));
    }

    void apiTlsFromAnyCertificateSource() {
        CPPUNIT_ASSERT(!apiServesTls(decoded("")));
        CPPUNIT_ASSERT(!apiServesTls(decoded("[api]\naddress = \":443\"\n")));
        CPPUNIT_ASSERT(!apiServesTls(decoded("[api]\ncert_file = \"/c\"\nkey_file = \"/k\"\n")));
        CPPUNIT_ASSERT(apiServesTls(decoded("[api]\naddress = \":443\"\nenable_acme = true\n")));
        CPPUNIT_ASSERT(apiServesTls(
            decoded("[api]\naddress = \":443\"\ncert_file = \"/c\"\nkey_file = \"/k\"\n")));
        CPPUNIT_ASSERT(
            apiServesTls(decoded("[api]\naddress = \":443\"\n[plugins]\napi_cert = \"vault\"\n")));
    }

    void http01FromTheChallengeListener() {
        CPPUNIT_ASSERT(detectedAcmeChallenges(decoded("")).empty());
        CPPUNIT_ASSERT(detectedAcmeChallenges(decoded("acme_http_port = 8080\n")) ==
                       Names{"http-01"});
    }

    void tlsAlpn01FromAnHttpsApiOn443() {
        const std::string https443 = "[api]\naddress = \"0.0.0.0:443\"\nenable_acme = true\n";
        CPPUNIT_ASSERT(detectedAcmeChallenges(decoded(https443)) == Names{"tls-alpn-01"});
        // Both, TLS-ALPN-01 first: it needs no port of its own.
        CPPUNIT_ASSERT(acmeChallengesInForce(decoded("acme_http_port = 80\n" + https443)) ==
                       (Names{"tls-alpn-01", "http-01"}));
        // Not on another port, and not without TLS.
        CPPUNIT_ASSERT(
            detectedAcmeChallenges(decoded("[api]\naddress = \":3000\"\nenable_acme = true\n"))
                .empty());
        CPPUNIT_ASSERT(detectedAcmeChallenges(decoded("[api]\naddress = \":443\"\n")).empty());
    }

    void declaredChallengesOverrideDetectionInPreferenceOrder() {
        const std::string api3000 = "[api]\naddress = \":3000\"\nenable_acme = true\n";
        CPPUNIT_ASSERT(
            acmeChallengesInForce(decoded(api3000 + "[acme]\nchallenges = \"tls-alpn-01\"\n")) ==
            Names{"tls-alpn-01"});
        // Declared HTTP-01 only: TLS-ALPN-01 is not used even where it would be detected.
        CPPUNIT_ASSERT(acmeChallengesInForce(
                           decoded("acme_http_port = 80\n[api]\naddress = \":443\"\n"
                                   "enable_acme = true\n[acme]\nchallenges = [\"http-01\"]\n")) ==
                       Names{"http-01"});
        // Written in any order and case, with repeats: preference order, lower case, once each.
        CPPUNIT_ASSERT(acmeChallengesInForce(decoded(
                           api3000 + "[acme]\nchallenges = [\"HTTP-01\", \" tls-alpn-01\", "
                                     "\"http-01\"]\n")) == (Names{"tls-alpn-01", "http-01"}));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AcmeChallengesTest);

}  // namespace rportd::config::test
