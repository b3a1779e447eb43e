// api-auth/table while its MariaDB server goes away and comes back: every
// call fails fast with RPORT_E_UNAVAILABLE (the host answers 503 rather
// than "wrong password"), and the same store works again once the server
// is back. Its own server, as the test kills it.
#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <rport/testing.hpp>
#include <thread>

#include "MariaDbServer.h"
#include "MariaDbTestDatabase.h"

namespace rport::test {

using Clock = std::chrono::steady_clock;

class MariaDbUserOutageTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(MariaDbUserOutageTest);
    CPPUNIT_TEST(killedServerIsUnavailableThenRecovers);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        server = std::make_unique<MariaDbServer>();
        db = std::make_unique<MariaDbTestDatabase>(*server);
        host = std::make_unique<sdk::testing::FakeHost>();
        plugin = host->open(TABLE_PLUGIN_PATH);
        host->settings = db->settings("unused");
        host->settings.erase("table");
        host->settings["user_table"] = "users";
        host->settings["group_table"] = "groups";
        host->settings["create_tables"] = "true";
        store = host->createAuth(plugin, RPORT_KIND_API_AUTH, "table");
        CPPUNIT_ASSERT(store->add(user("admin")).ok());
        expectGetWorks();
    }
    void tearDown() override {
        store.reset();
        plugin = {};
        host.reset();
        db.reset();
        server.reset();
    }

    void killedServerIsUnavailableThenRecovers() {
        server->kill();
        const auto started = Clock::now();
        std::optional<sdk::AuthRecord> rec;
        sdk::CallResult got = store->get("admin", rec);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(got.message, int32_t(RPORT_E_UNAVAILABLE), got.code);
        CPPUNIT_ASSERT(Clock::now() - started < std::chrono::seconds(2));
        CPPUNIT_ASSERT(got.message.find("database unavailable") != std::string::npos);
        sdk::ListPage page;
        CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_UNAVAILABLE), store->list(sdk::ListQuery{}, page).code);
        CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_UNAVAILABLE), store->add(user("other")).code);
        CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_UNAVAILABLE), store->remove("admin").code);

        server->restart();
        sdk::CallResult r;
        const auto restarted = Clock::now();
        do {
            r = store->get("admin", rec);
            if (r.ok()) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        } while (Clock::now() - restarted < std::chrono::seconds(3));
        CPPUNIT_ASSERT_MESSAGE("no recovery: " + r.message, r.ok());
        CPPUNIT_ASSERT(std::vector<std::string>({"Administrators"}) == rec->groups);
        // Writes work again, each in one transaction.
        CPPUNIT_ASSERT(store->add(user("other")).ok());
        CPPUNIT_ASSERT(store->remove("other").ok());
        CPPUNIT_ASSERT(host->logged("failing calls until it is back"));
        CPPUNIT_ASSERT(host->logged("database reachable again"));
    }

private:
    static sdk::AuthRecord user(const std::string& name) {
        sdk::AuthRecord r;
        r.id = name;
        r.secret = "pw";
        r.groups = {"Administrators"};
        return r;
    }
    void expectGetWorks() {
        std::optional<sdk::AuthRecord> rec;
        sdk::CallResult r = store->get("admin", rec);
        CPPUNIT_ASSERT_MESSAGE(r.message, r.ok());
    }

    std::unique_ptr<MariaDbServer> server;
    std::unique_ptr<MariaDbTestDatabase> db;
    std::unique_ptr<sdk::testing::FakeHost> host;
    sdk::testing::LoadedPlugin plugin;
    std::unique_ptr<sdk::AuthClient> store;
};

CPPUNIT_TEST_SUITE_REGISTRATION(MariaDbUserOutageTest);

}  // namespace rport::test
