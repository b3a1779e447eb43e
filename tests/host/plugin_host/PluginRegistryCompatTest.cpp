// Plugins built against other SDK minors: older ones (shorter structs, slots
// missing) and newer ones (longer structs, unknown kinds) load and work.
#include <cppunit/extensions/HelperMacros.h>

#include "LogCapture.h"
#include "PluginDir.h"
#include "plugin_host/AuthBackend.h"
#include "plugin_host/HostServices.h"
#include "plugin_host/PluginRegistry.h"

using rport::test::LogCapture;
using rport::test::PluginDir;
using namespace rportd::plugin_host;

class PluginRegistryCompatTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PluginRegistryCompatTest);
    CPPUNIT_TEST(testOlderMinorLoads);
    CPPUNIT_TEST(testVtableEndingBeforeVerify);
    CPPUNIT_TEST(testVtableEndingAfterGet);
    CPPUNIT_TEST(testNewerMinorLoads);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        _services = std::make_unique<HostServices>(HostOptions{"/tmp", 4});
        _registry = std::make_unique<PluginRegistry>(*_services);
        _dir.add("old_minor");
        _dir.add("newer_minor");
        LogCapture log;
        _report = _registry->loadDirectory(_dir.path());
        _log = log.lines();
    }
    void tearDown() override {
        _registry.reset();
        _services.reset();
    }

    void testOlderMinorLoads() {
        CPPUNIT_ASSERT(_report.failures.empty());
        CPPUNIT_ASSERT(_registry->find(RPORT_KIND_CLIENT_AUTH, "old-short"));
        CPPUNIT_ASSERT(_registry->find(RPORT_KIND_CLIENT_AUTH, "old-tiny"));
    }

    void testVtableEndingBeforeVerify() {
        AuthBackend store(*_registry, RPORT_KIND_CLIENT_AUTH, "old-short", {});
        // Behind the short vtable sits a non-NULL trap where verify would be:
        // only struct_size says the slot is absent.
        CPPUNIT_ASSERT(!store.offersVerify());
        CPPUNIT_ASSERT(store.canList());
        CPPUNIT_ASSERT(!store.writable());
        CPPUNIT_ASSERT(store.verifySecret("bob", "pw-bob") == VerifyResult::Match);
        CPPUNIT_ASSERT(store.verifySecret("bob", "pw-alice") == VerifyResult::Mismatch);
        // Its records are older too: they end before groups.
        std::optional<rport::sdk::AuthRecord> record;
        CPPUNIT_ASSERT(store.get("bob", record).ok());
        CPPUNIT_ASSERT(record->groups.empty());
        CPPUNIT_ASSERT_EQUAL(uint32_t(RPORT_SECRET_PLAIN), record->secretKind);
    }

    void testVtableEndingAfterGet() {
        AuthBackend store(*_registry, RPORT_KIND_CLIENT_AUTH, "old-tiny", {});
        CPPUNIT_ASSERT(!store.offersVerify());
        CPPUNIT_ASSERT(!store.canList());
        CPPUNIT_ASSERT(!store.writable());
        rport::sdk::ListPage page;
        CPPUNIT_ASSERT_EQUAL(RPORT_E_UNSUPPORTED, store.list({}, page).code);
        CPPUNIT_ASSERT_EQUAL(RPORT_E_READ_ONLY,
                             store.add(rport::sdk::AuthRecord{"x", "y", 0, {}, {}}).code);
        CPPUNIT_ASSERT_EQUAL(RPORT_E_READ_ONLY, store.remove("x").code);
        CPPUNIT_ASSERT(store.verifySecret("carol", "pw-carol") == VerifyResult::Match);
    }

    void testNewerMinorLoads() {
        auto client = _registry->find(RPORT_KIND_CLIENT_AUTH, "newer");
        // The third entry: found only when the array is walked by the entries' own size.
        auto api = _registry->find(RPORT_KIND_API_AUTH, "newer");
        CPPUNIT_ASSERT(client && api);
        CPPUNIT_ASSERT(api->threadSafe());
        CPPUNIT_ASSERT(!client->threadSafe());
        CPPUNIT_ASSERT(!_registry->find("quantum-auth", "entangled"));

        bool skippedLogged = false;
        for (const auto& line : _log)
            if (line.priority == Poco::Message::PRIO_WARNING &&
                line.text.find(
                    "newer_minor.so: backend quantum-auth/entangled skipped: unknown kind") !=
                    std::string::npos)
                skippedLogged = true;
        CPPUNIT_ASSERT(skippedLogged);
        CPPUNIT_ASSERT_EQUAL(size_t(1), _report.warnings.size());

        for (const auto& plugin : _registry->list())
            if (plugin.name == "newer-minor") CPPUNIT_ASSERT_EQUAL(uint32_t(7), plugin.abiMinor);

        AuthBackend store(*_registry, RPORT_KIND_API_AUTH, "newer", {});
        CPPUNIT_ASSERT(store.verifySecret("neo", "from-the-future") == VerifyResult::Match);
        CPPUNIT_ASSERT(store.verifySecret("trinity", "x") == VerifyResult::UnknownId);
    }

private:
    PluginDir _dir;
    std::unique_ptr<HostServices> _services;
    std::unique_ptr<PluginRegistry> _registry;
    LoadReport _report;
    std::vector<LogCapture::Line> _log;
};

CPPUNIT_TEST_SUITE_REGISTRATION(PluginRegistryCompatTest);
