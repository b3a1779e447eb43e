// A plugin built by clang++ with libc++ against the frozen v1.0 header, loaded
// into this g++/libstdc++ host through the real registry and used.
#include <cppunit/extensions/HelperMacros.h>

#include <fstream>
#include <sstream>

#include "LogCapture.h"
#include "PluginDir.h"
#include "plugin_host/AuthBackend.h"
#include "plugin_host/HostServices.h"
#include "plugin_host/PluginRegistry.h"

using rport::sdk::AuthRecord;
using rport::sdk::ListPage;
using rport::sdk::ListQuery;
using rport::test::PluginDir;
using namespace rportd::plugin_host;

namespace {

std::string mappedFiles() {
    std::ifstream maps("/proc/self/maps");
    std::stringstream text;
    text << maps.rdbuf();
    return text.str();
}

std::vector<std::string> ids(const ListPage& page) {
    std::vector<std::string> out;
    for (const auto& r : page.records) out.push_back(r.id);
    return out;
}

}  // namespace

class LibcxxPluginTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(LibcxxPluginTest);
    CPPUNIT_TEST(testLoadsAndBringsLibcxxAlong);
    CPPUNIT_TEST(testGetAndVerify);
    CPPUNIT_TEST(testListWithTotal);
    CPPUNIT_TEST(testAddRemoveAndErrors);
    CPPUNIT_TEST(testExceptionStaysInsideThePlugin);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        _services = std::make_unique<HostServices>(HostOptions{"/tmp", 4});
        _registry = std::make_unique<PluginRegistry>(*_services);
        _file = _dir.addFile(RPORT_LIBCXX_PLUGIN, "libcxx_memory.so");
        rport::test::LogCapture log;
        _report = _registry->loadDirectory(_dir.path());
        _log = log.dump();
    }
    void tearDown() override {
        _registry.reset();
        _services.reset();
    }

    void testLoadsAndBringsLibcxxAlong() {
        CPPUNIT_ASSERT_MESSAGE(_log, _report.failures.empty());
        CPPUNIT_ASSERT(_report.loaded == std::vector<std::string>{_file});
        auto info = _registry->find(RPORT_KIND_CLIENT_AUTH, "libcxx-memory");
        CPPUNIT_ASSERT(info);
        CPPUNIT_ASSERT(info->threadSafe());
        CPPUNIT_ASSERT_EQUAL(uint32_t(0), _registry->list().at(0).abiMinor);
        // The plugin's C++ runtime came with it: libc++ and libc++abi are now
        // mapped into a process whose own C++ runtime is libstdc++.
        const std::string maps = mappedFiles();
        CPPUNIT_ASSERT_MESSAGE("libc++ not mapped", maps.find("/libc++.so") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE("libc++abi not mapped",
                               maps.find("/libc++abi.so") != std::string::npos);
        CPPUNIT_ASSERT(maps.find("/libstdc++.so") != std::string::npos);
    }

    void testGetAndVerify() {
        rport::test::LogCapture log;
        AuthBackend store(*_registry, RPORT_KIND_CLIENT_AUTH, "libcxx-memory",
                          {{"client1", "pw1"}, {"client2", "pw2"}});
        CPPUNIT_ASSERT(log.contains("client-auth/libcxx-memory: libc++ store ready with 2 ids"));
        std::optional<AuthRecord> record;
        CPPUNIT_ASSERT(store.get("client1", record).ok());
        CPPUNIT_ASSERT_EQUAL(std::string("pw1"), record->secret);
        CPPUNIT_ASSERT(record->groups == std::vector<std::string>{"libcxx-users"});
        CPPUNIT_ASSERT_EQUAL(std::string("stdlib"), record->attributes.at(0).first);
        CPPUNIT_ASSERT_EQUAL(std::string("libc++ "), record->attributes.at(0).second.substr(0, 7));
        CPPUNIT_ASSERT_EQUAL(RPORT_E_NOT_FOUND, store.get("client9", record).code);

        CPPUNIT_ASSERT(store.offersVerify());
        CPPUNIT_ASSERT(store.verifySecret("client2", "pw2") == VerifyResult::Match);
        CPPUNIT_ASSERT(store.verifySecret("client2", "pw1") == VerifyResult::Mismatch);
        CPPUNIT_ASSERT(store.verifySecret("client9", "pw1") == VerifyResult::UnknownId);
    }

    void testListWithTotal() {
        Settings settings;
        for (int i = 0; i < 12; ++i)
            settings.emplace_back("node-" + std::string(i < 10 ? "0" : "") + std::to_string(i),
                                  "s");
        settings.emplace_back("gateway", "s");
        AuthBackend store(*_registry, RPORT_KIND_CLIENT_AUTH, "libcxx-memory", settings);
        ListQuery query;
        query.conditions.push_back(rport::sdk::IdMatch{false, {"NODE-*"}});
        query.offset = 8;
        query.limit = 3;
        ListPage page;
        CPPUNIT_ASSERT(store.list(query, page).ok());
        CPPUNIT_ASSERT((ids(page) == std::vector<std::string>{"node-08", "node-09", "node-10"}));
        CPPUNIT_ASSERT_EQUAL(uint64_t(12), page.total);
        CPPUNIT_ASSERT(store.list({}, page).ok());
        CPPUNIT_ASSERT_EQUAL(uint64_t(13), page.total);
        CPPUNIT_ASSERT_EQUAL(std::string("gateway"), page.records.front().id);
    }

    void testAddRemoveAndErrors() {
        AuthBackend store(*_registry, RPORT_KIND_CLIENT_AUTH, "libcxx-memory", {{"a", "1"}});
        CPPUNIT_ASSERT(store.writable());
        CPPUNIT_ASSERT(store.add(AuthRecord{"b", "2", RPORT_SECRET_PLAIN, {}, {}}).ok());
        rport::sdk::CallResult r = store.add(AuthRecord{"b", "3", RPORT_SECRET_PLAIN, {}, {}});
        CPPUNIT_ASSERT_EQUAL(RPORT_E_EXISTS, r.code);
        CPPUNIT_ASSERT_EQUAL(std::string("id b already exists"), r.message);
        r = store.add(AuthRecord{"", "x", RPORT_SECRET_PLAIN, {}, {}});
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID, r.code);
        CPPUNIT_ASSERT(store.verifySecret("b", "2") == VerifyResult::Match);
        CPPUNIT_ASSERT(store.remove("a").ok());
        r = store.remove("a");
        CPPUNIT_ASSERT_EQUAL(RPORT_E_NOT_FOUND, r.code);
        CPPUNIT_ASSERT_EQUAL(std::string("no such id a"), r.message);
    }

    void testExceptionStaysInsideThePlugin() {
        AuthBackend store(*_registry, RPORT_KIND_CLIENT_AUTH, "libcxx-memory", {});
        std::optional<AuthRecord> record;
        rport::sdk::CallResult r = store.get("throw", record);
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INTERNAL, r.code);
        CPPUNIT_ASSERT_EQUAL(std::string("libc++ exception: thrown and caught inside the plugin"),
                             r.message);
    }

private:
    PluginDir _dir;
    std::unique_ptr<HostServices> _services;
    std::unique_ptr<PluginRegistry> _registry;
    std::string _file;
    LoadReport _report;
    std::string _log;
};

CPPUNIT_TEST_SUITE_REGISTRATION(LibcxxPluginTest);
