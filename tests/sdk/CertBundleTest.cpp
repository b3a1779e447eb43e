// Certificate providers through the wrapper: the bundle emitted by current(),
// renewals reported through cert_changed, and providers without a cert.
#include <cppunit/extensions/HelperMacros.h>

#include <cstddef>
#include <rport/testing.hpp>

#include "TestPlugin.h"

using rport::sdk::CertBundle;
using rport::sdk::testing::FakeHost;

class CertBundleTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(CertBundleTest);
    CPPUNIT_TEST(testCurrentEmitsTheBundle);
    CPPUNIT_TEST(testRenewReportsThroughCertChanged);
    CPPUNIT_TEST(testProviderWithoutCertificate);
    CPPUNIT_TEST(testMissingRequiredSetting);
    CPPUNIT_TEST(testOlderBundleWithoutTimes);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        _host = std::make_unique<FakeHost>();
        _plugin = _host->attach(&rport_plugin_entry_v1);
    }
    void tearDown() override { _host.reset(); }

    void testCurrentEmitsTheBundle() {
        _host->settings = {{"chain", "LEAF\nINTERMEDIATE\n"}, {"key", "KEY\n"}};
        auto provider = _host->createCert(_plugin, "fixed");
        std::optional<CertBundle> bundle;
        CPPUNIT_ASSERT(provider->current(bundle).ok());
        CPPUNIT_ASSERT_EQUAL(std::string("LEAF\nINTERMEDIATE\n"), bundle->chainPem);
        CPPUNIT_ASSERT_EQUAL(std::string("KEY\n"), std::string(bundle->keyPem.view()));
        CPPUNIT_ASSERT_EQUAL(int64_t(1700000000), bundle->notBefore);
        CPPUNIT_ASSERT_EQUAL(int64_t(1800000000), bundle->notAfter);
    }

    void testRenewReportsThroughCertChanged() {
        _host->settings = {{"chain", "C"}};
        auto provider = _host->createCert(_plugin, "fixed");
        CPPUNIT_ASSERT(provider->offersRenew());
        CPPUNIT_ASSERT_EQUAL(0, _host->certChangedCount());
        CPPUNIT_ASSERT(provider->renewNow().ok());
        CPPUNIT_ASSERT_EQUAL(1, _host->certChangedCount());
    }

    void testProviderWithoutCertificate() {
        auto provider = _host->createCert(_plugin, "empty");
        std::optional<CertBundle> bundle;
        rport::sdk::CallResult r = provider->current(bundle);
        CPPUNIT_ASSERT_EQUAL(RPORT_E_UNAVAILABLE, r.code);
        CPPUNIT_ASSERT_EQUAL(std::string("no certificate yet"), r.message);
        CPPUNIT_ASSERT(!bundle);
        r = provider->renewNow();
        CPPUNIT_ASSERT_EQUAL(RPORT_E_UNSUPPORTED, r.code);
        CPPUNIT_ASSERT_EQUAL(std::string("this provider cannot renew on demand"), r.message);
    }

    void testMissingRequiredSetting() {
        CPPUNIT_ASSERT_THROW(_host->createCert(_plugin, "fixed"), rport::sdk::Error);
    }

    void testOlderBundleWithoutTimes() {
        // A bundle from a peer whose struct ends before the times: they read as 0.
        rport::sdk::Collector collector;
        rport_sink sink = collector.sink();
        rport_cert_bundle old{};
        old.struct_size = offsetof(rport_cert_bundle, not_before);
        old.chain_pem = rport::sdk::str("C");
        old.not_before = 5;
        old.not_after = 6;
        sink.cert(sink.ctx, &old);
        CPPUNIT_ASSERT(collector.cert);
        CPPUNIT_ASSERT_EQUAL(std::string("C"), collector.cert->chainPem);
        CPPUNIT_ASSERT_EQUAL(int64_t(0), collector.cert->notBefore);
        CPPUNIT_ASSERT_EQUAL(int64_t(0), collector.cert->notAfter);
    }

private:
    std::unique_ptr<FakeHost> _host;
    rport::sdk::testing::LoadedPlugin _plugin;
};

CPPUNIT_TEST_SUITE_REGISTRATION(CertBundleTest);
