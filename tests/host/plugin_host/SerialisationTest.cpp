// Calls into one instance are serialised unless the backend is flagged
// RPORT_BACKEND_THREADSAFE. The probe plugin counts overlapping get() calls;
// the thread-safe twin shows the probe does see overlaps when they happen.
#include <cppunit/extensions/HelperMacros.h>

#include <thread>
#include <vector>

#include "PluginDir.h"
#include "plugin_host/AuthBackend.h"
#include "plugin_host/HostServices.h"
#include "plugin_host/PluginRegistry.h"

using rport::test::PluginDir;
using namespace rportd::plugin_host;

namespace {

int hammer(AuthBackend& store) {
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&store, t] {
            for (int i = 0; i < 25; ++i) {
                std::optional<rport::sdk::AuthRecord> record;
                store.get("client" + std::to_string(t), record);
            }
        });
    for (auto& thread : threads) thread.join();
    std::optional<rport::sdk::AuthRecord> overlaps;
    store.get("overlaps", overlaps);
    return std::stoi(overlaps.value().secret);
}

}  // namespace

class SerialisationTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(SerialisationTest);
    CPPUNIT_TEST(testPlainBackendIsSerialised);
    CPPUNIT_TEST(testThreadSafeBackendRunsConcurrently);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        _services = std::make_unique<HostServices>(HostOptions{"/tmp", 4});
        _registry = std::make_unique<PluginRegistry>(*_services);
        _dir.add("serial_probe");
        _registry->loadDirectory(_dir.path());
    }
    void tearDown() override {
        _registry.reset();
        _services.reset();
    }

    void testPlainBackendIsSerialised() {
        AuthBackend store(*_registry, RPORT_KIND_CLIENT_AUTH, "probe-serial", {});
        CPPUNIT_ASSERT(!store.threadSafe());
        CPPUNIT_ASSERT_EQUAL(0, hammer(store));
    }

    void testThreadSafeBackendRunsConcurrently() {
        AuthBackend store(*_registry, RPORT_KIND_CLIENT_AUTH, "probe-threadsafe", {});
        CPPUNIT_ASSERT(store.threadSafe());
        CPPUNIT_ASSERT(hammer(store) > 0);
    }

private:
    PluginDir _dir;
    std::unique_ptr<HostServices> _services;
    std::unique_ptr<PluginRegistry> _registry;
};

CPPUNIT_TEST_SUITE_REGISTRATION(SerialisationTest);
