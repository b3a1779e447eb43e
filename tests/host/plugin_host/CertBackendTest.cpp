// CertBackend over the plain-C provider c-cert: current(), renewNow() with a
// cert_changed that re-enters current(), timer-driven notices, teardown.
#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "InstrumentedAllocator.h"
#include "PluginDir.h"
#include "plugin_host/BackendError.h"
#include "plugin_host/CertBackend.h"
#include "plugin_host/HostServices.h"
#include "plugin_host/PluginRegistry.h"

using rport::test::PluginDir;
using namespace rportd::plugin_host;

namespace {

const Settings kPem = {{"chain", "-----BEGIN CERTIFICATE-----\nleaf\n-----END CERTIFICATE-----\n"},
                       {"key", "-----BEGIN PRIVATE KEY-----\nk\n-----END PRIVATE KEY-----\n"}};

bool eventually(const std::function<bool()>& condition) {
    for (int i = 0; i < 600; ++i) {
        if (condition()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return condition();
}

}  // namespace

class CertBackendTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(CertBackendTest);
    CPPUNIT_TEST(testCreateFailureMessage);
    CPPUNIT_TEST(testCurrent);
    CPPUNIT_TEST(testReleasedKeyIsWiped);
    CPPUNIT_TEST(testRenewNotifiesAndHandlerReentersCurrent);
    CPPUNIT_TEST(testNoticesWithoutHandlerAreDropped);
    CPPUNIT_TEST(testTimerDrivenNoticesStopAtDestruction);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        _services = std::make_unique<HostServices>(HostOptions{"/tmp", 4});
        _registry = std::make_unique<PluginRegistry>(*_services);
        _dir.add("good_c");
        _registry->loadDirectory(_dir.path());
    }
    void tearDown() override {
        _registry.reset();
        _services.reset();
    }

    void testCreateFailureMessage() {
        try {
            CertBackend provider(*_registry, "c-cert", {});
            CPPUNIT_FAIL("create should have failed");
        } catch (const BackendError& e) {
            CPPUNIT_ASSERT_EQUAL(
                std::string(
                    "cert-provider plugin \"c-cert\": create failed: missing setting 'chain'"),
                std::string(e.what()));
        }
    }

    void testCurrent() {
        CertBackend provider(*_registry, "c-cert", kPem);
        CPPUNIT_ASSERT_EQUAL(std::string("good-c"), provider.pluginName());
        CPPUNIT_ASSERT(provider.canRenew());
        std::optional<rport::sdk::CertBundle> bundle;
        CPPUNIT_ASSERT(provider.current(bundle).ok());
        CPPUNIT_ASSERT_EQUAL(kPem[0].second, bundle->chainPem);
        CPPUNIT_ASSERT_EQUAL(kPem[1].second, std::string(bundle->keyPem.view()));
        CPPUNIT_ASSERT_EQUAL(int64_t(4102444800), bundle->notAfter);
    }

    // The host's copy of the key (what current() hands the TLS layer) is a
    // SecretString: its memory is zero when it goes back to the allocator.
    void testReleasedKeyIsWiped() {
        CertBackend provider(*_registry, "c-cert", kPem);
        std::optional<rport::sdk::CertBundle> bundle;
        CPPUNIT_ASSERT(provider.current(bundle).ok());
        rport::test::FreeWatch watch(bundle->keyPem.data(), bundle->keyPem.size());
        bundle.reset();
        CPPUNIT_ASSERT(watch.freed());
        CPPUNIT_ASSERT(watch.freedWiped());
    }

    void testRenewNotifiesAndHandlerReentersCurrent() {
        CertBackend provider(*_registry, "c-cert", kPem);
        std::vector<int64_t> generations;
        // The handler runs inside renew_now, on the thread that holds the
        // instance's call lock: current() from here must not deadlock.
        provider.onCertChanged([&] {
            std::optional<rport::sdk::CertBundle> bundle;
            CPPUNIT_ASSERT(provider.current(bundle).ok());
            generations.push_back(bundle->notBefore);
        });
        CPPUNIT_ASSERT(provider.renewNow().ok());
        CPPUNIT_ASSERT(provider.renewNow().ok());
        CPPUNIT_ASSERT((generations == std::vector<int64_t>{1, 2}));
    }

    void testNoticesWithoutHandlerAreDropped() {
        CertBackend provider(*_registry, "c-cert", kPem);
        CPPUNIT_ASSERT(provider.renewNow().ok());
        int calls = 0;
        provider.onCertChanged([&] { ++calls; });
        provider.onCertChanged(nullptr);
        CPPUNIT_ASSERT(provider.renewNow().ok());
        CPPUNIT_ASSERT_EQUAL(0, calls);
    }

    void testTimerDrivenNoticesStopAtDestruction() {
        std::atomic<int> notices{0};
        {
            Settings settings = kPem;
            settings.emplace_back("tick_ms", "2");
            CertBackend provider(*_registry, "c-cert", settings);
            provider.onCertChanged([&] { ++notices; });
            CPPUNIT_ASSERT(eventually([&] { return notices.load() >= 3; }));
        }
        const int atDestruction = notices.load();
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
        CPPUNIT_ASSERT_EQUAL(atDestruction, notices.load());
        CPPUNIT_ASSERT_EQUAL(size_t(0), _services->timers().pending());
    }

private:
    PluginDir _dir;
    std::unique_ptr<HostServices> _services;
    std::unique_ptr<PluginRegistry> _registry;
};

CPPUNIT_TEST_SUITE_REGISTRATION(CertBackendTest);
