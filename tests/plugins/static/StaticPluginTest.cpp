// The built static.so, loaded through the SDK's fake host exactly as a plugin
// author would test it.
#include <cppunit/extensions/HelperMacros.h>

#include <rport/testing.hpp>

using rport::sdk::AuthRecord;
using rport::sdk::ListPage;
using rport::sdk::ListQuery;
using rport::sdk::testing::FakeHost;

class StaticPluginTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(StaticPluginTest);
    CPPUNIT_TEST(offersClientAndApiBackends);
    CPPUNIT_TEST(splitsAtTheFirstColon);
    CPPUNIT_TEST(lookupIsExactAndCaseSensitive);
    CPPUNIT_TEST(apiUserIsAnAdministrator);
    CPPUNIT_TEST(listsTheOneEntryWithFiltersAndPaging);
    CPPUNIT_TEST(refusesWrites);
    CPPUNIT_TEST(rejectsMalformedSettingsWithTheOriginalWording);
    CPPUNIT_TEST_SUITE_END();

    std::unique_ptr<FakeHost> host;
    rport::sdk::testing::LoadedPlugin plugin;

    std::unique_ptr<rport::sdk::AuthClient> client(const std::string& auth, const char* kind = RPORT_KIND_CLIENT_AUTH) {
        host->settings = {{"auth", auth}};
        return host->createAuth(plugin, kind, "static");
    }

public:
    void setUp() override {
        host = std::make_unique<FakeHost>();
        plugin = host->open(STATIC_PLUGIN_PATH);
    }
    void tearDown() override {
        plugin = {};
        host.reset();
    }

    void offersClientAndApiBackends() {
        CPPUNIT_ASSERT_EQUAL(std::string("static"), std::string(plugin.descriptor->name));
        CPPUNIT_ASSERT(rport::sdk::findBackend(plugin.descriptor, RPORT_KIND_CLIENT_AUTH, "static"));
        CPPUNIT_ASSERT(rport::sdk::findBackend(plugin.descriptor, RPORT_KIND_API_AUTH, "static"));
        CPPUNIT_ASSERT(rport::sdk::findBackend(plugin.descriptor, RPORT_KIND_CLIENT_AUTH, "static")->flags &
                       RPORT_BACKEND_THREADSAFE);
    }

    void splitsAtTheFirstColon() {
        auto store = client("rport:a:strong:password");
        std::optional<AuthRecord> rec;
        CPPUNIT_ASSERT(store->get("rport", rec).ok());
        CPPUNIT_ASSERT_EQUAL(std::string("a:strong:password"), rec->secret);
        CPPUNIT_ASSERT(rec->groups.empty());
    }

    void lookupIsExactAndCaseSensitive() {
        auto store = client("rport:pw");
        std::optional<AuthRecord> rec;
        CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_NOT_FOUND), store->get("RPORT", rec).code);
        CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_NOT_FOUND), store->get("rpor", rec).code);
        CPPUNIT_ASSERT(!rec);
    }

    void apiUserIsAnAdministrator() {
        auto store = client("admin:foobaz", RPORT_KIND_API_AUTH);
        std::optional<AuthRecord> rec;
        CPPUNIT_ASSERT(store->get("admin", rec).ok());
        CPPUNIT_ASSERT_EQUAL(size_t(1), rec->groups.size());
        CPPUNIT_ASSERT_EQUAL(std::string("Administrators"), rec->groups[0]);
    }

    void listsTheOneEntryWithFiltersAndPaging() {
        auto store = client("clientAuth1:1234");
        ListPage page;
        CPPUNIT_ASSERT(store->list(ListQuery{}, page).ok());
        CPPUNIT_ASSERT_EQUAL(uint64_t(1), page.total);
        CPPUNIT_ASSERT_EQUAL(size_t(1), page.records.size());

        ListQuery q;
        q.conditions.push_back({false, {"CLIENT*"}});
        CPPUNIT_ASSERT(store->list(q, page).ok());
        CPPUNIT_ASSERT_EQUAL(uint64_t(1), page.total);

        q.conditions = {{false, {"other", "x*"}}};
        CPPUNIT_ASSERT(store->list(q, page).ok());
        CPPUNIT_ASSERT_EQUAL(uint64_t(0), page.total);
        CPPUNIT_ASSERT(page.records.empty());

        ListQuery paged;
        paged.offset = 1;
        CPPUNIT_ASSERT(store->list(paged, page).ok());
        CPPUNIT_ASSERT_EQUAL(uint64_t(1), page.total);  // the total counts before paging
        CPPUNIT_ASSERT(page.records.empty());
    }

    void refusesWrites() {
        auto store = client("rport:pw");
        CPPUNIT_ASSERT(!store->writable());
        AuthRecord r;
        r.id = "new";
        r.secret = "secret";
        CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_READ_ONLY), store->add(r).code);
        CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_READ_ONLY), store->remove("rport").code);
    }

    void rejectsMalformedSettingsWithTheOriginalWording() {
        for (const char* bad : {"nocolon", ":pw", "id:"}) {
            try {
                client(bad);
                CPPUNIT_FAIL(std::string("accepted ") + bad);
            } catch (const rport::sdk::Error& e) {
                CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_INVALID), e.code());
                CPPUNIT_ASSERT_MESSAGE(e.what(), std::string(e.what()).find(
                    "invalid client auth credentials, expected '<client-id>:<password>', got \"") != std::string::npos);
            }
        }
        try {
            client("admin", RPORT_KIND_API_AUTH);
            CPPUNIT_FAIL("accepted api auth without colon");
        } catch (const rport::sdk::Error& e) {
            CPPUNIT_ASSERT(std::string(e.what()).find("invalid auth format: expected <user>:<password>, actual admin") !=
                           std::string::npos);
        }
        host->settings.clear();
        CPPUNIT_ASSERT_THROW(host->createAuth(plugin, RPORT_KIND_CLIENT_AUTH, "static"), rport::sdk::Error);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(StaticPluginTest);
