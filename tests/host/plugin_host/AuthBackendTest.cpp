// AuthBackend over real plugins: one written with the C++ helpers (memory),
// one in plain C (good_c), and the broken ones (create fails, get throws).
#include <cppunit/extensions/HelperMacros.h>

#include "LogCapture.h"
#include "PluginDir.h"
#include "plugin_host/AuthBackend.h"
#include "plugin_host/BackendError.h"
#include "plugin_host/HostServices.h"
#include "plugin_host/PluginRegistry.h"

using rport::sdk::AuthRecord;
using rport::sdk::ListPage;
using rport::sdk::ListQuery;
using rport::test::LogCapture;
using rport::test::PluginDir;
using namespace rportd::plugin_host;

namespace {

std::vector<std::string> ids(const ListPage& page) {
    std::vector<std::string> out;
    for (const auto& r : page.records) out.push_back(r.id);
    return out;
}

std::string messageOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "(no exception)";
}

}  // namespace

class AuthBackendTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(AuthBackendTest);
    CPPUNIT_TEST(testNotLoadedNamesWhatIs);
    CPPUNIT_TEST(testWrongKindRejected);
    CPPUNIT_TEST(testCreateFailureMessage);
    CPPUNIT_TEST(testExceptionsBecomeInternalErrors);
    CPPUNIT_TEST(testCppPluginGetListAddRemove);
    CPPUNIT_TEST(testSameBackendNameUnderTwoKinds);
    CPPUNIT_TEST(testPureCPlugin);
    CPPUNIT_TEST(testPureCPluginListing);
    CPPUNIT_TEST(testBackendOutlivesRegistry);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        _services = std::make_unique<HostServices>(HostOptions{"/srv/rport-data", 4});
        _registry = std::make_unique<PluginRegistry>(*_services);
        for (const char* fixture : {"memory", "good_c", "create_fails", "throws_get"})
            _dir.add(fixture);
        LoadReport report = _registry->loadDirectory(_dir.path());
        CPPUNIT_ASSERT(report.failures.empty());
    }
    void tearDown() override {
        _registry.reset();
        _services.reset();
    }

    void testNotLoadedNamesWhatIs() {
        CPPUNIT_ASSERT_EQUAL(
            std::string("client-auth plugin \"nope\" is not loaded (loaded: c-static, memory, "
                        "memory-verify, thrower, unreadable)"),
            messageOf([&] { AuthBackend(*_registry, RPORT_KIND_CLIENT_AUTH, "nope", {}); }));
        PluginRegistry empty(*_services);
        CPPUNIT_ASSERT_EQUAL(
            std::string("api-auth plugin \"file\" is not loaded (no api-auth plugins are loaded)"),
            messageOf([&] { AuthBackend(empty, RPORT_KIND_API_AUTH, "file", {}); }));
    }

    void testWrongKindRejected() {
        CPPUNIT_ASSERT_THROW(AuthBackend(*_registry, RPORT_KIND_CERT_PROVIDER, "c-cert", {}),
                             std::invalid_argument);
    }

    void testCreateFailureMessage() {
        CPPUNIT_ASSERT_EQUAL(std::string("client-auth plugin \"unreadable\": create failed: cannot "
                                         "read \"/x.json\": No such file"),
                             messageOf([&] {
                                 AuthBackend(*_registry, RPORT_KIND_CLIENT_AUTH, "unreadable",
                                             {{"path", "/x.json"}});
                             }));
        CPPUNIT_ASSERT_THROW(AuthBackend(*_registry, RPORT_KIND_CLIENT_AUTH, "unreadable", {}),
                             BackendError);
    }

    void testExceptionsBecomeInternalErrors() {
        LogCapture log;
        AuthBackend store(*_registry, RPORT_KIND_CLIENT_AUTH, "thrower", {});
        std::optional<AuthRecord> record;
        rport::sdk::CallResult r = store.get("anyone", record);
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INTERNAL, r.code);
        CPPUNIT_ASSERT_EQUAL(std::string("disk on fire"), r.message);
        CPPUNIT_ASSERT(!record);
        ListPage page;
        r = store.list({}, page);
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INTERNAL, r.code);
        CPPUNIT_ASSERT_EQUAL(std::string("unknown exception in plugin"), r.message);
        CPPUNIT_ASSERT(store.verifySecret("anyone", "pw") == VerifyResult::Error);
        // The operator sees the plugin's reason under the plugin's logger.
        auto errors = log.errorsMentioning("client-auth/thrower: get failed: disk on fire");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(log.dump(), size_t(2),
                                     errors.size());  // get, and the get inside verifySecret
        CPPUNIT_ASSERT_EQUAL(std::string("plugin.throws-get"), errors[0].source);
    }

    void testCppPluginGetListAddRemove() {
        AuthBackend store(
            *_registry, RPORT_KIND_CLIENT_AUTH, "memory",
            {{"user.zed", "plain:z"}, {"user.alice", "plain:a"}, {"user.bob", "auto:b"}});
        CPPUNIT_ASSERT_EQUAL(std::string("memory"), store.pluginName());
        CPPUNIT_ASSERT(store.writable());
        CPPUNIT_ASSERT(store.canList());
        CPPUNIT_ASSERT(!store.offersVerify());

        std::optional<AuthRecord> record;
        CPPUNIT_ASSERT(store.get("alice", record).ok());
        CPPUNIT_ASSERT_EQUAL(std::string("a"), record->secret);
        CPPUNIT_ASSERT(record->groups == std::vector<std::string>{"memory-users"});
        CPPUNIT_ASSERT_EQUAL(RPORT_E_NOT_FOUND, store.get("carol", record).code);
        CPPUNIT_ASSERT(!record);

        ListPage page;
        ListQuery query;
        query.offset = 1;
        query.limit = 1;
        CPPUNIT_ASSERT(store.list(query, page).ok());
        CPPUNIT_ASSERT(ids(page) == std::vector<std::string>{"bob"});
        CPPUNIT_ASSERT_EQUAL(uint64_t(3), page.total);

        CPPUNIT_ASSERT(store.add(AuthRecord{"carol", "c", RPORT_SECRET_PLAIN, {}, {}}).ok());
        rport::sdk::CallResult r = store.add(AuthRecord{"carol", "c2", RPORT_SECRET_PLAIN, {}, {}});
        CPPUNIT_ASSERT_EQUAL(RPORT_E_EXISTS, r.code);
        CPPUNIT_ASSERT_EQUAL(std::string("id 'carol' is taken"), r.message);
        CPPUNIT_ASSERT(store.remove("zed").ok());
        CPPUNIT_ASSERT_EQUAL(RPORT_E_NOT_FOUND, store.remove("zed").code);
        CPPUNIT_ASSERT(store.list({}, page).ok());
        CPPUNIT_ASSERT((ids(page) == std::vector<std::string>{"alice", "bob", "carol"}));
    }

    void testSameBackendNameUnderTwoKinds() {
        AuthBackend clients(*_registry, RPORT_KIND_CLIENT_AUTH, "memory", {{"user.c1", "plain:x"}});
        AuthBackend users(*_registry, RPORT_KIND_API_AUTH, "memory", {{"user.admin", "plain:y"}});
        CPPUNIT_ASSERT_EQUAL(std::string("api-auth"), users.kind());
        CPPUNIT_ASSERT(clients.verifySecret("c1", "x") == VerifyResult::Match);
        CPPUNIT_ASSERT(clients.verifySecret("admin", "y") == VerifyResult::UnknownId);
        CPPUNIT_ASSERT(users.verifySecret("admin", "y") == VerifyResult::Match);
    }

    void testPureCPlugin() {
        LogCapture log;
        AuthBackend store(
            *_registry, RPORT_KIND_CLIENT_AUTH, "c-static",
            {{"user.client1", "1234"}, {"user.client2", "abcd"}, {"other", "ignored"}});
        CPPUNIT_ASSERT(log.contains("client-auth/c-static: c-static ready"));
        std::optional<AuthRecord> record;
        CPPUNIT_ASSERT(store.get("client1", record).ok());
        CPPUNIT_ASSERT_EQUAL(std::string("1234"), record->secret);
        CPPUNIT_ASSERT_EQUAL(uint32_t(RPORT_SECRET_AUTO), record->secretKind);
        CPPUNIT_ASSERT(record->groups == std::vector<std::string>{"c-users"});
        CPPUNIT_ASSERT(record->attributes ==
                       (std::vector<std::pair<std::string, std::string>>{{"origin", "pure-c"}}));
        CPPUNIT_ASSERT(store.verifySecret("client2", "abcd") == VerifyResult::Match);
        CPPUNIT_ASSERT(store.verifySecret("client2", "abce") == VerifyResult::Mismatch);
        CPPUNIT_ASSERT(store.verifySecret("other", "ignored") == VerifyResult::UnknownId);

        CPPUNIT_ASSERT(store.writable());
        CPPUNIT_ASSERT(store.add(AuthRecord{"client3", "pw3", RPORT_SECRET_PLAIN, {}, {}}).ok());
        rport::sdk::CallResult r =
            store.add(AuthRecord{"client3", "again", RPORT_SECRET_PLAIN, {}, {}});
        CPPUNIT_ASSERT_EQUAL(RPORT_E_EXISTS, r.code);
        CPPUNIT_ASSERT_EQUAL(std::string("id already exists"), r.message);
        CPPUNIT_ASSERT(store.verifySecret("client3", "pw3") == VerifyResult::Match);
        CPPUNIT_ASSERT(store.remove("client1").ok());
        r = store.remove("client1");
        CPPUNIT_ASSERT_EQUAL(RPORT_E_NOT_FOUND, r.code);
        CPPUNIT_ASSERT_EQUAL(std::string("no such id"), r.message);
    }

    void testPureCPluginListing() {
        Settings settings;
        for (const char* id : {"web-01", "web-02", "db-01", "WEB-03", "mail"})
            settings.emplace_back(std::string("user.") + id, "x");
        AuthBackend store(*_registry, RPORT_KIND_CLIENT_AUTH, "c-static", settings);
        ListPage page;
        CPPUNIT_ASSERT(store.list({}, page).ok());
        CPPUNIT_ASSERT(
            (ids(page) == std::vector<std::string>{"WEB-03", "db-01", "mail", "web-01", "web-02"}));
        CPPUNIT_ASSERT_EQUAL(uint64_t(5), page.total);

        ListQuery query;
        query.conditions.push_back(rport::sdk::IdMatch{false, {"web-*"}});  // case-insensitive
        CPPUNIT_ASSERT(store.list(query, page).ok());
        CPPUNIT_ASSERT((ids(page) == std::vector<std::string>{"WEB-03", "web-01", "web-02"}));

        query.conditions.push_back(rport::sdk::IdMatch{false, {"*1", "*3"}});  // AND (any of these)
        query.limit = 1;
        CPPUNIT_ASSERT(store.list(query, page).ok());
        CPPUNIT_ASSERT((ids(page) == std::vector<std::string>{"WEB-03"}));
        CPPUNIT_ASSERT_EQUAL(uint64_t(2), page.total);

        ListQuery all;
        all.conditions.push_back(rport::sdk::IdMatch{true, {"*-*", "*0*"}});
        CPPUNIT_ASSERT(store.list(all, page).ok());
        CPPUNIT_ASSERT_EQUAL(uint64_t(4), page.total);
    }

    void testBackendOutlivesRegistry() {
        AuthBackend store(*_registry, RPORT_KIND_CLIENT_AUTH, "c-static", {{"user.a", "b"}});
        _registry.reset();  // the instance keeps the image mapped
        CPPUNIT_ASSERT(store.verifySecret("a", "b") == VerifyResult::Match);
    }

private:
    PluginDir _dir;
    std::unique_ptr<HostServices> _services;
    std::unique_ptr<PluginRegistry> _registry;
};

CPPUNIT_TEST_SUITE_REGISTRATION(AuthBackendTest);
